import { describe, expect, it } from 'vitest'
import { Rng } from '../../../src-engine/rng'
import { tensor } from '../../../src-engine/tensor'
import type { NetSpec } from '../../../src-engine/spec-types'
import { Sequential, WeightsError } from '../../../src-engine/models/sequential'
import { checkNetworkGradients } from '../../../src-engine/train/gradient-check'

const BN_NET: NetSpec = {
  input: [2, 6, 6],
  layers: [
    { type: 'Convolution', filters: 3, kernel: 3, pad: 1 },
    { type: 'BatchNormalization' },
    { type: 'Relu' },
    { type: 'Pooling', size: 2, stride: 2 },
    { type: 'Affine', units: 4 },
    { type: 'SoftmaxWithLoss' }
  ]
}

function randomInput(shape: number[], seed: number): ReturnType<typeof tensor> {
  const x = tensor(shape)
  const rng = new Rng(seed)
  for (let i = 0; i < x.data.length; i++) x.data[i] = rng.next()
  return x
}

describe('Sequential', () => {
  it('names its weights <layer>.<param>, BatchNormalization with gamma, beta and running statistics', () => {
    const m = Sequential.fromSpec(BN_NET, new Rng(1))
    const w = m.weights()
    expect(Object.keys(w)).toEqual(['conv1.W', 'conv1.b', 'bn1.gamma', 'bn1.beta', 'bn1.running_mean', 'bn1.running_var', 'affine1.W', 'affine1.b'])
    expect(w['conv1.W'].shape).toEqual([3, 2, 3, 3])
    expect(w['affine1.W'].shape).toEqual([27, 4])
    expect(m.paramKeys).toEqual(['conv1.W', 'conv1.b', 'bn1.gamma', 'bn1.beta', 'affine1.W', 'affine1.b'])
    expect(m.paramCount).toBe(54 + 3 + 3 + 3 + 108 + 4)
    // weights() are copies: changing them does not touch the model.
    w['conv1.W'].data[0] = 123
    expect(m.weights()['conv1.W'].data[0]).not.toBe(123)
  })

  it('round-trips its weights into a fresh network, which then predicts the same', () => {
    const a = Sequential.fromSpec(BN_NET, new Rng(1))
    const x = randomInput([3, 2, 6, 6], 2)
    const t = tensor([3], Float32Array.from([0, 1, 3]))
    a.loss(x, t)
    a.backward()
    const b = Sequential.fromSpec(BN_NET, new Rng(99))
    b.loadWeights(a.weights())
    expect(Array.from(b.predict(x).probs.data)).toEqual(Array.from(a.predict(x).probs.data))
  })

  it('refuses weights that do not fit, listing every problem and changing nothing', () => {
    const m = Sequential.fromSpec(BN_NET, new Rng(1))
    const before = m.weights()
    const bad: Record<string, ReturnType<typeof tensor> | Float32Array> = { ...m.weights() }
    bad['conv1.W'] = tensor([3, 1, 3, 3])
    delete bad['bn1.running_var']
    bad['affine1.b'] = Float32Array.from([1, NaN, 0, 0])
    bad['affine9.W'] = tensor([1])
    bad['bn1.gamma'] = new Float32Array(3).fill(7)
    let err: unknown
    try {
      m.loadWeights(bad)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(WeightsError)
    const problems = (err as WeightsError).problems
    expect(problems).toEqual([
      'conv1.W has shape (3, 1, 3, 3) but this network expects (3, 2, 3, 3)',
      'bn1.running_var is missing (expected shape (3))',
      'affine1.b contains NaN at index 1',
      'affine9.W is not a weight of this network'
    ])
    expect((err as Error).message).toMatch(/^these weights do not fit this network: conv1\.W has shape/)
    expect((err as Error).message).toContain('Load weights saved from the same architecture, or train this one from scratch.')
    // Nothing was copied, not even the tensors that did fit (bn1.gamma).
    expect(m.weights()).toEqual(before)
  })

  it('backpropagates the loss: analytic gradients agree with central differences', () => {
    const spec: NetSpec = { input: [1, 5, 5], layers: [{ type: 'Convolution', filters: 2, kernel: 3 }, { type: 'Tanh' }, { type: 'Affine', units: 3 }, { type: 'SoftmaxWithLoss' }] }
    const m = Sequential.fromSpec(spec, new Rng(4))
    const x = randomInput([2, 1, 5, 5], 5)
    const t = tensor([2], Float32Array.from([2, 0]))
    m.loss(x, t)
    m.backward()
    const analytic = m.grads.map((g) => g.data.slice())
    const report = checkNetworkGradients(m.layers, m.lossLayer!, x, t)
    expect(report.maxRelError).toBeLessThan(1e-2)
    // Sequential.backward leaves the same gradients the checker computed.
    m.grads.forEach((g, k) => expect(Array.from(g.data)).toEqual(Array.from(analytic[k])))
  })

  it('returns every layer\'s activations and probabilities that sum to one', () => {
    const m = Sequential.fromSpec(BN_NET, new Rng(1))
    const x = randomInput([1, 2, 6, 6], 3)
    const acts = m.activations(x)
    expect(acts.map((a) => [a.name, a.shape])).toEqual([
      ['conv1', [1, 3, 6, 6]], ['bn1', [1, 3, 6, 6]], ['relu1', [1, 3, 6, 6]], ['pool1', [1, 3, 3, 3]], ['affine1', [1, 4]]
    ])
    const { probs, logits } = m.predict(x)
    expect(probs.shape).toEqual([1, 4])
    expect(Array.from(logits.data)).toEqual(Array.from(acts[4].data))
    expect(probs.data.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 6)
  })

  it('checks the input size against the spec', () => {
    const m = Sequential.fromSpec(BN_NET, new Rng(1))
    expect(() => m.inputTensor(new Float32Array(10), 1)).toThrow('the network expects inputs of (2, 6, 6) per example: 1 examples need 72 values, got 10')
  })
})
