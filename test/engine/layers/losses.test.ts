import { describe, expect, it } from 'vitest'
import golden from '../../fixtures/golden.json'
import { Rng } from '../../../src-engine/rng'
import { fromArray, tensor } from '../../../src-engine/tensor'
import { SoftmaxWithLoss } from '../../../src-engine/layers/softmax-with-loss'
import { MSE } from '../../../src-engine/layers/mse'
import { SigmoidWithLoss } from '../../../src-engine/layers/sigmoid-with-loss'
import { TimeSoftmaxWithLoss } from '../../../src-engine/layers/time-softmax-with-loss'
import type { LossLayer } from '../../../src-engine/layers/layer'
import { numericalGradient, compareGradients } from '../../../src-engine/train/gradient-check'
import { expectClose, randn } from '../../helpers'

function lossGradError(loss: LossLayer, x: ReturnType<typeof tensor>, t: ReturnType<typeof tensor>): number {
  loss.forward(x, t)
  const analytic = Float64Array.from(loss.backward().data)
  const numeric = numericalGradient(() => loss.forward(x, t), x.data, 1e-3)
  return compareGradients('x', numeric, analytic).relError
}

describe('SoftmaxWithLoss', () => {
  it('gives the golden softmax as its prediction', () => {
    const p = new SoftmaxWithLoss().predict(fromArray([1, 3], golden.softmax_and_cross_entropy.softmax_of))
    expectClose(p.data, golden.softmax_and_cross_entropy.softmax, 1e-7)
  })

  it('gives the golden cross-entropy for class-index and one-hot targets', () => {
    const g = golden.softmax_and_cross_entropy.cross_entropy
    for (const c of g.cases) {
      // log of the golden probabilities as scores: softmax(log y) = y / Σy and Σy = 1
      const x = fromArray([1, 10], c.y.map((v) => Math.log(v + 1e-30)))
      expect(new SoftmaxWithLoss().forward(x, fromArray([1], [g.target_one_hot_index]))).toBeCloseTo(c.loss, 5)
      const onehot = tensor([1, 10])
      onehot.data[g.target_one_hot_index] = 1
      expect(new SoftmaxWithLoss().forward(x, onehot)).toBeCloseTo(c.loss, 5)
    }
  })

  it('backward is (y − t) / N and matches central differences', () => {
    const rng = new Rng(1)
    const x = randn(rng, [5, 7])
    const t = fromArray([5], [0, 6, 3, 3, 1])
    const s = new SoftmaxWithLoss()
    s.forward(x, t)
    const dx = s.backward()
    const y = s.predict(x)
    expectClose(dx.data.subarray(0, 7), Array.from(y.data.subarray(0, 7), (v, i) => (v - (i === 0 ? 1 : 0)) / 5), 1e-7)
    expect(lossGradError(new SoftmaxWithLoss(), x, t)).toBeLessThan(1e-3)
  })

  it('rejects targets that are not class indices, naming the layer', () => {
    const s = new SoftmaxWithLoss('softmax1')
    expect(() => s.forward(tensor([2, 3]), fromArray([2], [0, 3]))).toThrow('SoftmaxWithLoss "softmax1": target 1 is 3, not a class index in 0…2')
    expect(() => s.forward(tensor([2, 3]), tensor([3]))).toThrow('fit neither')
    expect(() => new SoftmaxWithLoss('s').backward()).toThrow('before forward')
  })
})

describe('MSE', () => {
  it('is the mean over all elements and its gradient 2(x − t)/n', () => {
    const m = new MSE()
    expect(m.forward(fromArray([2, 2], [1, 2, 3, 4]), fromArray([2, 2], [0, 2, 5, 4]))).toBeCloseTo((1 + 4) / 4, 7)
    expectClose(m.backward().data, [0.5, 0, -1, 0], 1e-7)
    const rng = new Rng(2)
    expect(lossGradError(new MSE(), randn(rng, [2, 1, 3, 3]), randn(rng, [2, 1, 3, 3]))).toBeLessThan(1e-3)
  })
})

