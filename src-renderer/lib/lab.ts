/**
 * The renderer's one connection to the host. Nothing else in the renderer touches `window.lab` or a
 * WebSocket: pages call `getLab().request(channel, payload)` and `getLab().onEvent(listener)`.
 *
 * Two transports implement the same LabApi (src-main/ipc/contract.ts):
 * - Electron: the preload exposes `window.lab` through contextBridge; we wrap it so a rejected
 *   promise still arrives as a Result.
 * - Web shell (`npm run web`): a WebSocket to `ws://<host>/ws?token=<token from the page URL>`,
 *   JSON frames in the WsClientMessage / WsServerMessage envelope (a request carrying a file's bytes in
 *   binary frames, requestFrames), request ids, reconnect with backoff.
 *
 * Requests never throw: every failure (no token, connection lost, timeout, bad frame) is a Result
 * error with a stable code the UI can translate.
 */
import type {
  Channel, DesktopLabApi, ErrorParams, LabApi, LabError, LabErrorCode, LabEvent, MenuCommand, Prediction, Requests, Result, WsClientMessage
} from '../../src-main/ipc/contract'
import type { ImageStack, Snapshot } from '../../src-engine/protocol'

export type TransportKind = 'electron' | 'web'

/**
 * Connection status shown by the app frame.
 * open: requests flow. connecting / reconnecting: requests wait (reconnecting = it was open before).
 * unreachable: it has never been open and the last attempt failed (shell stopped, wrong token);
 * it keeps trying. no-token: the page was opened without ?token= and cannot connect.
 * closed: the client was shut down.
 */
export type LabStatus = 'connecting' | 'open' | 'reconnecting' | 'unreachable' | 'no-token' | 'closed'

/** LabApi plus what the frame needs to show the connection. */
export interface LabClient extends LabApi {
  readonly transport: TransportKind
  readonly status: LabStatus
  /** Called now with the current status, then on every change; returns an unsubscribe. */
  onStatus(listener: (status: LabStatus) => void): () => void
  /** Application-menu commands (Electron only; the web shell has no menu, so this never fires there). */
  onMenu(listener: (command: MenuCommand) => void): () => void
  /** Stops reconnecting and fails whatever is still waiting (tests, page unload). */
  close(): void
}

/** Error codes produced by this client (the host's own codes pass through untouched). */
export const CLIENT_ERRORS = {
  noToken: 'no-token',
  disconnected: 'disconnected',
  timeout: 'timeout',
  transport: 'transport-failed',
  badMessage: 'bad-message'
} as const satisfies Record<string, LabErrorCode>

function fail(code: LabErrorCode, message: string, params?: ErrorParams): { ok: false; error: LabError } {
  return { ok: false, error: params ? { code, message, params } : { code, message } }
}

// ---------------------------------------------------------------------------------------------
// Typed arrays on the wire. Electron IPC keeps Float32Array (structured clone); JSON does not, so a
// snapshot that crossed the WebSocket may carry plain number arrays, index-keyed objects (what
// JSON.stringify makes of a typed array) or `{ $f32: <base64 of little-endian floats> }`.
// The renderer always receives Float32Array (events' snapshots, model:predict's maps and gates).

/** `Uint8Array.fromBase64` (Chromium 140, so Electron 38 and later), where there is one. */
type FromBase64 = (b64: string) => Uint8Array
function nativeFromBase64(): FromBase64 | undefined {
  return (Uint8Array as unknown as { fromBase64?: FromBase64 }).fromBase64
}

/**
 * Decodes natively where the browser can: atob's binary string and a charCodeAt per byte were the page's largest
 * script cost while a run trained in the web shell (Keras CNN, snapshots of 32 and 64 feature maps: 0.9 s of every
 * 20 s in a 4× slowed Chromium, the top of its profile). The loop stays for browsers without it.
 */
function base64ToFloat32(b64: string): Float32Array {
  const native = nativeFromBase64()
  if (native) {
    const bytes = native(b64)
    return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2)
  }
  const bin = atob(b64)
  const bytes = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i)
  // Copy into an aligned buffer: the byte count is a multiple of 4 for valid data.
  return new Float32Array(bytes.buffer, 0, bytes.length >> 2)
}

