/**
 * The dispatcher, channel by channel: a good payload, a wrong type, an out-of-range number and an
 * unknown sender. Every answer is a Result; nothing throws. The host is a real LabHost with the fake
 * worker, so "good" really reaches the host.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHANNELS, type Channel, type Result } from '../../src-main/ipc/contract'
import { createDispatcher, type Dispatch } from '../../src-main/ipc/handlers'
import { validatePayload } from '../../src-main/ipc/validate'
import { engineRefusal, isLabErrorCode } from '../../src-main/ipc/refuse'
import type { EngineErrorCode } from '../../src-engine/protocol'
import { PRESETS } from '../../src-engine/models/presets'
import type { LabHost } from '../../src-main/lab-host'
import { fakeHost, image, isState, mlpSpec, record, settings } from './helpers'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { encodeProject } from '../../src-engine/io/project'
import { encodeModelWeights } from '../../src-engine/io/safetensors'

// Project channels write here; the "dialog" answers with a path inside it.
const filesDir = mkdtempSync(join(tmpdir(), 'handlers-files-'))
const upload = (fileName: string, bytes: Uint8Array) => ({ from: 'upload', fileName, base64: Buffer.from(bytes).toString('base64') })
const tinyWeights = () => ({
  'affine1.W': { shape: [784, 16], data: new Float32Array(784 * 16) }, 'affine1.b': { shape: [16], data: new Float32Array(16) },
  'affine2.W': { shape: [16, 10], data: new Float32Array(160) }, 'affine2.b': { shape: [10], data: new Float32Array(10) }
})

let host: LabHost
let handle: Dispatch
let rec: ReturnType<typeof record>

beforeAll(() => {
  host = fakeHost({
    workerOptions: { workerData: { tickMs: 20, batches: 1000 } },
    dataDir: filesDir,
    files: { askSavePath: async (name) => join(filesDir, name), askOpenPath: async () => null }
  })
  handle = createDispatcher(host)
  rec = record(host)
})
afterAll(async () => { await host.dispose() })

interface Case { good: unknown; wrongType: unknown; outOfRange: unknown; badPath?: string }

/** Per channel: a payload that works, one of the wrong type, one with a number out of range. */
const cases: Record<Channel, Case> = {
  'app:info': { good: undefined, wrongType: 'please', outOfRange: 12 },
  'preset:list': { good: null, wrongType: { all: true }, outOfRange: -1 },
  'spec:validate': { good: mlpSpec(), wrongType: { input: '1,28,28', layers: [] }, outOfRange: { input: [1, 28, 28], layers: [{ type: 'Affine', units: -5 }] }, badPath: 'layers.0.units' },
  'train:start': {
    good: { spec: mlpSpec(), settings: settings() },
    wrongType: { spec: mlpSpec(), settings: { ...settings(), lr: '0.01' } },
    outOfRange: { spec: mlpSpec(), settings: settings({ lr: 50 }) },
    badPath: 'settings.lr'
  },
  'train:pause': { good: undefined, wrongType: 'now', outOfRange: 1e9 },
  'train:step': { good: undefined, wrongType: [1], outOfRange: -3 },
  'train:resume': { good: undefined, wrongType: true, outOfRange: 7 },
  'train:set-lr': { good: { lr: 0.01 }, wrongType: { lr: 'fast' }, outOfRange: { lr: 0 }, badPath: 'lr' },
  'train:set-probe': { good: { input: image(0.3) }, wrongType: { input: 'pixels' }, outOfRange: { input: image(1.5) }, badPath: 'input.0' },
  'model:predict': { good: { input: image(0.3) }, wrongType: { input: image().map(String) }, outOfRange: { input: image(-0.1) }, badPath: 'input.0' },
  'train:stop': { good: null, wrongType: {}, outOfRange: Number.MAX_VALUE },
  'data:samples': { good: { count: 3, seed: 5 }, wrongType: { count: '3' }, outOfRange: { count: 100_000 }, badPath: 'count' },
  // No number here: an unknown format is its out-of-range value.
  'model:export': { good: { format: 'safetensors' }, wrongType: { format: 5 }, outOfRange: { format: 'pdf' }, badPath: 'format' },
  'model:save-export': { good: { format: 'npz' }, wrongType: { format: 5 }, outOfRange: { format: 'pdf' }, badPath: 'format' },
  'project:save': {
    good: { project: { spec: mlpSpec(), settings: settings() }, to: 'download' },
    wrongType: { project: { spec: mlpSpec() }, to: 5 },
    outOfRange: { project: { spec: mlpSpec(), settings: settings({ lr: 50 }) }, to: 'download' },
    badPath: 'project.settings.lr'
  },
  'project:open': {
    good: upload('tiny.bplab', encodeProject({ spec: mlpSpec() })),
    wrongType: { from: 'upload', fileName: 3, base64: '' },
    outOfRange: { from: 'upload', fileName: 'x'.repeat(300), base64: '' },
    badPath: 'fileName'
  },
  'model:import-weights': {
    good: { spec: mlpSpec(), source: upload('tiny.safetensors', encodeModelWeights(mlpSpec(), tinyWeights())) },
    wrongType: { spec: mlpSpec(), source: { from: 7 } },
    outOfRange: { spec: { ...mlpSpec(), layers: [{ type: 'Affine', units: -5 }] }, source: { from: 'dialog' } },
    badPath: 'spec.layers.0.units'
  },
  'project:recent': { good: undefined, wrongType: 'all', outOfRange: 5 },
  'project:recovery': { good: null, wrongType: { now: true }, outOfRange: -2 },
  'project:discard-recovery': { good: undefined, wrongType: [0], outOfRange: 9 },
  'model:decode': { good: { code: [0, 1.5] }, wrongType: { code: ['0', 1] }, outOfRange: { code: [0, 1e9] }, badPath: 'code.1' },
  'model:ae-views': { good: { data: { kind: 'mnist' } }, wrongType: { data: { kind: 'mnist' }, testFraction: '0.2' }, outOfRange: { data: { kind: 'mnist' }, testFraction: 0.95 }, badPath: 'testFraction' },
  'model:generate': { good: { prompt: 'ab', length: 5, temperature: 0.8 }, wrongType: { prompt: 3, length: 5, temperature: 1 }, outOfRange: { prompt: 'a', length: 5000, temperature: 1 }, badPath: 'length' },
  'model:gradcheck': { good: { spec: mlpSpec(), samples: 10, bug: true }, wrongType: { spec: mlpSpec(), bug: 'yes' }, outOfRange: { spec: mlpSpec(), samples: 500 }, badPath: 'samples' },
  'model:gradcheck-cancel': { good: undefined, wrongType: { all: true }, outOfRange: 1 },
  'data:text-upload': {
    good: upload('글.txt', new TextEncoder().encode('가나다라 마바사')),
    wrongType: { from: 'upload', fileName: 3, base64: '' },
    outOfRange: { from: 'upload', fileName: 'x'.repeat(300), base64: '' },
    badPath: 'fileName'
  },
  'data:texts': { good: undefined, wrongType: { all: true }, outOfRange: 3 },
  'model:held': { good: undefined, wrongType: { all: true }, outOfRange: 3 },
  'train:current': { good: undefined, wrongType: { run: 'latest' }, outOfRange: 2 },
  'train:forget-runs': { good: { ids: ['no-such-run'] }, wrongType: { ids: 'all' }, outOfRange: { ids: ['x'.repeat(201)] }, badPath: 'ids.0' },
  'data:idx-classes': { good: { dir: '/nowhere/idx' }, wrongType: { dir: 3 }, outOfRange: { dir: 'x'.repeat(5000) }, badPath: 'dir' },
  'data:text-remove': { good: { file: '/nowhere/texts/a-0123456789abcdef.txt' }, wrongType: { file: 3 }, outOfRange: { file: 'x'.repeat(5000) }, badPath: 'file' }
}

