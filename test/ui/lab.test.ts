import { afterEach, describe, expect, it, vi } from 'vitest'
import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import type { AddressInfo } from 'node:net'
import {
  createElectronLab, createWsLab, reviveSnapshot, toFloat32, wsUrlFor, SLICE_BYTES, type LabStatus, type SocketLike
} from '../../src-renderer/lib/lab'
import type { LabApi, LabEvent, Result, WsClientMessage } from '../../src-main/ipc/contract'

// The ui project resolves packages for the browser, where `ws` is a stub; load Node's build directly.
// (The package's export map would pick its browser stub here, so name the Node entry file.)
const nodeRequire = createRequire(resolve(process.cwd(), 'package.json'))
const { WebSocketServer, WebSocket: NodeWebSocket } = nodeRequire(nodeRequire.resolve('ws').replace(/browser\.js$/, 'index.js')) as typeof import('ws')
type WebSocketServer = import('ws').WebSocketServer

/** A socket the test drives by hand: open(), reply(), drop(). */
class FakeSocket implements SocketLike {
  static all: FakeSocket[] = []
  readyState = 0
  onopen: ((ev: unknown) => void) | null = null
  onclose: ((ev: unknown) => void) | null = null
  onerror: ((ev: unknown) => void) | null = null
  onmessage: ((ev: { data: unknown }) => void) | null = null
  sent: WsClientMessage[] = []
  constructor(readonly url: string) {
    FakeSocket.all.push(this)
  }
  send(data: string): void {
    if (this.readyState !== 1) throw new Error('not open')
    this.sent.push(JSON.parse(data) as WsClientMessage)
  }
  close(): void {
    this.drop()
  }
  open(): void {
    this.readyState = 1
    this.onopen?.({})
  }
  drop(): void {
    if (this.readyState === 3) return
    this.readyState = 3
    this.onclose?.({})
  }
  push(frame: unknown): void {
    this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) })
  }
}

const PAGE = 'http://127.0.0.1:4321/?token=abc%20def'

function fakeLab(extra: Partial<Parameters<typeof createWsLab>[0]> = {}) {
  FakeSocket.all = []
  return createWsLab({ pageUrl: PAGE, connect: (u) => new FakeSocket(u), ...extra })
}

afterEach(() => {
  vi.useRealTimers()
})

describe('wsUrlFor', () => {
  it('builds the socket address from the page host and its token', () => {
    expect(wsUrlFor(PAGE)).toBe('ws://127.0.0.1:4321/ws?token=abc%20def')
    expect(wsUrlFor('https://lab.example:8443/index.html?token=t1')).toBe('wss://lab.example:8443/ws?token=t1')
  })
  it('gives null when the page has no token', () => {
    expect(wsUrlFor('http://127.0.0.1:4321/')).toBeNull()
    expect(wsUrlFor('http://127.0.0.1:4321/?token=')).toBeNull()
  })
})

