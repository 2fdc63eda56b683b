/**
 * Held-out evaluation runs in chunks of the batch size (trainer.ts evalChunk), so that it reuses the blocks the batch's
 * layers cut from the engine memory instead of cutting its own (a chunk of 500 was most of the conv presets' memory),
 * and its results are those of any other chunk size.
 */
import { describe, expect, it } from 'vitest'
import { Trainer } from '../../../src-engine/train/trainer'
import { evaluate, type Evaluation } from '../../../src-engine/train/evaluate'
import { engineMemory } from '../../../src-engine/kernels/gemm'
import type { NetSpec } from '../../../src-engine/spec-types'
import { Sequential } from '../../../src-engine/models/sequential'
import { textExamples } from '../../../src-engine/train/examples'
import { textCorpus } from '../../../src-engine/data/text'
import { Rng } from '../../../src-engine/rng'
import { SGD_SETTINGS, smallDigits } from './fixtures'

const data = smallDigits()

/** Inference mode matters here: BatchNormalization on its running statistics, Dropout passing through. */
const NET: NetSpec = {
  name: 'eval chunk',
  input: [1, 28, 28],
  layers: [
    { type: 'Convolution', filters: 4, kernel: 5 },
    { type: 'BatchNormalization' },
    { type: 'Relu' },
    { type: 'Pooling', size: 2, stride: 2 },
    { type: 'Dropout', rate: 0.3 },
    { type: 'Affine', units: 10 },
    { type: 'SoftmaxWithLoss' }
  ]
}

const B = SGD_SETTINGS.batchSize

function run<T>(g: Generator<unknown, T, void>): T {
  for (;;) {
    const r = g.next()
    if (r.done) return r.value
  }
}

describe('held-out evaluation in chunks of the batch', () => {
  it('runs a chunk per batch size and cuts no layer blocks of its own beside the batch’s, even for a shorter last chunk', () => {
    // 200 held-out examples in chunks of 64: three and one of 8, which runs as one of 64
    const B = 64
    const t = new Trainer({ spec: NET, settings: { ...SGD_SETTINGS, batchSize: B, epochs: 1 }, data })
    const mem = engineMemory()!
    const work = t.work()
    let evals = 0
    let before = 0
    for (let u = work.next(); !u.done; u = work.next()) {
      if (u.value === 'batch') before = mem.blockBytes.bytes
      else evals++
    }
    const grown = mem.blockBytes.bytes - before
    // 4 chunks (one of 200 before), then the training sample's 10 (all 600 rows: train-sample.ts)
    expect(evals).toBe(Math.ceil(data.test.n / B) + Math.ceil(data.train.n / B))
    // only the chunk's own input, target and predicted probabilities are new (a chunk of 200 cut ~2.5 MB of layer
    // outputs, a chunk of 8 after three of 64 ~0.3 MB)
    expect(grown).toBeLessThan(2 * B * 28 * 28 * 4)
    // every held-out example counted once: the last chunk's repeated rows are not
    expect(t.reports[0].confusion!.counts.reduce((a, b) => a + b, 0)).toBe(data.test.n)
  })

  it('runs in chunks of the one batch there is when the batch size is larger than the training examples', () => {
    // 600 training examples and a batch size of 1,000: every batch is of 600, so a chunk of 1,000 would cut blocks of
    // its own (~10 MB of layer outputs here) beside them for 200 held-out examples
    const t = new Trainer({ spec: NET, settings: { ...SGD_SETTINGS, batchSize: 1000, epochs: 1 }, data })
    const mem = engineMemory()!
    const work = t.work()
    let before = 0
    for (let u = work.next(); !u.done; u = work.next()) if (u.value === 'batch') before = mem.blockBytes.bytes
    expect(mem.blockBytes.bytes - before).toBeLessThan(2 * data.train.n * 28 * 28 * 4)
    expect(t.reports[0].confusion!.counts.reduce((a, b) => a + b, 0)).toBe(data.test.n)
  })

  it('gives the same accuracy, confusion matrix and wrong examples as one chunk of all, and the loss to float precision', () => {
    const t = new Trainer({ spec: NET, settings: { ...SGD_SETTINGS, epochs: 1 }, data })
    run(t.work())
    const all: Evaluation = run(evaluate(t.model, t.data.test, 500))
    for (const chunk of [B, 64, 7]) {
      const e = run(evaluate(t.model, t.data.test, chunk))
      expect(e.acc, `chunk ${chunk}`).toBe(all.acc)
      expect(e.confusion).toEqual(all.confusion)
      expect(e.confidentWrong).toEqual(all.confidentWrong)
      // every example's scores are the same for a chunk of 50 as of 200, and the loss differs in its last bit (the
      // chunks' mean losses are summed in other groups); a chunk of 7 is small enough for gemm.ts's TypeScript kernel,
      // which sums in float64 where the WebAssembly one sums in float32 (2.5e-9 of the loss measured)
      expect(Math.abs(e.loss - all.loss) / all.loss).toBeLessThan(1e-7)
    }
    expect(Math.abs(t.reports[0].testLoss! - all.loss) / all.loss).toBeLessThan(1e-7)
    expect(t.reports[0].testAcc).toBe(all.acc)
  })

  it('gives a language model whose LSTM is stateful by its spec the same loss for any chunk size', () => {
    // the held-out windows run in text order along a chunk's rows, so a carried h went from row r of one chunk to row
    // r of the next, a window `chunk` windows later: the loss depended on the chunk size (evaluate.ts evalRows)
    const corpus = textCorpus('the cat sat on the mat. a dog ran in the fog. '.repeat(300), 0.1)
    const V = corpus.vocab.chars.length
    const test = textExamples(corpus.test, 6, V)
    expect(test.n).toBeGreaterThan(200)
    const spec: NetSpec = {
      input: [6], task: 'language-model', vocab: V,
      layers: [{ type: 'TimeEmbedding', dim: 8 }, { type: 'TimeLSTM', hidden: 16, stateful: true }, { type: 'TimeAffine', units: 'vocab' }, { type: 'TimeSoftmaxWithLoss' }]
    }
    const model = Sequential.fromSpec(spec, new Rng(3))
    const [a, b, c] = [7, 50, 200].map((chunk) => run(evaluate(model, test, chunk)))
    for (const e of [b, c]) {
      expect(Math.abs(e.loss - a.loss) / a.loss).toBeLessThan(1e-6)
      expect(e.acc).toBe(a.acc)
    }
  })
})
