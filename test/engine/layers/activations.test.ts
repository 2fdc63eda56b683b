import { describe, expect, it } from 'vitest'
import { Rng } from '../../../src-engine/rng'
import { clone, fromArray, tensor } from '../../../src-engine/tensor'
import { Relu } from '../../../src-engine/layers/relu'
import { LeakyRelu } from '../../../src-engine/layers/leaky-relu'
import { Sigmoid } from '../../../src-engine/layers/sigmoid'
import { Tanh } from '../../../src-engine/layers/tanh'
import { checkLayer, expectClose, randn } from '../../helpers'

/** Inputs kept at least 0.05 away from 0, so the Relu kink is never inside ±h. */
function awayFromZero(rng: Rng, shape: number[]) {
  const x = randn(rng, shape)
  for (let i = 0; i < x.data.length; i++) if (Math.abs(x.data[i]) < 0.05) x.data[i] += x.data[i] < 0 ? -0.1 : 0.1
  return x
}

describe('activation layers', () => {
  it('Relu zeroes negatives forward and blocks their gradient', () => {
    const r = new Relu()
    expect(Array.from(r.forward(fromArray([1, 4], [-1, 0, 2, -3]), true).data)).toEqual([0, 0, 2, 0])
    expect(Array.from(r.backward(fromArray([1, 4], [5, 6, 7, 8])).data)).toEqual([0, 0, 7, 0])
  })

  it('LeakyRelu lets alpha of the negative side through', () => {
    const r = new LeakyRelu(0.1)
    expectClose(r.forward(fromArray([1, 3], [-2, 0.5, 3]), true).data, [-0.2, 0.5, 3], 1e-7)
    expectClose(r.backward(fromArray([1, 3], [1, 1, 1])).data, [0.1, 1, 1], 1e-7)
  })

  it('Sigmoid and Tanh give known values and stay finite for huge inputs', () => {
    expectClose(new Sigmoid().forward(fromArray([1, 3], [0, 2, -800]), true).data, [0.5, 0.8807970779778823, 0], 1e-7)
    expectClose(new Tanh().forward(fromArray([1, 2], [0, 1]), true).data, [0, Math.tanh(1)], 1e-7)
  })

  for (const make of [() => new Relu(), () => new LeakyRelu(0.05), () => new Sigmoid(), () => new Tanh()]) {
    it(`${make().type} passes the gradient check on an odd 4-D shape`, () => {
      const rng = new Rng(3)
      checkLayer(make(), awayFromZero(rng, [3, 2, 5, 3]))
    })
  }

  it('throw before forward and never mutate dout', () => {
    for (const layer of [new Relu('r1'), new LeakyRelu(0.01, 'l1'), new Sigmoid('s1'), new Tanh('t1')]) {
      expect(() => layer.backward(tensor([1, 2]))).toThrow(`${layer.type} "${layer.name}": backward() called before forward()`)
      layer.forward(fromArray([1, 2], [-1, 1]), true)
      const dout = fromArray([1, 2], [3, 4])
      layer.backward(dout)
      expect(Array.from(dout.data)).toEqual([3, 4])
      expect(() => layer.backward(tensor([2, 2]))).toThrow('dout has shape (2, 2) but the output was (1, 2)')
    }
  })

  it('keep the caller\'s input intact', () => {
    const x = fromArray([1, 3], [-1, 2, -3])
    const keep = clone(x)
    new Relu().forward(x, true)
    expect(x.data).toEqual(keep.data)
  })
})