describe('the WebSocket client', () => {
  it('without a token, answers every request with a no-token error and never connects', async () => {
    const connect = vi.fn()
    const lab = createWsLab({ pageUrl: 'http://127.0.0.1:1/', connect })
    expect(lab.status).toBe('no-token')
    const r = await lab.request('app:info', undefined)
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.error.code).toBe('no-token')
      expect(r.error.message).toContain('npm run web')
    }
    expect(connect).not.toHaveBeenCalled()
  })

  it('matches replies to requests by id, whatever order they arrive in', async () => {
    const lab = fakeLab()
    const s = FakeSocket.all[0]
    s.open()
    const a = lab.request('app:info', undefined)
    const b = lab.request('train:set-lr', { lr: 0.01 })
    expect(s.sent.map((m) => m.channel)).toEqual(['app:info', 'train:set-lr'])
    expect(s.sent[1].payload).toEqual({ lr: 0.01 })
    expect(s.sent[0].id).not.toBe(s.sent[1].id)
    s.push({ id: s.sent[1].id, result: { ok: false, error: { code: 'bad-payload', message: 'lr', path: 'lr' } } })
    s.push({ id: s.sent[0].id, result: { ok: true, value: { version: '1', transport: 'web', threads: 2, platform: 'linux' } } })
    const [ra, rb] = await Promise.all([a, b])
    expect(ra).toEqual({ ok: true, value: { version: '1', transport: 'web', threads: 2, platform: 'linux' } })
    expect(rb.ok).toBe(false)
    if (!rb.ok) expect(rb.error.path).toBe('lr')
  })

  it('holds requests made while connecting and sends them once the socket opens', async () => {
    const lab = fakeLab()
    const s = FakeSocket.all[0]
    const p = lab.request('preset:list', undefined)
    expect(s.sent).toHaveLength(0)
    s.open()
    expect(s.sent).toHaveLength(1)
    s.push({ id: s.sent[0].id, result: { ok: true, value: [] } })
    expect(await p).toEqual({ ok: true, value: [] })
  })

  it('fails in-flight requests when the connection drops, then reconnects with growing delays', async () => {
    vi.useFakeTimers()
    const statuses: LabStatus[] = []
    const lab = fakeLab({ baseDelayMs: 100, maxDelayMs: 350 })
    lab.onStatus((st) => statuses.push(st))
    FakeSocket.all[0].open()
    const inFlight = lab.request('train:stop', undefined)
    FakeSocket.all[0].drop()
    const r = await inFlight
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.code).toBe('disconnected')
    expect(lab.status).toBe('reconnecting')

    // Attempts at +100, then +200, then capped at +350 while the server stays away.
    vi.advanceTimersByTime(99)
    expect(FakeSocket.all).toHaveLength(1)
    vi.advanceTimersByTime(1)
    expect(FakeSocket.all).toHaveLength(2)
    FakeSocket.all[1].drop()
    vi.advanceTimersByTime(199)
    expect(FakeSocket.all).toHaveLength(2)
    vi.advanceTimersByTime(1)
    expect(FakeSocket.all).toHaveLength(3)
    FakeSocket.all[2].drop()
    vi.advanceTimersByTime(349)
    expect(FakeSocket.all).toHaveLength(3)
    vi.advanceTimersByTime(1)
    expect(FakeSocket.all).toHaveLength(4)

    // A request made now waits; the socket comes back; the request goes out on it.
    const waiting = lab.request('app:info', undefined)
    FakeSocket.all[3].open()
    expect(lab.status).toBe('open')
    const s = FakeSocket.all[3]
    s.push({ id: s.sent[0].id, result: { ok: true, value: 42 } })
    expect(await waiting).toEqual({ ok: true, value: 42 })
    expect(statuses).toEqual(['connecting', 'open', 'reconnecting', 'open'])
    lab.close()
  })

  it('says "unreachable" rather than "reconnecting" when it has never been connected', () => {
    vi.useFakeTimers()
    const lab = fakeLab({ baseDelayMs: 10 })
    expect(lab.status).toBe('connecting')
    FakeSocket.all[0].drop()
    expect(lab.status).toBe('unreachable')
    vi.advanceTimersByTime(10)
    FakeSocket.all[1].open()
    expect(lab.status).toBe('open')
    FakeSocket.all[1].drop()
    expect(lab.status).toBe('reconnecting')
    lab.close()
    expect(lab.status).toBe('closed')
  })

  it('fails a request that waited too long for the connection', async () => {
    vi.useFakeTimers()
    const lab = fakeLab({ queueTimeoutMs: 1000 })
    const p = lab.request('app:info', undefined)
    vi.advanceTimersByTime(1000)
    const r = await p
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.code).toBe('disconnected')
    // It was not sent later either.
    FakeSocket.all[0].open()
    expect(FakeSocket.all[0].sent).toHaveLength(0)
    lab.close()
  })

  it('times out a request the host never answers, and ignores the late answer', async () => {
    vi.useFakeTimers()
    const lab = fakeLab({ requestTimeoutMs: 500 })
    const s = FakeSocket.all[0]
    s.open()
    const p = lab.request('model:predict', { input: [0] })
    vi.advanceTimersByTime(500)
    const r = await p
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.code).toBe('timeout')
    expect(() => s.push({ id: s.sent[0].id, result: { ok: true, value: 1 } })).not.toThrow()
    lab.close()
  })

  it('fans events out to every listener, survives a throwing one, and stops after unsubscribe', () => {
    const lab = fakeLab()
    const s = FakeSocket.all[0]
    s.open()
    const seen: string[] = []
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
    lab.onEvent(() => {
      throw new Error('page bug')
    })
    const offA = lab.onEvent((e) => seen.push(`a:${e.type}`))
    lab.onEvent((e) => seen.push(`b:${e.type}`))
    s.push({ event: { type: 'state', runId: 'r1', state: 'running' } })
    offA()
    s.push({ event: { type: 'epoch', runId: 'r1', report: { epoch: 1 } } })
    expect(seen).toEqual(['a:state', 'b:state', 'b:epoch'])
    expect(errors).toHaveBeenCalledTimes(2)
    errors.mockRestore()
  })

  it('reports unreadable frames as error events instead of crashing', () => {
    const lab = fakeLab()
    const s = FakeSocket.all[0]
    s.open()
    const seen: LabEvent[] = []
    lab.onEvent((e) => seen.push(e))
    s.push('{not json')
    s.push({ event: { type: 'mystery' } })
    s.push({ hello: 1 })
    expect(seen.map((e) => e.type)).toEqual(['error', 'error', 'error'])
    expect(seen.every((e) => e.type === 'error' && e.code === 'bad-message')).toBe(true)
  })

  it('gives snapshot buffers back as Float32Array whatever JSON made of them', () => {
    const lab = fakeLab()
    const s = FakeSocket.all[0]
    s.open()
    const seen: LabEvent[] = []
    lab.onEvent((e) => seen.push(e))
    const f32 = new Float32Array([0.5, -1.25, 3])
    s.push({
      event: {
        type: 'snapshot', runId: 'r',
        snapshot: {
          filters: { count: 1, h: 1, w: 3, data: f32 }, // JSON.stringify → {"0":0.5,"1":-1.25,"2":3}
          featureMaps: [{ layer: 'conv1', shape: [1, 1, 2], maps: { count: 1, h: 1, w: 2, data: [1, 2] } }],
          gates: [{ name: 'f', t: 1, h: 1, data: { $f32: Buffer.from(new Float32Array([7]).buffer).toString('base64') } }]
        }
      }
    })
    const e = seen[0]
    expect(e.type).toBe('snapshot')
    if (e.type !== 'snapshot') return
    expect(e.snapshot.filters!.data).toBeInstanceOf(Float32Array)
    expect([...e.snapshot.filters!.data]).toEqual([0.5, -1.25, 3])
    expect([...e.snapshot.featureMaps![0].maps.data]).toEqual([1, 2])
    expect([...e.snapshot.gates![0].data]).toEqual([7])
  })

  it('decodes { $f32 } with Uint8Array.fromBase64 where the browser has it, to the same floats as without', () => {
    const floats = new Float32Array([0.5, -0, Infinity, NaN, -3.4e38, 1e-45, 7])
    const wire = { $f32: Buffer.from(floats.buffer).toString('base64') }
    const bits = (a: Float32Array): number[] => [...new Uint32Array(a.buffer, a.byteOffset, a.length)]
    const U8 = Uint8Array as unknown as { fromBase64?: (s: string) => Uint8Array }
    const own = U8.fromBase64
    const calls: string[] = []
    U8.fromBase64 = (s: string) => (calls.push(s), new Uint8Array(Buffer.from(s, 'base64')))
    try {
      const native = toFloat32(wire)
      expect(calls).toEqual([wire.$f32])
      expect(bits(native)).toEqual(bits(floats))
    } finally {
      if (own) U8.fromBase64 = own
      else delete U8.fromBase64
    }
    if (!own) expect(bits(toFloat32(wire))).toEqual(bits(floats)) // atob's path, where Node has no fromBase64
  })
})

