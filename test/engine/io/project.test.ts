import { describe, expect, it } from 'vitest'
import { strToU8, unzipSync, zipSync } from 'fflate'
import * as zlib from 'node:zlib'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { Rng } from '../../../src-engine/rng'
import { presetById } from '../../../src-engine/models/presets'
import { Sequential } from '../../../src-engine/models/sequential'
import { crc32, decodeProject, encodeProject, ProjectError, projectParts, zipChunks } from '../../../src-engine/io/project'
import { encodeSafetensors } from '../../../src-engine/io/safetensors'
import { haveNumpy, python } from './numpy'
import { makeOptimizer } from '../../../src-engine/optimizers'

function trainedProject(): { bytes: Uint8Array; model: Sequential; optState: Record<string, Float32Array> } {
  const spec = presetById('mlp')!.spec
  const model = Sequential.fromSpec(spec, new Rng(1))
  const opt = makeOptimizer('Adam', 0.01)
  const x = model.inputTensor(new Float32Array(4 * 784).fill(0.5), 4)
  model.loss(x, { shape: [4], data: Float32Array.from([1, 2, 3, 4]) })
  model.backward()
  opt.update(model.params, model.grads)
  const optState = opt.state()
  const bytes = encodeProject({
    spec, presetId: 'mlp', settings: { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.01, batchSize: 100, epochs: 3, seed: 1 },
    history: { runs: [{ epochs: [{ epoch: 1, testAcc: 0.9 }] }] }, epoch: 2,
    weights: model.weights(), optimizer: { name: 'Adam', state: optState }
  })
  return { bytes, model, optState }
}

