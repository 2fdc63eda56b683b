/** Shapes, parameter shapes, multiply-adds and formulas of the layers the golden file does not cover. */
import { describe, expect, it } from 'vitest'
import { unitsOf, validateSpec } from '../../../src-engine/spec'
import type { LayerSpec } from '../../../src-engine/spec-types'
import { only } from './helpers'

const img = (input: number[], ...layers: LayerSpec[]) => validateSpec({ input, task: 'reconstruct', layers: [...layers, { type: 'MSE' }] })

describe('shape inference', () => {
  it('transposed convolution: (H − 1)·S − 2P + K, W stored (C_in, C_out, K, K)', () => {
    const r = img([8, 7, 7], { type: 'Deconvolution', filters: 4, kernel: 2, stride: 2 }, { type: 'Convolution', filters: 1, kernel: 1 },
      { type: 'Flatten' }, { type: 'Affine', units: 8 * 7 * 7 }, { type: 'Reshape', shape: [8, 7, 7] })
    expect(r.layers[0].outShape).toEqual([4, 14, 14])
    expect(r.layers[0].formula).toBe('(7 − 1)·2 − 2·0 + 2 = 14')
    expect(r.layers[0].paramShapes).toEqual({ W: [8, 4, 2, 2], b: [4] })
    expect(r.layers[0].macs).toBe(8 * 7 * 7 * 4 * 2 * 2)
    expect(r.ok).toBe(true)
  })

  it('a transposed convolution whose pad eats the whole output is an error on its pad', () => {
    const r = img([1, 2, 2], { type: 'Deconvolution', filters: 1, kernel: 1, stride: 1, pad: 2 })
    const e = only(r, 'deconv-size-not-positive')
    expect(e.field).toBe('pad')
    expect(e.message).toBe('deconv1: (2 − 1)·1 − 2·2 + 1 = -2 leaves no output; use a smaller pad (at most 0)')
  })

  it('upsampling multiplies height and width and keeps channels', () => {
    const r = img([1, 28, 28], { type: 'Pooling', size: 2, stride: 2 }, { type: 'Upsample', scale: 2 })
    expect(r.layers.map((l) => l.outShape)).toEqual([[1, 14, 14], [1, 28, 28], [1, 28, 28]])
    expect(r.layers[1].formula).toBe('14 · 2 = 28')
  })

  it('recurrent layers: (T, D) → (T, H), LastTimeStep → (H), TimeAffine → (T, M), with their multiply-adds', () => {
    const r = validateSpec({ input: [10, 6], layers: [{ type: 'TimeLSTM', hidden: 4 }, { type: 'TimeRNN', hidden: 3 },
      { type: 'TimeAffine', units: 5 }, { type: 'LastTimeStep' }, { type: 'SoftmaxWithLoss' }] })
    expect(r.layers.map((l) => l.outShape)).toEqual([[10, 4], [10, 3], [10, 5], [5], [5]])
    expect(r.layers[0].macs).toBe(10 * (6 + 4) * 16)
    expect(r.layers[1].paramShapes).toEqual({ Wx: [4, 3], Wh: [3, 3], b: [3] })
    expect(r.layers[1].macs).toBe(10 * (4 + 3) * 3)
    expect(r.layers[2].paramShapes).toEqual({ W: [3, 5], b: [5] })
    expect(r.totalParams).toBe(6 * 16 + 4 * 16 + 16 + 4 * 3 + 3 * 3 + 3 + 3 * 5 + 5)
    expect(r.ok).toBe(true)
  })

  it('the receptive field grows through activations and stops at the first Flatten', () => {
    // 31 → 29 → 14 → 7 → 7 (32 gave (30 − 3) / 2 + 1 = 14.5 at the strided conv, an invalid network)
    const r = validateSpec({ input: [1, 31, 31], layers: [
      { type: 'Convolution', filters: 4, kernel: 3 }, { type: 'Relu' }, { type: 'Convolution', filters: 4, kernel: 3, stride: 2 },
      { type: 'Pooling', size: 2 }, { type: 'Convolution', filters: 4, kernel: 3, pad: 1 }, { type: 'Flatten' },
      { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] })
    // r: 3, then 3 + 2·1 = 5 (j → 2), then 5 + 1·2 = 7 (j → 4), then 7 + 2·4 = 15
    expect(r.layers.map((l) => l.receptiveField ?? null)).toEqual([3, null, 5, 7, 15, null, null, null])
    expect(r.ok).toBe(true)
  })

  it('Reshape accepts one -1 and a sequence can be read back as an image', () => {
    const r = validateSpec({ input: [28, 28], layers: [{ type: 'Reshape', shape: [1, -1, 28] }, { type: 'Convolution', filters: 2, kernel: 5 },
      { type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] })
    expect(r.layers[0].outShape).toEqual([1, 28, 28])
    expect(r.layers[1].outShape).toEqual([2, 24, 24])
    expect(r.ok).toBe(true)
  })

  it('leaves shapes unknown after a broken layer instead of guessing', () => {
    const r = validateSpec({ input: [1, 28, 28], layers: [{ type: 'Convolution', filters: 2 }, { type: 'Relu' }, { type: 'Flatten' },
      { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] })
    expect(r.layers.map((l) => l.outShape)).toEqual([null, null, null, null, null])
    expect(r.outputShape).toBeNull()
    expect(r.ok).toBe(false)
  })

  it('unitsOf resolves "vocab" for builders and refuses to guess without one', () => {
    expect(unitsOf({ type: 'TimeAffine', units: 'vocab' }, 65)).toBe(65)
    expect(unitsOf({ type: 'TimeAffine', units: 12 }, 65)).toBe(12)
    expect(() => unitsOf({ type: 'TimeAffine', units: 'vocab' }, undefined)).toThrow(/no vocab yet/)
  })
})