/** Float32Array → `{ $f32: base64 }` (little-endian floats): how typed arrays in requests cross the WebSocket. */
export function float32ToWire(a: Float32Array): { $f32: string } {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength)
  let bin = ''
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return { $f32: btoa(bin) }
}

/** JSON.stringify replacer for requests: typed arrays go compact and exact (the web shell revives them). */
function requestReplacer(_key: string, value: unknown): unknown {
  return value instanceof Float32Array ? float32ToWire(value) : value
}

/** The bytes of a request's files per binary frame: the host unmasks each frame in one go (~2 ms a megabyte). */
export const SLICE_BYTES = 1024 * 1024
/**
 * How many bytes of an upload may be on their way before the next slice waits: not yet acknowledged by the host (it
 * acknowledges each slice taken), or, until a first acknowledgement comes (a host that sends none), waiting in the
 * socket's buffer. A socket cannot take back what it was given: sent all at once, a refused upload's slices (a 300 MB
 * file held back because others were still on their way: some 300 frames) all went to the host after its refusal.
 */
export const SLICES_AHEAD_BYTES = 4 * SLICE_BYTES
/**
 * How long a slice waits before the socket's buffer is looked at again (ms), until the host's acknowledgements pace
 * the upload: a hidden tab runs such a timer once a second at most (after five minutes hidden, once a minute), which
 * held an upload to 4 MB a second; acknowledgements come as message events, which it does not hold back.
 */
const SLICE_WAIT_MS = 4

/**
 * A request for the WebSocket: one JSON text frame, or, when it carries a file's bytes (a Uint8Array: an uploaded
 * project, weights or text file), binary frames with the bytes as they are (src-main/binary-request.ts): each frame a
 * 4-byte little-endian length, that many bytes of JSON, then a slice of the bytes. The first frame's JSON is the
 * request, each file written as `{ "$bytes": [offset, length] }`, with the `size` of all its files; the others' is `{ id }`.
 * The host then reads a little JSON a slice at a time instead of making, parsing and checking 67 MB of base64 text
 * for a 50 MB file in one go, which held its main thread over a second. The first frame asks (`"ack": true`) for each
 * slice to be acknowledged (`{ ack: id, received }`), which paces the rest (createWsLab's pump).
 */
export function requestFrames(message: WsClientMessage, sliceBytes = SLICE_BYTES): string | Uint8Array[] {
  const files: Uint8Array[] = []
  let size = 0
  const json = JSON.stringify(message, (key, value: unknown) => {
    if (!(value instanceof Uint8Array)) return requestReplacer(key, value)
    files.push(value)
    size += value.byteLength
    return { $bytes: [size - value.byteLength, value.byteLength] }
  })
  if (files.length === 0) return json
  const bytes = files.length === 1 ? files[0] : new Uint8Array(size)
  if (files.length > 1) files.reduce((at, f) => (bytes.set(f, at), at + f.byteLength), 0)
  const first = `${json.slice(0, -1)},"size":${size},"ack":true}`
  const more = JSON.stringify({ id: message.id })
  const frames: Uint8Array[] = []
  for (let at = 0; at === 0 || at < size; at += sliceBytes) frames.push(binaryFrame(at === 0 ? first : more, bytes.subarray(at, at + sliceBytes)))
  return frames
}

function binaryFrame(json: string, data: Uint8Array): Uint8Array {
  const head = new TextEncoder().encode(json)
  const frame = new Uint8Array(4 + head.length + data.length)
  new DataView(frame.buffer).setUint32(0, head.length, true)
  frame.set(head, 4)
  frame.set(data, 4 + head.length)
  return frame
}

/** Any of the wire forms above → Float32Array (unknown forms give an empty array). */
export function toFloat32(value: unknown): Float32Array {
  if (value instanceof Float32Array) return value
  if (Array.isArray(value)) {
    // JSON writes NaN and ±Infinity as null: give them back as NaN rather than a silent 0.
    const out = new Float32Array(value.length)
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i]
      out[i] = typeof v === 'number' ? v : NaN
    }
    return out
  }
  if (ArrayBuffer.isView(value)) return Float32Array.from(value as unknown as ArrayLike<number>)
  if (value && typeof value === 'object') {
    const rec = value as Record<string, unknown>
    if (typeof rec.$f32 === 'string') return base64ToFloat32(rec.$f32)
    const keys = Object.keys(rec)
    const out = new Float32Array(keys.length)
    for (let i = 0; i < keys.length; i++) {
      const v = rec[String(i)]
      out[i] = typeof v === 'number' ? v : NaN
    }
    return out
  }
  return new Float32Array(0)
}

