/** The course's worked numbers (test/fixtures/golden.json) through validateSpec. */
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { validateSpec } from '../../../src-engine/spec'
import type { LayerSpec, NetSpec } from '../../../src-engine/spec-types'
import { codes, only } from './helpers'

const golden = JSON.parse(readFileSync(resolve(__dirname, '../../fixtures/golden.json'), 'utf8'))
const counts = golden.parameter_counts

describe('parameter counts from the course', () => {
  it('counts 2·3 + 3·1 + 4·1 = 13 weights for the no-bias linear layers', () => {
    const each = (counts.linear_chain_no_bias.layers as [number, number][]).map(([din, dout]) => {
      const r = validateSpec({ input: [din], layers: [{ type: 'Affine', units: dout, bias: false }, { type: 'MSE' }] })
      expect(r.ok).toBe(true)
      expect(r.layers[0].paramShapes).toEqual({ W: [din, dout] })
      return r.totalParams
    })
    expect(each).toEqual(counts.linear_chain_no_bias.each)
    expect(each.reduce((a, b) => a + b, 0)).toBe(counts.linear_chain_no_bias.total)
  })

  it('counts 1,200 weights for 16 filters of 3×5×5 without bias, 1,216 with', () => {
    const spec = (bias: boolean): NetSpec => ({
      input: [3, 32, 32],
      layers: [{ type: 'Convolution', filters: 16, kernel: 5, bias }, { type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }]
    })
    const noBias = validateSpec(spec(false))
    expect(noBias.layers[0].params).toBe(counts.conv_3in_16out_5x5_no_bias)
    expect(noBias.layers[0].paramShapes).toEqual({ W: [16, 3, 5, 5] })
    expect(validateSpec(spec(true)).layers[0].paramShapes).toEqual({ W: [16, 3, 5, 5], b: [16] })
    expect(validateSpec(spec(true)).layers[0].params).toBe(1216)
  })

  it('connects all 6,220,800 full-HD inputs to one unit, and warns about the huge layer', () => {
    const r = validateSpec({ input: [3, 1080, 1920], layers: [{ type: 'Affine', units: 1, bias: false }, { type: 'MSE' }] })
    const inputs = counts.full_hd_rgb_to_one_unit_linear_no_bias.inputs
    expect(r.layers[0].params).toBe(inputs)
    // counted right, but too large to train here: the gradient passed back to a batch of 100 full-HD images is 2.3 GiB
    // by itself (spec-lint's memory estimate), whatever the units: the error is on the input
    expect(r.issues.filter((i) => i.severity === 'error').map((i) => [i.code, i.field])).toEqual([['too-large', 'input']])
    const w = only(r, 'huge-affine')
    expect(w.severity).toBe('warning')
    expect(w.message).toContain('6,220,800')
    expect(w.message).toMatch(/Convolution and Pooling/)
  })

  it('shrinks full HD with conv16 5×5 stride 5 to (16, 216, 384) and 1,328,304 parameters in all', () => {
    const g = counts.full_hd_rgb_conv16_5x5_stride5_then_linear_to_1_no_bias
    const r = validateSpec({
      input: [3, 1080, 1920],
      layers: [
        { type: 'Convolution', filters: 16, kernel: 5, stride: 5, bias: false },
        { type: 'Affine', units: 1, bias: false },
        { type: 'MSE' }
      ]
    })
    expect(r.layers[0].outShape).toEqual(g.conv_out_chw)
    expect(r.layers[0].params).toBe(g.conv_params)
    expect(r.layers[1].params).toBe(g.linear_params)
    expect(r.totalParams).toBe(g.total)
    expect(r.layers[0].formula).toBe('H: (1080 + 2·0 − 5) / 5 + 1 = 216; W: (1920 + 2·0 − 5) / 5 + 1 = 384')
    // too large to train here (the batch of full-HD images and the convolution's im2col copy of it), counted right
    expect(r.issues.filter((i) => i.severity === 'error').map((i) => i.code)).toEqual(['too-large'])
  })
})

describe('the Keras CNN exactly as the course lays it out (Dropout after the softmax)', () => {
  const course: LayerSpec[] = [
    { type: 'Convolution', filters: 32, kernel: 3, pad: 1 }, { type: 'Relu' }, { type: 'Pooling', size: 2, stride: 2 },
    { type: 'Convolution', filters: 64, kernel: 3, pad: 1 }, { type: 'Relu' }, { type: 'Pooling', size: 2, stride: 2 },
    { type: 'Flatten' }, { type: 'Affine', units: 1024 }, { type: 'Relu' },
    { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }, { type: 'Dropout', rate: 0.25 }
  ]
  const k = counts.keras_cnn_from_course
  const r = validateSpec({ input: [1, 28, 28], task: 'classify', layers: course })
  // Keras fuses the activation into Conv2D/Dense, and Dense(10, softmax) is our Affine + SoftmaxWithLoss.
  const kerasLayers = r.layers.filter((l) => l.type !== 'Relu' && l.type !== 'SoftmaxWithLoss')

  it('has 3,241,354 parameters with the per-layer counts of the course', () => {
    expect(r.totalParams).toBe(k.total)
    expect(kerasLayers.map((l) => l.params)).toEqual(k.params)
  })

  it('has the course output shapes (given there as HWC)', () => {
    const hwc = kerasLayers.map((l) => (l.outShape!.length === 3 ? [l.outShape![1], l.outShape![2], l.outShape![0]] : l.outShape))
    expect(hwc).toEqual(k.output_shapes_hwc)
  })

  it('accepts the Dropout after the softmax but warns that it is almost certainly a mistake', () => {
    expect(r.ok).toBe(true)
    const w = only(r, 'dropout-after-output')
    expect(w.severity).toBe('warning')
    expect(w.layer).toBe(11)
    expect(w.layerName).toBe('dropout1')
    expect(w.message).toMatch(/^dropout1: .*softmax1.*mistake; move it before affine2$/)
    expect(codes(r)).toEqual(['dropout-after-output'])
  })

  it('reports the receptive field after each conv and pool layer (3, 4, 8, 10)', () => {
    expect(r.layers.filter((l) => l.receptiveField !== undefined).map((l) => [l.name, l.receptiveField]))
      .toEqual([['conv1', 3], ['pool1', 4], ['conv2', 8], ['pool2', 10]])
  })
})

