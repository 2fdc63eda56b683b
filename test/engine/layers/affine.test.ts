import { describe, expect, it } from 'vitest'
import { Rng } from '../../../src-engine/rng'
import { fromArray, tensor } from '../../../src-engine/tensor'
import { Affine } from '../../../src-engine/layers/affine'
import { checkLayer, randn } from '../../helpers'

describe('Affine', () => {
  it('computes x·W + b', () => {
    const layer = new Affine(fromArray([2, 3], [1, 2, 3, 4, 5, 6]), fromArray([3], [0.5, -1, 2]))
    const out = layer.forward(fromArray([2, 2], [1, 0, -1, 2]), false)
    expect(Array.from(out.data)).toEqual([1.5, 1, 5, 7.5, 7, 11])
  })

  it('flattens (N, C, H, W) input and returns dx in the original shape', () => {
    const rng = new Rng(1)
    const layer = new Affine(randn(rng, [2 * 3 * 3, 5]), randn(rng, [5]), 'affine1')
    const x = randn(rng, [3, 2, 3, 3])
    expect(layer.forward(x, true).shape).toEqual([3, 5])
    expect(layer.backward(randn(rng, [3, 5])).shape).toEqual([3, 2, 3, 3])
    checkLayer(layer, x)
  })

  it('passes the gradient check on odd sizes, with and without bias', () => {
    const rng = new Rng(2)
    checkLayer(new Affine(randn(rng, [7, 5]), randn(rng, [5])), randn(rng, [3, 7]))
    const noBias = new Affine(randn(rng, [5, 3]), null)
    expect(noBias.paramNames).toEqual(['W'])
    checkLayer(noBias, randn(rng, [4, 5]))
  })

  it('names the layer when the input size does not match W', () => {
    const layer = new Affine(tensor([10, 2]), tensor([2]), 'affine2')
    expect(() => layer.forward(tensor([1, 3, 2, 2]), true)).toThrow('Affine "affine2": input (3, 2, 2) has 12 features but W expects 10')
  })
})
