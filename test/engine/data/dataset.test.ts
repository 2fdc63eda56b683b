import { describe, expect, it } from 'vitest'
import { Rng } from '../../../src-engine/rng'
import {
  allocBatch,
  classCounts,
  datasetFromBytes,
  epochOrder,
  gatherBatch,
  makeBatches,
  stratifiedSplit,
  type Dataset
} from '../../../src-engine/data/dataset'
import { loadBuiltinMnist } from '../../../src-engine/data/files'

/** A tiny dataset whose every pixel encodes its example index, so copies can be traced. */
function tagged(labels: number[], C = 1, H = 2, W = 3): Dataset {
  const per = C * H * W
  const pixels = new Uint8Array(labels.length * per)
  for (let i = 0; i < labels.length; i++) pixels.fill(i % 256, i * per, (i + 1) * per)
  return datasetFromBytes(pixels, Uint8Array.from(labels), [C, H, W], 10)
}

/** Per-class sum of all pixels: equal for a dataset and the union of its split halves. */
function pixelSumByClass(ds: Dataset): number[] {
  const per = ds.shape[0] * ds.shape[1] * ds.shape[2]
  const sums = new Array<number>(ds.classes).fill(0)
  for (let i = 0; i < ds.n; i++) {
    let s = 0
    for (let k = 0; k < per; k++) s += Math.round(ds.images[i * per + k] * 255)
    sums[ds.labels[i]] += s
  }
  return sums
}

describe('stratifiedSplit', () => {
  const mnist = loadBuiltinMnist()

  it('splits the built-in 10,000 digits into exactly 8,000 / 2,000 with every class in proportion', () => {
    const { train, test } = stratifiedSplit(mnist, 0.2, new Rng(1))
    expect(train.n).toBe(8000)
    expect(test.n).toBe(2000)
    const all = classCounts(mnist)
    const tr = classCounts(train)
    const te = classCounts(test)
    for (let c = 0; c < 10; c++) {
      expect(tr[c] + te[c]).toBe(all[c])
      expect(Math.abs(te[c] - all[c] * 0.2)).toBeLessThanOrEqual(1)
    }
  })

  it('puts every example in exactly one half (pixel sums per class are preserved)', () => {
    const { train, test } = stratifiedSplit(mnist, 0.2, new Rng(7))
    const whole = pixelSumByClass(mnist)
    const a = pixelSumByClass(train)
    const b = pixelSumByClass(test)
    whole.forEach((s, c) => expect(a[c] + b[c]).toBe(s))
  })

  it('shuffles: the halves are not grouped by digit', () => {
    const { train } = stratifiedSplit(mnist, 0.2, new Rng(3))
    let changes = 0
    for (let i = 1; i < train.n; i++) if (train.labels[i] !== train.labels[i - 1]) changes++
    expect(changes).toBeGreaterThan(train.n / 2)
  })

  it('gives the same split for the same seed and a different one for another seed', () => {
    const a = stratifiedSplit(mnist, 0.2, new Rng(42)).test
    const b = stratifiedSplit(mnist, 0.2, new Rng(42)).test
    const c = stratifiedSplit(mnist, 0.2, new Rng(43)).test
    // Byte comparison: toEqual on 1.5 million floats takes seconds.
    expect(Buffer.from(a.images.buffer).equals(Buffer.from(b.images.buffer))).toBe(true)
    expect(Buffer.from(a.labels).equals(Buffer.from(b.labels))).toBe(true)
    expect(a.labels).not.toEqual(c.labels)
  })

  it('keeps proportions on an odd-sized toy set and rejects a fraction outside (0, 1)', () => {
    const labels = [...Array(7).fill(0), ...Array(3).fill(1), ...Array(5).fill(2)]
    const { train, test } = stratifiedSplit(tagged(labels), 0.4, new Rng(0))
    expect(test.n).toBe(6)
    expect(train.n).toBe(9)
    expect(classCounts(test).slice(0, 3)).toEqual([3, 1, 2])
    expect(() => stratifiedSplit(tagged(labels), 1, new Rng(0))).toThrow(/between 0 and 1/)
  })
})

describe('batching', () => {
  it('epochOrder is a seeded permutation and makeBatches covers it with a short last batch', () => {
    const order = epochOrder(10, new Rng(5))
    expect([...order].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(order).toEqual(epochOrder(10, new Rng(5)))
    expect(order).not.toEqual(epochOrder(10))
    const batches = makeBatches(order, 4)
    expect(batches.map((b) => b.length)).toEqual([4, 4, 2])
    expect(batches.flatMap((b) => [...b])).toEqual([...order])
    expect(() => makeBatches(order, 0)).toThrow(/positive integer/)
  })

  it('gatherBatch copies the chosen images and labels into preallocated tensors', () => {
    const ds = tagged([3, 1, 4, 1, 5])
    const { x, t } = allocBatch(ds, 2)
    gatherBatch(ds, [4, 2], x, t)
    expect(x.shape).toEqual([2, 1, 2, 3])
    expect(Array.from(x.data)).toEqual([...Array(6).fill(4 / 255), ...Array(6).fill(2 / 255)].map(Math.fround))
    expect(Array.from(t.data)).toEqual([5, 4])
  })

  it('gatherBatch writes one-hot rows when the target tensor is (N, classes)', () => {
    const ds = tagged([3, 1, 4])
    const x = { shape: [2, 1, 2, 3], data: new Float32Array(12) }
    const t = { shape: [2, 10], data: new Float32Array(20).fill(9) }
    gatherBatch(ds, [0, 2], x, t)
    expect(t.data.indexOf(1)).toBe(3)
    expect(t.data.lastIndexOf(1)).toBe(14)
    expect(t.data.reduce((s, v) => s + v, 0)).toBe(2)
  })

  it('gatherBatch refuses tensors of the wrong batch size, naming both shapes', () => {
    const ds = tagged([0, 1, 2])
    const { x, t } = allocBatch(ds, 3)
    expect(() => gatherBatch(ds, [0, 1], x, t)).toThrow('outX is (3, 1, 2, 3) but the batch needs (2, 1, 2, 3)')
    expect(() => gatherBatch(ds, [0, 1, 9], x, t)).toThrow(/index 9 is outside 0..2/)
  })
})
