import { describe, expect, it } from 'vitest'
import golden from '../../fixtures/golden.json'
import { Rng } from '../../../src-engine/rng'
import { fromArray, tensor } from '../../../src-engine/tensor'
import { Pooling } from '../../../src-engine/layers/pooling'
import { checkLayer, randn } from '../../helpers'

describe('Pooling', () => {
  it('max-pools the golden example as a layer, per channel', () => {
    const g = golden.max_pool_2x2_stride2
    const img = g.input_hw.flat()
    const x = fromArray([1, 2, 4, 4], [...img, ...img.map((v) => -v)])
    const out = new Pooling(2, 2, 2, 0, 'max', 'pool1').forward(x, false)
    expect(out.shape).toEqual([1, 2, 2, 2])
    expect(Array.from(out.data.subarray(0, 4))).toEqual(g.output.flat())
    // the negated channel's maxima are minus the window minima, all 0 here
    expect(Array.from(out.data.subarray(4), (v) => v + 0)).toEqual([0, 0, 0, 0])
  })

  it('routes the max-pool gradient to the winners only', () => {
    const x = fromArray([1, 1, 2, 2], [1, 5, 3, 2])
    const pool = new Pooling(2, 2, 2, 0, 'max')
    pool.forward(x, true)
    expect(Array.from(pool.backward(fromArray([1, 1, 1, 1], [7])).data)).toEqual([0, 7, 0, 0])
  })

  for (const mode of ['max', 'avg'] as const) {
    for (const [size, stride, pad] of [[3, 2, 1], [2, 2, 1], [3, 1, 1], [2, 1, 0], [3, 3, 0]]) {
      it(`passes the ${mode} gradient check with window ${size}, stride ${stride}, pad ${pad} on odd sizes`, () => {
        const rng = new Rng(size * 100 + stride * 10 + pad)
        const fits = (n: number): boolean => (n + 2 * pad - size) % stride === 0
        const H = [7, 9, 8, 10].find(fits) as number
        const W = [9, 5, 6, 8].find(fits) as number
        // distinct values at least 0.01 apart, so no max window has a near-tie that h could flip
        const x = tensor([2, 3, H, W])
        for (let i = 0; i < x.data.length; i++) x.data[i] = (i - x.data.length / 2) * 0.01
        rng.shuffle(x.data)
        checkLayer(new Pooling(size, size, stride, pad, mode), mode === 'max' ? x : randn(rng, x.shape))
      })
    }
  }

  it('names the layer when the window does not tile the input', () => {
    expect(() => new Pooling(3, 3, 3, 0, 'max', 'pool2').forward(tensor([1, 1, 7, 7]), true)).toThrow(/Pooling "pool2": output height .* not an integer/)
  })
})

describe('Pooling padding limits', () => {
  it('accepts a pad up to one less than the window and rejects a window that could be all padding', () => {
    expect(new Pooling(3, 3, 1, 2, 'max').forward(tensor([1, 1, 2, 2]), false).shape).toEqual([1, 1, 4, 4])
    expect(() => new Pooling(2, 2, 2, 2, 'max', 'pool3')).toThrow('Pooling "pool3": pad 2 must be smaller than the window 2×2')
  })
})

describe('Pooling settings', () => {
  it('rejects an unknown mode instead of silently averaging', () => {
    expect(() => new Pooling(2, 2, 2, 0, 'min' as 'max', 'pool4')).toThrow('Pooling "pool4": mode must be "max" or "avg", got "min"')
  })
})