describe('an upload in binary frames', () => {
  /** A socket whose buffer drains only when the test says so; it keeps each binary frame's JSON head. */
  class SlowSocket extends FakeSocket {
    bufferedAmount = 0
    heads: { id: number; channel?: string }[] = []
    override send(data: string | Uint8Array): void {
      if (typeof data === 'string') return super.send(data)
      if (this.readyState !== 1) throw new Error('not open')
      const length = new DataView(data.buffer, data.byteOffset).getUint32(0, true)
      this.heads.push(JSON.parse(new TextDecoder().decode(data.subarray(4, 4 + length))) as { id: number; channel?: string })
      this.bufferedAmount += data.byteLength
    }
  }

  it('sends no more of its slices once the host has refused it, and all of them when the socket drains', async () => {
    vi.useFakeTimers()
    FakeSocket.all = []
    const lab = createWsLab({ pageUrl: PAGE, connect: (u) => new SlowSocket(u) })
    const s = FakeSocket.all[0] as SlowSocket
    s.open()
    // 12 slices; nothing drains: the page stops after the slices its buffer may hold (the first, then 4 MB ahead)
    const held = lab.request('project:open', { from: 'upload', fileName: 'a.bplab', bytes: new Uint8Array(12 * SLICE_BYTES - 5) })
    const id = s.heads[0].id
    expect(s.heads[0].channel).toBe('project:open')
    const before = s.heads.length
    expect(before).toBeLessThan(12)
    expect(before).toBeGreaterThan(1)
    // the host refuses it (other uploads still on their way); the buffer then drains: no further slice is sent
    s.push({ id, result: { ok: false, error: { code: 'busy', message: 'wait', params: { case: 'upload' } } } })
    expect(await held).toMatchObject({ ok: false, error: { code: 'busy' } })
    s.bufferedAmount = 0
    await vi.advanceTimersByTimeAsync(100)
    // before, all 12 frames were given to the socket at once, the 11 slices after the refusal too
    expect(s.heads.length).toBe(before)

    // an upload the host takes: each slice goes as the buffer drains, every one of them, in order
    const taken = lab.request('project:open', { from: 'upload', fileName: 'b.bplab', bytes: new Uint8Array(12 * SLICE_BYTES) })
    for (let i = 0; i < 20; i++) {
      s.bufferedAmount = 0
      await vi.advanceTimersByTimeAsync(10)
    }
    const next = s.heads.slice(before)
    expect(next).toHaveLength(12)
    expect(next.every((h) => h.id === next[0].id)).toBe(true)
    s.push({ id: next[0].id, result: { ok: true, value: { spec: { input: [1], layers: [] } } } })
    expect((await taken).ok).toBe(true)
    lab.close()
  })
})