async function call(channel: unknown, payload: unknown, senderOk = true): Promise<Result<unknown>> {
  const r = await handle(channel, payload, senderOk)
  expect(r === null || typeof r !== 'object' || !('ok' in r)).toBe(false)
  return r
}

describe('the dispatcher', () => {
  it('has a case for every contract channel', () => {
    expect(Object.keys(cases).sort()).toEqual([...CHANNELS].sort())
  })

  /** The good payloads run in an order that puts the run in the state each control needs. */
  const runOrder: Channel[] = [
    'app:info', 'preset:list', 'spec:validate', 'data:samples', 'data:text-upload', 'data:texts', 'data:text-remove',
    // The gradient check is refused while a run trains (it would hold the training thread).
    'model:gradcheck', 'model:gradcheck-cancel', 'train:start', 'train:set-probe', 'train:set-lr',
    'model:predict', 'model:decode', 'model:generate', 'model:export', 'model:save-export', 'train:pause', 'train:step', 'train:resume', 'train:stop',
    // The autoencoder views are refused while a run trains (its snapshots carry them).
    'model:ae-views',
    // Opening and importing need the run to be over.
    'project:save', 'project:open', 'model:import-weights', 'project:recent', 'project:recovery', 'project:discard-recovery', 'model:held', 'data:idx-classes', 'train:current',
    'train:forget-runs'
  ]
  const runningEvents = (): number => rec.of('state').filter((e) => e.state === 'running').length

  it('covers every channel in the run order', () => {
    expect([...runOrder].sort()).toEqual([...CHANNELS].sort())
  })

  for (const channel of runOrder) {
    const c = cases[channel]
    describe(channel, () => {
      it('accepts a good payload', async () => {
        const runningBefore = runningEvents()
        const r = await call(channel, c.good)
        expect(r, JSON.stringify(r)).toMatchObject({ ok: true })
        // Wait for the worker to confirm, so the next control finds the run in its state.
        if (channel === 'train:start') await rec.waitFor(isState('running'))
        if (channel === 'train:pause') await rec.waitFor(isState('paused'))
        if (channel === 'train:resume') await rec.waitFor(() => runningEvents() > runningBefore)
        if (channel === 'train:stop') await rec.waitFor(isState('stopped'))
        if (channel === 'model:predict' && r.ok) expect((r.value as { probs: number[] }).probs).toHaveLength(10)
        if (channel === 'model:generate' && r.ok) expect(r.value).toMatchObject({ prompt: 'ab', text: 'bbbbb' })
        if (channel === 'model:ae-views' && r.ok) expect(r.value).toMatchObject({ codes: { dims: 2, count: 3 } })
        if (channel === 'model:decode' && r.ok) expect(r.value).toMatchObject({ h: 28, w: 28, image: expect.arrayContaining([0.5]) })
        if (channel === 'model:gradcheck' && r.ok) expect(r.value).toMatchObject({ ok: true, sampled: true, bug: true, ms: expect.any(Number) })
        if (channel === 'data:samples' && r.ok) expect((r.value as { images: number[][] }).images).toHaveLength(3)
        if (channel === 'model:export' && r.ok) {
          const f = r.value as { fileName: string; bytes: number; base64: string }
          expect(f.fileName).toBe('tiny-mlp.safetensors')
          expect(Buffer.from(f.base64, 'base64').length).toBe(f.bytes)
        }
      })

      it('rejects a wrong type with a bad-payload error', async () => {
        const r = await call(channel, c.wrongType)
        expect(r.ok).toBe(false)
        if (!r.ok) {
          expect(r.error.code).toBe('bad-payload')
          expect(r.error.message).toContain(channel)
        }
      })

      it('rejects an out-of-range number, naming the field', async () => {
        const r = await call(channel, c.outOfRange)
        expect(r.ok).toBe(false)
        if (!r.ok) {
          expect(r.error.code).toBe('bad-payload')
          if (c.badPath) expect(r.error.path).toBe(c.badPath)
        }
      })

      it('refuses an unknown sender before looking at the payload', async () => {
        const r = await call(channel, c.good, false)
        expect(r).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } })
      })
    })
  }

  it('keeps the run state consistent after the sequence', () => {
    expect(host.run.state).toBe('stopped')
    // Controls after the end are refused as data, not thrown. The sequence opened a project without weights after
    // the run, which leaves the host no run or model of its own (LabHost.forgetModel): 'no-run' rather than 'bad-state'.
    return expect(call('train:pause', undefined)).resolves.toMatchObject({ ok: false, error: { code: 'no-run' } })
  })

  it('refuses a control that does not fit a run that has ended as bad-state, naming the control and the state', async () => {
    // its own host: the sequence above ends with a project opened without weights, which leaves no run to name
    const own = fakeHost({ workerOptions: { workerData: { tickMs: 20, batches: 1000 } } })
    try {
      const d = createDispatcher(own)
      const r = record(own)
      expect(await d('train:start', { spec: mlpSpec(), settings: settings() }, true)).toMatchObject({ ok: true })
      await r.waitFor(isState('running'))
      expect(await d('train:stop', undefined, true)).toMatchObject({ ok: true })
      await r.waitFor(isState('stopped'))
      for (const [channel, control] of [['train:pause', 'pause'], ['train:resume', 'resume'], ['train:step', 'step']] as const) {
        expect(await d(channel, undefined, true)).toMatchObject({ ok: false, error: { code: 'bad-state', params: { case: control, state: 'stopped' } } })
      }
    } finally {
      await own.dispose()
    }
  })

  it('rejects unknown channels of any type', async () => {
    for (const ch of ['train:explode', '__proto__', 'constructor', '', 42, null, undefined, { channel: 'app:info' }]) {
      const r = await call(ch, undefined)
      expect(r).toMatchObject({ ok: false, error: { code: 'unknown-channel' } })
    }
  })

  it('turns a throwing host into an internal error instead of an exception', async () => {
    const broken = createDispatcher({ ...host, info: () => { throw new Error('boom') } } as unknown as LabHost)
    const r = await broken('app:info', undefined, true)
    expect(r).toMatchObject({ ok: false, error: { code: 'internal' } })
  })

  it('refuses hostile payload shapes on every channel', async () => {
    const hostile: unknown[] = [
      Object.create(null), JSON.parse('{"__proto__": {"lr": 1, "count": 1}}'), [], 'x'.repeat(100_000), Symbol.for('x'), () => 1,
      new Float32Array(784), { input: new Array(784).fill(Number.NaN) }, { input: new Array(10_000).fill(0.5) }, { lr: Infinity }, { count: 2.5 }
    ]
    for (const ch of CHANNELS) {
      for (const p of hostile) {
        const r = await call(ch, p)
        expect(r, `${ch} accepted ${String(typeof p === 'symbol' ? 'a symbol' : JSON.stringify(p))?.slice(0, 60)}`).toMatchObject({ ok: false, error: { code: 'bad-payload' } })
      }
    }
  })
})

