/**
 * Projects, weights import/export and the autosave through the host's request path (the dispatcher
 * both transports use) with the real training worker: round trips give identical predictions, bad
 * files are refused with messages naming the tensor and leave the loaded model untouched, and a
 * process killed after two epochs leaves an autosave with the second epoch's weights and history.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { strToU8, unzipSync, zipSync } from 'fflate'
import * as ort from 'onnxruntime-node'
import { LabHost } from '../../src-main/lab-host'
import { createDispatcher } from '../../src-main/ipc/handlers'
import type { OpenedProject, Result, SavedFile, ExportedFile, Prediction, RecoveryInfo, LabError } from '../../src-main/ipc/contract'
import { PRESETS } from '../../src-engine/models/presets'
import { encodeModelWeights, encodeSafetensors, decodeSafetensors } from '../../src-engine/io/safetensors'
import { decodeProject, encodeProject } from '../../src-engine/io/project'
import { decodeNpz } from '../../src-engine/io/npz'
import { loadTrainData, specForData } from '../../src-engine/train/data'
import { Trainer } from '../../src-engine/train/trainer'
import type { NetSpec } from '../../src-engine/spec-types'
import { image, record, settings } from './helpers'
import { bundleEngineWorker, bundleEntry, bundleWorker } from '../helpers/bundle'

const mlp = PRESETS.find((p) => p.id === 'mlp')!.spec as NetSpec

let workerPath: string
/** Projects are opened in the reader thread, as the app and the web shell open them (src-main/project-read.ts). */
let projectReader: string
const hosts: LabHost[] = []
function newHost(dataDir?: string): { host: LabHost; call: (channel: string, payload?: unknown) => Promise<Result<unknown>> } {
  const host = new LabHost({ workerPath, projectReader, transport: 'web', version: 'test', ...(dataDir ? { dataDir } : {}) })
  hosts.push(host)
  const dispatch = createDispatcher(host)
  return { host, call: (channel, payload) => dispatch(channel, payload, true) }
}

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64')
const bytesOf = (base64: string): Uint8Array => new Uint8Array(Buffer.from(base64, 'base64'))
const upload = (fileName: string, bytes: Uint8Array) => ({ from: 'upload', fileName, base64: b64(bytes) })

