import { describe, expect, it } from 'vitest'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import * as ort from 'onnxruntime-node'
import { Rng } from '../../../src-engine/rng'
import { Sequential } from '../../../src-engine/models/sequential'
import { PRESETS } from '../../../src-engine/models/presets'
import { encodeModelWeights, encodeSafetensors } from '../../../src-engine/io/safetensors'
import { decodeNpz } from '../../../src-engine/io/npz'
import { lab, tempDir, writeJson } from './helpers'

const mlp = PRESETS.find((p) => p.id === 'mlp')!.spec

function trainedModel(seed: number): Sequential {
  const model = Sequential.fromSpec(mlp, new Rng(seed))
  // Move the weights off their initial values so an export of fresh weights could not pass.
  const rng = new Rng(seed + 100)
  for (const p of model.params) for (let i = 0; i < p.data.length; i++) p.data[i] += (rng.next() - 0.5) * 0.01
  return model
}

function images(n: number, seed: number): Float32Array {
  const rng = new Rng(seed)
  return Float32Array.from({ length: n * 784 }, () => rng.next())
}

describe('lab export', () => {
  it('writes an ONNX file that ONNX Runtime runs with the engine\'s numbers, and an .npz of every tensor', async () => {
    const dir = tempDir()
    const model = trainedModel(3)
    const w = join(dir, 'mlp.safetensors')
    writeFileSync(w, encodeModelWeights(mlp, model.weights()))
    const onnxPath = join(dir, 'mlp.onnx')
    const npzPath = join(dir, 'mlp.npz')
    const r = await lab('export', '--weights', w, '--onnx', onnxPath, '--npz', npzPath, '--json')
    expect(r.code, r.err.join('\n')).toBe(0)
    expect(r.events.map((e) => e.event)).toEqual(['written', 'written', 'done'])

    const x = images(5, 9)
    const session = await ort.InferenceSession.create(readFileSync(onnxPath))
    const res = await session.run({ input: new ort.Tensor('float32', x, [5, ...mlp.input]) })
    const got = res.output.data as Float32Array
    const want = model.predict(model.inputTensor(x, 5)).probs.data
    expect(got.length).toBe(want.length)
    let worst = 0
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]))
    expect(worst).toBeLessThan(1e-4)

    const arrays = decodeNpz(readFileSync(npzPath), 'mlp.npz')
    const weights = model.weights()
    expect(Object.keys(arrays).sort()).toEqual(Object.keys(weights).sort())
    for (const [k, t] of Object.entries(weights)) {
      expect(arrays[k].shape).toEqual(t.shape)
      expect(Array.from(arrays[k].data)).toEqual(Array.from(t.data))
    }
  }, 30_000)

  it('takes the spec from --spec when the weights carry none', async () => {
    const dir = tempDir()
    const model = trainedModel(4)
    const w = join(dir, 'bare.safetensors')
    writeFileSync(w, encodeSafetensors(model.weights()))
    const npzPath = join(dir, 'bare.npz')
    const noSpec = await lab('export', '--weights', w, '--npz', npzPath)
    expect(noSpec.code).toBe(2)
    expect(noSpec.err.join('\n')).toContain('add --spec SPEC.json')
    const spec = writeJson(dir, 'mlp.json', mlp)
    const r = await lab('export', '--weights', w, '--spec', spec, '--npz', npzPath)
    expect(r.code, r.err.join('\n')).toBe(0)
    expect(existsSync(npzPath)).toBe(true)
  })

  it('refuses weights that do not fit the spec, naming the tensor, and writes nothing', async () => {
    const dir = tempDir()
    const weights = trainedModel(5).weights()
    const first = Object.keys(weights)[0]
    delete (weights as Record<string, unknown>)[first]
    const w = join(dir, 'short.safetensors')
    writeFileSync(w, encodeModelWeights(mlp, weights))
    const out = join(dir, 'short.onnx')
    const r = await lab('export', '--weights', w, '--onnx', out)
    expect(r.code).toBe(1)
    expect(r.err.join('\n')).toContain(`${first} is missing`)
    expect(existsSync(out)).toBe(false)
  })

  it('rejects a truncated file and missing outputs with clear messages', async () => {
    const dir = tempDir()
    const w = join(dir, 'cut.safetensors')
    const bytes = encodeModelWeights(mlp, trainedModel(6).weights())
    writeFileSync(w, bytes.subarray(0, bytes.length - 100))
    const cut = await lab('export', '--weights', w, '--onnx', join(dir, 'x.onnx'))
    expect(cut.code).toBe(1)
    expect(cut.err.join('\n')).toMatch(/not a usable weights file.*past the end of the data section/)
    const none = await lab('export', '--weights', w)
    expect(none.code).toBe(2)
    expect(none.err.join('\n')).toContain('--onnx OUT.onnx and/or --npz OUT.npz')
    const help = await lab('export', '--help')
    expect(help.out.join('\n')).toContain('LSTM gates are reordered')
  })
})