describe('an upload over a slow link, or from a hidden tab', () => {
  const MB = 1024 * 1024
  /**
   * A link carrying `mbPerS` MB a second to a host that takes each slice as it arrives (binary-request.ts): it
   * acknowledges a slice when the request's first frame asked for that, and answers once the whole file is there.
   */
  class LinkSocket extends FakeSocket {
    bufferedAmount = 0
    mbPerS = 0
    arrived = 0
    private line: { frame: Uint8Array; left: number }[] = []
    private upload = { id: 0, size: 0, received: 0, ack: false }
    override send(data: string | Uint8Array): void {
      if (typeof data === 'string') return super.send(data)
      if (this.readyState !== 1) throw new Error('not open')
      this.line.push({ frame: data, left: data.byteLength })
      this.bufferedAmount += data.byteLength
    }
    /** `ms` of the link: what it carries in that time reaches the host. */
    carry(ms: number): void {
      let budget = (ms * this.mbPerS * MB) / 1000
      while (budget > 0 && this.line.length > 0) {
        const f = this.line[0]
        const n = Math.min(budget, f.left)
        f.left -= n
        budget -= n
        this.bufferedAmount -= n
        if (f.left > 0) return
        this.line.shift()
        this.take(f.frame)
      }
    }
    private take(frame: Uint8Array): void {
      const length = new DataView(frame.buffer, frame.byteOffset).getUint32(0, true)
      const head = JSON.parse(new TextDecoder().decode(frame.subarray(4, 4 + length))) as { id: number; channel?: string; size?: number; ack?: boolean }
      if (head.channel) this.upload = { id: head.id, size: head.size!, received: 0, ack: head.ack === true }
      this.arrived++
      this.upload.received += frame.byteLength - 4 - length
      if (this.upload.received < this.upload.size) {
        if (this.upload.ack) this.push({ ack: this.upload.id, received: this.upload.received })
      } else this.push({ id: this.upload.id, result: { ok: true, value: { received: this.upload.received } } })
    }
  }

  /** Uploads `mb` MB over a link of `mbPerS` MB/s (for `stallAtS` s only, when given): the result and the time it took. */
  async function upload(mb: number, mbPerS: number, timeoutMs: number, stallAtS = Infinity) {
    FakeSocket.all = []
    const lab = createWsLab({ pageUrl: PAGE, connect: (u) => new LinkSocket(u), requestTimeoutMs: timeoutMs })
    const s = FakeSocket.all[0] as LinkSocket
    s.open()
    s.mbPerS = mbPerS
    let result: Result<unknown> | null = null
    const t0 = Date.now()
    void lab.request('data:text-upload', { from: 'upload', fileName: 'big.txt', bytes: new Uint8Array(mb * MB) }).then((r) => { result = r })
    while (!result && Date.now() - t0 < 600_000) {
      if (Date.now() - t0 >= stallAtS * 1000) s.mbPerS = 0
      s.carry(10)
      await vi.advanceTimersByTimeAsync(10)
    }
    lab.close()
    return { result: result as Result<unknown> | null, seconds: (Date.now() - t0) / 1000, arrived: s.arrived }
  }

  it('goes on while its slices keep arriving, however long it takes, and times out once they stop', async () => {
    vi.useFakeTimers()
    // 40 MB at 2 MB/s: 20 s, with a 10 s limit (the lab's 300 MB at 2.5 MB/s against 120 s, scaled)
    const slow = await upload(40, 2, 10_000)
    expect(slow.result).toMatchObject({ ok: true, value: { received: 40 * MB } })
    expect(slow.seconds).toBeGreaterThan(19)
    expect(slow.seconds).toBeLessThan(22)
    // the link goes dead after 5 s: the limit counts from the last slice taken, and says the upload stalled
    const stalled = await upload(40, 2, 10_000, 5)
    expect(stalled.result).toMatchObject({ ok: false, error: { code: 'timeout', params: { seconds: 10, case: 'upload' } } })
    expect(stalled.seconds).toBeGreaterThan(14)
    expect(stalled.seconds).toBeLessThan(16)
  })

  it('is paced by the host\'s acknowledgements, not by timers a hidden tab runs once a second', async () => {
    vi.useFakeTimers()
    const fake = globalThis.setTimeout
    // Chromium runs a hidden tab's timers at most once a second
    globalThis.setTimeout = ((fn: () => void, ms?: number) => fake(fn, Math.max(1000, ms ?? 0))) as typeof setTimeout
    try {
      const hidden = await upload(40, 40, 120_000)
      expect(hidden.result).toMatchObject({ ok: true })
      // the link's own pace (1 s for 40 MB), not 4 MB a second (10 s)
      expect(hidden.seconds).toBeLessThan(2)
    } finally {
      globalThis.setTimeout = fake
    }
  })
})

