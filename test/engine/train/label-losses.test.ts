/**
 * A digits classifier may end with MSE or SigmoidWithLoss (spec-lint's TASK_LOSSES): the data gives one label per
 * example and the loss takes it as its one-hot row. It used to fail at the first batch ('targets (44) do not match the
 * output (44, 10)': 44 was the main thread's slice of the batch of 100).
 */
import { describe, expect, it } from 'vitest'
import { Trainer } from '../../../src-engine/train/trainer'
import { DataMismatchError } from '../../../src-engine/train/checks'
import type { NetSpec } from '../../../src-engine/spec-types'
import { subset } from '../../../src-engine/data/dataset'
import { smallDigits } from './fixtures'

const data = smallDigits()
const ending = (loss: 'MSE' | 'SigmoidWithLoss', units = 10): NetSpec => ({
  input: [1, 28, 28],
  task: 'classify',
  layers: [{ type: 'Affine', units: 32 }, { type: 'Relu' }, { type: 'Affine', units }, { type: loss }]
})

describe('a classifier ending in MSE or SigmoidWithLoss', () => {
  for (const loss of ['MSE', 'SigmoidWithLoss'] as const) {
    it(`${loss}: trains one short epoch on the digits, well above chance`, async () => {
      // 60 steps of 10: MSE on one-hot rows starts slowly (its outputs first settle near 0.1), 0.32 held-out here
      const out = await new Trainer({ spec: ending(loss), settings: { optimizer: 'Adam', lr: 0.003, batchSize: 10, epochs: 1, seed: 3 }, data }).run()
      expect(out.state).toBe('done')
      const [r] = out.reports
      expect(r.testAcc).toBeGreaterThan(loss === 'MSE' ? 0.2 : 0.5)
      expect(r.trainAcc).toBeGreaterThan(0.15)
      expect(r.confusion?.counts.reduce((s, v) => s + v, 0)).toBe(200)
    })

    it(`${loss}: one output per class, refused before training otherwise, as for softmax`, () => {
      let err: unknown = null
      try {
        new Trainer({ spec: ending(loss, 100), settings: { optimizer: 'SGD', lr: 0.1, batchSize: 20, epochs: 1, seed: 1 }, data })
      } catch (e) {
        err = e
      }
      expect(err).toBeInstanceOf(DataMismatchError)
      expect((err as DataMismatchError).facts).toEqual({ case: 'classes', layer: 'affine2', outputs: 100, classes: 10, affine: 1 })
    })
  }

  it('SigmoidWithLoss or MSE with a single output: a yes/no for labels 0 and 1, refused for the ten digits', () => {
    // a single output is compared with the label itself: 0/1 for a yes/no, but 9 would be a target outside [0, 1]
    // (the sigmoid's loss then falls without end) and the accuracy an argmax of one score
    const binary = (ds: typeof data.train) => subset(ds, [...ds.labels.keys()].filter((i) => ds.labels[i] < 2))
    const yesNo = { ...data, train: binary(data.train), test: binary(data.test) }
    for (const loss of ['MSE', 'SigmoidWithLoss'] as const) {
      const make = (d: typeof data) => new Trainer({ spec: ending(loss, 1), settings: { optimizer: 'SGD', lr: 0.1, batchSize: 20, epochs: 1, seed: 1 }, data: d })
      expect(() => make(yesNo)).not.toThrow()
      let err: unknown = null
      try {
        make(data)
      } catch (e) {
        err = e
      }
      expect(err, loss).toBeInstanceOf(DataMismatchError)
      expect((err as DataMismatchError).facts).toEqual({ case: 'classes', layer: 'affine2', outputs: 1, classes: 10, affine: 1 })
    }
  })
})
