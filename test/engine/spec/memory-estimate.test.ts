/**
 * spec-lint's memory estimate against the engine's real use. The table is measured (H11, with H9's and H10's scripts:
 * a WorkerSession run of each preset on 1, 2 and 4 threads, batch 100, 400 training examples and a held-out set of
 * 500; the character models on the built-in corpus, 74 characters, 435 held-out windows): the training thread's
 * engine memory at its top, each replica's, and the copy of the weights kept in case training diverges (ordinary
 * memory, 4 bytes a parameter), in MiB. Too slow to measure here (minutes in all), so the figures are written down;
 * measure again when a layer's or the trainer's allocations change. Before held-out evaluation ran in chunks of the
 * batch (it ran 500 at a time, in blocks of its own) the same runs took 1.1–4.4 times these (Simple ConvNet 179.9,
 * 192.9, 204.6; Keras CNN 484.3, 578.2, 663.4; conv autoencoder 550.9, 555.1, 567.7): these are 0.24–0.84 times that
 * time's estimate (which counted the chunk of 500), so the band below fails on it. Real over this estimate: 0.83–1.27.
 */
import { describe, expect, it } from 'vitest'
import { validateSpec, withVocab } from '../../../src-engine/spec'
import { PRESETS } from '../../../src-engine/models/presets'
import { MEMORY_LIMIT_BYTES, threadsMemoryBytes, threadsThatFit } from '../../../src-engine/spec-lint'

const MIB = 2 ** 20
/** Real use, MiB, on 1, 2 and 4 threads. */
const MEASURED: Record<string, [number, number, number]> = {
  'simple-convnet': [51.4, 64.4, 76.1],
  'keras-cnn': [174.2, 268.1, 353.3],
  lenet5: [30.8, 34.9, 41.3],
  mlp: [4.7, 8.9, 15.2],
  'row-lstm': [23.7, 28.1, 34.7],
  'row-rnn': [7.9, 10.7, 15.6],
  'conv-autoencoder': [125.4, 129.6, 136.2],
  'ae-2d': [16.8, 30.1, 45.8],
  'char-rnn': [40.1, 42.1, 48.2],
  'char-lstm': [126.5, 131.3, 144.6]
}
/** Real use over the estimate stays within this band. */
const BAND = [0.8, 1.3] as const
/**
 * Presets that do not fit on 64 threads: Keras CNN's 3.2 M parameters take 14 bytes a thread each (45 MB), so 40 threads
 * is its most (34 while the held-out chunk of 500 was counted; it fitted on 64 by the old 8 bytes, though on 64 it
 * would need about 3.3 GB).
 */
const OVER_64 = ['keras-cnn']
const KERAS_MOST = 40

const report = (id: string) => {
  const p = PRESETS.find((q) => q.id === id)!
  const r = validateSpec(p.spec.task === 'language-model' ? withVocab(p.spec, 74) : p.spec)
  expect(r.ok, id).toBe(true)
  return r
}

describe('memory estimate', () => {
  it('is within 0.8–1.3 of the measured use for every preset on 1, 2 and 4 threads', () => {
    expect(Object.keys(MEASURED).sort()).toEqual(PRESETS.map((p) => p.id).sort())
    const off: string[] = []
    for (const [id, real] of Object.entries(MEASURED)) {
      const r = report(id)
      ;[1, 2, 4].forEach((threads, k) => {
        const est = threadsMemoryBytes(r.memoryBytes!, r.totalParams, threads) / MIB
        const q = real[k] / est
        if (q < BAND[0] || q > BAND[1]) off.push(`${id} on ${threads}: real ${real[k]} MiB, estimate ${est.toFixed(1)} MiB (×${q.toFixed(2)})`)
      })
    }
    expect(off).toEqual([])
  })

  it('lets every preset train on the default 2 threads, and all but Keras CNN on 64', () => {
    for (const p of PRESETS) {
      const r = report(p.id)
      expect(r.memoryBytes!, p.id).toBeLessThan(MEMORY_LIMIT_BYTES)
      expect(threadsThatFit(r.memoryBytes!, r.totalParams, 2), p.id).toBe(2)
    }
    const keras = report('keras-cnn')
    expect(threadsThatFit(keras.memoryBytes!, keras.totalParams, 64)).toBe(KERAS_MOST)
    expect(PRESETS.filter((p) => { const r = report(p.id); return threadsThatFit(r.memoryBytes!, r.totalParams, 64) < 64 }).map((p) => p.id))
      .toEqual(OVER_64)
  })
})
