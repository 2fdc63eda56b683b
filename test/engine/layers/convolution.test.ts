import { describe, expect, it } from 'vitest'
import golden from '../../fixtures/golden.json'
import { Rng } from '../../../src-engine/rng'
import { fromArray, tensor, clone } from '../../../src-engine/tensor'
import { Convolution, subBatch } from '../../../src-engine/layers/convolution'
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

describe('Convolution in sub-batches', () => {
  it('gives the forward, dW, db and dx of one image at a time when the batch is run in sub-batches', () => {
    const rng = new Rng(31)
    const [N, C, H, Wd, FN, F, S, P] = [5, 2, 30, 29, 24, 3, 1, 1]
    const OH = convOutSize(H, F, S, P).size
    const OW = convOutSize(Wd, F, S, P).size
    const sub = subBatch(N, FN, C * F * F, OH * OW)
    // the shape must really be cut, with a shorter last sub-batch
    expect(sub).toBeGreaterThan(1)
    expect(sub).toBeLessThan(N)
    expect(N % sub).not.toBe(0)
    const W = randn(rng, [FN, C, F, F], 0.3)
    const b = randn(rng, [FN], 0.1)
    const x = randn(rng, [N, C, H, Wd])
    const conv = new Convolution(W, b, S, P)
    const out = conv.forward(x, true)
    const ref = new Float32Array(N * FN * OH * OW)
    convNaive(ref, x.data, W.data, b.data, N, C, H, Wd, FN, F, F, S, P, OH, OW)
    expectClose(out.data, ref, 1e-4)
    const dout = randn(rng, out.shape)
    const dx = conv.backward(dout)
    const per = C * H * Wd
    const outPer = FN * OH * OW
    const dW = new Float32Array(W.data.length)
    const db = new Float32Array(FN)
    for (let n = 0; n < N; n++) {
      const one = new Convolution(W, b, S, P)
      one.forward(tensor([1, C, H, Wd], x.data.slice(n * per, (n + 1) * per)), true)
      const dxn = one.backward(tensor([1, FN, OH, OW], dout.data.slice(n * outPer, (n + 1) * outPer)))
      expectClose(dx.data.subarray(n * per, (n + 1) * per), dxn.data, 1e-5)
      one.grads[0].data.forEach((v, i) => { dW[i] += v })
      one.grads[1].data.forEach((v, i) => { db[i] += v })
    }
    expectClose(conv.grads[0].data, dW, 1e-4)
    expectClose(conv.grads[1].data, db, 1e-4)
  })
})
