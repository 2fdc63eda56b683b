/** The data-vs-network checks a run makes before its first batch: their English messages and the facts the page words. */
import { describe, expect, it } from 'vitest'
import { Trainer } from '../../../src-engine/train/trainer'
import { DataMismatchError } from '../../../src-engine/train/checks'
import type { NetSpec } from '../../../src-engine/spec-types'
import type { TrainSettings } from '../../../src-engine/protocol'
import { TINY_MLP, recordingSession, smallDigits } from './fixtures'
import { datasetFromBytes, type Dataset } from '../../../src-engine/data/dataset'
import { textExamples, type Examples } from '../../../src-engine/train/examples'

const data = smallDigits()
const SETTINGS = { optimizer: 'SGD' as const, lr: 0.1, batchSize: 20, epochs: 1, seed: 5 }
const withOutputs = (units: number): NetSpec => ({ ...TINY_MLP, layers: [{ type: 'Affine', units: 32 }, { type: 'Relu' }, { type: 'Affine', units }, { type: 'SoftmaxWithLoss' }] })

function refused(spec: NetSpec, d: { train: Dataset | Examples; test: Dataset | Examples } = data): DataMismatchError {
  try {
    new Trainer({ spec, settings: SETTINGS, data: d })
  } catch (e) {
    expect(e).toBeInstanceOf(DataMismatchError)
    return e as DataMismatchError
  }
  throw new Error('the trainer took the network')
}

describe('a classifier whose outputs are not the data\'s classes', () => {
  it('is refused before training with more outputs than classes (the editor\'s Affine default of 100 on the digits)', () => {
    const e = refused(withOutputs(100))
    expect(e.message).toBe('affine2 gives 100 class scores but the training data has 10 classes; set the units of affine2 to 10')
    expect(e.facts).toEqual({ case: 'classes', layer: 'affine2', outputs: 100, classes: 10, affine: 1 })
  })

  it('is refused before training with fewer outputs than classes (instead of failing at the first label 5)', () => {
    expect(refused(withOutputs(5)).facts).toEqual({ case: 'classes', layer: 'affine2', outputs: 5, classes: 10, affine: 1 })
  })

  it('names the layer to change when it is not an Affine', () => {
    const spec: NetSpec = { input: [1, 28, 28], layers: [{ type: 'Convolution', filters: 3, kernel: 28 }, { type: 'Flatten' }, { type: 'SoftmaxWithLoss' }] }
    const e = refused(spec)
    expect(e.message).toBe('conv1 gives 3 class scores but the training data has 10 classes; end with an Affine of 10 units before softmax1')
    expect(e.facts).toMatchObject({ layer: 'conv1', outputs: 3, affine: 0 })
  })

  it('takes one output per class, and other losses as before', () => {
    expect(() => new Trainer({ spec: withOutputs(10), settings: SETTINGS, data })).not.toThrow()
    const ae: NetSpec = { input: [1, 28, 28], task: 'reconstruct', layers: [{ type: 'Affine', units: 16 }, { type: 'Affine', units: 784 }, { type: 'MSE' }] }
    expect(() => new Trainer({ spec: ae, settings: SETTINGS, data })).not.toThrow()
  })

  it('takes fewer outputs than the declared classes when the labels use no more (an IDX folder of five classes)', () => {
    const n = 40
    const five = datasetFromBytes(new Uint8Array(n * 784), Uint8Array.from({ length: n }, (_, i) => i % 5), [1, 28, 28], 10)
    expect(() => new Trainer({ spec: withOutputs(5), settings: SETTINGS, data: { train: five, test: five } })).not.toThrow()
    expect(refused(withOutputs(4), { train: five, test: five }).facts).toEqual({ case: 'classes', layer: 'affine2', outputs: 4, classes: 10, affine: 1 })
  })

  it('gives an input shape that does not fit as facts too', () => {
    expect(refused({ ...TINY_MLP, input: [3, 28, 28] }).facts).toEqual({ case: 'input', want: '(3, 28, 28)', got: '(1, 28, 28)', which: 'training' })
  })

  it('refuses images of the input\'s pixel count but not its shape itself (Q4 B5: 56 × 14 for (1, 28, 28)), whoever skipped the folder check', () => {
    const n = 20
    const wide = datasetFromBytes(new Uint8Array(n * 784), Uint8Array.from({ length: n }, (_, i) => i % 10), [1, 56, 14], 10)
    const d = { train: wide, test: wide }
    const e = refused(withOutputs(10), d)
    expect(e.facts).toEqual({ case: 'input', want: '(1, 28, 28)', got: '(1, 56, 14)', which: 'training' })
    expect(e.message).toBe('the network expects inputs of (1, 28, 28) but the training data has examples of (1, 56, 14); change the input shape or use other data')
    // a row model reads the rows: (28, 28) refused, (56, 14) taken; a flat input takes the 784 values
    expect(refused({ ...withOutputs(10), input: [28, 28] }, d).facts).toMatchObject({ want: '(28, 28)', got: '(1, 56, 14)' })
    for (const input of [[1, 56, 14], [56, 14], [784]]) {
      expect(() => new Trainer({ spec: { ...withOutputs(10), input }, settings: SETTINGS, data: d }), input.join()).not.toThrow()
    }
  })

  it('reaches the host as a train-failed event whose params hold the facts', async () => {
    const { s, events } = recordingSession(data)
    const settings: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'SGD', lr: 0.1, batchSize: 20, epochs: 1, weightDecay: 0, seed: 5, threads: 1 }
    s.handle({ type: 'start', runId: 'c', spec: withOutputs(100), settings })
    await s.running
    const err = events.find((e) => e.type === 'error')
    expect(err).toMatchObject({ code: 'train-failed', params: { case: 'classes', layer: 'affine2', outputs: 100, classes: 10, affine: 1 } })
    expect(events.some((e) => e.type === 'batches')).toBe(false)
  })
})

