/**
 * Fuzzing every request channel of the contract (ipc/contract.ts) through the dispatcher and its validator: seeded
 * near-misses of a good payload (wrong types, extra keys, "__proto__"/"constructor" keys, NaN and ±Infinity, huge
 * arrays, removed fields, deep nesting) and wholly random values. The dispatcher must answer every one with a
 * Result, never throw; a refusal is 'bad-payload' with a message naming the channel and a rule the page words; what
 * passes reaches the host with no changed prototype and no non-finite number where the contract wants a number.
 * The host is a double that records what reached it. A failure names its seed.
 */
import { describe, expect, it } from 'vitest'
import { CHANNELS, PAYLOAD_RULES, type Channel, type Result } from '../../src-main/ipc/contract'
import { createDispatcher, type HostApi } from '../../src-main/ipc/handlers'
import { validatePayload } from '../../src-main/ipc/validate'
import { below, hostileValue, mutateJson, pick, seeded, type Rand } from '../engine/io/fuzz-mutate'
import { image, mlpSpec, settings } from './helpers'

const upload = (fileName: string, text: string) => ({ from: 'upload', fileName, base64: Buffer.from(text).toString('base64') })

/** A run as the page saves it (SavedRun): its settings, curve, one epoch's report and the network it trained. */
function savedRun(): Record<string, unknown> {
  return {
    id: 'r1', specName: 'mlp', settings: settings(), state: 'done', batchX: [0.5, 1], batchLoss: [2.3, 0.4],
    epochs: [{ epoch: 1, trainLoss: 0.4, trainAcc: 0.9, testLoss: 0.5, testAcc: 0.88, seconds: 3, confusion: { classes: 2, counts: [5, 1, 0, 4] }, lr: [0.01] }],
    continues: { runId: 'r0', epochOffset: 1, xOffset: 1 }, color: '#1f77b4', spec: mlpSpec()
  }
}

/** A payload each channel accepts. */
const good: Record<Channel, unknown> = {
  'app:info': null, 'preset:list': null, 'train:pause': null, 'train:resume': null, 'train:stop': null, 'train:step': null,
  'project:recent': null, 'project:recovery': null, 'project:discard-recovery': null, 'model:gradcheck-cancel': null,
  'data:texts': null, 'model:held': null, 'train:current': null,
  'spec:validate': mlpSpec(),
  'train:start': { spec: mlpSpec(), settings: { ...settings(), extra: { images: image(0.5), labels: [3] } }, from: 'model', epochOffset: 2 },
  'train:set-lr': { lr: 0.01 },
  'train:set-probe': { input: image(0.3) },
  'model:predict': { input: image(0.3), maps: true },
  'data:samples': { count: 3, seed: 5, data: { kind: 'idx', dir: '/tmp/idx' } },
  'model:export': { format: 'onnx' },
  'model:save-export': { format: 'npz' },
  'project:save': { project: { spec: mlpSpec(), presetId: 'mlp', settings: settings(), history: { runs: [savedRun()], currentId: 'r1' }, vocab: ['a', 'b'] }, to: 'download' },
  'project:open': upload('a.bplab', 'PK'),
  'model:import-weights': { spec: mlpSpec(), source: { from: 'recent', path: '/tmp/w.safetensors' } },
  'model:decode': { code: [0, 1.5] },
  'model:ae-views': { data: { kind: 'idx', dir: '/tmp/idx' }, testFraction: 0.2 },
  'model:generate': { prompt: 'ab', length: 5, temperature: 0.8, seed: 3 },
  'data:text-upload': upload('글.txt', '가나다'),
  'data:idx-classes': { dir: '/tmp/idx' },
  'train:forget-runs': { ids: ['r1'] },
  'data:text-remove': { file: '/tmp/t.txt' },
  'model:gradcheck': { spec: mlpSpec(), seed: 1, samples: 10, bug: true }
}

/** A host double: every call answers ok and records its arguments. */
function recordingHost(): { host: HostApi; calls: unknown[][] } {
  const calls: unknown[][] = []
  const ok = (...args: unknown[]): Result<null> => {
    calls.push(args)
    return { ok: true, value: null }
  }
  const projects = new Proxy({}, { get: () => ok })
  const host = new Proxy({ projects }, { get: (t, k) => (k === 'projects' ? t.projects : ok) }) as unknown as HostApi
  return { host, calls }
}