describe('model:predict over the WebSocket', () => {
  it('returns feature maps and gates as Float32Array', async () => {
    const lab = fakeLab()
    const s = FakeSocket.all[0]
    s.open()
    const p = lab.request('model:predict', { input: [0], maps: true })
    s.push({
      id: s.sent[0].id,
      result: {
        ok: true,
        value: {
          probs: [1], logits: [2], top: 0, ms: 1,
          maps: [{ layer: 'conv1', shape: [1, 1, 2], maps: { count: 1, h: 1, w: 2, data: [0.25, null] } }],
          gates: [{ name: 'i', t: 1, h: 1, data: [3] }]
        }
      }
    })
    const r = await p
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.value.probs).toEqual([1])
    const data = r.value.maps![0].maps.data
    expect(data).toBeInstanceOf(Float32Array)
    expect(data[0]).toBe(0.25)
    expect(Number.isNaN(data[1])).toBe(true)
    expect(r.value.gates![0].data).toBeInstanceOf(Float32Array)
  })
})

describe('typed array helpers', () => {
  it('leave a Float32Array untouched and map missing entries to NaN', () => {
    const a = new Float32Array([1])
    expect(toFloat32(a)).toBe(a)
    expect([...toFloat32({ 0: 1, 2: 3, 1: 'x' })].map((v) => (Number.isNaN(v) ? 'NaN' : v))).toEqual([1, 'NaN', 3])
    expect(reviveSnapshot({}).filters).toBeUndefined()
  })
})