function ok<T>(r: Result<unknown>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`)
  return r.value as T
}

async function predictAll(call: (c: string, p?: unknown) => Promise<Result<unknown>>, n = 4): Promise<number[][]> {
  const out: number[][] = []
  for (let i = 0; i < n; i++) out.push(ok<Prediction>(await call('model:predict', { input: image(i / n) })).probs)
  return out
}

// One trained MLP shared by the tests below.
let trained: ReturnType<typeof newHost>
let trainedWeights: Uint8Array
let trainedPredictions: number[][]

beforeAll(async () => {
  ;[workerPath, projectReader] = await Promise.all([bundleEngineWorker(), bundleWorker('src-main/project-reader.ts')])
  trained = newHost()
  const rec = record(trained.host)
  ok(await trained.call('train:start', { spec: mlp, settings: settings({ epochs: 1, seed: 3 }) }))
  await rec.waitFor((e) => e.type === 'state' && (e.state === 'done' || e.state === 'failed'), 90_000)
  trainedWeights = bytesOf(ok<ExportedFile>(await trained.call('model:export', { format: 'safetensors' })).base64)
  trainedPredictions = await predictAll(trained.call)
}, 120_000)

afterAll(async () => {
  await Promise.all(hosts.map((h) => h.dispose()))
})

describe('weights: export, import, round trip', () => {
  it('imports exported safetensors into a fresh project and predicts identically', async () => {
    const fresh = newHost()
    const none = await fresh.call('model:predict', { input: image(0) })
    expect(!none.ok && none.error.code).toBe('no-model')
    const r = ok<{ tensors: number; params: number }>(await fresh.call('model:import-weights', { spec: mlp, source: upload('mlp.safetensors', trainedWeights) }))
    expect(r.tensors).toBe(4)
    expect(await predictAll(fresh.call)).toEqual(trainedPredictions)
    // imported weights carry no optimizer state: the save says so (the page's notice does not claim any)
    const saved = ok<SavedFile>(await fresh.call('project:save', { project: { spec: mlp }, to: 'download' }))
    expect(saved).toMatchObject({ hasWeights: true, hasOptimizer: false })
    expect(decodeProject(bytesOf(saved.base64!)).optimizer).toBeUndefined()
  }, 30_000)

  it('exports .npz and ONNX through the channel: the same tensors, and ONNX Runtime agrees within 1e-4', async () => {
    const npz = ok<ExportedFile>(await trained.call('model:export', { format: 'npz' }))
    expect(npz.fileName).toMatch(/\.npz$/)
    const arrays = decodeNpz(bytesOf(npz.base64))
    const st = decodeSafetensors(trainedWeights)
    expect(Object.keys(arrays).sort()).toEqual(Object.keys(st.tensors).sort())
    for (const [k, t] of Object.entries(st.tensors)) {
      expect(arrays[k].shape).toEqual(t.shape)
      expect(Array.from(arrays[k].data)).toEqual(Array.from(t.data))
    }
    const onnx = ok<ExportedFile>(await trained.call('model:export', { format: 'onnx' }))
    const session = await ort.InferenceSession.create(bytesOf(onnx.base64))
    for (let i = 0; i < trainedPredictions.length; i++) {
      const res = await session.run({ input: new ort.Tensor('float32', Float32Array.from(image(i / trainedPredictions.length)), [1, 1, 28, 28]) })
      const got = Array.from(res.output.data as Float32Array)
      got.forEach((v, k) => expect(Math.abs(v - trainedPredictions[i][k])).toBeLessThan(1e-4))
    }
  }, 30_000)

  it('refuses a desktop-only request (dialog) in the web shell with a clear code', async () => {
    const r = await trained.call('model:save-export', { format: 'onnx' })
    expect(!r.ok && r.error.code).toBe('no-dialog')
  })
})

describe('bad weights files are refused, naming the problem, and the loaded model is untouched', () => {
  let target: ReturnType<typeof newHost>
  let before: number[][]
  beforeAll(async () => {
    target = newHost()
    ok(await target.call('model:import-weights', { spec: mlp, source: upload('good.safetensors', trainedWeights) }))
    before = await predictAll(target.call)
  }, 30_000)

  const tensors = () => {
    const t = decodeSafetensors(trainedWeights).tensors
    return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, { shape: [...v.shape], data: v.data.slice() }]))
  }

  async function refused(name: string, bytes: Uint8Array, code: string, ...parts: (string | RegExp)[]): Promise<LabError | undefined> {
    const r = await target.call('model:import-weights', { spec: mlp, source: upload(name, bytes) })
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.error.code).toBe(code)
    for (const p of parts) expect(r.error.message).toMatch(p)
    expect(await predictAll(target.call)).toEqual(before)
    return r.error
  }

  it('a missing tensor', async () => {
    const t = tensors()
    delete t['affine2.b']
    const e = await refused('short.safetensors', encodeModelWeights(mlp, t), 'weights-mismatch', 'missing tensor "affine2.b"', 'expects shape [10]', 'Nothing was changed')
    // the page says "missing", not "differs" (Q4 B7)
    expect(e?.params).toMatchObject({ case: 'import-missing', tensor: 'affine2.b', count: 1 })
  })

  it('a tensor the architecture has no place for', async () => {
    const t = { ...tensors(), 'foo.W': { shape: [2], data: new Float32Array(2) } }
    const e = await refused('extra.safetensors', encodeModelWeights(mlp, t), 'weights-mismatch', 'unexpected tensor "foo.W"')
    expect(e?.params).toMatchObject({ case: 'import-extra', tensor: 'foo.W', count: 1 })
  })

  it('another of the lab\'s files picked by mistake: a project, an .npz export, an ONNX model, a spec (Q4 B7)', async () => {
    const project = encodeProject({ spec: mlp, weights: decodeSafetensors(trainedWeights).tensors })
    expect((await refused('renamed.safetensors', project, 'bad-weights'))?.params).toMatchObject({ case: 'other-project', file: 'renamed.safetensors' })
    const npz = zipSync({ 'affine1.W.npy': Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]) })
    expect((await refused('model.npz', npz, 'bad-weights'))?.params).toMatchObject({ case: 'other-npz' })
    expect((await refused('model.onnx', Uint8Array.from([0x08, 0x07, 0x12, 0x0c, ...strToU8('backprop-lab'), 0, 0, 0, 0]), 'bad-weights'))?.params).toMatchObject({ case: 'other-onnx' })
    expect((await refused('spec.safetensors', strToU8(JSON.stringify(mlp)), 'bad-weights'))?.params).toMatchObject({ case: 'other-json' })
  })

  it('a tensor of the wrong shape', async () => {
    const t = tensors()
    t['affine1.W'] = { shape: [100, 784], data: t['affine1.W'].data }
    t['affine2.W'] = { shape: [10, 100], data: t['affine2.W'].data }
    const e = await refused('transposed.safetensors', encodeModelWeights(mlp, t), 'weights-mismatch', 'tensor "affine1.W" has shape [100, 784] but the model expects [784, 100]')
    // the page words it from data: the first tensor that differs and how many do
    expect(e?.params).toMatchObject({ case: 'import', file: 'transposed.safetensors', tensor: 'affine1.W', count: 2 })
  })

  it('an open architecture that is not valid: refused with its first issue, for the page to word as the editor does', async () => {
    const broken = { input: [1, 28, 28], layers: [{ type: 'Convolution', filters: 4, kernel: 40 }] } as NetSpec
    const r = await target.call('model:import-weights', { spec: broken, source: upload('w.safetensors', encodeModelWeights(mlp, tensors())) })
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-spec', params: { case: 'import', type: 'Convolution' }, issue: { code: 'conv-kernel-too-large', layer: 0 } } })
    expect(await predictAll(target.call)).toEqual(before)
  })

  it('a tensor of another dtype', async () => {
    const bytes = encodeModelWeights(mlp, tensors())
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true))
    const header = new TextDecoder().decode(bytes.subarray(8, 8 + n)).replace('"F32"', '"F16"')
    const edited = new Uint8Array(bytes)
    edited.set(new TextEncoder().encode(header), 8)
    const e = await refused('half.safetensors', edited, 'bad-weights', /tensor "[\w.]+" has dtype F16; Backprop Lab reads only F32/)
    // the page words it from data: the type, not the reader's English
    expect(e?.params).toMatchObject({ case: 'dtype', dtype: 'F16', file: 'half.safetensors' })
  })

  it('a truncated file', async () => {
    await refused('cut.safetensors', trainedWeights.subarray(0, trainedWeights.length - 1000), 'bad-weights', 'past the end of the data section')
  })

  it('a corrupt file (not safetensors at all)', async () => {
    const junk = new Uint8Array(4096).map((_, i) => (i * 151 + 7) % 256)
    expect((await refused('junk.safetensors', junk, 'bad-weights', /header/))?.params).toMatchObject({ case: 'format', file: 'junk.safetensors' })
  })

  it('a hostile header length (8 exabytes)', async () => {
    const hostile = new Uint8Array(64)
    new DataView(hostile.buffer).setBigUint64(0, 0x7fffffffffffffffn, true)
    expect((await refused('huge.safetensors', hostile, 'bad-weights', 'more than the 104,857,600-byte limit'))?.params?.case).toBe('format')
  })

  it('a header length past the end of the file', async () => {
    const h = new Uint8Array(64)
    new DataView(h.buffer).setBigUint64(0, 1000n, true)
    await refused('past.safetensors', h, 'bad-weights', 'runs past the end of the file')
  })

  it('a huge declared tensor size', async () => {
    const header = new TextEncoder().encode(JSON.stringify({ 'affine1.W': { dtype: 'F32', shape: [1e9, 1e6], data_offsets: [0, 4e15] } }))
    const bytes = new Uint8Array(8 + header.length)
    new DataView(bytes.buffer).setBigUint64(0, BigInt(header.length), true)
    bytes.set(header, 8)
    await refused('giant.safetensors', bytes, 'bad-weights', 'tensor "affine1.W"', 'past the end of the data section')
  })

  it('NaN-filled tensors', async () => {
    const t = tensors()
    const bytes = encodeModelWeights(mlp, t)
    // Write NaN over the first float of affine2.b (the last tensor) after encoding (the encoder refuses NaN).
    new DataView(bytes.buffer).setFloat32(bytes.length - 40, NaN, true)
    const e = await refused('nan.safetensors', bytes, 'bad-weights', /tensor "affine2.b" contains NaN/, 'must be finite')
    // the page words it from data: the file, and what is wrong with it (without the file's name again)
    // with the tensor, the value and its index as facts the page words in its language (ko gave the English in parentheses)
    expect(e?.params).toEqual({ file: 'nan.safetensors', detail: 'tensor "affine2.b" contains NaN at index 0; weights must be finite numbers', case: 'value', tensor: 'affine2.b', value: 'NaN', index: 0 })
  })

  it('a file whose base64 is not base64 is refused at the boundary', async () => {
    const r = await target.call('model:import-weights', { spec: mlp, source: { from: 'upload', fileName: 'x', base64: 'not base64!' } })
    expect(!r.ok && r.error.code).toBe('bad-payload')
    expect(await predictAll(target.call)).toEqual(before)
  })
})

describe('projects', () => {
  it('saves the project (weights, optimizer state, history, settings) and opens it in a fresh host with identical predictions', async () => {
    const history = { runs: [{ id: 'run-1', specName: 'MLP', settings: settings({ seed: 3 }), state: 'done', batchX: [0.5, 1], batchLoss: [1.2, 0.4], epochs: [{ epoch: 1, trainLoss: 0.5, trainAcc: 0.9, testLoss: 0.4, testAcc: 0.91, seconds: 2 }] }], currentId: 'run-1' }
    const saved = ok<SavedFile>(await trained.call('project:save', { project: { spec: mlp, presetId: 'mlp', settings: settings({ seed: 3 }), history }, to: 'download' }))
    expect(saved.hasWeights).toBe(true)
    expect(saved.hasOptimizer).toBe(true)
    const bytes = bytesOf(saved.base64!)
    const decoded = decodeProject(bytes)
    expect(decoded.optimizer?.name).toBe('Adam')
    expect(Object.keys(decoded.optimizer!.state).length).toBeGreaterThan(4)
    expect(decoded.epoch).toBe(1)

    const fresh = newHost()
    const opened = ok<OpenedProject>(await fresh.call('project:open', upload(saved.fileName, bytes)))
    expect(opened.hasWeights).toBe(true)
    expect(opened.presetId).toBe('mlp')
    expect(opened.settings?.seed).toBe(3)
    expect(opened.history).toEqual(history)
    expect(await predictAll(fresh.call)).toEqual(trainedPredictions)
  }, 30_000)

  it('saves without weights when the architecture was edited after training (they would not fit)', async () => {
    const edited: NetSpec = { ...mlp, layers: mlp.layers.map((l) => (l.type === 'Affine' && l.units === 100 ? { ...l, units: 50 } : l)) }
    const saved = ok<SavedFile>(await trained.call('project:save', { project: { spec: edited }, to: 'download' }))
    expect(saved.hasWeights).toBe(false)
    expect(decodeProject(bytesOf(saved.base64!)).weights).toBeUndefined()
  })

  describe('bad project files are refused before anything changes', () => {
    let target: ReturnType<typeof newHost>
    let before: number[][]
    beforeAll(async () => {
      target = newHost()
      ok(await target.call('model:import-weights', { spec: mlp, source: upload('good.safetensors', trainedWeights) }))
      before = await predictAll(target.call)
    }, 30_000)

    async function refused(name: string, bytes: Uint8Array, code: string, part: string | RegExp): Promise<LabError | undefined> {
      const r = await target.call('project:open', upload(name, bytes))
      expect(r.ok).toBe(false)
      if (r.ok) return
      expect(r.error.code).toBe(code)
      expect(r.error.message).toMatch(part)
      expect(await predictAll(target.call)).toEqual(before)
      return r.error
    }

    const weights = () => decodeSafetensors(trainedWeights).tensors

    it('not a zip', () => refused('notes.bplab', strToU8('hello'), 'bad-project', 'is not a Backprop Lab project, or it is damaged'))
    it('a truncated project', () => {
      const bytes = encodeProject({ spec: mlp, weights: weights() })
      return refused('cut.bplab', bytes.subarray(0, bytes.length - 500), 'bad-project', 'damaged')
    })
    it('a zip that is not a project', () => refused('other.bplab', zipSync({ 'readme.txt': strToU8('hi') }), 'bad-project', 'has no project.json'))
    it('weights that do not fit the project\'s own architecture', () => {
      const w = weights()
      w['affine1.b'] = { shape: [7], data: new Float32Array(7) }
      return refused('mismatch.bplab', encodeProject({ spec: mlp, weights: w }), 'weights-mismatch', 'tensor "affine1.b" has shape [7] but the model expects [100]')
    })
    it('an invalid architecture, with its first issue for the page to word as the editor does', async () => {
      const e = await refused('bad-spec.bplab', encodeProject({ spec: { input: [1, 28, 28], layers: [{ type: 'Convolution', filters: 4, kernel: 40 }] } as NetSpec }), 'bad-spec', 'its architecture is not valid')
      expect(e?.params).toEqual({ file: 'bad-spec.bplab' })
      expect(e?.issue).toMatchObject({ severity: 'error', layer: 0, code: expect.any(String) })
    })
    it('weights holding a NaN, or a part claiming a 1 TB header: named for the page, not only "damaged" (Q4 B7)', async () => {
      const parts = unzipSync(encodeProject({ spec: mlp, weights: weights() }))
      const w = parts['weights.safetensors'].slice()
      new DataView(w.buffer).setFloat32(w.length - 40, NaN, true)
      let e = await refused('nan.bplab', zipSync({ ...parts, 'weights.safetensors': w }), 'bad-project', 'contains NaN')
      expect(e?.params).toEqual({ file: 'nan.bplab', case: 'part-value', part: 'weights.safetensors', tensor: 'affine2.b', value: 'NaN', index: 0 })
      const huge = parts['weights.safetensors'].slice()
      new DataView(huge.buffer).setBigUint64(0, 2n ** 40n, true)
      e = await refused('huge.bplab', zipSync({ ...parts, 'weights.safetensors': huge }), 'bad-project', 'damaged')
      expect(e?.params).toEqual({ file: 'huge.bplab', case: 'part-damaged', part: 'weights.safetensors' })
    })
    it('a project from a newer lab', () => {
      const json = JSON.stringify({ format: 'backprop-lab-project', version: 99, savedAt: '', spec: mlp })
      return refused('new.bplab', zipSync({ 'project.json': strToU8(json) }), 'newer-project', 'newer version of the lab')
    })
    it('a hostile part size', () => {
      const bytes = encodeProject({ spec: mlp })
      // Patch the central directory's uncompressed size of project.json to ~4 GB.
      const view = new DataView(bytes.buffer)
      for (let i = bytes.length - 22; i >= 0; i--) {
        if (view.getUint32(i, true) === 0x02014b50) { view.setUint32(i + 24, 0xfffffff0, true); break }
      }
      return refused('bomb.bplab', bytes, 'bad-project', /claims \d+ bytes|damaged/)
    })
  })
})

describe('a project opened without weights', () => {
  it('leaves the host holding no model: held, predict, export and a run from the model all say there is none', async () => {
    const host = newHost()
    ok(await host.call('model:import-weights', { spec: mlp, source: upload('good.safetensors', trainedWeights) }))
    expect(ok<{ spec: NetSpec } | null>(await host.call('model:held'))?.spec).toEqual(mlp)
    // the same architecture, untrained: the page shows it untrained, and the host no longer holds the imported model
    const opened = ok<OpenedProject>(await host.call('project:open', upload('untrained.bplab', encodeProject({ spec: mlp }))))
    expect(opened.hasWeights).toBe(false)
    expect(ok(await host.call('model:held'))).toBeNull()
    for (const [channel, payload] of [['model:predict', { input: image(0) }], ['model:export', { format: 'safetensors' }]] as const) {
      const r = await host.call(channel, payload)
      expect(!r.ok && r.error.code, channel).toBe('no-model')
    }
    // a run "from the model" has none to continue: it starts as a fresh MLP does, near ln 10
    const rec = record(host.host)
    ok(await host.call('train:start', { spec: mlp, settings: settings({ epochs: 1, seed: 3 }), from: 'model' }))
    await rec.waitFor((e) => e.type === 'batches', 60_000)
    ok(await host.call('train:stop'))
    await rec.waitFor((e) => e.type === 'state' && (e.state === 'done' || e.state === 'stopped' || e.state === 'failed'), 60_000)
    expect(rec.of('batches')[0].points[0].loss).toBeGreaterThan(1.5)
  }, 90_000)
})

describe('continuing training', () => {
  it('a run with from "model" starts from an opened project\'s weights and Adam state', async () => {
    const saved = ok<SavedFile>(await trained.call('project:save', { project: { spec: mlp }, to: 'download' }))
    const fresh = newHost()
    ok(await fresh.call('project:open', upload(saved.fileName, bytesOf(saved.base64!))))
    const rec = record(fresh.host)
    ok(await fresh.call('train:start', { spec: mlp, settings: settings({ epochs: 1, seed: 3 }), from: 'model' }))
    await rec.waitFor((e) => e.type === 'state' && (e.state === 'done' || e.state === 'failed'), 90_000)
    const firstLoss = rec.of('batches')[0].points[0].loss
    // A fresh MLP starts near ln 10 ≈ 2.3; one trained for an epoch is far below that.
    expect(firstLoss).toBeLessThan(0.8)
    const model = ok<{ optimizer?: { state: Record<string, Float32Array> } }>(await fresh.host.getModel())
    // Adam's step count went on from the saved 80 steps: 80 + 80.
    expect(Array.from(model.optimizer!.state.iter)).toEqual([160])

    // Without it, the same start is fresh.
    const rec2 = record(fresh.host)
    ok(await fresh.call('train:start', { spec: mlp, settings: settings({ epochs: 1, seed: 3 }) }))
    await rec2.waitFor((e) => e.type === 'state' && (e.state === 'done' || e.state === 'failed') && rec2.of('batches').length > 0, 90_000)
    expect(rec2.of('batches')[0].points[0].loss).toBeGreaterThan(1.5)
  }, 120_000)
})

describe('autosave', () => {
  it('a process killed during training after two epochs leaves an autosave with the second epoch\'s weights and history', async () => {
    const child = await bundleEntry('test/main/fixtures/autosave-child.ts', 'cjs')
    const dataDir = mkdtempSync(join(tmpdir(), 'lab-data-'))
    const recovery = join(dataDir, 'recovery.bplab')
    const proc = spawn(process.execPath, [child, workerPath, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    proc.stdout.on('data', (d: Buffer) => { out += d.toString() })
    proc.stderr.on('data', (d: Buffer) => { out += d.toString() })
    const exited = new Promise<void>((r) => proc.on('exit', () => r()))
    // Wait for the autosave of epoch 2 (it is written right after the epoch report), then kill.
    const deadline = Date.now() + 150_000
    let epochOnDisk = 0
    while (Date.now() < deadline && epochOnDisk < 2) {
      await new Promise((r) => setTimeout(r, 50))
      if (!existsSync(recovery)) continue
      try { epochOnDisk = decodeProject(readFileSync(recovery)).epoch ?? 0 } catch { /* being replaced; try again */ }
    }
    proc.kill('SIGKILL')
    await exited
    expect(epochOnDisk, out).toBe(2)
    expect(out).not.toMatch(/epoch 50/)

    // "Restart": a new host on the same data folder offers the autosave, then opens it.
    const { call } = newHost(dataDir)
    const info = ok<RecoveryInfo | null>(await call('project:recovery'))
    expect(info).toMatchObject({ epoch: 2, runs: 1 })
    const opened = ok<OpenedProject>(await call('project:open', { from: 'recovery' }))
    expect(opened.hasWeights).toBe(true)
    expect(opened.epoch).toBe(2)
    const run = opened.history!.runs[0]
    expect(run.epochs.map((e) => e.epoch)).toEqual([1, 2])
    expect(run.batchLoss.length).toBe(160) // 8,000 examples / 100 per batch × 2 epochs
    expect(Math.max(...run.batchX)).toBe(2)

    // The weights are exactly those after epoch 2 of the same seeded run, trained again here.
    const data = loadTrainData({ kind: 'mnist' }, undefined, mlp)
    const trainer = new Trainer({ spec: specForData(mlp, data), settings: { optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 2, weightDecay: 0, seed: 5 }, data })
    await trainer.run()
    const want = trainer.model.weights()
    const got = decodeProject(readFileSync(recovery)).weights!
    let worst = 0
    for (const [k, t] of Object.entries(want)) {
      const g = got[k].data
      for (let i = 0; i < t.data.length; i++) worst = Math.max(worst, Math.abs(g[i] - t.data[i]))
    }
    expect(worst).toBe(0)
    // Predictions work at once from the recovered model.
    const p = ok<Prediction>(await call('model:predict', { input: image(0.3) }))
    expect(p.probs.length).toBe(10)

    // Discard removes it; nothing is offered afterwards.
    ok(await call('project:discard-recovery'))
    expect(ok<RecoveryInfo | null>(await call('project:recovery'))).toBeNull()
  }, 240_000)
})