describe('a language model whose Time affine does not score the text\'s vocabulary', () => {
  const V = 7
  const ids = Int32Array.from({ length: 400 }, (_, i) => (i * 3) % V)
  const text = { train: textExamples(ids, 8, V), test: textExamples(ids, 8, V) }
  const lm = (units: number | 'vocab'): NetSpec => ({
    input: [8], task: 'language-model', vocab: V,
    layers: [{ type: 'TimeEmbedding', dim: 4 }, { type: 'TimeLSTM', hidden: 6 }, { type: 'TimeAffine', units }, { type: 'TimeSoftmaxWithLoss' }]
  })

  it('is refused before training with the facts (units fixed for another text)', () => {
    const e = refused(lm(65), text)
    expect(e.message).toBe('taffine1 scores 65 characters at each step but the training text has 7 distinct characters; set the units of taffine1 to "vocab"')
    expect(e.facts).toEqual({ case: 'vocab', layer: 'taffine1', outputs: 65, vocab: 7, affine: 1 })
    expect(refused(lm(3), text).facts).toMatchObject({ outputs: 3, vocab: 7 })
    // the scores come straight from a TimeLSTM: a Time affine is what to add
    const noAffine: NetSpec = { input: [8], task: 'language-model', vocab: V, layers: [{ type: 'TimeEmbedding', dim: 4 }, { type: 'TimeLSTM', hidden: 6 }, { type: 'TimeSoftmaxWithLoss' }] }
    const e2 = refused(noAffine, text)
    expect(e2.message).toBe('lstm1 scores 6 characters at each step but the training text has 7 distinct characters; end with a TimeAffine of units "vocab" before tsoftmax1')
    expect(e2.facts).toMatchObject({ case: 'vocab', layer: 'lstm1', affine: 0 })
  })

  it('takes units that are the vocabulary, given as "vocab" or as the number', () => {
    expect(() => new Trainer({ spec: lm('vocab'), settings: SETTINGS, data: text })).not.toThrow()
    expect(() => new Trainer({ spec: lm(V), settings: SETTINGS, data: text })).not.toThrow()
  })
})
