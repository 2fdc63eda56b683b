import { describe, expect, it } from 'vitest'
import { Rng } from '../../../src-engine/rng'
import { tensor } from '../../../src-engine/tensor'
import { BatchNormalization } from '../../../src-engine/layers/batch-normalization'
import { checkLayer, expectClose, randn } from '../../helpers'

describe('BatchNormalization', () => {
  it('normalises each channel of (N, C, H, W) to mean 0 and variance 1 in training', () => {
    const rng = new Rng(1)
    const x = randn(rng, [4, 3, 5, 5], 3)
    for (let i = 0; i < x.data.length; i++) x.data[i] += 10
    const bn = new BatchNormalization(3)
    const out = bn.forward(x, true)
    for (let c = 0; c < 3; c++) {
      let s = 0
      let s2 = 0
      for (let n = 0; n < 4; n++) for (let i = 0; i < 25; i++) {
        const v = out.data[(n * 3 + c) * 25 + i]
        s += v
        s2 += v * v
      }
      expect(Math.abs(s / 100)).toBeLessThan(1e-5)
      expect(s2 / 100).toBeCloseTo(1, 3)
    }
  })

  it('normalises per feature after an Affine, and updates the running statistics with momentum', () => {
    const x = tensor([2, 2], Float32Array.from([1, 10, 3, 30]))
    const bn = new BatchNormalization(2, 0.9, 1e-5, 'bn1')
    bn.forward(x, true)
    expectClose(bn.buffers[0].tensor.data, [0.1 * 2, 0.1 * 20], 1e-6)
    expectClose(bn.buffers[1].tensor.data, [0.9 + 0.1 * 1, 0.9 + 0.1 * 100], 1e-5)
    expect(bn.buffers.map((b) => b.name)).toEqual(['running_mean', 'running_var'])
  })

  it('uses the running statistics in evaluation', () => {
    const bn = new BatchNormalization(1, 0.9, 0)
    bn.buffers[0].tensor.data[0] = 2
    bn.buffers[1].tensor.data[0] = 4
    bn.params[0].data[0] = 3
    bn.params[1].data[0] = 1
    expectClose(bn.forward(tensor([1, 1], Float32Array.from([6])), false).data, [3 * (6 - 2) / 2 + 1], 1e-6)
  })

  it('passes the gradient check per channel (4-D) and per feature (2-D) in training', () => {
    const rng = new Rng(2)
    const bn4 = new BatchNormalization(3)
    bn4.params[0].data.set([0.5, 1.5, -1])
    bn4.params[1].data.set([0.1, -0.2, 0.3])
    checkLayer(bn4, randn(rng, [3, 3, 3, 5]))
    const bn2 = new BatchNormalization(5)
    bn2.params[0].data.set([1, 2, 0.5, -1, 0.3])
    checkLayer(bn2, randn(rng, [4, 5]))
  })

  it('passes the gradient check in evaluation mode', () => {
    const rng = new Rng(3)
    const bn = new BatchNormalization(2)
    bn.buffers[0].tensor.data.set([0.3, -0.2])
    bn.buffers[1].tensor.data.set([2, 0.5])
    checkLayer(bn, randn(rng, [2, 2, 3, 3]), { train: false })
  })

  it('names the layer when the channel count is wrong', () => {
    expect(() => new BatchNormalization(3, 0.9, 1e-5, 'bn2').forward(tensor([1, 4, 2, 2]), true))
      .toThrow('BatchNormalization "bn2": expects (3) or (3, H, W) per example but got (4, 2, 2)')
  })
})

describe('BatchNormalization on other ranks', () => {
  it('normalises a sequence (N, T, D) over its T axis, like ONNX, and gradient-checks', () => {
    const rng = new Rng(9)
    const bn = new BatchNormalization(4)
    expect(bn.outShape([4, 3])).toEqual([4, 3])
    bn.params[0].data.set([1, 0.5, 2, -1])
    checkLayer(bn, randn(rng, [3, 4, 3]))
  })
})
