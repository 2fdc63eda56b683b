import { describe, expect, it } from 'vitest'
import { withExtra } from '../../../src-engine/train/extra-examples'
import type { Dataset } from '../../../src-engine/data/dataset'
import type { TrainData } from '../../../src-engine/train/data'

function digits(n: number): Dataset {
  return { images: new Float32Array(n * 784).fill(0.5), labels: Uint8Array.from({ length: n }, (_, i) => i % 10), n, shape: [1, 28, 28], classes: 10 }
}

describe('the learner\'s drawings as extra training examples', () => {
  const data: TrainData = { train: digits(3), test: digits(2), description: 'built-in digits: 3 training, 2 held-out' }

  it('are appended to the training set, never to the held-out set', () => {
    const out = withExtra(data, { images: new Array(2 * 784).fill(1), labels: [7, 3] })
    const train = out.train as Dataset
    expect(train.n).toBe(5)
    expect(Array.from(train.labels)).toEqual([0, 1, 2, 7, 3])
    expect(train.images[3 * 784]).toBe(1)
    expect(train.images[3 * 784 - 1]).toBe(0.5)
    expect(out.test).toBe(data.test)
    expect(out.description).toContain('2 of your drawings')
  })

  it('leave the data alone when there are none', () => {
    expect(withExtra(data, undefined)).toBe(data)
    expect(withExtra(data, { images: [], labels: [] })).toBe(data)
  })

  it('are refused, with the reason, for data of another shape or with a wrong label', () => {
    const rgb: TrainData = { ...data, train: { ...digits(1), shape: [3, 28, 28], images: new Float32Array(3 * 784) } }
    expect(() => withExtra(rgb, { images: new Array(784).fill(0), labels: [1] })).toThrow(/28×28 digits/)
    expect(() => withExtra(data, { images: new Array(784).fill(0), labels: [12] })).toThrow(/label 12/)
    expect(() => withExtra(data, { images: new Array(700).fill(0), labels: [1] })).toThrow(/784/)
  })
})
