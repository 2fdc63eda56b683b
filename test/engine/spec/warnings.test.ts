/** Legal but suspicious networks: accepted (ok stays true) with a warning that says what to change. */
import { describe, expect, it } from 'vitest'
import { validateSpec } from '../../../src-engine/spec'
import type { LayerSpec, NetSpec } from '../../../src-engine/spec-types'
import { codes, only } from './helpers'

const digits = (...layers: LayerSpec[]): NetSpec => ({ input: [1, 28, 28], task: 'classify', layers })
const head: LayerSpec[] = [{ type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }]

function warned(spec: NetSpec, code: string) {
  const r = validateSpec(spec)
  expect(r.ok, r.issues.map((i) => i.message).join('\n')).toBe(true)
  const w = only(r, code)
  expect(w.severity).toBe('warning')
  return w
}

describe('warnings', () => {
  it('dropout on the output scores, before the loss', () => {
    const w = warned(digits({ type: 'Affine', units: 100 }, { type: 'Relu' }, { type: 'Affine', units: 10 },
      { type: 'Dropout', rate: 0.5 }, { type: 'SoftmaxWithLoss' }), 'dropout-after-output')
    expect(w.message).toBe('dropout1: Dropout after the output layer affine2 drops class scores at random, which is almost certainly a mistake; move it before affine2')
  })

  it('an activation after the softmax has no effect', () => {
    const w = warned(digits({ type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }, { type: 'Relu' }), 'layers-after-softmax')
    expect(w.message).toMatch(/^relu1: Relu after softmax1 has no effect/)
    expect(w.values).toMatchObject({ loss: 'softmax1' })
  })

  it('an activation after a loss that is not a softmax has no effect either', () => {
    const w = warned({ input: [1, 28, 28], task: 'reconstruct', layers: [{ type: 'Affine', units: 784 }, { type: 'MSE' }, { type: 'Sigmoid' }] },
      'layers-after-loss')
    expect(w.message).toBe('sigmoid1: Sigmoid after mse1 has no effect: training and prediction end at mse1; remove sigmoid1')
  })

  it('a softmax over a single class', () => {
    const w = warned(digits({ type: 'Affine', units: 1 }, { type: 'SoftmaxWithLoss' }), 'softmax-one-class')
    expect(w.message).toContain('use SigmoidWithLoss')
  })

  it('two activations in a row (a Dropout between them does not hide it)', () => {
    const w = warned(digits({ type: 'Affine', units: 50 }, { type: 'Relu' }, { type: 'Dropout', rate: 0.2 }, { type: 'Sigmoid' },
      { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }), 'double-activation')
    expect(w.layerName).toBe('sigmoid1')
    expect(w.message).toContain('follows the activation relu1 directly')
  })

  it('two linear layers with no activation between them (Q3: Affine 100 → Affine 100 → Affine 10 said nothing)', () => {
    const r = validateSpec(digits({ type: 'Flatten' }, { type: 'Affine', units: 100 }, { type: 'Affine', units: 100 }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }))
    expect(r.ok).toBe(true)
    expect(r.issues.map((i) => [i.code, i.layerName, i.values?.previous])).toEqual([
      ['no-activation-between', 'affine2', 'affine1'], ['no-activation-between', 'affine3', 'affine2']])
    expect(r.issues[0].message).toBe('affine2: follows affine1 with no activation between them, so the two are no more than one Affine ' +
      '(a linear layer after a linear layer is still linear); put an activation such as Relu between them')
    // a Dropout (or a batch norm, a Flatten, a Reshape) between them keeps the pair linear
    warned(digits({ type: 'Affine', units: 100 }, { type: 'Dropout', rate: 0.5 }, { type: 'BatchNormalization' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }), 'no-activation-between')
    // two convolutions are one with a larger kernel
    const conv = warned(digits({ type: 'Convolution', filters: 8, kernel: 3 }, { type: 'Convolution', filters: 8, kernel: 3 }, { type: 'Relu' }, ...head), 'no-activation-between')
    expect(conv).toMatchObject({ layerName: 'conv2', values: { previous: 'conv1', kind: 'conv' } })
    expect(conv.message).toContain('no more than one Convolution with a larger kernel')
  })

  it('says nothing of linear layers with an activation or max pooling between, an Affine before the loss, or a bottleneck', () => {
    const none = (spec: NetSpec): void => expect(codes(validateSpec(spec))).not.toContain('no-activation-between')
    none(digits({ type: 'Affine', units: 100 }, { type: 'Relu' }, { type: 'Dropout', rate: 0.5 }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }))
    none(digits({ type: 'Convolution', filters: 8, kernel: 3 }, { type: 'Pooling', size: 2 }, { type: 'Convolution', filters: 8, kernel: 3 }, { type: 'Relu' }, ...head))
    none(digits({ type: 'Convolution', filters: 8, kernel: 3 }, { type: 'Relu' }, ...head)) // Convolution → Flatten → Affine: two kinds
    // ae-2d's code: Affine(2) between 64 and 64 is a rank-2 map no single Affine of 64 is, made on purpose (every preset stays
    // warning-free: test/engine/presets.test.ts)
    none({ input: [1, 28, 28], task: 'reconstruct', layers: [{ type: 'Affine', units: 64 }, { type: 'Relu' }, { type: 'Affine', units: 2 },
      { type: 'Affine', units: 64 }, { type: 'Relu' }, { type: 'Affine', units: 784 }, { type: 'Reshape', shape: [1, 28, 28] }, { type: 'SigmoidWithLoss' }] })
    // a 1×1 convolution down to 2 channels between 8 and 8
    none({ input: [8, 14, 14], layers: [{ type: 'Convolution', filters: 2, kernel: 1 }, { type: 'Convolution', filters: 8, kernel: 3 }, { type: 'Relu' }, ...head] })
  })

  it('pooling the raw input before any convolution', () => {
    const w = warned(digits({ type: 'Pooling', size: 2 }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }), 'pool-without-conv')
    expect(w.layerName).toBe('pool1')
  })

  it('an activation squashing the scores right before the softmax', () => {
    const w = warned(digits({ type: 'Affine', units: 10 }, { type: 'Relu' }, { type: 'SoftmaxWithLoss' }), 'activation-before-softmax')
    expect(w.message).toContain('SoftmaxWithLoss applies the softmax itself')
  })

  it('a Sigmoid before SigmoidWithLoss applies the sigmoid twice', () => {
    warned({ input: [1, 28, 28], task: 'reconstruct', layers: [{ type: 'Affine', units: 784 }, { type: 'Sigmoid' }, { type: 'SigmoidWithLoss' }] }, 'sigmoid-twice')
  })

  it('an Affine flattening a whole sequence', () => {
    warned({ input: [28, 28], layers: [{ type: 'TimeRNN', hidden: 16 }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }, 'affine-on-sequence')
  })

  it('a setting the layer does not have (a likely typo) is named, and the missing one too', () => {
    const r = validateSpec(digits({ type: 'Convolution', filter: 16, kernel: 3 } as unknown as LayerSpec, ...[{ type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] as LayerSpec[]))
    expect(codes(r)).toEqual(['field-missing', 'unknown-field'])
    expect(r.issues[0].message).toBe('conv1: "filters" is missing; set it to a whole number ≥ 1 (for example 16) (found "filter" — did you mean "filters"?)')
    expect(r.issues[1].message).toMatch(/^conv1: "filter" is not a setting of Convolution and is ignored; its settings are filters, kernel, stride, pad, init, bias$/)
  })

  it('a digits classifier whose last Affine does not give 10 class scores (the Affine default of 100, or too few)', () => {
    const more = warned(digits({ type: 'Affine', units: 100 }, { type: 'SoftmaxWithLoss' }), 'outputs-more-than-classes')
    expect(more).toMatchObject({ layer: 0, field: 'units', values: { outputs: 100, classes: 10, affine: 1, loss: 'softmax1' } })
    expect(more.message).toBe('affine1: gives 100 class scores to softmax1 but the digits have 10 classes, so 90 of them are for classes that never occur; ' +
      'set its units to 10 (or to the number of classes of the data you train on)')
    const fewer = warned(digits({ type: 'Affine', units: 50 }, { type: 'Relu' }, { type: 'Affine', units: 5 }, { type: 'SoftmaxWithLoss' }), 'outputs-fewer-than-classes')
    expect(fewer).toMatchObject({ layer: 2, field: 'units', values: { outputs: 5, classes: 10 } })
    // no Affine at the end: the last layer with parameters is told to end with one
    const conv = warned(digits({ type: 'Convolution', filters: 3, kernel: 28 }, { type: 'Flatten' }, { type: 'SoftmaxWithLoss' }), 'outputs-fewer-than-classes')
    expect(conv.field).toBeUndefined()
    expect(conv.message).toContain('end with an Affine of 10 units before softmax1')
    // not for other inputs, other losses, or a single class (which has its own warning)
    for (const spec of [
      { ...digits({ type: 'Affine', units: 100 }, { type: 'SoftmaxWithLoss' }), input: [3, 32, 32] },
      digits({ type: 'Affine', units: 100 }, { type: 'SigmoidWithLoss' }),
      digits({ type: 'Affine', units: 1 }, { type: 'SoftmaxWithLoss' })
    ]) expect(codes(validateSpec(spec)).filter((c) => c.startsWith('outputs-'))).toEqual([])
  })

  it('padding as wide as the kernel or window (mostly zeros)', () => {
    const conv = warned(digits({ type: 'Convolution', filters: 4, kernel: 3, pad: 9 }, { type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }), 'pad-not-smaller-than-kernel')
    expect(conv).toMatchObject({ layer: 0, field: 'pad', values: { pad: 9, kernel: 3, maxPad: 2, window: 0 } })
    expect(conv.message).toBe('conv1: padding 9 is not smaller than the 3×3 kernel, so the outputs along the border see only the added zeros; use padding of at most 2 (1 keeps the size)')
    const pool = warned(digits({ type: 'Convolution', filters: 4, kernel: 3, pad: 1 }, { type: 'Pooling', size: 2, stride: 2, pad: 2 }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }), 'pad-not-smaller-than-kernel')
    expect(pool).toMatchObject({ layer: 1, values: { window: 1, maxPad: 1 } })
    // padding below the kernel is fine
    expect(codes(validateSpec(digits({ type: 'Convolution', filters: 4, kernel: 3, pad: 2 }, { type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }))))
      .not.toContain('pad-not-smaller-than-kernel')
  })

  it('sound networks get no warnings at all', () => {
    const r = validateSpec(digits({ type: 'Convolution', filters: 8, kernel: 3, pad: 1 }, { type: 'BatchNormalization' }, { type: 'Relu' },
      { type: 'Pooling', size: 2 }, { type: 'Flatten' }, { type: 'Affine', units: 64 }, { type: 'Relu' }, { type: 'Dropout', rate: 0.5 },
      { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }))
    expect(r.issues).toEqual([])
    expect(r.layers[1].paramShapes).toEqual({ gamma: [8], beta: [8] })
    expect(r.layers[1].bufferShapes).toEqual({ running_mean: [8], running_var: [8] })
    expect(r.layers[1].params).toBe(16)
    expect(r.layers[3].outShape).toEqual([8, 14, 14]) // Pooling's stride defaults to its size
  })
})
