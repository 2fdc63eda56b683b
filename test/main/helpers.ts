/** Shared bits of the main-process tests: the fake worker, a small valid spec and settings, event capture. */
import { afterEach } from 'vitest'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { NetSpec } from '../../src-engine/spec-types'
import type { Checkpoint, TrainSettings } from '../../src-engine/protocol'
import { WebSocket } from 'ws'
import type { Channel, LabEvent, Result, WsServerMessage } from '../../src-main/ipc/contract'
import type { WebShell } from '../../src-main/web-shell'
import { LabHost, type LabHostOptions } from '../../src-main/lab-host'

export const fakeWorkerPath = fileURLToPath(new URL('./fixtures/fake-worker.mjs', import.meta.url))

export const mlpSpec = (): NetSpec => ({
  name: 'tiny MLP',
  input: [1, 28, 28],
  layers: [{ type: 'Flatten' }, { type: 'Affine', units: 16 }, { type: 'Relu' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }]
})

export const settings = (over: Partial<TrainSettings> = {}): TrainSettings => ({
  data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 1, weightDecay: 0, seed: 1, threads: 1, ...over
})

export const image = (first = 0): number[] => Array.from({ length: 784 }, (_, i) => (i === 0 ? first : (i % 7) / 7))

export function fakeHost(over: Partial<LabHostOptions> = {}): LabHost {
  return new LabHost({ workerPath: fakeWorkerPath, transport: 'web', version: '9.9.9-test', workerOptions: { workerData: { tickMs: 2, batches: 20 } }, ...over })
}

/**
 * A folder in the place of the built page, for the web shell's rendererDir: an index.html (`<title>lab</title>`), an
 * assets folder, and `files` (path inside the folder → text). Removing it is the caller's.
 */
export function pageFolder(prefix: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  mkdirSync(join(dir, 'assets'))
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>lab</title>')
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  return dir
}

/** A fakeHost maker for one test file: every host it makes is disposed after each test. */
export function disposingHosts(): (...a: Parameters<typeof fakeHost>) => LabHost {
  const hosts: LabHost[] = []
  afterEach(async () => {
    await Promise.all(hosts.splice(0).map((h) => h.dispose()))
  })
  return (...a) => {
    const h = fakeHost(...a)
    hosts.push(h)
    return h
  }
}

/** Records a host's events and waits for one that matches. */
export function record(host: { onEvent(l: (e: LabEvent) => void): () => void }) {
  const events: { at: number; event: LabEvent }[] = []
  const waiters: { pred: (e: LabEvent) => boolean; resolve: (e: LabEvent) => void }[] = []
  host.onEvent((event) => {
    events.push({ at: performance.now(), event })
    for (const w of [...waiters]) if (w.pred(event)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(event) }
  })
  return {
    events,
    of: <T extends LabEvent['type']>(type: T) => events.map((e) => e.event).filter((e): e is Extract<LabEvent, { type: T }> => e.type === type),
    waitFor(pred: (e: LabEvent) => boolean, ms = 10_000): Promise<LabEvent> {
      const hit = events.find((e) => pred(e.event))
      if (hit) return Promise.resolve(hit.event)
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no matching event within ${ms} ms; saw: ${events.map((e) => e.event.type).join(',')}`)), ms)
        waiters.push({ pred, resolve: (e) => { clearTimeout(t); resolve(e) } })
      })
    }
  }
}

export const isState = (state: string) => (e: LabEvent) => e.type === 'state' && e.state === state

/** The worst gap between ticks of a 1 ms timer while `work` runs: the main thread's worst stall (the stall tests). */
export async function worstStall<T>(work: () => Promise<T>): Promise<{ value: T; worstMs: number }> {
  let last = performance.now()
  let worst = 0
  const timer = setInterval(() => {
    const now = performance.now()
    worst = Math.max(worst, now - last)
    last = now
  }, 1)
  try {
    const value = await work()
    // a stall at the very end, before the timer could fire again, counts too
    return { value, worstMs: Math.max(worst, performance.now() - last) }
  } finally {
    clearInterval(timer)
  }
}

/** The names of the arrays (weights w:, optimizer state o:) that differ between two checkpoints in any bit, or that only one has. */
export function differing(a: Checkpoint, b: Checkpoint): string[] {
  const flat = (cp: Checkpoint): Map<string, Float32Array> => new Map([
    ...Object.entries(cp.weights).map(([k, t]) => [`w:${k}`, t.data] as const),
    ...Object.entries(cp.optimizer?.state ?? {}).map(([k, x]) => [`o:${k}`, x] as const)
  ])
  const fa = flat(a)
  const fb = flat(b)
  const bytes = (x: Float32Array): Buffer => Buffer.from(x.buffer, x.byteOffset, x.byteLength)
  return [...new Set([...fa.keys(), ...fb.keys()])].filter((k) => {
    const x = fa.get(k)
    const y = fb.get(k)
    return !x || !y || !bytes(x).equals(bytes(y))
  })
}

/**
 * A page's socket on a web shell: requests by id, the events it has been sent, and `until` (poll for a value, 5 s)
 * with the events' types in its timeout message.
 */
export async function pageSocket(shell: WebShell) {
  const ws = new WebSocket(`ws://127.0.0.1:${shell.port}/ws?token=${encodeURIComponent(shell.token)}`, { origin: shell.origin })
  await new Promise<void>((ok, no) => { ws.once('open', () => ok()); ws.once('error', no) })
  const events: LabEvent[] = []
  const replies = new Map<number, Result<unknown>>()
  ws.on('message', (d) => {
    const m = JSON.parse(d.toString()) as WsServerMessage
    if ('event' in m) events.push(m.event)
    else if ('result' in m) replies.set(m.id, m.result)
  })
  let nextId = 1
  const until = async <T>(got: () => T | undefined, ms = 5000): Promise<T> => {
    const t0 = Date.now()
    for (;;) {
      const v = got()
      if (v !== undefined) return v
      if (Date.now() - t0 > ms) throw new Error(`timed out; events ${JSON.stringify(events.map((e) => e.type)).slice(0, 200)}`)
      await new Promise((r) => setTimeout(r, 5))
    }
  }
  return {
    ws,
    events,
    until,
    request: async <T>(channel: Channel, payload?: unknown): Promise<Result<T>> => {
      const id = nextId++
      ws.send(JSON.stringify({ id, channel, payload }))
      return (await until(() => replies.get(id))) as Result<T>
    },
    state: (state: string) => until(() => events.find((e) => e.type === 'state' && e.state === state))
  }
}
