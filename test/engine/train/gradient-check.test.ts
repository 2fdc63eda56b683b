import { describe, expect, it } from 'vitest'
import { Rng } from '../../../src-engine/rng'
import { tensor, type Tensor } from '../../../src-engine/tensor'
import type { Layer } from '../../../src-engine/layers/layer'
import { Affine } from '../../../src-engine/layers/affine'
import { checkLayerGradients, compareGradients, numericalGradient } from '../../../src-engine/train/gradient-check'
import { randn } from '../../helpers'

/** Affine whose backward forgets the bias gradient and halves dx: a checker must catch both. */
class BrokenAffine implements Layer {
  readonly type = 'Affine'
  readonly name = 'broken'
  private readonly inner: Affine
  constructor(W: Tensor, b: Tensor) { this.inner = new Affine(W, b) }
  get params() { return this.inner.params }
  get grads() { return this.inner.grads }
  get paramNames() { return this.inner.paramNames }
  forward(x: Tensor, train: boolean): Tensor { return this.inner.forward(x, train) }
  backward(dout: Tensor): Tensor {
    const dx = this.inner.backward(dout)
    this.inner.grads[1].data.fill(0)
    const half = tensor(dx.shape)
    for (let i = 0; i < dx.data.length; i++) half.data[i] = dx.data[i] / 2
    return half
  }
}

describe('gradient check', () => {
  it('reports tiny errors for a correct layer and names every array', () => {
    const rng = new Rng(1)
    const r = checkLayerGradients(new Affine(randn(rng, [4, 3]), randn(rng, [3])), randn(rng, [2, 4]), randn(rng, [2, 3]))
    expect(r.results.map((c) => c.name)).toEqual(['x', 'W', 'b'])
    expect(r.maxRelError).toBeLessThan(1e-3)
  })

  it('catches a wrong input gradient and a missing bias gradient', () => {
    const rng = new Rng(2)
    const r = checkLayerGradients(new BrokenAffine(randn(rng, [4, 3]), randn(rng, [3])), randn(rng, [2, 4]), randn(rng, [2, 3]))
    const byName = Object.fromEntries(r.results.map((c) => [c.name, c.relError]))
    expect(byName.x).toBeGreaterThan(0.3)
    expect(byName.b).toBeGreaterThan(0.9)
    expect(byName.W).toBeLessThan(1e-3)
  })

  it('restores the inputs it perturbs', () => {
    const rng = new Rng(3)
    const x = randn(rng, [2, 4])
    const W = randn(rng, [4, 3])
    const before = [x.data.slice(), W.data.slice()]
    checkLayerGradients(new Affine(W, randn(rng, [3])), x, randn(rng, [2, 3]))
    expect(x.data).toEqual(before[0])
    expect(W.data).toEqual(before[1])
  })

  it('divides by the perturbation float32 actually stored', () => {
    // x = 1000: 1000 ± 1e-4 is not representable in float32, yet f(x) = 3x must still give 3
    const x = Float32Array.of(1000)
    expect(numericalGradient(() => 3 * x[0], x, 1e-4)[0]).toBeCloseTo(3, 10)
  })

  it('compareGradients gives 0 for equal arrays and points at the worst element', () => {
    expect(compareGradients('a', [1, 2], [1, 2]).relError).toBe(0)
    const c = compareGradients('a', [1, 2, 3], [1, 2.5, 3])
    expect(c.worstIndex).toBe(1)
    expect(c.numeric).toBe(2)
    expect(c.analytic).toBe(2.5)
  })
})
