/** Untrusted JSON: every structural problem becomes an issue, nothing throws. */
import { describe, expect, it } from 'vitest'
import { validateSpec } from '../../../src-engine/spec'
import { PRESETS } from '../../../src-engine/models/presets'
import { Rng } from '../../../src-engine/rng'
import { codes, only } from './helpers'

const tail = [{ type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }]
const withLayer = (layer: unknown) => ({ input: [1, 28, 28], layers: [layer, ...tail] })

describe('structure', () => {
  it('rejects things that are not networks at all', () => {
    for (const bad of [null, 42, 'net', [], undefined]) {
      const r = validateSpec(bad)
      expect(r.ok).toBe(false)
      expect(codes(r)).toEqual(['spec-not-object'])
    }
    expect(codes(validateSpec({ input: [1, 28, 28], layers: 'conv' }))).toEqual(['layers-not-array'])
  })

  it('checks the input shape', () => {
    for (const input of [[], [0, 28, 28], [1, 28.5, 28], [1, 2, 3, 4], '1,28,28', [-1, 28, 28], undefined]) {
      const e = only(validateSpec({ input, layers: tail }), 'input-invalid')
      expect(e.field).toBe('input')
      expect(e.layer).toBe(-1)
    }
  })

  it('checks vocab, task and name at the top level', () => {
    const r = validateSpec({ input: [32], vocab: 2.5, task: 'translate', name: 3, layers: tail })
    expect(r.issues.filter((i) => i.layer === -1).map((i) => [i.code, i.field])).toEqual([
      ['field-not-integer', 'vocab'], ['field-out-of-range', 'task'], ['field-wrong-type', 'name']])
    expect(r.ok).toBe(false)
  })

  it('names an unknown layer type and guesses what was meant', () => {
    const r = validateSpec({ input: [1, 28, 28], layers: [{ type: 'Conv2D', filters: 8, kernel: 3 }, { type: 'Dense', units: 10 }, { type: 'Softmax' }] })
    expect(r.issues.filter((i) => i.code === 'unknown-layer-type').map((i) => i.values!.suggestion)).toEqual(['Convolution', 'Affine', 'SoftmaxWithLoss'])
    expect(r.issues[0].message).toBe('layer1: layer 1 has unknown type "Conv2D"; did you mean "Convolution"?')
    expect(r.issues[0].field).toBe('type')
    expect(only(validateSpec(withLayer({ filters: 3 })), 'unknown-layer-type').message).toContain('has no "type"')
    expect(only(validateSpec(withLayer({ type: 'Quantum' })), 'unknown-layer-type').message).toContain('use one of Convolution, Deconvolution')
  })

  it('reports missing, negative, fractional and wrongly typed settings with their field', () => {
    const cases: [unknown, string, string][] = [
      [{ type: 'Convolution', kernel: 3 }, 'field-missing', 'filters'],
      [{ type: 'Convolution', filters: -4, kernel: 3 }, 'field-out-of-range', 'filters'],
      [{ type: 'Convolution', filters: 4, kernel: 2.5 }, 'field-not-integer', 'kernel'],
      [{ type: 'Convolution', filters: 4, kernel: '3' }, 'field-wrong-type', 'kernel'],
      [{ type: 'Convolution', filters: 4, kernel: 3, stride: 0 }, 'field-out-of-range', 'stride'],
      [{ type: 'Convolution', filters: 4, kernel: 3, pad: -1 }, 'field-out-of-range', 'pad'],
      [{ type: 'Convolution', filters: 4, kernel: 3, bias: 'no' }, 'field-wrong-type', 'bias'],
      [{ type: 'Pooling', size: 2, mode: 'median' }, 'field-out-of-range', 'mode'],
      [{ type: 'Dropout', rate: 1 }, 'field-out-of-range', 'rate'],
      [{ type: 'Dropout' }, 'field-missing', 'rate'],
      [{ type: 'Reshape', shape: [28, -1, -1] }, 'field-out-of-range', 'shape'],
      [{ type: 'Reshape', shape: 784 }, 'field-wrong-type', 'shape'],
      [{ type: 'Affine', units: 'vocab' }, 'field-wrong-type', 'units'],
      [{ type: 'Affine', units: NaN }, 'field-wrong-type', 'units'],
      [{ type: 'Relu', name: 7 }, 'field-wrong-type', 'name']
    ]
    for (const [layer, code, field] of cases) {
      const r = validateSpec(withLayer(layer))
      const e = only(r, code)
      expect(e.field, JSON.stringify(layer)).toBe(field)
      expect(e.layer).toBe(0)
      expect(e.message).toMatch(new RegExp(`^\\w+: "${field}"`))
      expect(r.ok).toBe(false)
    }
    expect(only(validateSpec(withLayer({ type: 'Convolution', filters: 4, kernel: '3' })), 'field-wrong-type').message)
      .toBe('conv1: "kernel" must be a whole number ≥ 1, not "3"')
  })

  it('is not fooled by keys from Object.prototype', () => {
    const r = validateSpec(JSON.parse('{"input":[1,28,28],"layers":[{"type":"constructor"},{"type":"Relu","__proto__":{"x":1},"toString":3}]}'))
    expect(r.issues.map((i) => [i.code, i.field])).toEqual([['unknown-layer-type', 'type'], ['unknown-field', '__proto__'], ['unknown-field', 'toString']])
    expect(r.issues[0].values!.suggestion).toBe('')
  })

  it('rejects layers that are not objects and duplicate names', () => {
    expect(only(validateSpec({ input: [1, 28, 28], layers: [null, ...tail] }), 'layer-not-object').layer).toBe(0)
    const dup = validateSpec({ input: [1, 28, 28], layers: [{ type: 'Relu', name: 'a' }, { type: 'Flatten', name: 'a' }, ...tail.slice(1)] })
    const e = only(dup, 'duplicate-name')
    expect(e.layer).toBe(1)
    expect(e.message).toBe('a: layer 2 has the same name as layer 1; give each layer its own name')
  })

  it('stays fast on hostile sizes (no search grows with the numbers in the spec)', () => {
    const t0 = performance.now()
    const r = validateSpec({ input: [1, 2e9, 2e9], layers: [
      { type: 'Convolution', filters: 1, kernel: 1e9 + 7, stride: 1e9 }, { type: 'Flatten' },
      { type: 'Convolution', filters: 1, kernel: 3 }, { type: 'Affine', units: 1e9 }, { type: 'SoftmaxWithLoss' }] })
    expect(performance.now() - t0).toBeLessThan(100)
    expect(r.ok).toBe(false)
    // sizes beyond the lab's limits (spec-limits.ts) are said as such, before any shape is worked out
    expect(r.issues.map((i) => i.code)).toEqual(expect.arrayContaining(['input-size-too-large', 'field-too-large']))
    // the largest sizes within them: the fractional output's search (strides, pads that fit) is still quick
    const t1 = performance.now()
    const edge = validateSpec({ input: [1, 99_999, 100_000], layers: [
      { type: 'Convolution', filters: 1, kernel: 64, stride: 63 }, { type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] })
    expect(performance.now() - t1).toBeLessThan(100)
    expect(edge.issues.map((i) => i.code)).toContain('conv-size-not-integer')
  })

  it('never throws on mangled presets, and ok is false exactly when there is an error', () => {
    const rng = new Rng(7)
    const junk: unknown[] = [null, -1, 0, 1.5, 'x', [], {}, [3], true, 1e12, 'vocab']
    for (let trial = 0; trial < 400; trial++) {
      const p = structuredClone(PRESETS[trial % PRESETS.length].spec) as unknown as Record<string, unknown>
      const layers = p.layers as Record<string, unknown>[]
      const i = rng.int(layers.length)
      const keys = ['type', 'filters', 'kernel', 'stride', 'pad', 'size', 'units', 'hidden', 'dim', 'shape', 'rate', 'scale', 'name']
      const key = keys[rng.int(keys.length)]
      layers[i][key] = junk[rng.int(junk.length)]
      if (trial % 7 === 0) p.input = junk[trial % junk.length]
      if (trial % 11 === 0) layers.splice(i, 1)
      const r = validateSpec(p)
      expect(r.ok).toBe(!r.issues.some((x) => x.severity === 'error'))
      expect(r.layers.length).toBe((p.layers as unknown[]).length)
      for (const x of r.issues) expect(x.message.startsWith(`${x.layerName}: `)).toBe(true)
    }
  })
})
