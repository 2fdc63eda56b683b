/**
 * A training-set size (TrainSettings.trainSize, the CLI's --train-size): the first N of the training examples in an
 * order shuffled by a fixed seed, the held-out set unchanged, and the same examples and numbers on the page (the
 * worker's session) and in the CLI for the same seed.
 */
import { describe, expect, it } from 'vitest'
import { loadTrainData } from '../../../src-engine/train/data'
import { trainSizeRows, withTrainSize } from '../../../src-engine/data/train-size'
import { classCounts, type Dataset } from '../../../src-engine/data/dataset'
import { DataMismatchError } from '../../../src-engine/train/checks'
import { checkCommand } from '../../../src-engine/train/commands'
import type { TrainSettings, WorkerEvent } from '../../../src-engine/protocol'
import { recordingSession, TINY_MLP } from '../train/fixtures'
import { lab, tempDir, writeJson } from '../cli/helpers'

describe('a training-set size', () => {
  it('takes the first N of one seeded order: the same rows every time, the first 500 of the 1,000 the first 500', () => {
    const a = trainSizeRows(8000, 1000)
    expect(a).toEqual(trainSizeRows(8000, 1000))
    expect(new Set(a).size).toBe(1000)
    expect(Math.max(...a)).toBeLessThan(8000)
    expect(trainSizeRows(8000, 500)).toEqual(a.slice(0, 500))
    // shuffled, not the file's first thousand (an IDX training file may be stored grouped by class)
    expect([...a].filter((i) => i < 1000).length).toBeLessThan(300)
  })

  it('keeps the built-in digits\' held-out 2,000 and trains on 1,000 of the 8,000, every class among them', () => {
    const full = loadTrainData({ kind: 'mnist' })
    const small = withTrainSize(full, 1000, 100)
    const train = small.train as Dataset
    expect(train.n).toBe(1000)
    expect(small.test).toBe(full.test)
    expect(small.description).toBe('built-in digits: 8000 training, 2000 held-out; training on 1000 of the 8000')
    const rows = trainSizeRows(8000, 1000)
    const all = full.train as Dataset
    for (const k of [0, 1, 499, 999]) {
      expect(train.labels[k]).toBe(all.labels[rows[k]])
      expect(train.images.subarray(k * 784, (k + 1) * 784)).toEqual(all.images.subarray(rows[k] * 784, (rows[k] + 1) * 784))
    }
    for (const c of classCounts(train)) expect(c).toBeGreaterThan(70)
    // absent: all of them, unchanged
    expect(withTrainSize(full, undefined, 100)).toBe(full)
  })

  it('refuses a size above the examples there are, or below the mini-batch, with what to change; and a text', () => {
    const full = loadTrainData({ kind: 'mnist' })
    const refusal = (size: number, batch: number): DataMismatchError => {
      try {
        withTrainSize(full, size, batch)
      } catch (e) {
        return e as DataMismatchError
      }
      throw new Error('not refused')
    }
    const over = refusal(9000, 100)
    expect(over).toBeInstanceOf(DataMismatchError)
    expect(over.message).toBe('the training-set size is 9000 but the data has 8000 training examples; use 8000 or fewer (or leave it out to train on all)')
    expect(over.facts).toEqual({ case: 'train-size', size: 9000, available: 8000, batch: 100 })
    const batch = refusal(50, 100)
    expect(batch.message).toBe('a mini-batch of 100 is more than the 50 training examples; use a batch of 50 or fewer, or train on 100 examples or more')
    expect(batch.facts).toEqual({ case: 'train-size-batch', size: 50, available: 8000, batch: 100 })
    expect(() => withTrainSize({ ...full, train: { kind: 'tokens' } as never }, 100, 10)).toThrow(/for image data/)
    // the worker refuses a size that is no count before loading anything
    const start = (trainSize: unknown): string | null => {
      const r = checkCommand({ type: 'start', runId: 'r', spec: TINY_MLP, settings: { ...SETTINGS, trainSize } })
      return r.ok ? null : r.message
    }
    expect(start(0)).toBe('settings.trainSize must be a whole number, 1 or more')
    expect(start(2.5)).toBe('settings.trainSize must be a whole number, 1 or more')
    expect(start(300)).toBeNull()
  })

  it('gives the page\'s run and the CLI\'s the same numbers for the same seed', async () => {
    const dir = tempDir()
    const spec = writeJson(dir, 'tiny.json', TINY_MLP)
    const cli = await lab('train', '--spec', spec, '--train-size', '200', '--epochs', '2', '--batch', '50', '--optimizer', 'SGD', '--lr', '0.2', '--seed', '5', '--json')
    expect(cli.code).toBe(0)
    expect(cli.events[0]).toMatchObject({ event: 'start', train: 200, test: 2000, trainSize: 200 })
    const cliEpochs = cli.events.filter((e) => e.event === 'epoch')

    const { s, events } = recordingSession(loadTrainData({ kind: 'mnist' }), { loadData: (source, f, sp) => loadTrainData(source, f, sp) })
    s.handle({ type: 'start', runId: 'page', spec: TINY_MLP, settings: { ...SETTINGS, trainSize: 200 } })
    await s.running
    const reports = events.flatMap((e: WorkerEvent) => (e.type === 'epoch' ? [e.report] : []))
    // 200 examples in batches of 50: 4 an epoch (8,000 would be 160)
    const batches = events.flatMap((e) => (e.type === 'batches' ? e.points : []))
    expect(batches.at(-1)).toMatchObject({ epoch: 2, batch: 4, batches: 4 })
    expect(reports.map((r) => [r.trainLoss, r.trainEvalAcc, r.testLoss, r.testAcc])).toEqual(
      cliEpochs.map((e) => [e.trainLoss, e.trainEvalAcc, e.testLoss, e.testAcc]))
  })
})

const SETTINGS: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'SGD', lr: 0.2, batchSize: 50, epochs: 2, weightDecay: 0, seed: 5, threads: 1 }