function stack(s: ImageStack): ImageStack {
  return { ...s, data: toFloat32(s.data) }
}

/** Gives every image buffer of a snapshot a Float32Array, whatever transport carried it. */
export function reviveSnapshot(s: Snapshot): Snapshot {
  const out: Snapshot = { ...s }
  if (s.filters) out.filters = stack(s.filters)
  if (s.featureMaps) out.featureMaps = s.featureMaps.map((m) => ({ ...m, maps: stack(m.maps) }))
  if (s.gates) out.gates = s.gates.map((g) => ({ ...g, data: toFloat32(g.data) }))
  return out
}

const EVENT_TYPES = new Set(['state', 'batches', 'epoch', 'snapshot', 'cpu', 'error', 'autosave', 'forgotten'])

/** Replies that carry image buffers get the same treatment as snapshots (model:predict's maps and gates). */
export function reviveReply(channel: Channel, r: Result<unknown>): Result<unknown> {
  if (!r.ok || channel !== 'model:predict' || !r.value || typeof r.value !== 'object') return r
  const p = r.value as Prediction
  if (!p.maps && !p.gates) return r
  const { featureMaps, gates } = reviveSnapshot({ featureMaps: p.maps, gates: p.gates })
  return { ok: true, value: { ...p, ...(featureMaps ? { maps: featureMaps } : {}), ...(gates ? { gates } : {}) } }
}

function reviveEvent(e: LabEvent): LabEvent {
  return e.type === 'snapshot' && e.snapshot ? { ...e, snapshot: reviveSnapshot(e.snapshot) } : e
}

// ---------------------------------------------------------------------------------------------
// Event fan-out shared by both transports.

class Listeners<T> {
  private set = new Set<(value: T) => void>()

  add(fn: (value: T) => void): () => void {
    this.set.add(fn)
    return () => {
      this.set.delete(fn)
    }
  }

