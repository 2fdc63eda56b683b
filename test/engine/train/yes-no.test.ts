/**
 * A yes/no classifier: one output, labels 0 and 1, ending in SigmoidWithLoss or MSE (layers/label-targets.ts compares
 * the output with the label itself). Its class is the side of the middle its output is on (models/class-output.ts
 * classOf); the arg-max of one value always said 0, so its accuracy was the share of 0 labels however it had learnt.
 */
import { describe, expect, it } from 'vitest'
import { Trainer } from '../../../src-engine/train/trainer'
import { subset } from '../../../src-engine/data/dataset'
import { classOf, classValue } from '../../../src-engine/models/class-output'
import type { NetSpec } from '../../../src-engine/spec-types'
import { smallDigits } from './fixtures'

const data = smallDigits()
const zeroOrOne = (ds: typeof data.train) => subset(ds, [...ds.labels.keys()].filter((i) => ds.labels[i] < 2))
const yesNo = { ...data, train: zeroOrOne(data.train), test: zeroOrOne(data.test) }
const spec = (loss: 'MSE' | 'SigmoidWithLoss'): NetSpec => ({
  input: [1, 28, 28],
  task: 'classify',
  layers: [{ type: 'Affine', units: 16 }, { type: 'Relu' }, { type: 'Affine', units: 1 }, { type: loss }]
})

describe('a yes/no classifier (one output, labels 0 and 1)', () => {
  it('says its class by the middle of the two labels, and the value behind it', () => {
    expect(classOf([0.7], 0, 1, 'sigmoid')).toBe(1)
    expect(classOf([0.3], 0, 1, 'sigmoid')).toBe(0)
    expect(classOf([0.5], 0, 1, 'sigmoid')).toBe(0)
    // before the sigmoid: its score's sign
    expect(classOf([0.2], 0, 1, 'sigmoid', true)).toBe(1)
    expect(classOf([-0.2], 0, 1, 'sigmoid', true)).toBe(0)
    // MSE: the nearer label, whatever the range
    expect(classOf([0.6], 0, 1, 'scores')).toBe(1)
    expect(classOf([1.4], 0, 1, 'scores')).toBe(1)
    expect(classOf([0.4], 0, 1, 'scores', true)).toBe(0)
    expect(classOf([-0.3], 0, 1, 'scores')).toBe(0)
    // several outputs: the largest, as before; a softmax's single output is class 0
    expect(classOf([0.1, 0.7, 0.2, 0.9, 0.05], 1, 3, 'sigmoid')).toBe(2)
    expect(classOf([5], 0, 1, 'softmax')).toBe(0)
    expect(classValue([0.3], 0, 1, 'sigmoid', 0)).toBeCloseTo(0.7, 12)
    expect(classValue([0.8], 0, 1, 'sigmoid', 1)).toBeCloseTo(0.8, 12)
    expect(classValue([0.3], 0, 1, 'scores', 0)).toBe(0.3)
    expect(classValue([0.1, 0.7, 0.2], 0, 3, 'softmax', 1)).toBe(0.7)
  })

  for (const loss of ['SigmoidWithLoss', 'MSE'] as const) {
    it(`${loss}: its accuracy and confusion matrix count the 1s it gets right`, async () => {
      const ones = yesNo.test.labels.filter((l) => l === 1).length
      const out = await new Trainer({ spec: spec(loss), settings: { optimizer: 'Adam', lr: 0.003, batchSize: 20, epochs: 2, seed: 5 }, data: yesNo }).run()
      const r = out.reports.at(-1)!
      // 0 against 1 is easy: the share of 0 labels (25 of 37 here, 0.68) was all the arg-max could score
      expect(r.testAcc!, `${ones} of ${yesNo.test.n} are 1`).toBeGreaterThan(0.95)
      expect(r.trainAcc!).toBeGreaterThan(0.9)
      const K = r.confusion!.classes
      const c = r.confusion!.counts
      expect(c[1 * K + 1]).toBeGreaterThan(ones * 0.9)
      expect(c[0] + c[1] + c[K] + c[K + 1]).toBe(yesNo.test.n)
      for (const w of r.confidentWrong ?? []) {
        expect(w.predicted).toBe(1 - w.label)
        if (loss === 'SigmoidWithLoss') expect(w.confidence).toBeGreaterThanOrEqual(0.5)
      }
    })
  }
})
