/**
 * Acceptance: the conv-autoencoder preset learns to redraw held-out digits far better than the
 * best constant guess (the mean training image). A subset of the built-in digits keeps it short.
 */
import { describe, expect, it } from 'vitest'
import { presetById } from '../../../src-engine/models/presets'
import { loadTrainData } from '../../../src-engine/train/data'
import { subset, type Dataset } from '../../../src-engine/data/dataset'
import { Trainer } from '../../../src-engine/train/trainer'

/** Mean squared error per pixel of predicting every test image by the training set's mean image. */
function meanImageMse(train: Dataset, test: Dataset): number {
  const per = train.images.length / train.n
  const mean = new Float64Array(per)
  for (let i = 0; i < train.images.length; i++) mean[i % per] += train.images[i] / train.n
  let sq = 0
  for (let i = 0; i < test.images.length; i++) sq += (test.images[i] - mean[i % per]) ** 2
  return sq / test.images.length
}

const range = (a: number, n: number) => Array.from({ length: n }, (_, i) => a + i)

describe('conv-autoencoder on the built-in digits', () => {
  it('reaches a held-out reconstruction MSE well below predicting the mean image', async () => {
    const preset = presetById('conv-autoencoder')!
    const data = loadTrainData({ kind: 'mnist' }, 0.2, preset.spec)
    const train = subset(data.train as Dataset, range(0, 1000))
    const test = subset(data.test as Dataset, range(0, 300))
    const baseline = meanImageMse(train, test)
    const trainer = new Trainer({
      spec: preset.spec,
      settings: { optimizer: 'Adam', lr: 0.003, batchSize: 50, epochs: 2, seed: 1 },
      data: { train, test },
      snapshotEveryMs: 0
    })
    const t0 = performance.now()
    const outcome = await trainer.run()
    const last = outcome.reports.at(-1)!
    console.log(`conv-autoencoder, 1,000 digits × 2 epochs: held-out MSE ${last.reconstructionMse!.toFixed(4)} (BCE ${last.reconstructionLoss!.toFixed(4)}) vs mean image ${baseline.toFixed(4)}; ${((performance.now() - t0) / 1000).toFixed(1)} s`)
    expect(outcome.state).toBe('done')
    expect(last.reconstructionLoss).toBe(last.testLoss)
    expect(baseline).toBeGreaterThan(0.05)
    // "well below": under half of the mean image's error
    expect(last.reconstructionMse!).toBeLessThan(0.5 * baseline)
  }, 120_000)
})