describe('MSE and SigmoidWithLoss given class labels (a classifier\'s data: one label per example)', () => {
  it('take each label as its one-hot row: the same loss and gradient, and central differences agree', () => {
    const rng = new Rng(4)
    const x = randn(rng, [3, 4])
    const labels = fromArray([3], [2, 0, 3])
    const hot = fromArray([3, 4], [0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1])
    for (const make of [() => new MSE(), () => new SigmoidWithLoss()]) {
      const a = make()
      const b = make()
      expect(a.forward(x, labels), a.type).toBeCloseTo(b.forward(x, hot), 7)
      expect(Array.from(a.backward(5).data), a.type).toEqual(Array.from(b.backward(5).data))
      // the second batch reuses the one-hot rows: the first batch's labels must not linger
      const again = fromArray([3], [1, 1, 1])
      expect(a.forward(x, again), a.type).toBeCloseTo(b.forward(x, fromArray([3, 4], [0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0])), 7)
      expect(lossGradError(make(), x, labels), a.type).toBeLessThan(1e-3)
    }
  })

  it('refuse a label the output has no value for, and targets that fit neither, naming the layer', () => {
    expect(() => new MSE('mse1').forward(tensor([2, 4]), fromArray([2], [1, 4]))).toThrow('MSE "mse1": target 1 is 4, not a class index in 0…3')
    expect(() => new SigmoidWithLoss('s1').forward(tensor([2, 4]), fromArray([2], [0.5, 1]))).toThrow('SigmoidWithLoss "s1": target 0 is 0.5')
    expect(() => new MSE('mse1').forward(tensor([2, 4]), tensor([3]))).toThrow('MSE "mse1": targets (3) fit neither (2) class indices nor the output (2, 4)')
  })
})

describe('SigmoidWithLoss', () => {
  it('gives the binary cross-entropy of the logistic-regression example', () => {
    // a = sigmoid(0) = 0.5: L = −log 0.5 whatever the label
    const s = new SigmoidWithLoss()
    expect(s.forward(fromArray([2, 1], [0, 0]), fromArray([2], [1, 0]))).toBeCloseTo(Math.log(2), 7)
    // dL/dz = −(y − a), averaged over the batch
    expectClose(s.backward().data, [-0.25, 0.25], 1e-7)
  })

  it('stays finite for huge scores and matches central differences', () => {
    const s = new SigmoidWithLoss()
    expect(Number.isFinite(s.forward(fromArray([1, 2], [200, -200]), fromArray([1, 2], [0, 1])))).toBe(true)
    const rng = new Rng(3)
    const t = tensor([3, 4])
    for (let i = 0; i < t.data.length; i++) t.data[i] = rng.next()
    expect(lossGradError(new SigmoidWithLoss(), randn(rng, [3, 4]), t)).toBeLessThan(1e-3)
  })
})

describe('backward(batch): a slice of a larger batch (data-parallel threads)', () => {
  it('each loss averages over `batch` examples: the slice\'s gradient is n/batch of its own mean\'s', () => {
    const rng = new Rng(2)
    const x = randn(rng, [3, 4])
    const probs = tensor([3, 4])
    for (let i = 0; i < probs.data.length; i++) probs.data[i] = rng.next()
    const cases: [LossLayer, ReturnType<typeof tensor>, ReturnType<typeof tensor>][] = [
      [new SoftmaxWithLoss(), x, fromArray([3], [1, 0, 3])],
      [new SoftmaxWithLoss(), x, probs],
      [new MSE(), x, probs],
      [new SigmoidWithLoss(), x, probs],
      [new TimeSoftmaxWithLoss(), tensor([3, 2, 2], x.data), fromArray([3, 2], [0, 1, 1, 1, 0, 0])]
    ]
    for (const [loss, xs, t] of cases) {
      loss.forward(xs, t)
      const own = Float64Array.from(loss.backward().data)
      const whole = loss.backward(7).data
      own.forEach((g, i) => expect(whole[i], `${loss.type} ${i}`).toBeCloseTo((g * 3) / 7, 7))
      expect(Array.from(loss.backward(3).data), loss.type).toEqual(Array.from(own, Math.fround))
    }
  })
})
