import { describe, expect, it } from 'vitest'
import { Rng } from '../../../src-engine/rng'
import { tensor } from '../../../src-engine/tensor'
import { Flatten } from '../../../src-engine/layers/flatten'
import { Reshape } from '../../../src-engine/layers/reshape'
import { Dropout, dropoutMask } from '../../../src-engine/layers/dropout'
import { checkLayer, randn } from '../../helpers'

describe('Flatten and Reshape', () => {
  it('Flatten maps (N, C, H, W) to (N, C·H·W) and back', () => {
    const f = new Flatten()
    const x = randn(new Rng(1), [2, 3, 4, 5])
    const out = f.forward(x, true)
    expect(out.shape).toEqual([2, 60])
    expect(out.data).toBe(x.data)
    expect(f.backward(randn(new Rng(2), [2, 60])).shape).toEqual([2, 3, 4, 5])
    expect(f.outShape([3, 4, 5])).toEqual([60])
    checkLayer(new Flatten(), randn(new Rng(3), [2, 3, 2, 1]))
  })

  it('Reshape accepts one −1 and rejects sizes that do not match', () => {
    const r = new Reshape([2, -1], 'reshape1')
    expect(r.forward(tensor([3, 12]), true).shape).toEqual([3, 2, 6])
    expect(r.backward(tensor([3, 2, 6])).shape).toEqual([3, 12])
    expect(() => new Reshape([5, 5], 'reshape2').outShape([12])).toThrow('Reshape "reshape2": cannot reshape (12) (12 values) to (5, 5)')
    expect(() => new Reshape([-1, -1])).toThrow('at most one −1')
  })
})

describe('Dropout', () => {
  it('is the identity in evaluation', () => {
    const x = randn(new Rng(1), [4, 10])
    const d = new Dropout(0.5, new Rng(2))
    expect(d.forward(x, false).data).toEqual(x.data)
    const dout = randn(new Rng(3), [4, 10])
    expect(d.backward(dout).data).toEqual(dout.data)
  })

  it('drops about `rate` of the values in training and scales the rest by 1 / (1 − rate)', () => {
    const x = tensor([100, 100])
    x.data.fill(1)
    const out = new Dropout(0.3, new Rng(4)).forward(x, true)
    let zeros = 0
    for (const v of out.data) {
      if (v === 0) zeros++
      else expect(v).toBeCloseTo(1 / 0.7, 6)
    }
    expect(zeros / out.data.length).toBeGreaterThan(0.28)
    expect(zeros / out.data.length).toBeLessThan(0.32)
  })

  it('sends the gradient through the kept units only, with the same scale', () => {
    const d = new Dropout(0.5, new Rng(5))
    const x = randn(new Rng(6), [3, 7])
    const out = d.forward(x, true)
    const dout = tensor([3, 7])
    dout.data.fill(1)
    const dx = d.backward(dout)
    for (let i = 0; i < x.data.length; i++) expect(dx.data[i]).toBeCloseTo(out.data[i] / x.data[i], 5)
  })

  it('draws the same mask for the same seed', () => {
    const x = tensor([2, 50])
    x.data.fill(1)
    const a = Array.from(new Dropout(0.5, new Rng(9)).forward(x, true).data)
    const b = Array.from(new Dropout(0.5, new Rng(9)).forward(x, true).data)
    expect(a).toEqual(b)
  })

  it('rejects a rate outside [0, 1)', () => {
    expect(() => new Dropout(1, new Rng(1), 'dropout1')).toThrow('Dropout "dropout1": rate must be in [0, 1), got 1')
  })
})

describe('dropoutMask', () => {
  it('draws xoshiro128** words seeded by four words of the layer Rng (the Rng\'s own algorithm)', () => {
    // seeding a second Rng's stream is not possible from outside, so compare against the algorithm written out
    const rng = new Rng(11)
    const seeds = new Rng(11)
    const s = [seeds.nextU32(), seeds.nextU32(), seeds.nextU32(), seeds.nextU32()]
    const rotl = (v: number, k: number): number => ((v << k) | (v >>> (32 - k))) >>> 0
    const words: number[] = []
    for (let i = 0; i < 200; i++) {
      words.push(Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0)
      const t = (s[1] << 9) >>> 0
      s[2] = (s[2] ^ s[0]) >>> 0; s[3] = (s[3] ^ s[1]) >>> 0; s[1] = (s[1] ^ s[2]) >>> 0; s[0] = (s[0] ^ s[3]) >>> 0
      s[2] = (s[2] ^ t) >>> 0; s[3] = rotl(s[3], 11)
    }
    const x = Float32Array.from({ length: 200 }, (_, i) => i + 1)
    const mask = new Float32Array(200), out = new Float32Array(200)
    dropoutMask(mask, out, x, 0.4, rng)
    for (let i = 0; i < 200; i++) {
      const keep = words[i] / 4294967296 >= 0.4
      expect(mask[i], `mask[${i}]`).toBe(keep ? Math.fround(1 / 0.6) : 0)
      expect(out[i], `out[${i}]`).toBe(Math.fround(x[i] * mask[i]))
    }
    expect(rng.nextU32(), 'four words drawn from the Rng').toBe(seeds.nextU32())
  })

  it('gives a different mask on each forward (the layer Rng moves on)', () => {
    const d = new Dropout(0.5, new Rng(3))
    const x = tensor([1, 64])
    x.data.fill(1)
    const a = Array.from(d.forward(x, true).data)
    const b = Array.from(d.forward(x, true).data)
    expect(a).not.toEqual(b)
  })
})
