import { describe, expect, it } from 'vitest'
import golden from '../../fixtures/golden.json'
import { Rng } from '../../../src-engine/rng'
import { tensor, fromArray } from '../../../src-engine/tensor'
import type { NetSpec } from '../../../src-engine/spec-types'
import { buildNetwork } from '../../../src-engine/layers/build'
import { checkNetworkGradients } from '../../../src-engine/train/gradient-check'
import { randn } from '../../helpers'

const simpleConvNet: NetSpec = {
  input: [1, 28, 28],
  layers: [
    { type: 'Convolution', filters: 30, kernel: 5, stride: 1, pad: 0 },
    { type: 'Relu' },
    { type: 'Pooling', size: 2, stride: 2 },
    { type: 'Affine', units: 100 },
    { type: 'Relu' },
    { type: 'Affine', units: 10 },
    { type: 'SoftmaxWithLoss' }
  ]
}

function paramCounts(spec: NetSpec): number[] {
  const { layers } = buildNetwork(spec, new Rng(1))
  return layers.map((l) => l.params.reduce((s, p) => s + p.data.length, 0))
}

describe('buildNetwork', () => {
  it('builds the book\'s simple ConvNet with the golden shapes and parameter counts', () => {
    const g = golden.parameter_counts.simple_convnet_from_book
    const { layers, loss, names } = buildNetwork(simpleConvNet, new Rng(1))
    expect(names).toEqual(['conv1', 'relu1', 'pool1', 'affine1', 'relu2', 'affine2', 'softmax1'])
    expect(loss?.type).toBe('SoftmaxWithLoss')
    expect(paramCounts(simpleConvNet)).toEqual(g.params)
    let x = tensor([2, 1, 28, 28])
    const shapes: number[][] = []
    for (const l of layers) {
      x = l.forward(x, false)
      shapes.push(x.shape.slice(1))
    }
    expect(shapes).toEqual(g.output_shapes_chw)
  })

  it('builds the course\'s Keras-style CNN with the golden parameter counts', () => {
    const g = golden.parameter_counts.keras_cnn_from_course
    const spec: NetSpec = {
      input: [1, 28, 28],
      layers: [
        { type: 'Convolution', filters: 32, kernel: 3, pad: 1 }, { type: 'Relu' }, { type: 'Pooling', size: 2 },
        { type: 'Convolution', filters: 64, kernel: 3, pad: 1 }, { type: 'Relu' }, { type: 'Pooling', size: 2 },
        { type: 'Flatten' }, { type: 'Affine', units: 1024 }, { type: 'Relu' }, { type: 'Affine', units: 10 },
        { type: 'SoftmaxWithLoss' }
      ]
    }
    const counts = paramCounts(spec).filter((n) => n > 0)
    expect(counts).toEqual(g.params.filter((n) => n > 0))
    expect(counts.reduce((a, b) => a + b, 0)).toBe(g.total)
  })

  it('counts the golden 3→16 5×5 convolution without bias', () => {
    const spec: NetSpec = { input: [3, 8, 8], layers: [{ type: 'Convolution', filters: 16, kernel: 5, bias: false }] }
    expect(paramCounts(spec)).toEqual([golden.parameter_counts.conv_3in_16out_5x5_no_bias])
  })

  it('draws He weights by default (std √(2/fan_in)) and zero biases, the same for the same seed', () => {
    const spec: NetSpec = { input: [400], layers: [{ type: 'Affine', units: 500 }, { type: 'Affine', units: 500, init: 'xavier' }] }
    const a = buildNetwork(spec, new Rng(3)).layers
    const b = buildNetwork(spec, new Rng(3)).layers
    expect(a[0].params[0].data.every((v, i) => v === b[0].params[0].data[i])).toBe(true)
    const std = (d: Float32Array): number => Math.sqrt(d.reduce((s, v) => s + v * v, 0) / d.length)
    expect(std(a[0].params[0].data)).toBeCloseTo(Math.sqrt(2 / 400), 2)
    expect(std(a[1].params[0].data)).toBeCloseTo(Math.sqrt(1 / 500), 2)
    expect(a[0].params[1].data.every((v) => v === 0)).toBe(true)
  })

  it('applies settings: pooling stride defaults to its size, BatchNormalization sized from the channels', () => {
    const spec: NetSpec = {
      input: [3, 9, 9],
      layers: [
        { type: 'Convolution', filters: 4, kernel: 3, pad: 1, name: 'c' }, { type: 'BatchNormalization' },
        { type: 'Pooling', size: 3, mode: 'avg' }, { type: 'LeakyRelu', alpha: 0.2 }, { type: 'Dropout', rate: 0.5 },
        { type: 'Reshape', shape: [-1] }, { type: 'Affine', units: 2, bias: false }, { type: 'Sigmoid' }, { type: 'Tanh' },
        { type: 'MSE' }
      ]
    }
    const { layers, names, loss } = buildNetwork(spec, new Rng(1))
    expect(names[0]).toBe('c')
    expect(layers[1].params[0].shape).toEqual([4])
    let x = tensor([2, 3, 9, 9])
    for (const l of layers) x = l.forward(x, true)
    expect(x.shape).toEqual([2, 2])
    expect(loss?.type).toBe('MSE')
    expect(layers[6].paramNames).toEqual(['W'])
  })

  it('gives a network whose loss gradient checks end to end', () => {
    const spec: NetSpec = {
      input: [2, 7, 7],
      layers: [
        { type: 'Convolution', filters: 3, kernel: 3, stride: 2, pad: 1 }, { type: 'Tanh' },
        { type: 'Pooling', size: 2, stride: 1, mode: 'avg' }, { type: 'Affine', units: 4 }, { type: 'Sigmoid' },
        { type: 'Affine', units: 3 }, { type: 'SoftmaxWithLoss' }
      ]
    }
    const { layers, loss } = buildNetwork(spec, new Rng(5))
    const rng = new Rng(6)
    const r = checkNetworkGradients(layers, loss!, randn(rng, [3, 2, 7, 7]), fromArray([3], [0, 2, 1]))
    expect(r.results.map((c) => c.name)).toEqual(['x', 'conv1.W', 'conv1.b', 'affine1.W', 'affine1.b', 'affine2.W', 'affine2.b'])
    for (const c of r.results) expect(c.relError, c.name).toBeLessThan(1e-3)
  })

  it('names the layer when the spec does not fit', () => {
    const bad: NetSpec = { input: [1, 7, 7], layers: [{ type: 'Convolution', filters: 2, kernel: 3, stride: 3, name: 'conv9' }] }
    expect(() => buildNetwork(bad, new Rng(1))).toThrow(/Convolution "conv9": output height \(7 \+ 2·0 − 3\) \/ 3 \+ 1 = 2\.33 is not an integer/)
    const flat: NetSpec = { input: [10], layers: [{ type: 'Convolution', filters: 2, kernel: 3 }] }
    expect(() => buildNetwork(flat, new Rng(1))).toThrow('Convolution "conv1": expects an image (C, H, W) but gets (10)')
    const afterLoss: NetSpec = { input: [4], layers: [{ type: 'Affine', units: 2 }, { type: 'SoftmaxWithLoss' }, { type: 'Affine', units: 2 }] }
    expect(() => buildNetwork(afterLoss, new Rng(1))).toThrow('Affine "affine2": comes after the loss layer "softmax1"')
    // the course's Dropout after the softmax: validateSpec accepts it with a warning, so it is skipped here
    const courseDropout: NetSpec = { input: [4], layers: [{ type: 'Affine', units: 2 }, { type: 'SoftmaxWithLoss' }, { type: 'Dropout', rate: 0.25 }] }
    expect(buildNetwork(courseDropout, new Rng(1)).layers.map((l) => l.type)).toEqual(['Affine'])
    const zero: NetSpec = { input: [4], layers: [{ type: 'Affine', units: 0 }] }
    expect(() => buildNetwork(zero, new Rng(1))).toThrow('Affine "affine1": units must be a whole number ≥ 1, got 0')
  })

  it('builds recurrent layers for sequences and says what to do when they get an image', () => {
    const spec: NetSpec = { input: [5, 3], layers: [{ type: 'TimeLSTM', hidden: 4 }, { type: 'LastTimeStep' }, { type: 'Affine', units: 2 }] }
    const { layers } = buildNetwork(spec, new Rng(1))
    expect(layers.map((l) => l.type)).toEqual(['TimeLSTM', 'LastTimeStep', 'Affine'])
    let x = randn(new Rng(2), [2, 5, 3])
    for (const l of layers) x = l.forward(x, false)
    expect(x.shape).toEqual([2, 2])
    const onImage: NetSpec = { input: [1, 4, 4], layers: [{ type: 'TimeLSTM', hidden: 4 }] }
    expect(() => buildNetwork(onImage, new Rng(1))).toThrow('TimeLSTM "lstm1": expects a sequence (T, D)')
  })
})
