import { describe, expect, it } from 'vitest'
import { Rng } from '../../../src-engine/rng'
import { fromArray, tensor } from '../../../src-engine/tensor'
import { Upsample } from '../../../src-engine/layers/upsample'
import { Deconvolution } from '../../../src-engine/layers/deconvolution'
import { Convolution } from '../../../src-engine/layers/convolution'
import { buildNetwork } from '../../../src-engine/layers/build'
import { checkLayer, expectClose, randn } from '../../helpers'

describe('Upsample', () => {
  const x = fromArray([1, 1, 2, 2], [1, 2, 3, 4])

  it('nearest copies each pixel into an s×s block', () => {
    const out = new Upsample(2, 'nearest').forward(x, false)
    expect(out.shape).toEqual([1, 1, 4, 4])
    expect(Array.from(out.data)).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4])
  })

  it('bilinear matches the half-pixel convention (PyTorch align_corners=False)', () => {
    const out = new Upsample(2, 'bilinear').forward(x, false)
    expectClose(out.data, [1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4], 1e-6)
  })

  for (const mode of ['nearest', 'bilinear'] as const) {
    for (const s of [2, 3]) {
      it(`${mode} ×${s} passes the gradient check on an odd shape`, () => {
        checkLayer(new Upsample(s, mode), randn(new Rng(s), [2, 3, 3, 5]))
      })
    }
  }

  it('rejects a non-integer scale, naming the layer', () => {
    expect(() => new Upsample(1.5, 'nearest', 'up1')).toThrow('Upsample "up1": scale must be a whole number ≥ 1, got 1.5')
  })
})

/** Direct definition: every input pixel stamps W[c, f] scaled by its value at (y·S − P, x·S − P). */
function deconvNaive(x: Float32Array, w: Float32Array, b: Float32Array | null, N: number, C: number, H: number, W: number,
  FN: number, F: number, S: number, P: number): Float32Array {
  const OH = (H - 1) * S - 2 * P + F
  const OW = (W - 1) * S - 2 * P + F
  const out = new Float32Array(N * FN * OH * OW)
  for (let n = 0; n < N; n++) for (let f = 0; f < FN; f++) {
    for (let i = 0; i < OH * OW; i++) out[(n * FN + f) * OH * OW + i] = b === null ? 0 : b[f]
    for (let c = 0; c < C; c++) for (let y = 0; y < H; y++) for (let xx = 0; xx < W; xx++) for (let ky = 0; ky < F; ky++) for (let kx = 0; kx < F; kx++) {
      const oy = y * S - P + ky
      const ox = xx * S - P + kx
      if (oy < 0 || oy >= OH || ox < 0 || ox >= OW) continue
      out[((n * FN + f) * OH + oy) * OW + ox] += x[((n * C + c) * H + y) * W + xx] * w[((c * FN + f) * F + ky) * F + kx]
    }
  }
  return out
}

describe('Deconvolution', () => {
  const cases = [[2, 3, 3, 4, 2, 3, 1, 0], [1, 2, 4, 3, 3, 3, 2, 1], [2, 1, 3, 3, 2, 4, 2, 1], [1, 3, 2, 5, 2, 5, 2, 2]]

  it('has output size (H − 1)·S − 2P + FH and matches the direct stamping definition', () => {
    const rng = new Rng(1)
    for (const [N, C, H, W, FN, F, S, P] of cases) {
      const x = randn(rng, [N, C, H, W])
      const w = randn(rng, [C, FN, F, F])
      const b = randn(rng, [FN])
      const out = new Deconvolution(w, b, S, P).forward(x, false)
      expect(out.shape).toEqual([N, FN, (H - 1) * S - 2 * P + F, (W - 1) * S - 2 * P + F])
      expectClose(out.data, deconvNaive(x.data, w.data, b.data, N, C, H, W, FN, F, S, P), 1e-5)
    }
  })

  it('is the adjoint of Convolution with the same weights: <deconv(x), y> = <x, conv(y)>', () => {
    const rng = new Rng(2)
    const w = randn(rng, [3, 2, 3, 3])
    const x = randn(rng, [1, 3, 4, 4])
    const deconv = new Deconvolution(w, null, 2, 1).forward(x, false)
    const y = randn(rng, deconv.shape)
    const conv = new Convolution(w, null, 2, 1).forward(y, false)
    let lhs = 0
    let rhs = 0
    for (let i = 0; i < y.data.length; i++) lhs += deconv.data[i] * y.data[i]
    for (let i = 0; i < x.data.length; i++) rhs += x.data[i] * conv.data[i]
    expect(Math.abs(lhs - rhs)).toBeLessThan(1e-3 * Math.max(1, Math.abs(lhs)))
  })

  for (const [stride, pad] of [[1, 1], [2, 2], [2, 1], [1, 0]]) {
    it(`passes the gradient check for x, W and b with stride ${stride} and pad ${pad}`, () => {
      const rng = new Rng(10 + stride * 3 + pad)
      checkLayer(new Deconvolution(randn(rng, [2, 3, 3, 3], 0.5), randn(rng, [3], 0.1), stride, pad, 'deconv1'), randn(rng, [2, 2, 3, 5]))
    })
  }

  it('names the layer when the channels do not match or the pad leaves nothing', () => {
    expect(() => new Deconvolution(tensor([2, 1, 3, 3]), null, 1, 0, 'deconv2').forward(tensor([1, 3, 4, 4]), true))
      .toThrow('Deconvolution "deconv2": input has 3 channels but W expects 2')
    expect(() => new Deconvolution(tensor([1, 1, 2, 2]), null, 1, 2, 'deconv3').outShape([1, 1, 1])).toThrow('Deconvolution "deconv3": output size')
  })

  it('builds from a spec into a small conv autoencoder that restores the input size', () => {
    const { layers, loss } = buildNetwork({
      input: [1, 28, 28],
      layers: [
        { type: 'Convolution', filters: 8, kernel: 4, stride: 2, pad: 1 }, { type: 'Relu' },
        { type: 'Deconvolution', filters: 4, kernel: 2, stride: 2 }, { type: 'Relu' },
        { type: 'Convolution', filters: 4, kernel: 3, pad: 1 }, { type: 'Pooling', size: 2 },
        { type: 'Upsample', scale: 2, mode: 'bilinear' }, { type: 'Convolution', filters: 1, kernel: 3, pad: 1 },
        { type: 'SigmoidWithLoss' }
      ]
    }, new Rng(3))
    let x = randn(new Rng(4), [2, 1, 28, 28])
    for (const l of layers) x = l.forward(x, true)
    expect(x.shape).toEqual([2, 1, 28, 28])
    expect(layers[2].params[0].shape).toEqual([8, 4, 2, 2])
    expect(loss?.type).toBe('SigmoidWithLoss')
  })
})
