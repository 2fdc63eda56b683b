import { describe, expect, it } from 'vitest'
import golden from '../../fixtures/golden.json'
import { avgPoolForward, maxPoolForward, maxPoolInside, maxPoolPadded } from '../../../src-engine/kernels/pooling'

function maxPool(img: number[][], k: number, s: number, pad = 0): number[][] {
  const H = img.length
  const W = img[0].length
  const OH = Math.floor((H + 2 * pad - k) / s) + 1
  const OW = Math.floor((W + 2 * pad - k) / s) + 1
  const out = new Float32Array(OH * OW)
  maxPoolForward(out, new Int32Array(OH * OW), Float32Array.from(img.flat()), 1, 1, H, W, k, k, s, pad, OH, OW)
  return Array.from({ length: OH }, (_, i) => Array.from(out.subarray(i * OW, (i + 1) * OW)))
}

describe('pooling kernels', () => {
  it('max-pools the golden 4×4 example with a 2×2 window and stride 2', () => {
    expect(maxPool(golden.max_pool_2x2_stride2.input_hw, 2, 2)).toEqual(golden.max_pool_2x2_stride2.output)
  })

  it('gives the same 3×3/stride-3 max pool for an image and its one-pixel shift (golden)', () => {
    const g = golden.max_pool_robust_to_shift
    expect(maxPool(g.input_a, g.window, g.stride)).toEqual(g.output_both)
    expect(maxPool(g.input_b_shifted_right_by_one, g.window, g.stride)).toEqual(g.output_both)
  })

  it('never lets a padded cell win a max window, even when every value is negative', () => {
    expect(maxPool([[-1, -2], [-3, -4]], 2, 1, 1)).toEqual([[-1, -1, -2], [-1, -1, -2], [-3, -3, -4]])
  })

  it('average pooling divides by the full window, counting padding as zeros', () => {
    const out = new Float32Array(4)
    avgPoolForward(out, Float32Array.from([1, 2, 3, 4]), 1, 1, 2, 2, 2, 2, 2, 1, 2, 2)
    expect(Array.from(out)).toEqual([0.25, 0.5, 0.75, 1])
  })
})

describe('max pooling paths', () => {
  it('the unpadded fast path and the general path agree (values and winners)', () => {
    let seed = 1
    const rand = (): number => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 4294967296) - 0.5
    const [N, C, H, W] = [2, 3, 9, 8]
    const x = Float32Array.from({ length: N * C * H * W }, rand)
    for (const [k, s] of [[2, 2], [3, 3], [3, 2], [2, 1]]) {
      const OH = Math.floor((H - k) / s) + 1
      const OW = Math.floor((W - k) / s) + 1
      const fast = new Float32Array(N * C * OH * OW)
      const fastAt = new Int32Array(fast.length)
      maxPoolInside(fast, fastAt, x, N * C, H, W, k, k, s, OH, OW)
      const general = new Float32Array(fast.length)
      const generalAt = new Int32Array(fast.length)
      maxPoolPadded(general, generalAt, x, N, C, H, W, k, k, s, 0, OH, OW)
      expect(Array.from(fast)).toEqual(Array.from(general))
      expect(Array.from(fastAt)).toEqual(Array.from(generalAt))
    }
  })
})