describe('project files', () => {
  it('round-trip the architecture, weights, optimizer state, history and settings', () => {
    const { bytes, model, optState } = trainedProject()
    const p = decodeProject(bytes)
    expect(p.spec).toEqual(model.spec)
    expect(p.presetId).toBe('mlp')
    expect(p.epoch).toBe(2)
    expect(p.settings?.lr).toBe(0.01)
    expect(p.history).toEqual({ runs: [{ epochs: [{ epoch: 1, testAcc: 0.9 }] }] })
    for (const [k, t] of Object.entries(model.weights())) expect(Array.from(p.weights![k].data)).toEqual(Array.from(t.data))
    expect(Object.keys(p.optimizer!.state).sort()).toEqual(Object.keys(optState).sort())
    // a model loaded from the project predicts exactly like the original
    const fresh = Sequential.fromSpec(p.spec, new Rng(99))
    fresh.loadWeights(p.weights!)
    const x = fresh.inputTensor(new Float32Array(784).fill(0.3), 1)
    expect(Array.from(fresh.predict(x).probs.data)).toEqual(Array.from(model.predict(model.inputTensor(new Float32Array(784).fill(0.3), 1)).probs.data))
  })

  it('saves an untrained project without weights', () => {
    const spec = presetById('simple-convnet')!.spec
    const p = decodeProject(encodeProject({ spec }))
    expect(p.weights).toBeUndefined()
  })

  const reject = (bytes: Uint8Array, pattern: RegExp): ProjectError => {
    let err: unknown
    try {
      decodeProject(bytes, 'mine.bplab')
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(ProjectError)
    expect((err as Error).message).toMatch(pattern)
    return err as ProjectError
  }

  it('rejects a file that is not a zip', () => {
    reject(strToU8('hello, I am a text file'), /not a Backprop Lab project, or it is damaged/)
  })

  it('rejects a truncated file', () => {
    const { bytes } = trainedProject()
    reject(bytes.subarray(0, Math.floor(bytes.length / 2)), /damaged|not a Backprop Lab project/)
  })

  it('rejects a zip without project.json, or with another format', () => {
    reject(zipSync({ 'readme.txt': strToU8('x') }), /has no project\.json/)
    reject(zipSync({ 'project.json': strToU8('{"format":"other"}') }), /not a Backprop Lab project/)
    reject(zipSync({ 'project.json': strToU8('{not json') }), /not valid JSON/)
  })

  it('rejects a project from a newer version', () => {
    reject(zipSync({ 'project.json': strToU8(JSON.stringify({ format: 'backprop-lab-project', version: 99, spec: {} })) }), /newer version/)
  })

  it('rejects an invalid architecture, naming the problem', () => {
    const spec = { input: [1, 7, 7], layers: [{ type: 'Convolution', filters: 2, kernel: 3, stride: 3 }, { type: 'Flatten' }, { type: 'Affine', units: 2 }, { type: 'SoftmaxWithLoss' }] }
    const err = reject(zipSync({ 'project.json': strToU8(JSON.stringify({ format: 'backprop-lab-project', version: 1, spec })) }), /not a whole number/)
    // the issue itself travels as data, for the page to word as the editor does
    expect(err.code).toBe('bad-spec')
    expect(err.issue).toMatchObject({ severity: 'error', layer: 0, message: expect.stringContaining('not a whole number') })
  })

  it('opens an architecture with keys of no network\'s or layer\'s (a newer lab, a hand edit), keeping its own fields only', () => {
    // such a key may hold anything: an object with a "__proto__" key was passed on to the host and the page as it was
    const hostile = '{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 1}}}'
    const json = `{"format": "backprop-lab-project", "version": 1, "spec": {"name": "n", "input": [1, 7, 7], "comment": ${hostile}, "layers": [
      {"type": "Convolution", "name": "c", "filters": 2, "kernel": 3, "pad": 1, "hasOwnProperty": ${hostile}, "future": 1},
      {"type": "Reshape", "shape": [-1]}, {"type": "Affine", "units": 2, "init": "he"}, {"type": "SoftmaxWithLoss", "__proto__": {"x": 1}}]}}`
    const p = decodeProject(zipSync({ 'project.json': strToU8(json) }))
    expect(p.spec).toEqual({
      name: 'n', input: [1, 7, 7],
      layers: [{ type: 'Convolution', name: 'c', filters: 2, kernel: 3, pad: 1 }, { type: 'Reshape', shape: [-1] }, { type: 'Affine', units: 2, init: 'he' }, { type: 'SoftmaxWithLoss' }]
    })
    for (const layer of p.spec.layers) expect([Object.getPrototypeOf(layer), Object.hasOwn(layer, '__proto__'), Object.hasOwn(layer, 'hasOwnProperty')]).toEqual([Object.prototype, false, false])
    expect(Object.keys(p.spec)).toEqual(['input', 'name', 'layers'])
  })

  it('rejects weights that do not fit the architecture, naming the tensor', () => {
    const { bytes } = trainedProject()
    const p = decodeProject(bytes)
    const other = { ...p.spec, layers: p.spec.layers.map((l) => (l.type === 'Affine' && l.units === 100 ? { ...l, units: 50 } : l)) }
    const bad = encodeProject({ spec: other, weights: p.weights })
    const err = reject(bad, /affine1\.W.*expects/)
    expect(err.code).toBe('weights-mismatch')
    expect(err.problems?.[0]).toEqual({ tensor: 'affine1.W', expected: [expect.any(Number), 50], got: [expect.any(Number), 100] })
  })

  it('refuses a part that claims an absurd size before inflating it', () => {
    const zip = zipSync({ 'project.json': strToU8('{}') })
    const view = new DataView(zip.buffer)
    for (let i = zip.length - 22; i >= 0; i--) {
      if (view.getUint32(i, true) === 0x02014b50) {
        view.setUint32(i + 24, 0xfffffff0, true) // uncompressed size in the central directory
        break
      }
    }
    reject(zip, /claims \d+ bytes/)
  })

  it('crc32 agrees with zlib\'s over odd lengths, also when continued chunk by chunk', () => {
    const bytes = new Uint8Array(1037)
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24
    // the bit-by-bit definition, as the reference
    const reference = (b: Uint8Array): number => {
      let c = 0xffffffff
      for (const x of b) {
        c ^= x
        for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
      }
      return (c ^ 0xffffffff) >>> 0
    }
    const native = (zlib as { crc32?: (d: Uint8Array, v?: number) => number }).crc32
    for (const n of [0, 1, 7, 8, 9, 15, 16, 17, 255, 1037]) {
      const part = bytes.subarray(0, n)
      expect(crc32(part)).toBe(reference(part))
      if (native) expect(crc32(part)).toBe(native(part))
    }
    expect(crc32(bytes.subarray(13), crc32(bytes.subarray(0, 13)))).toBe(reference(bytes))
    expect(crc32(strToU8('123456789'))).toBe(0xcbf43926) // the standard check value
  })

  it('writes a standard stored zip: fflate and Python\'s zipfile read every part, CRCs checked', () => {
    const { bytes, model } = trainedProject()
    const files = unzipSync(bytes)
    expect(Object.keys(files)).toEqual(['project.json', 'weights.safetensors', 'optimizer.safetensors'])
    expect(Buffer.from(files['weights.safetensors']).equals(encodeSafetensors(model.weights(), { spec: JSON.stringify(model.spec) }))).toBe(true)
    if (!haveNumpy) return
    const file = join(mkdtempSync(join(tmpdir(), 'bplab-')), 'p.bplab')
    writeFileSync(file, bytes)
    const out = python(`import zipfile\nz = zipfile.ZipFile(${JSON.stringify(file)})\nprint(z.testzip(), [(i.filename, i.compress_type, i.file_size) for i in z.infolist()], z.infolist()[0].date_time)`)
    expect(out).toBe(`None [('project.json', 0, ${files['project.json'].length}), ('weights.safetensors', 0, ${files['weights.safetensors'].length}), ('optimizer.safetensors', 0, ${files['optimizer.safetensors'].length})] (2026, 1, 1, 0, 0, 0)`)
  })

  it('projectParts are views of the tensors, and zipChunks of them is encodeProject\'s bytes', () => {
    const { model } = trainedProject()
    const weights = model.weights()
    const data = { spec: model.spec, savedAt: '2026-05-05T00:00:00.000Z', weights }
    const parts = projectParts(data)
    const w = parts.find((p) => p.name === 'weights.safetensors')!
    expect(w.chunks.slice(1).map((c) => c.buffer)).toEqual(Object.values(weights).map((t) => t.data.buffer))
    const chunks = zipChunks(parts.map((p) => ({ ...p, crc: p.chunks.reduce((c, b) => crc32(b, c), 0) })))
    expect(Buffer.concat(chunks).equals(Buffer.from(encodeProject(data)))).toBe(true)
  })

  it('refuses NaN weights, naming the tensor, unless the caller has checked them', () => {
    const { model } = trainedProject()
    const weights = model.weights()
    weights['affine2.b'].data[3] = Number.NaN
    expect(() => encodeProject({ spec: model.spec, weights })).toThrow(/"affine2\.b": value #3 is NaN/)
    expect(projectParts({ spec: model.spec, weights }, { finiteChecked: true })).toHaveLength(2)
  })
})