  emit(value: T): void {
    for (const fn of [...this.set]) {
      // One broken listener must not starve the others (a page's bug, not the connection's).
      try {
        fn(value)
      } catch (err) {
        console.error('Backprop Lab: an event listener failed', err)
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Electron transport.

/** Wraps the preload's API so that nothing can throw past it. */
export function createElectronLab(api: LabApi | DesktopLabApi): LabClient {
  const events = new Listeners<LabEvent>()
  let unsubscribe: (() => void) | null = null
  return {
    transport: 'electron',
    status: 'open',
    async request<C extends Channel>(channel: C, payload: Requests[C][0]): Promise<Result<Requests[C][1]>> {
      try {
        return await api.request(channel, payload)
      } catch (err) {
        const detail = err instanceof Error ? err.message : String(err)
        return fail(CLIENT_ERRORS.transport, `${channel}: ${detail}`, { channel, detail })
      }
    },
    onEvent(listener) {
      unsubscribe ??= api.onEvent((e) => events.emit(reviveEvent(e)))
      return events.add(listener)
    },
    onStatus(listener) {
      listener('open')
      return () => {}
    },
    onMenu(listener) {
      return 'onMenu' in api ? api.onMenu(listener) : () => {}
    },
    close() {
      unsubscribe?.()
      unsubscribe = null
    }
  }
}

// ---------------------------------------------------------------------------------------------
// WebSocket transport.

/** The subset of the browser WebSocket the client uses (lets tests pass a fake or the `ws` package). */
export interface SocketLike {
  readonly readyState: number
  onopen: ((ev: unknown) => void) | null
  onclose: ((ev: unknown) => void) | null
  onerror: ((ev: unknown) => void) | null
  onmessage: ((ev: { data: unknown }) => void) | null
  send(data: string | Uint8Array): void
  close(code?: number, reason?: string): void
  /** Bytes given to send() and not yet on the wire (the browser's WebSocket has it; a socket without it is never waited for). */
  readonly bufferedAmount?: number
}

export interface WsLabOptions {
  /** The page URL (`location.href`): gives the host and the `?token=`. */
  pageUrl: string
  /** Opens a socket; defaults to the browser's WebSocket. */
  connect?: (url: string) => SocketLike
  /** First reconnect delay; doubles per failed attempt up to maxDelayMs. */
  baseDelayMs?: number
  maxDelayMs?: number
  /** A request the host has answered nothing for this long fails with `timeout`: no reply, and for an upload no slice
   * acknowledged (a big file over a slow link takes as long as it takes while it goes on arriving). */
  requestTimeoutMs?: number
  /** A request made while disconnected waits this long for the connection before failing. */
  queueTimeoutMs?: number
}

const OPEN = 1

interface Pending {
  resolve: (r: Result<unknown>) => void
  timer: ReturnType<typeof setTimeout>
  channel: Channel
  /** When the request last moved (sent, a slice acknowledged or taken by the socket): its time limit counts from here. */
  movedAt: number
  /** It carries a file in binary frames: a timeout says the upload stalled. */
  upload: boolean
}

/** An upload's binary frames being sent (createWsLab's pump). */
interface Upload {
  on: SocketLike
  frames: Uint8Array[]
  /** The file's bytes sent once frame i has gone (each frame's data, added up). */
  ends: number[]
  /** The next frame to send. */
  at: number
  /** The bytes the host has acknowledged; `acking` once it has (before that, the socket's buffer paces the upload). */
  acked: number
  acking: boolean
  /** A timer is set to look at the socket's buffer again. */
  waiting: boolean
}

interface Queued {
  message: Omit<WsClientMessage, 'id'>
  resolve: (r: Result<unknown>) => void
  timer: ReturnType<typeof setTimeout>
}

/** The WebSocket address for a page URL, or null when the page has no token. */
export function wsUrlFor(pageUrl: string): string | null {
  const url = new URL(pageUrl)
  const token = url.searchParams.get('token')
  if (!token) return null
  const scheme = url.protocol === 'https:' ? 'wss:' : 'ws:'
  return `${scheme}//${url.host}/ws?token=${encodeURIComponent(token)}`
}

export function createWsLab(options: WsLabOptions): LabClient {
  const baseDelay = options.baseDelayMs ?? 250
  const maxDelay = options.maxDelayMs ?? 8000
  const requestTimeout = options.requestTimeoutMs ?? 120_000
  const queueTimeout = options.queueTimeoutMs ?? 15_000
  const connect = options.connect ?? ((u: string) => new WebSocket(u) as unknown as SocketLike)
  const address = wsUrlFor(options.pageUrl)

  const events = new Listeners<LabEvent>()
  const statusListeners = new Listeners<LabStatus>()
  const pending = new Map<number, Pending>()
  const uploads = new Map<number, Upload>()
  const queue: Queued[] = []
  let status: LabStatus = address ? 'connecting' : 'no-token'
  let socket: SocketLike | null = null
  let nextId = 1
  let attempt = 0
  let everOpened = false
  let retryTimer: ReturnType<typeof setTimeout> | null = null
  let closed = false

  function setStatus(s: LabStatus): void {
    if (s === status) return
    status = s
    statusListeners.emit(s)
  }

  function send(message: Omit<WsClientMessage, 'id'>, resolve: (r: Result<unknown>) => void): void {
    const id = nextId++
    const p: Pending = { resolve, timer: setTimeout(() => expire(id), requestTimeout), channel: message.channel, movedAt: Date.now(), upload: false }
    pending.set(id, p)
    try {
      const frames = requestFrames({ id, ...message } satisfies WsClientMessage)
      if (typeof frames === 'string') socket!.send(frames)
      else {
        p.upload = true
        let end = 0
        const ends = frames.map((f) => (end += f.byteLength - 4 - new DataView(f.buffer, f.byteOffset).getUint32(0, true)))
        uploads.set(id, { on: socket!, frames, ends, at: 0, acked: 0, acking: false, waiting: false })
        pump(id)
      }
    } catch (err) {
      clearTimeout(p.timer)
      pending.delete(id)
      uploads.delete(id)
      resolve(fail(CLIENT_ERRORS.disconnected, `${message.channel}: ${err instanceof Error ? err.message : String(err)}`))
    }
  }

  /** The time limit, counted from when request `id` last moved: it fails once nothing has come for requestTimeout. */
  function expire(id: number): void {
    const p = pending.get(id)
    if (!p) return
    const still = requestTimeout - (Date.now() - p.movedAt)
    if (still > 0) {
      p.timer = setTimeout(() => expire(id), still)
      return
    }
    pending.delete(id)
    uploads.delete(id)
    const s = requestTimeout / 1000
    p.resolve(p.upload
      ? fail(CLIENT_ERRORS.timeout, `${p.channel}: the upload made no progress for ${s} s (no slice acknowledged and no answer)`, { seconds: s, case: 'upload' })
      : fail(CLIENT_ERRORS.timeout, `${p.channel}: no answer from the lab within ${s} s`, { seconds: s }))
  }

  /**
   * Sends upload `id`'s next frames, no more than SLICES_AHEAD_BYTES on their way: unacknowledged once the host
   * acknowledges slices (each acknowledgement calls this again), else waiting in the socket's buffer (looked at again
   * after SLICE_WAIT_MS). It stops once the request is answered (a refusal comes after the first frame: too big, held,
   * no memory) or timed out, or the socket is not the one it started on (the connection dropped: the request failed
   * as disconnected).
   */
  function pump(id: number): void {
    const u = uploads.get(id)
    if (!u) return
    const p = pending.get(id)
    if (!p || socket !== u.on || u.on.readyState !== OPEN) {
      uploads.delete(id)
      return
    }
    while (u.at < u.frames.length) {
      if (u.at > 0) {
        if (u.acking) {
          if (u.ends[u.at - 1] - u.acked >= SLICES_AHEAD_BYTES) return
        } else if ((u.on.bufferedAmount ?? 0) > SLICES_AHEAD_BYTES) {
          if (!u.waiting) {
            u.waiting = true
            setTimeout(() => {
              u.waiting = false
              pumpOrFail(id)
            }, SLICE_WAIT_MS)
          }
          return
        }
        // the socket took the slices before (its buffer drained), or the host acknowledged them: the upload moves
        p.movedAt = Date.now()
      }
      u.on.send(u.frames[u.at++])
    }
    uploads.delete(id)
  }

  /** The host took upload `id`'s slices up to `received` bytes: the request moved, and the next slices may go. */
  function onAck(id: number, received: number): void {
    const p = pending.get(id)
    if (!p) return
    p.movedAt = Date.now()
    const u = uploads.get(id)
    if (!u) return
    u.acking = true
    u.acked = Math.max(u.acked, received)
    pumpOrFail(id)
  }

  /** pump, called back (a timer, an acknowledgement): a socket that throws on a send fails the request as disconnected. */
  function pumpOrFail(id: number): void {
    try {
      pump(id)
    } catch (err) {
      const p = pending.get(id)
      if (!p) return
      clearTimeout(p.timer)
      pending.delete(id)
      uploads.delete(id)
      p.resolve(fail(CLIENT_ERRORS.disconnected, `${p.channel}: ${err instanceof Error ? err.message : String(err)}`))
    }
  }

  function flushQueue(): void {
    while (queue.length > 0 && socket?.readyState === OPEN) {
      const q = queue.shift()!
      clearTimeout(q.timer)
      send(q.message, q.resolve)
    }
  }

  function badFrame(detail: string): void {
    events.emit({ type: 'error', runId: null, code: CLIENT_ERRORS.badMessage, message: `The lab sent a frame the page cannot read: ${detail}` })
  }

  function onMessage(data: unknown): void {
    if (typeof data !== 'string') return badFrame('not text')
    let msg: unknown
    try {
      msg = JSON.parse(data)
    } catch {
      return badFrame('not JSON')
    }
    if (!msg || typeof msg !== 'object') return badFrame('not an object')
    const m = msg as Record<string, unknown>
    if ('event' in m) {
      const e = m.event as LabEvent | null
      if (!e || typeof e !== 'object' || !EVENT_TYPES.has((e as { type?: unknown }).type as string)) {
        return badFrame('unknown event')
      }
      events.emit(reviveEvent(e))
      return
    }
    if (typeof m.ack === 'number' && typeof m.received === 'number') return onAck(m.ack, m.received)
    if (typeof m.id === 'number' && m.result && typeof m.result === 'object') {
      const p = pending.get(m.id)
      if (!p) return // answered after its timeout: the caller already has a Result
      pending.delete(m.id)
      uploads.delete(m.id)
      clearTimeout(p.timer)
      const r = m.result as Result<unknown>
      p.resolve(r.ok === true || r.ok === false ? reviveReply(p.channel, r) : fail(CLIENT_ERRORS.badMessage, `${p.channel}: malformed result`))
      return
    }
    // A reply with an id of -1/null and an error result: the server could not read our frame.
    if (m.result && typeof m.result === 'object') {
      const r = m.result as Result<unknown>
      if (r.ok === false) events.emit({ type: 'error', runId: null, code: r.error.code, message: r.error.message })
      return
    }
    badFrame('neither a reply nor an event')
  }

  function failPending(code: LabErrorCode, why: string): void {
    uploads.clear()
    for (const [id, p] of pending) {
      clearTimeout(p.timer)
      pending.delete(id)
      p.resolve(fail(code, `${p.channel}: ${why}`))
    }
  }

  function open(): void {
    if (closed || !address) return
    let s: SocketLike
    try {
      s = connect(address)
    } catch {
      scheduleRetry()
      return
    }
    socket = s
    s.onopen = () => {
      attempt = 0
      everOpened = true
      setStatus('open')
      flushQueue()
    }
    s.onmessage = (ev) => onMessage(ev.data)
    s.onerror = () => {
      // The close event follows and does the work.
    }
    s.onclose = () => {
      if (socket !== s) return
      socket = null
      // Whatever was in flight may or may not have run; the caller must know it has no answer.
      failPending(CLIENT_ERRORS.disconnected, 'the connection to the lab was lost before it answered')
      if (!closed) scheduleRetry()
    }
  }

  function scheduleRetry(): void {
    setStatus(everOpened ? 'reconnecting' : 'unreachable')
    const delay = Math.min(maxDelay, baseDelay * 2 ** attempt)
    attempt++
    retryTimer = setTimeout(() => {
      retryTimer = null
      open()
    }, delay)
  }

  open()

  return {
    transport: 'web',
    get status() {
      return status
    },
    request<C extends Channel>(channel: C, payload: Requests[C][0]): Promise<Result<Requests[C][1]>> {
      return new Promise((resolve) => {
        const done = resolve as (r: Result<unknown>) => void
        if (!address) {
          done(fail(CLIENT_ERRORS.noToken, 'This page has no access token: open the URL printed by npm run web, token included.'))
          return
        }
        if (closed) {
          done(fail(CLIENT_ERRORS.disconnected, `${channel}: the connection is closed`))
          return
        }
        const message = { channel, payload: payload ?? null }
        if (socket?.readyState === OPEN) {
          send(message, done)
          return
        }
        const q: Queued = {
          message,
          resolve: done,
          timer: setTimeout(() => {
            const i = queue.indexOf(q)
            if (i >= 0) queue.splice(i, 1)
            done(fail(CLIENT_ERRORS.disconnected, `${channel}: the lab is not reachable (waited ${queueTimeout / 1000} s)`))
          }, queueTimeout)
        }
        queue.push(q)
      })
    },
    onEvent(listener) {
      return events.add(listener)
    },
    onStatus(listener) {
      listener(status)
      return statusListeners.add(listener)
    },
    onMenu() {
      return () => {}
    },
    close() {
      closed = true
      if (retryTimer) clearTimeout(retryTimer)
      retryTimer = null
      for (const q of queue.splice(0)) {
        clearTimeout(q.timer)
        q.resolve(fail(CLIENT_ERRORS.disconnected, `${q.message.channel}: the connection is closed`))
      }
      failPending(CLIENT_ERRORS.disconnected, 'the connection is closed')
      const s = socket
      socket = null
      s?.close()
      setStatus('closed')
    }
  }
}

// ---------------------------------------------------------------------------------------------

let instance: LabClient | null = null

/** The app's one LabClient: Electron's preload when present, otherwise the web shell's WebSocket. */
export function getLab(): LabClient {
  if (instance) return instance
  const w = globalThis as { lab?: LabApi; location?: Location }
  instance = w.lab ? createElectronLab(w.lab) : createWsLab({ pageUrl: w.location?.href ?? 'http://127.0.0.1/' })
  return instance
}

/** Replaces the app's client (component tests pass a fake LabApi); returns the previous one. */
export function setLab(client: LabApi | LabClient | null): LabClient | null {
  const previous = instance
  if (client === null) instance = null
  else instance = 'transport' in client ? (client as LabClient) : createElectronLab(client)
  return previous
}
