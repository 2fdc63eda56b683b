import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  checkWeightsAgainst,
  describeWeightProblem,
  decodeSafetensors,
  encodeModelWeights,
  encodeSafetensors,
  specFromMetadata
} from '../../../src-engine/io/safetensors'
import { haveNumpy, python } from './numpy'

const tmp = mkdtempSync(join(tmpdir(), 'bplab-st-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

/** A file with any header text (or object) and data bytes; `declared` overrides the length field. */
function raw(header: string | object, data: Uint8Array | number = 0, declared?: bigint): Uint8Array {
  const h = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header))
  const body = typeof data === 'number' ? new Uint8Array(data) : data
  const out = new Uint8Array(8 + h.length + body.length)
  new DataView(out.buffer).setBigUint64(0, declared ?? BigInt(h.length), true)
  out.set(h, 8)
  out.set(body, 8 + h.length)
  return out
}
const f32 = (shape: number[], offsets: [number, number], dtype = 'F32'): object => ({ dtype, shape, data_offsets: offsets })

const weights = {
  'conv1.W': { shape: [2, 1, 3, 3], data: Float32Array.from({ length: 18 }, (_, i) => (i - 9) / 7) },
  'conv1.b': { shape: [2], data: Float32Array.from([0.5, -0.25]) },
  'affine2.W': { shape: [8, 3], data: Float32Array.from({ length: 24 }, (_, i) => Math.sin(i)) }
}

describe('safetensors writing and reading', () => {
  it('round-trips tensors in order with metadata, data section 8-byte aligned', () => {
    const bytes = encodeSafetensors(weights, { note: '한글 ok' })
    const headerLen = Number(new DataView(bytes.buffer).getBigUint64(0, true))
    expect((8 + headerLen) % 8).toBe(0)
    const file = decodeSafetensors(bytes)
    expect(Object.keys(file.tensors)).toEqual(['conv1.W', 'conv1.b', 'affine2.W'])
    for (const [k, t] of Object.entries(weights)) {
      expect(file.tensors[k].shape).toEqual(t.shape)
      expect(file.tensors[k].data).toEqual(t.data)
    }
    expect(file.metadata).toEqual({ note: '한글 ok' })
  })

  it('stores the spec as JSON in metadata "spec"', () => {
    const spec = { input: [1, 28, 28], layers: [{ type: 'Affine', units: 10 }] }
    const file = decodeSafetensors(encodeModelWeights(spec, weights, { format: 'backprop-lab' }))
    expect(file.metadata.format).toBe('backprop-lab')
    expect(specFromMetadata(file)).toEqual(spec)
    expect(specFromMetadata(decodeSafetensors(encodeSafetensors(weights)))).toBeNull()
    expect(() => specFromMetadata(decodeSafetensors(encodeSafetensors(weights, { spec: '{oops' })), 'm.safetensors')).toThrow(
      /m.safetensors: metadata "spec" is not valid JSON/
    )
  })

  it('refuses to write NaN or a data length that does not match the shape', () => {
    expect(() => encodeSafetensors({ 'fc.W': { shape: [2], data: Float32Array.from([1, NaN]) } })).toThrow(
      'cannot save tensor "fc.W": value #1 is NaN (did training diverge?)'
    )
    expect(() => encodeSafetensors({ x: { shape: [3], data: new Float32Array(2) } })).toThrow(/"x" has shape \[3\] \(3 values\) but 2 values/)
  })
})