describe('the Electron transport wrapper', () => {
  it('turns a rejected preload call into a Result error and relays events', async () => {
    let emit: ((e: LabEvent) => void) | null = null
    const api: LabApi = {
      request: () => Promise.reject(new Error('ipc gone')),
      onEvent: (l) => {
        emit = l
        return () => (emit = null)
      }
    }
    const lab = createElectronLab(api)
    const r = await lab.request('app:info', undefined)
    expect(r).toEqual({ ok: false, error: { code: 'transport-failed', message: 'app:info: ipc gone', params: { channel: 'app:info', detail: 'ipc gone' } } })
    const seen: string[] = []
    lab.onEvent((e) => seen.push(e.type))
    emit!({ type: 'state', runId: 'x', state: 'done' })
    expect(seen).toEqual(['state'])
    lab.close()
    expect(emit).toBeNull()
  })
})

describe('against a real WebSocket server', () => {
  it('sends the token, gets answers and events, and reconnects after the server restarts', async () => {
    const tokens: (string | null)[] = []
    const start = (port = 0) =>
      new Promise<WebSocketServer>((resolve) => {
        const wss: WebSocketServer = new WebSocketServer({ host: '127.0.0.1', port }, () => resolve(wss))
        wss.on('connection', (sock, req) => {
          tokens.push(new URL(req.url ?? '', 'http://x').searchParams.get('token'))
          sock.on('message', (raw) => {
            const m = JSON.parse(String(raw)) as WsClientMessage
            sock.send(JSON.stringify({ event: { type: 'state', runId: 'r', state: 'idle' } }))
            sock.send(JSON.stringify({ id: m.id, result: { ok: true, value: m.channel } }))
          })
        })
      })
    let wss = await start()
    const port = (wss.address() as AddressInfo).port
    const lab = createWsLab({
      pageUrl: `http://127.0.0.1:${port}/?token=s3cret`,
      connect: (u) => new NodeWebSocket(u) as unknown as SocketLike,
      baseDelayMs: 20,
      maxDelayMs: 100
    })
    const events: string[] = []
    lab.onEvent((e) => events.push(e.type))
    expect(await lab.request('preset:list', undefined)).toEqual({ ok: true, value: 'preset:list' })
    expect(events).toEqual(['state'])
    expect(tokens).toEqual(['s3cret'])

    for (const c of wss.clients) c.terminate()
    await new Promise<void>((r) => wss.close(() => r()))
    await vi.waitFor(() => expect(lab.status).toBe('reconnecting'))
    wss = await start(port)
    expect(await lab.request('app:info', undefined)).toEqual({ ok: true, value: 'app:info' })
    expect(tokens).toEqual(['s3cret', 's3cret'])
    lab.close()
    await new Promise<void>((r) => wss.close(() => r()))
  })
})
