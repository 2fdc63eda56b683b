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

  it('flags arrays whose gradient is below the float32 noise floor instead of failing them', () => {
    const c = compareGradients('tiny', [0, 2e-6], [1e-6, 1e-6], 1e-4)
    expect(c.tooSmall).toBe(true)
    expect(c.relError).toBeLessThan(0.01)
    expect(compareGradients('big', [1, 2], [1, 2.2], 1e-4).tooSmall).toBe(false)
  })

  it('compareGradients gives 0 for equal arrays and points at the worst element', () => {
    expect(compareGradients('a', [1, 2], [1, 2]).relError).toBe(0)
    const c = compareGradients('a', [1, 2, 3], [1, 2.5, 3])
    expect(c.worstIndex).toBe(1)
    expect(c.numeric).toBe(2)
    expect(c.analytic).toBe(2.5)
  })
})

describe('gradient check on a sample of elements', () => {
  it('checks only `samples` elements per array and reports the worst one by its real index', async () => {
    const { buildNetwork } = await import('../../../src-engine/layers/build')
    const { checkNetworkGradients } = await import('../../../src-engine/train/gradient-check')
    const { fromArray } = await import('../../../src-engine/tensor')
    const net = buildNetwork({
      input: [1, 12, 12],
      layers: [{ type: 'Convolution', filters: 4, kernel: 3 }, { type: 'Tanh' }, { type: 'Pooling', size: 2 },
        { type: 'Affine', units: 20 }, { type: 'Tanh' }, { type: 'Affine', units: 5 }, { type: 'SoftmaxWithLoss' }]
    }, new Rng(1))
    let calls = 0
    const loss = net.loss!
    const counting = { ...loss, type: loss.type, name: loss.name,
      forward: (x: Tensor, t: Tensor) => { calls++; return loss.forward(x, t) },
      backward: () => loss.backward(), predict: (x: Tensor) => loss.predict(x) }
    const r = checkNetworkGradients(net.layers, counting, randn(new Rng(2), [2, 1, 12, 12]), fromArray([2], [1, 4]), { samples: 5 })
    expect(r.results).toHaveLength(7)
    // min(5, size) elements per array, two forward passes each; conv1.b has only 4 values
    expect(calls).toBe(1 + (5 + 5 + 4 + 5 + 5 + 5 + 5) * 2)
    expect(r.maxRelError).toBeLessThan(1e-2)
    const w = r.results.find((c) => c.name === 'affine1.W')!
    expect(w.worstIndex).toBeLessThan(100 * 20)
  })
})