describe('safetensors validation of hostile files', () => {
  it('rejects a file shorter than the length field', () => {
    expect(() => decodeSafetensors(new Uint8Array(5), 'w.st')).toThrow('w.st is not a safetensors file: it has only 5 bytes')
  })

  it('rejects a header length past the end of the file', () => {
    expect(() => decodeSafetensors(raw('{}', 0, 1000n), 'w.st')).toThrow('w.st: the header length 1,000 runs past the end of the file (2 bytes after the length)')
  })

  it('rejects a huge declared header before allocating anything', () => {
    expect(() => decodeSafetensors(raw('{}', 0, 2n ** 63n), 'w.st')).toThrow(/declares a header of .* bytes, more than the 104,857,600-byte limit/)
  })

  it('rejects a header that is not JSON, not an object, or not UTF-8', () => {
    expect(() => decodeSafetensors(raw('{"a": '), 'w.st')).toThrow(/w.st: the header is not valid JSON/)
    expect(() => decodeSafetensors(raw('[1, 2]'), 'w.st')).toThrow('w.st: the header should be a JSON object of tensors')
    const latin = raw('{"x":1}')
    latin[10] = 0xff
    expect(() => decodeSafetensors(latin, 'w.st')).toThrow(/the header is not valid JSON/)
  })

  it('rejects a dtype other than F32, naming the tensor and the dtype', () => {
    expect(() => decodeSafetensors(raw({ 'conv1.W': f32([2], [0, 4], 'F16') }, 4), 'w.st')).toThrow(
      'w.st: tensor "conv1.W" has dtype F16; Backprop Lab reads only F32 (float32) tensors'
    )
  })

  it('rejects a shape whose size does not match the byte span', () => {
    expect(() => decodeSafetensors(raw({ b: f32([2, 3], [0, 20]) }, 20), 'w.st')).toThrow(
      'w.st: tensor "b" has shape [2, 3] (6 float32 = 24 bytes) but its data_offsets span 20 bytes'
    )
    expect(() => decodeSafetensors(raw({ b: f32([-1], [0, 4]) }, 4))).toThrow(/tensor "b" has an invalid shape \[-1\]/)
  })

  it('rejects offsets out of bounds, reversed, overlapping, leaving gaps or leaving bytes over', () => {
    expect(() => decodeSafetensors(raw({ a: f32([4], [0, 16]) }, 8), 'w.st')).toThrow(
      'w.st: tensor "a" has data_offsets [0, 16] past the end of the data section (8 bytes)'
    )
    expect(() => decodeSafetensors(raw({ a: f32([0], [8, 4]) }, 8))).toThrow(/data_offsets \[8, 4\] that end before they begin/)
    expect(() => decodeSafetensors(raw({ a: f32([2], [0, 8]), b: f32([2], [4, 12]) }, 12), 'w.st')).toThrow(
      'w.st: tensors "a" and "b" overlap (bytes 4..8 of the data section)'
    )
    expect(() => decodeSafetensors(raw({ a: f32([1], [0, 4]), b: f32([1], [8, 12]) }, 12), 'w.st')).toThrow(
      'w.st: bytes 4..8 of the data section belong to no tensor'
    )
    expect(() => decodeSafetensors(raw({ a: f32([1], [0, 4]) }, 12), 'w.st')).toThrow('w.st: the last 8 bytes of the data section belong to no tensor')
    expect(() => decodeSafetensors(raw({ a: { dtype: 'F32', shape: [1], data_offsets: [0] } }, 4))).toThrow(/invalid data_offsets \[0\]/)
  })

  it('rejects NaN and Infinity, naming the tensor and the index', () => {
    const data = new Uint8Array(12)
    new DataView(data.buffer).setFloat32(8, Infinity, true)
    expect(() => decodeSafetensors(raw({ 'fc.b': f32([3], [0, 12]) }, data), 'w.st')).toThrow(
      'w.st: tensor "fc.b" contains Infinity at index 2; weights must be finite numbers'
    )
    new DataView(data.buffer).setFloat32(0, NaN, true)
    expect(() => decodeSafetensors(raw({ 'fc.b': f32([3], [0, 12]) }, data), 'w.st')).toThrow(/"fc.b" contains NaN at index 0/)
  })

  it('rejects malformed metadata and a __proto__ tensor name', () => {
    expect(() => decodeSafetensors(raw({ __metadata__: { spec: 3 } }), 'w.st')).toThrow('w.st: __metadata__ "spec" should be a string, not number')
    expect(() => decodeSafetensors(raw('{"__proto__": {"dtype": "F32", "shape": [0], "data_offsets": [0, 0]}}'))).toThrow(
      /"__proto__" is not an acceptable tensor name/
    )
  })
})

describe('checkWeightsAgainst', () => {
  const file = decodeSafetensors(encodeSafetensors(weights))

  it('accepts weights that match the model exactly', () => {
    expect(checkWeightsAgainst({ 'conv1.W': [2, 1, 3, 3], 'conv1.b': [2], 'affine2.W': [8, 3] }, file)).toEqual([])
  })

  it('names missing, misshaped and extra tensors with what was expected, as data and in English', () => {
    const problems = checkWeightsAgainst({ 'conv1.W': [2, 1, 5, 5], 'conv1.b': [2], 'affine2.b': [3], constructor: [1] }, file)
    expect(problems).toEqual([
      { tensor: 'conv1.W', expected: [2, 1, 5, 5], got: [2, 1, 3, 3] },
      { tensor: 'affine2.b', expected: [3], got: null },
      { tensor: 'constructor', expected: [1], got: null },
      { tensor: 'affine2.W', expected: null, got: [8, 3] }
    ])
    expect(problems.map(describeWeightProblem)).toEqual([
      'tensor "conv1.W" has shape [2, 1, 3, 3] but the model expects [2, 1, 5, 5]',
      'missing tensor "affine2.b": the model expects shape [3]',
      'missing tensor "constructor": the model expects shape [1]',
      'unexpected tensor "affine2.W" (shape [8, 3]): the model has no parameter of that name'
    ])
  })
})

describe.skipIf(!haveNumpy)('safetensors against an independent reader', () => {
  it('a plain Python reader (json + numpy.frombuffer) sees the same tensors and metadata', () => {
    const path = join(tmp, 'w.safetensors')
    writeFileSync(path, encodeModelWeights({ layers: [] }, weights))
    const out = python(
      [
        `b = open(${JSON.stringify(path)}, 'rb').read()`,
        `n = int.from_bytes(b[:8], 'little'); h = json.loads(b[8:8 + n]); d = b[8 + n:]`,
        `r = {k: [v['shape'], float(np.frombuffer(d[v['data_offsets'][0]:v['data_offsets'][1]], '<f4').astype(np.float64).sum())] for k, v in h.items() if k != '__metadata__'}`,
        `print(json.dumps({'t': r, 'm': h['__metadata__']}, sort_keys=True))`
      ].join('\n')
    )
    const parsed = JSON.parse(out) as { t: Record<string, [number[], number]>; m: Record<string, string> }
    expect(parsed.m.spec).toBe('{"layers":[]}')
    for (const [k, t] of Object.entries(weights)) {
      expect(parsed.t[k][0]).toEqual(t.shape)
      expect(parsed.t[k][1]).toBeCloseTo(t.data.reduce((s, v) => s + v, 0), 5)
    }
    expect(decodeSafetensors(readFileSync(path)).tensors['affine2.W'].data).toEqual(weights['affine2.W'].data)
  })
})