/** Values JSON cannot carry but a structured clone (Electron IPC) can. */
function cloneOnlyValue(r: Rand): unknown {
  return pick(r, [NaN, Infinity, -Infinity, -0, 10n, new Float32Array([NaN, 1]), new Uint8Array(4), new Date(0), new Map([[1, 2]]), [, 1], new Array(5)])
}

/** Replaces one number somewhere in `v` (a clone) by NaN/±Infinity, or one value by a structured-clone-only value. */
function withCloneOnly(v: unknown, r: Rand): { value: unknown; what: string } {
  const out = structuredClone(v)
  const spots: [Record<string | number, unknown>, string | number][] = []
  const walk = (x: unknown): void => {
    if (typeof x !== 'object' || x === null) return
    for (const k of Object.keys(x)) {
      spots.push([x as Record<string | number, unknown>, Array.isArray(x) ? Number(k) : k])
      walk((x as Record<string, unknown>)[k])
    }
  }
  walk(out)
  if (spots.length === 0) return { value: cloneOnlyValue(r), what: 'root clone-only' }
  const [parent, key] = pick(r, spots)
  const value = cloneOnlyValue(r)
  parent[key] = value
  return { value: out, what: `${String(key)} = ${String(value)}` }
}

/** A value that is not a well-formed payload of its channel in a hostile way: checks what got through. */
function badThrough(v: unknown, path = 'payload', seen = new Set<unknown>()): string | null {
  if (typeof v === 'number' && !Number.isFinite(v)) return `${path} is ${v}`
  if (typeof v !== 'object' || v === null || seen.has(v)) return null
  seen.add(v)
  if (ArrayBuffer.isView(v)) return null
  const proto = Object.getPrototypeOf(v)
  if (proto !== Object.prototype && proto !== Array.prototype && proto !== null) return `${path} has prototype ${proto?.constructor?.name}`
  if (Object.hasOwn(v, '__proto__')) return `${path} carries a "__proto__" key`
  for (const [k, x] of Object.entries(v)) {
    const bad = badThrough(x, `${path}.${k}`, seen)
    if (bad) return bad
  }
  return null
}

type Failure = { channel: string; seed: number; what: string; got: string }

async function fuzzChannel(channel: Channel, cases: number): Promise<Failure[]> {
  const { host, calls } = recordingHost()
  const handle = createDispatcher(host)
  const failures: Failure[] = []
  for (let seed = 1; seed <= cases; seed++) {
    const r = seeded(seed * 7919 + CHANNELS.indexOf(channel))
    const kind = below(r, 10)
    const m = kind < 6 ? mutateJson(good[channel] ?? {}, r) : kind < 8 ? withCloneOnly(good[channel] ?? { x: 1 }, r) : kind < 9 ? { value: hostileValue(r), what: 'random value' } : { value: deep(1 + below(r, 20_000)), what: 'deeply nested' }
    calls.length = 0
    let res: Result<unknown>
    try {
      res = await handle(channel, m.value, true)
    } catch (e) {
      failures.push({ channel, seed, what: m.what, got: `threw ${(e as Error).name}: ${(e as Error).message}` })
      continue
    }
    if (typeof res !== 'object' || res === null || typeof res.ok !== 'boolean') {
      failures.push({ channel, seed, what: m.what, got: `answered ${String(res)}` })
    } else if (!res.ok) {
      const e = res.error
      const rule = e.params?.case
      if (e.code !== 'bad-payload') failures.push({ channel, seed, what: m.what, got: `refused as ${e.code}: ${e.message.slice(0, 160)}` })
      else if (!e.message.startsWith(`${channel}:`) || /Invalid (key|type|length|value)|Expected .* but received/.test(e.message)) failures.push({ channel, seed, what: m.what, got: `message ${e.message.slice(0, 160)}` })
      else if (typeof rule !== 'string' || !(PAYLOAD_RULES as readonly string[]).includes(rule)) failures.push({ channel, seed, what: m.what, got: `rule ${String(rule)}` })
    } else {
      const bad = calls.map((args) => badThrough(args)).find((b) => b !== null)
      if (bad) failures.push({ channel, seed, what: m.what, got: `reached the host with ${bad}` })
    }
  }
  return failures
}

const deep = (n: number): unknown => JSON.parse('['.repeat(n) + ']'.repeat(n))

