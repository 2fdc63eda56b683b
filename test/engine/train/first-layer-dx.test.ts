import { describe, expect, it } from 'vitest'
import { Rng } from '../../../src-engine/rng'
import { tensor } from '../../../src-engine/tensor'
import type { NetSpec } from '../../../src-engine/spec-types'
import { Sequential } from '../../../src-engine/models/sequential'
import { Convolution } from '../../../src-engine/layers/convolution'

// Training never reads the input's gradient, so Sequential.backward lets a first Convolution skip it
// (needsDx); the parameter gradients must be exactly those of the full backward pass.
const spec: NetSpec = {
  input: [2, 9, 7],
  layers: [
    { type: 'Convolution', filters: 3, kernel: 3, stride: 2, pad: 1 },
    { type: 'Relu' },
    { type: 'Convolution', filters: 4, kernel: 2 },
    { type: 'Affine', units: 5 },
    { type: 'SoftmaxWithLoss' }
  ]
}

describe('Sequential.backward and the first layer', () => {
  it('gives the same parameter gradients as a backward pass that computes every dx', () => {
    const rng = new Rng(3)
    const x = tensor([5, 2, 9, 7])
    for (let i = 0; i < x.data.length; i++) x.data[i] = rng.next() - 0.5
    const t = tensor([5], Float32Array.from([0, 4, 2, 1, 3]))
    const model = Sequential.fromSpec(spec, new Rng(7))
    model.lossLayer!.forward(model.forward(x, true), t)
    model.backward()
    const lean = model.grads.map((g) => g.data.slice())

    const first = model.layers[0] as Convolution
    expect(first).toBeInstanceOf(Convolution)
    expect(first.needsDx).toBe(true) // restored for anyone who wants dx (gradient checks)
    model.lossLayer!.forward(model.forward(x, true), t)
    let d = model.lossLayer!.backward()
    for (let i = model.layers.length - 1; i >= 0; i--) d = model.layers[i].backward(d)
    expect(d.data.some((v) => v !== 0)).toBe(true)
    model.grads.forEach((g, k) => expect(Array.from(g.data), model.paramKeys[k]).toEqual(Array.from(lean[k])))
  })
})
