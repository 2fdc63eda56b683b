import { describe, expect, it } from 'vitest'
import golden from '../../fixtures/golden.json'
import { Rng } from '../../../src-engine/rng'
import { fromArray, tensor, clone } from '../../../src-engine/tensor'
import { Convolution } from '../../../src-engine/layers/convolution'
import { convNaive } from '../../../src-engine/kernels/conv-naive'
import { convOutSize } from '../../../src-engine/kernels/conv-geometry'
import { checkLayer, expectClose, randn } from '../../helpers'

describe('Convolution', () => {
  const g = golden.conv2d_single_channel
  const x = fromArray([1, 1, 4, 4], g.input_hw.flat())
  const W = fromArray([1, 1, 3, 3], g.filter_hw.flat())

  it('computes the golden example without a bias (no filter flip)', () => {
    const conv = new Convolution(W, null, g.stride, g.pad, 'conv1')
    expect(Array.from(conv.forward(x, false).data)).toEqual(g.output_without_bias.flat())
  })

  it('computes the golden example with a bias of 3', () => {
    const conv = new Convolution(W, fromArray([1], [g.bias]), g.stride, g.pad, 'conv1')
    const out = conv.forward(x, false)
    expect(out.shape).toEqual([1, 1, 2, 2])
    expect(Array.from(out.data)).toEqual(g.output_with_bias.flat())
  })

  it('agrees with the direct-loop convolution on odd shapes, strides and pads', () => {
    const rng = new Rng(11)
    for (const [N, C, H, Wd, FN, F, S, P] of [[2, 3, 7, 9, 4, 3, 1, 1], [3, 2, 9, 7, 5, 3, 2, 2], [1, 5, 6, 6, 3, 4, 2, 1], [2, 1, 5, 5, 2, 5, 1, 2]]) {
      const xx = randn(rng, [N, C, H, Wd])
      const w = randn(rng, [FN, C, F, F])
      const b = randn(rng, [FN])
      const OH = convOutSize(H, F, S, P).size
      const OW = convOutSize(Wd, F, S, P).size
      const ref = new Float32Array(N * FN * OH * OW)
      convNaive(ref, xx.data, w.data, b.data, N, C, H, Wd, FN, F, F, S, P, OH, OW)
      const out = new Convolution(w, b, S, P).forward(xx, true)
      expect(out.shape).toEqual([N, FN, OH, OW])
      expectClose(out.data, ref, 1e-4)
    }
  })

  for (const [stride, pad] of [[1, 1], [2, 2], [2, 1], [1, 2]]) {
    it(`passes the gradient check for x, W and b with stride ${stride} and pad ${pad} on odd sizes`, () => {
      const rng = new Rng(100 + stride * 10 + pad)
      const H = stride === 2 ? 7 : 5
      const conv = new Convolution(randn(rng, [3, 2, 3, 3], 0.5), randn(rng, [3], 0.1), stride, pad, 'conv1')
      checkLayer(conv, randn(rng, [2, 2, H, H]))
    })
  }

  it('passes the gradient check with a non-square filter and no bias', () => {
    const rng = new Rng(5)
    checkLayer(new Convolution(randn(rng, [2, 3, 2, 3], 0.5), null, 1, 1), randn(rng, [3, 3, 4, 5]))
  })

  it('names the layer and the values when channels do not match', () => {
    const conv = new Convolution(tensor([4, 1, 3, 3]), tensor([4]), 1, 0, 'conv2')
    expect(() => conv.forward(tensor([1, 3, 5, 5]), true)).toThrow('Convolution "conv2": input has 3 channels but W expects 1')
  })

  it('refuses a stride that does not divide the padded size instead of flooring', () => {
    const conv = new Convolution(tensor([1, 1, 3, 3]), null, 3, 0, 'conv2')
    expect(() => conv.forward(tensor([1, 1, 7, 7]), true)).toThrow(/conv2.*not an integer/)
  })

  it('throws if backward runs before forward, and never mutates dout', () => {
    const rng = new Rng(6)
    const conv = new Convolution(randn(rng, [2, 1, 3, 3]), randn(rng, [2]), 1, 1, 'c')
    expect(() => conv.backward(tensor([1, 2, 4, 4]))).toThrow('Convolution "c": backward() called before forward()')
    const out = conv.forward(randn(rng, [1, 1, 4, 4]), true)
    const dout = randn(rng, out.shape)
    const copy = clone(dout)
    conv.backward(dout)
    expect(dout.data).toEqual(copy.data)
  })

  it('reuses its output buffer for the same batch shape and reallocates for a new one', () => {
    const rng = new Rng(8)
    const conv = new Convolution(randn(rng, [2, 1, 3, 3]), null, 1, 0)
    const a = conv.forward(randn(rng, [2, 1, 5, 5]), false)
    const b = conv.forward(randn(rng, [2, 1, 5, 5]), false)
    const c = conv.forward(randn(rng, [3, 1, 5, 5]), false)
    expect(b).toBe(a)
    expect(c).not.toBe(a)
    expect(c.shape).toEqual([3, 2, 3, 3])
  })
})

describe('Convolution without an input gradient', () => {
  it('computes the same dW and db, and returns a zero dx, when needsDx is false', () => {
    const rng = new Rng(21)
    const W = randn(rng, [3, 2, 3, 3])
    const b = randn(rng, [3])
    const x = randn(rng, [2, 2, 6, 6])
    const full = new Convolution(W, b, 1, 1)
    const lean = new Convolution(W, b, 1, 1)
    lean.needsDx = false
    const dout = randn(rng, full.forward(x, true).shape)
    lean.forward(x, true)
    const dxFull = full.backward(dout)
    const dxLean = lean.backward(dout)
    expect(dxFull.data.some((v) => v !== 0)).toBe(true)
    expect(dxLean.data.every((v) => v === 0)).toBe(true)
    expectClose(lean.grads[0].data, full.grads[0].data, 1e-6)
    expectClose(lean.grads[1].data, full.grads[1].data, 1e-6)
  })
})