describe('the book’s SimpleConvNet', () => {
  const b = counts.simple_convnet_from_book
  const r = validateSpec({
    input: [1, 28, 28],
    layers: [
      { type: 'Convolution', filters: 30, kernel: 5, stride: 1, pad: 0 }, { type: 'Relu' },
      { type: 'Pooling', mode: 'max', size: 2, stride: 2 },
      { type: 'Affine', units: 100 }, { type: 'Relu' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }
    ]
  })

  it('has 433,890 parameters with the book’s per-layer counts and shapes', () => {
    expect(r.ok).toBe(true)
    expect(r.issues).toEqual([])
    expect(r.totalParams).toBe(b.total)
    expect(r.layers.map((l) => l.params)).toEqual([...b.params, 0]) // + SoftmaxWithLoss
    expect(r.layers.slice(0, 6).map((l) => l.outShape)).toEqual(b.output_shapes_chw)
  })

  it('names parameters as the layers hold them and counts multiply-adds', () => {
    expect(r.layers[0].paramShapes).toEqual({ W: [30, 1, 5, 5], b: [30] })
    expect(r.layers[3].paramShapes).toEqual({ W: [4320, 100], b: [100] })
    expect(r.layers[0].macs).toBe(30 * 24 * 24 * 5 * 5)
    expect(r.layers[3].macs).toBe(4320 * 100)
    expect(r.totalMacs).toBe(30 * 24 * 24 * 25 + 4320 * 100 + 100 * 10)
  })

  it('writes the output-size formula with the numbers filled in', () => {
    expect(r.layers[0].formula).toBe('(28 + 2·0 − 5) / 1 + 1 = 24')
    expect(r.layers[2].formula).toBe('(24 + 2·0 − 2) / 2 + 1 = 12')
    expect(r.layers[0].receptiveField).toBe(5)
    expect(r.layers[2].receptiveField).toBe(6)
  })
})

describe('conv output sizes from the course', () => {
  for (const c of golden.conv_output_size.cases as { input: number[]; pad: number; stride: number; filter: number[]; output: number[] }[]) {
    it(`(${c.input}) pad ${c.pad} stride ${c.stride} ${c.filter.join('×')} → (${c.output})`, () => {
      const r = validateSpec({
        input: [1, ...c.input],
        layers: [{ type: 'Convolution', filters: 2, kernel: c.filter[0], stride: c.stride, pad: c.pad }, { type: 'Flatten' },
          { type: 'Affine', units: 2 }, { type: 'SoftmaxWithLoss' }]
      })
      expect(r.layers[0].outShape).toEqual([2, ...c.output])
      expect(codes(r).filter((x) => x.startsWith('conv'))).toEqual([])
    })
  }

  it('reports the invalid case (7, 7) pad 0 stride 3 3×3 on the named layer, with fixes that really work', () => {
    const inv = golden.conv_output_size.invalid_case
    const layers = (stride: number, pad: number): LayerSpec[] => [
      { type: 'Convolution', filters: 4, kernel: 3, pad: 1 },
      { type: 'Convolution', filters: 4, kernel: inv.filter[0], stride, pad },
      { type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }
    ]
    const r = validateSpec({ input: [1, ...inv.input], layers: layers(inv.stride, inv.pad) })
    expect(r.ok).toBe(false)
    const e = only(r, 'conv-size-not-integer')
    expect(e.severity).toBe('error')
    expect(e.layer).toBe(1)
    expect(e.layerName).toBe('conv2')
    expect(e.field).toBe('stride')
    expect(e.message).toBe('conv2: (7 + 2·0 − 3) / 3 + 1 = 2.33 is not a whole number; use stride 1 or 2, or pad 1')
    expect(e.values).toMatchObject({ layer: 'conv2', strides: '1, 2', pads: '1' })
    for (const s of String(e.values!.strides).split(', ')) expect(validateSpec({ input: [1, 7, 7], layers: layers(Number(s), 0) }).ok).toBe(true)
    for (const p of String(e.values!.pads).split(', ')) expect(validateSpec({ input: [1, 7, 7], layers: layers(3, Number(p)) }).ok).toBe(true)
  })
})