describe('IPC payload fuzz', () => {
  it('every channel: 60 seeded near-miss and random payloads each are answered with a Result, refusals worded, nothing hostile reaching the host', async () => {
    const failures: Failure[] = []
    const t0 = performance.now()
    for (const channel of CHANNELS) failures.push(...(await fuzzChannel(channel, 60)))
    expect(failures.slice(0, 12)).toEqual([])
    expect(performance.now() - t0).toBeLessThan(10_000)
  })

  it('project:save passes on only the fields a project, a network, a layer, a saved run and its settings have (fuzz seed 16)', async () => {
    // seed 16 (M43): project.spec.layers.2.hasOwnProperty = {"__proto__": …} reached the host, as did any unknown key
    // of a saved run's settings or network: the checks were loose objects that passed such keys on unchecked
    const hostile = (): unknown => JSON.parse('{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 1}}}')
    const spec = { ...mlpSpec(), extra: hostile() } as unknown as Record<string, unknown> & { layers: Record<string, unknown>[] }
    spec.layers[2] = { ...spec.layers[2], hasOwnProperty: hostile() }
    const run = savedRun()
    const runSpec = { ...mlpSpec(), note: hostile() }
    runSpec.layers[1] = { ...runSpec.layers[1], hasOwnProperty: hostile(), units: 16 } as (typeof runSpec.layers)[number]
    Object.assign(run, {
      settings: { ...settings(), data: { kind: 'idx', dir: '/tmp/idx', evil: hostile() }, toString: hostile(), clip: 5 },
      spec: runSpec, batchX: [0.5, Infinity], batchLoss: [-Infinity, 0.4], note: hostile()
    })
    const { host, calls } = recordingHost()
    const res = await createDispatcher(host)('project:save', { project: { spec, settings: settings(), history: { runs: [run], currentId: 'r1' } }, to: 'download' }, true)
    expect(res.ok).toBe(true)
    expect(calls.map((args) => badThrough(args))).toEqual([null])
    const saved = calls[0][0] as { spec: unknown; history: { runs: Record<string, unknown>[] } }
    expect(saved.spec).toEqual(mlpSpec())
    const r = saved.history.runs[0]
    expect(Object.keys(r).sort()).toEqual(['batchLoss', 'batchX', 'color', 'continues', 'epochs', 'id', 'settings', 'spec', 'specName', 'state'])
    expect(r.settings).toEqual({ ...settings(), data: { kind: 'idx', dir: '/tmp/idx' }, clip: 5 })
    expect(r.spec).toEqual(mlpSpec())
    // ±Infinity in the curve is no value, as JSON would write it (null), not a number
    expect([r.batchX, r.batchLoss]).toEqual([[0.5, null], [null, 0.4]])
  })

  it('an unknown or hostile channel name is refused, not looked up', async () => {
    const { host, calls } = recordingHost()
    const handle = createDispatcher(host)
    for (const channel of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '', 'x'.repeat(100_000), 5, null, { toString: () => 'app:info' }]) {
      const r = await handle(channel, null, true)
      expect(r.ok).toBe(false)
      if (!r.ok) expect(r.error.code).toBe('unknown-channel')
      expect(r.ok || r.error.message.length < 2000).toBe(true)
    }
    expect(calls).toEqual([])
  })

  it('an upload carrying its file once, beside the other key left undefined (as Electron\'s IPC keeps it), has only that key', () => {
    // before, { base64, bytes: undefined } passed with its 'bytes' key, and the readers (project-read.ts uploaded,
    // `'bytes' in source`) took the undefined as the file's bytes: a TypeError from inside ('internal')
    const asBase64 = validatePayload('project:open', { from: 'upload', fileName: 'a.bplab', base64: 'AAAA', bytes: undefined })
    expect(asBase64.ok && Object.keys(asBase64.value)).toEqual(['from', 'fileName', 'base64'])
    const asBytes = validatePayload('data:text-upload', { from: 'upload', fileName: 'a.txt', base64: undefined, bytes: new Uint8Array([97]) })
    expect(asBytes.ok && Object.keys(asBytes.value)).toEqual(['from', 'fileName', 'bytes'])
    expect(validatePayload('project:open', { from: 'recent', path: '/tmp/a.bplab' })).toEqual({ ok: true, value: { from: 'recent', path: '/tmp/a.bplab' } })
  })

  it('an upload whose bytes are not bytes is refused in words about bytes, not base64', () => {
    for (const bytes of ['AAAA', [1, 2, 3], { 0: 1, length: 1 }, 5, new Float32Array(2)]) {
      const r = validatePayload('project:open', { from: 'upload', fileName: 'a.bplab', bytes })
      expect(r.ok).toBe(false)
      if (!r.ok) {
        expect(r.error.message).toMatch(/bytes/)
        expect(r.error.message).not.toMatch(/base64/)
        expect(r.error.path).toBe('bytes')
      }
    }
  })
})