describe('payload messages say what to change', () => {
  it('names the field, the allowed range and what arrived', () => {
    const r = validatePayload('train:start', { spec: mlpSpec(), settings: settings({ batchSize: 0 }) })
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.error.path).toBe('settings.batchSize')
      expect(r.error.message).toMatch(/settings\.batchSize.*at least 1.*got 0/)
    }
  })

  it('gives the rule it broke as params the page words (field, rule, limit, what arrived)', () => {
    const r = validatePayload('train:start', { spec: mlpSpec(), settings: settings({ batchSize: 0 }) })
    expect(r).toMatchObject({ ok: false, error: { code: 'bad-payload', params: { channel: 'train:start', field: 'settings.batchSize', case: 'min', limit: 1, received: '0' } } })
    expect(validatePayload('train:set-lr', { lr: 0 })).toMatchObject({ ok: false, error: { params: { field: 'lr', case: 'gt', limit: 0 } } })
    expect(validatePayload('train:start', { spec: mlpSpec(), settings: settings({ batchSize: 2.5 }) })).toMatchObject({ ok: false, error: { params: { case: 'integer' } } })
    expect(validatePayload('train:start', { spec: mlpSpec(), settings: { ...settings(), optimizer: 'Lion' } }))
      .toMatchObject({ ok: false, error: { params: { case: 'one-of', options: '"SGD", "Momentum", "Nesterov", "AdaGrad", "RMSProp", "Adam"', received: '"Lion"' } } })
    expect(validatePayload('train:start', { spec: mlpSpec(), settings: settings({ data: { kind: 'idx', dir: '' } }) })).toMatchObject({ ok: false, error: { params: { case: 'not-empty' } } })
    expect(validatePayload('train:start', { spec: mlpSpec(), settings: settings({ data: { kind: 'idx', dir: 'a\0b' } }) })).toMatchObject({ ok: false, error: { params: { case: 'no-nul' } } })
    expect(validatePayload('model:predict', { input: image(0.5).slice(1) })).toMatchObject({ ok: false, error: { params: { field: 'input', case: 'length', limit: 784 } } })
    expect(validatePayload('train:set-lr', { lr: 'fast' })).toMatchObject({ ok: false, error: { params: { case: 'type', expected: 'number', received: '"fast"' } } })
    expect(validatePayload('project:open', { from: 'recent', path: 'a\0b' })).toMatchObject({ ok: false, error: { params: { case: 'no-nul' } } })
  })

  it('gives a file refusal the file\'s name, and a bad prompt the character the engine named, as params', async () => {
    expect(await call('project:open', upload('x.bplab', new Uint8Array([1, 2, 3])))).toMatchObject({ ok: false, error: { code: 'bad-project', params: { file: 'x.bplab' } } })
    const message = 'character "\\"" (U+0022) at position 3 is not in the vocabulary of 65'
    expect(engineRefusal({ code: 'bad-prompt', message, params: { case: 'char', char: '"', position: 3 } }))
      .toEqual({ ok: false, error: { code: 'bad-prompt', message, params: { detail: message, case: 'char', char: '"', position: 3 } } })
  })

  it('checks an engine thread\'s code: one the page has no words for becomes engine-error, keeping the code', () => {
    expect(isLabErrorCode('no-vocab')).toBe(true)
    expect(isLabErrorCode('melted')).toBe(false)
    expect(isLabErrorCode('toString')).toBe(false)
    expect(isLabErrorCode(7)).toBe(false)
    expect(engineRefusal({ code: 'no-vocab', message: 'unknown text' })).toEqual({ ok: false, error: { code: 'no-vocab', message: 'unknown text', params: { detail: 'unknown text' } } })
    expect(engineRefusal({ code: 'melted' as EngineErrorCode, message: 'it melted' }))
      .toMatchObject({ ok: false, error: { code: 'engine-error', message: expect.stringContaining('it melted'), params: { detail: 'it melted', code: 'melted' } } })
  })

  it('gives the channel of an unknown, forbidden or failing request as a param', async () => {
    expect(await call('train:explode', undefined)).toMatchObject({ ok: false, error: { code: 'unknown-channel', params: { channel: 'train:explode' } } })
    expect(await handle('app:info', undefined, false)).toMatchObject({ ok: false, error: { code: 'forbidden-sender', params: { channel: 'app:info' } } })
    const broken = createDispatcher({ ...host, info: () => { throw new Error('boom') } } as unknown as LabHost)
    expect(await broken('app:info', undefined, true)).toMatchObject({ ok: false, error: { code: 'internal', params: { channel: 'app:info', detail: 'boom' } } })
  })

  it('points into the spec at the layer and field', () => {
    const spec = { input: [1, 28, 28], layers: [{ type: 'Flatten' }, { type: 'Dropout', rate: 1.5 }] }
    const r = validatePayload('spec:validate', spec)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.path).toBe('layers.1.rate')
  })

  it('lists the layer types when one is unknown', () => {
    const r = validatePayload('spec:validate', { input: [1, 28, 28], layers: [{ type: 'Dense', units: 3 }] })
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.error.message).toMatch(/Convolution/)
      expect(r.error.message).toMatch(/Dense/)
      expect(r.error.path).toBe('layers.0.type')
    }
  })

  it('accepts every preset and keeps a layer\'s own fields only (a key of no layer\'s is dropped, not passed on)', () => {
    for (const p of PRESETS) {
      const r = validatePayload('train:start', { spec: p.spec, settings: settings() })
      expect(r.ok, `${p.id}: ${JSON.stringify(r)}`).toBe(true)
      // every field a preset's layers have is one the check knows: nothing of a real network is lost
      expect(r.ok && r.value.spec).toEqual(p.spec)
    }
    const r = validatePayload('spec:validate', { input: [1, 28, 28], futureTop: 1, layers: [{ type: 'Convolution', filters: 2, kernel: 3, futureField: 'x' }] })
    expect(r.ok && r.value).toEqual({ input: [1, 28, 28], layers: [{ type: 'Convolution', filters: 2, kernel: 3 }] })
  })

  it('refuses NaN and Infinity, which Electron IPC can carry', () => {
    const nan = image(0.5)
    nan[100] = Number.NaN
    expect(validatePayload('model:predict', { input: nan })).toMatchObject({ ok: false, error: { path: 'input.100' } })
    expect(validatePayload('train:set-lr', { lr: Infinity })).toMatchObject({ ok: false, error: { path: 'lr' } })
  })

  it('checks the data source and the paths it names', () => {
    expect(validatePayload('train:start', { spec: mlpSpec(), settings: settings({ data: { kind: 'idx', dir: '' } }) }))
      .toMatchObject({ ok: false, error: { path: 'settings.data.dir' } })
    expect(validatePayload('train:start', { spec: mlpSpec(), settings: { ...settings(), data: { kind: 'ftp' } } }))
      .toMatchObject({ ok: false, error: { code: 'bad-payload' } })
    expect(validatePayload('train:start', { spec: mlpSpec(), settings: settings({ data: { kind: 'idx', dir: '/usr/share/datasets/fashion-mnist' } }) }).ok).toBe(true)
  })
})
