import { describe, expect, it } from 'vitest'
import { Trainer } from '../../../src-engine/train/trainer'
import { evaluate } from '../../../src-engine/train/evaluate'
import { asExamples } from '../../../src-engine/train/examples'
import { TRAIN_SAMPLE, sampleRows, subsetExamples } from '../../../src-engine/train/train-sample'
import { Rng } from '../../../src-engine/rng'
import type { NetSpec } from '../../../src-engine/spec-types'
import { subset } from '../../../src-engine/data/dataset'
import { SGD_SETTINGS, TINY_MLP, range, smallDigits } from './fixtures'

// Training accuracy measured as the held-out one is: after the epoch, in inference mode (Q5's F2).
const data = smallDigits()

const DROPOUT_MLP: NetSpec = {
  name: 'mlp + dropout',
  input: [1, 28, 28],
  layers: [
    { type: 'Affine', units: 64 },
    { type: 'Relu' },
    { type: 'Dropout', rate: 0.5 },
    { type: 'Affine', units: 10 },
    { type: 'SoftmaxWithLoss' }
  ]
}

describe('training accuracy after the epoch, in inference mode', () => {
  it('is the evaluation of the training examples with the weights the epoch ended with (dropout off), above the running figure', async () => {
    // 600 training digits: below TRAIN_SAMPLE, so every one is measured
    const t = new Trainer({ spec: DROPOUT_MLP, settings: { ...SGD_SETTINGS, lr: 0.1, epochs: 1 }, data }, () => {})
    const { reports } = await t.run()
    const [r] = reports
    const ev = yield_(evaluate(t.model, asExamples(data.train), 37))
    expect(r.trainEvalAcc).toBeCloseTo(ev.acc!, 12)
    // the running mean counts the first batches of an untrained network with half its units off; the weights the
    // epoch ended with, all units on, do better on the same digits
    expect(r.trainEvalAcc! - r.trainAcc!).toBeGreaterThan(0.05)
    // and it is the figure to compare with the held-out one: measured alike, on digits the network trained on
    expect(r.trainEvalAcc!).toBeGreaterThan(r.testAcc! - 0.02)
  })

  it('is null for an autoencoder, which has no classes', async () => {
    const ae: NetSpec = {
      name: 'ae', input: [1, 28, 28], task: 'reconstruct',
      layers: [{ type: 'Affine', units: 8 }, { type: 'Relu' }, { type: 'Affine', units: 784 }, { type: 'SigmoidWithLoss' }]
    }
    const small = { train: subset(data.train, range(100)), test: subset(data.test, range(50)) }
    const t = new Trainer({ spec: ae, settings: { ...SGD_SETTINGS, epochs: 1 }, data: small }, () => {})
    const { reports } = await t.run()
    expect(reports[0].trainEvalAcc).toBeNull()
  })

  it('measures the same rows every epoch, chosen by the seed, at most TRAIN_SAMPLE of them', () => {
    const a = sampleRows(5000, TRAIN_SAMPLE, new Rng(4))
    expect(a.length).toBe(TRAIN_SAMPLE)
    expect(new Set(a).size).toBe(TRAIN_SAMPLE)
    for (let i = 1; i < a.length; i++) expect(a[i]).toBeGreaterThan(a[i - 1])
    expect(a.at(-1)!).toBeLessThan(5000)
    expect(Array.from(sampleRows(5000, TRAIN_SAMPLE, new Rng(4)))).toEqual(Array.from(a))
    expect(Array.from(sampleRows(5000, TRAIN_SAMPLE, new Rng(5)))).not.toEqual(Array.from(a))
    expect(Array.from(sampleRows(7, TRAIN_SAMPLE, new Rng(4)))).toEqual([0, 1, 2, 3, 4, 5, 6])
  })

  it('a subset reads the rows it names', () => {
    const ex = asExamples(data.train)
    const sub = subsetExamples(ex, Uint32Array.from([5, 17, 300]))
    expect(sub.n).toBe(3)
    const { x, t } = sub.alloc(2)
    sub.gather([2, 0], x, t)
    expect(Array.from(t.data)).toEqual([data.train.labels[300], data.train.labels[5]])
    expect(Array.from(x.data.subarray(0, 784))).toEqual(Array.from(ex.input(300)))
    expect(Array.from(sub.input(1))).toEqual(Array.from(ex.input(17)))
  })

  it('a training set above TRAIN_SAMPLE: the figure is an evaluation of TRAIN_SAMPLE of its rows, the same ones every epoch', async () => {
    // 1,600 training examples (the 600 digits, repeated): the rows gathered after the held-out evaluation are the
    // sample's, TRAIN_SAMPLE distinct ones, the same in both epochs
    const base = asExamples(data.train)
    const n = 1600
    const gathered: number[][] = []
    let evaluating = false
    const train = {
      ...base,
      n,
      gather: (ix: ArrayLike<number>, x: import('../../../src-engine/tensor').Tensor, tt: import('../../../src-engine/tensor').Tensor) => {
        if (evaluating) gathered.at(-1)!.push(...Array.from(ix))
        base.gather(Array.from(ix, (i) => i % 600), x, tt)
      }
    }
    const t = new Trainer({ spec: TINY_MLP, settings: { ...SGD_SETTINGS, epochs: 2 }, data: { train, test: data.test } }, (e) => {
      // the held-out evaluation follows the last batch, the training sample's the held-out one
      if (e.type === 'batch' && e.point.batch === e.point.batches) evaluating = true
      if (e.type === 'batch' && e.point.batch === 1) gathered.push([])
      if (e.type === 'epoch') evaluating = false
    })
    const { reports } = await t.run()
    expect(reports.map((r) => typeof r.trainEvalAcc)).toEqual(['number', 'number'])
    const [first, second] = gathered
    const rows = new Set(first)
    expect(rows.size).toBe(TRAIN_SAMPLE)
    expect(Math.max(...first)).toBeLessThan(n)
    expect(new Set(second)).toEqual(rows)
  })
})

/** Runs an evaluation generator to its end. */
function yield_<T>(g: Generator<unknown, T, void>): T {
  for (;;) {
    const r = g.next()
    if (r.done) return r.value
  }
}
