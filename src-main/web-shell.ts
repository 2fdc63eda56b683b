/**
 * The web shell: the same lab in a browser. One loopback HTTP server serves the built renderer
 * (out/renderer) and, on the same port, a WebSocket at /ws carrying contract.ts's envelope
 * (WsClientMessage in, WsServerMessage out) to the same dispatcher Electron IPC uses.
 *
 * Who may talk to it: only this machine (bound to 127.0.0.1, remote address checked), only pages of
 * this shell (Host and Origin must be the shell's own, which also defeats DNS rebinding), and only
 * holders of the per-launch random token printed in the URL (`?token=`; the page passes it on).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import { extname, isAbsolute, relative, resolve, sep } from 'node:path'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import { createDispatcher, type HostApi } from './ipc/handlers'
import { base64Into, fileBytesOf, fileReplyFrame } from './file-base64'
import { BinaryRequests, MAX_NESTING } from './binary-request'
import { MAX_BASE64, MAX_UPLOAD_BYTES } from './ipc/project-schemas'
import { fileTooBig } from './ipc/validate'
import { refuse as refusal } from './ipc/refuse'
import type { LabEvent, Result, WsServerMessage } from './ipc/contract'

export interface WebShellOptions {
  /** 0 picks any free port. */
  port: number
  host?: '127.0.0.1'
  /** The built renderer (index.html and assets). */
  rendererDir: string
  labHost: HostApi & { onEvent(listener: (e: LabEvent) => void): () => void }
  /** Fixed token (tests); a fresh random one otherwise. */
  token?: string
}

export interface WebShell {
  port: number
  token: string
  origin: string
  /** The address to open, token included. */
  url: string
  close(): Promise<void>
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8'
}

/**
 * Frames above this are refused by ws itself, which closes the connection (the page can then only say "reload"). The
 * largest are uploads from older pages, as base64 in JSON text: the base64 the payload check takes (MAX_BASE64, a
 * 300 MB file) and the JSON around it, so a file over the lab's limit is refused by that check, in its words.
 */
export const MAX_FRAME = MAX_BASE64 + 1024 * 1024
/** The bytes one request may carry in binary frames (binary-request.ts): the largest upload and its JSON. A connection's
 *  requests together may hold twice that (two uploads at once); beyond, the page is told to wait for the others. */
const MAX_BINARY = MAX_UPLOAD_BYTES + 1024 * 1024
/** A slow client gets no new snapshots while this much is still queued for it. */
const MAX_BUFFERED = 8 * 1024 * 1024

export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // Svelte and Chart.js set element styles at run time; no inline scripts are ever allowed.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self' ws://127.0.0.1:${port}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'"
  ].join('; ')
}

export async function startWebShell(options: WebShellOptions): Promise<WebShell> {
  const host = options.host ?? '127.0.0.1'
  if (host !== '127.0.0.1') throw new Error('The web shell only listens on 127.0.0.1 (loopback).')
  const root = resolve(options.rendererDir)
  const token = options.token ?? randomBytes(24).toString('base64url')
  const tokenBytes = Buffer.from(token)
  const dispatch = createDispatcher(options.labHost)
  const clients = new Set<WebSocket>()
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME })
  let port = 0
  let csp = ''

  const allowedHosts = (): string[] => [`127.0.0.1:${port}`, `localhost:${port}`]
  const isLoopback = (req: IncomingMessage): boolean => {
    const a = req.socket.remoteAddress ?? ''
    return a === '127.0.0.1' || a === '::1' || a === '::ffff:127.0.0.1'
  }

  // ── static files ──────────────────────────────────────────────────────────

  async function serveStatic(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const security = {
      'Content-Security-Policy': csp,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cross-Origin-Resource-Policy': 'same-origin'
    }
    const send = (status: number, body: string, extra: Record<string, string> = {}): void => {
      res.writeHead(status, { ...security, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...extra })
      res.end(req.method === 'HEAD' ? undefined : body)
    }
    if (!isLoopback(req)) return send(403, 'Forbidden: the lab only answers this computer.\n')
    if (!allowedHosts().includes(req.headers.host ?? '')) return send(421, 'Misdirected request: unexpected Host header.\n')
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'Method not allowed.\n', { Allow: 'GET, HEAD' })
    const file = resolveInside(root, req.url ?? '/')
    if (!file) return send(400, 'Bad path.\n')
    let target = file
    try {
      const st = await stat(target)
      if (st.isDirectory()) target = resolve(target, 'index.html')
      const body = await readFile(target)
      const type = MIME[extname(target).toLowerCase()] ?? 'application/octet-stream'
      res.writeHead(200, {
        ...security,
        'Content-Type': type,
        'Content-Length': String(body.length),
        'Cache-Control': type.startsWith('text/html') ? 'no-store' : 'no-cache'
      })
      res.end(req.method === 'HEAD' ? undefined : body)
    } catch {
      send(404, 'Not found.\n')
    }
  }

  // ── the WebSocket ─────────────────────────────────────────────────────────

  function refuse(socket: Duplex, status: number, reason: string): void {
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${reason.length + 1}\r\n\r\n${reason}\n`)
  }

  function checkUpgrade(req: IncomingMessage): { status: number; reason: string } | null {
    if (!isLoopback(req)) return { status: 403, reason: 'Forbidden: loopback only' }
    if (!allowedHosts().includes(req.headers.host ?? '')) return { status: 403, reason: 'Forbidden: unexpected Host' }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (url.pathname !== '/ws') return { status: 404, reason: 'Not found' }
    const origin = req.headers.origin
    if (origin === undefined || !allowedHosts().some((h) => origin === `http://${h}`)) {
      return { status: 403, reason: 'Forbidden: foreign origin' }
    }
    const given = Buffer.from(url.searchParams.get('token') ?? '')
    if (given.length !== tokenBytes.length || !timingSafeEqual(given, tokenBytes)) {
      return { status: 401, reason: 'Unauthorized: missing or wrong token' }
    }
    return null
  }

  // Text frames always (a packed message's frame is UTF-8 bytes).
  const send = (ws: WebSocket, msg: WsServerMessage, frame?: Buffer | string): void => {
    if (ws.readyState === ws.OPEN) ws.send(frame ?? encodeFrame(msg), { binary: false })
  }

  function onConnection(ws: WebSocket): void {
    clients.add(ws)
    // requests whose bytes are still coming in binary frames (an upload, sliced)
    const binary = new BinaryRequests(MAX_BINARY, reviveRequest)
    ws.on('close', () => { clients.delete(ws); binary.clear() })
    ws.on('error', () => { clients.delete(ws); binary.clear() })
    ws.on('message', (data, isBinary) => {
      void (async () => {
        let msg: unknown
        if (isBinary) {
          const got = binary.take(asBuffer(data))
          if (got.kind === 'partial') {
            // the page sends its next slice on this (a message event, which a hidden tab does not hold back as it does timers)
            if (got.ack) send(ws, { ack: got.ack.id, received: got.ack.received })
            return
          }
          if (got.kind === 'too-big') {
            // the file is over the lab's limit: said as the payload check says it for a file sent in one frame, not as a bad frame
            send(ws, { id: got.id, result: fileTooBig(typeof got.channel === 'string' ? got.channel : 'the request', got.size) })
            return
          }
          if (got.kind === 'held') {
            // the file fits the limit, but not beside the uploads still coming on this page: wait for them, not reload
            const what = typeof got.channel === 'string' ? got.channel : 'the request'
            const message = `${what}: other files (${Math.ceil(got.held / 2 ** 20)} MB) are still being uploaded from this page; wait until they have arrived, then upload this file (${Math.ceil(got.size / 2 ** 20)} MB) again.`
            send(ws, { id: got.id, result: refusal('busy', message, { case: 'upload' }) })
            return
          }
          if (got.kind === 'no-memory') {
            // the host could not set aside the file's bytes now: reloading the page would not help, a smaller file or more free memory would
            const what = typeof got.channel === 'string' ? got.channel : 'the request'
            const mb = Math.ceil(got.size / 2 ** 20)
            send(ws, { id: got.id, result: refusal('no-memory', `${what}: the computer running the lab has no memory free for a file this big (${mb} MB); close other programs there or use a smaller file, then upload it again.`, { size: mb, case: 'file' }) })
            return
          }
          if (got.kind === 'too-deep') {
            const what = typeof got.channel === 'string' ? got.channel : 'the request'
            send(ws, { id: got.id, result: refusal('bad-payload', `${what}: the payload is nested more than ${got.limit} levels deep; no request of the lab is.`, { channel: what, field: 'payload', case: 'too-deep', limit: got.limit }) })
            return
          }
          if (got.kind === 'bad') {
            const message = `The binary message was not a request (${got.why}): send a 4-byte little-endian length, that many bytes of JSON {"id", "channel", "payload", "size"} (each file as {"$bytes": [offset, length]}), then the files' bytes, sliced over frames whose JSON is {"id"}.`
            send(ws, { id: got.id, result: { ok: false, error: { code: 'bad-frame', message } } })
            return
          }
          msg = got.request
        } else {
          const text = data.toString()
          try {
            msg = JSON.parse(text, reviveRequest)
          } catch (e) {
            // JSON.parse reads any depth, but its reviver recurses: JSON nested some thousands deep overflows the stack.
            // The reviver's other RangeError is an array it could not allocate ({ $f32 }): no memory, not too deep
            const plain = e instanceof RangeError ? parsedOrNull(text) : null
            if (plain) {
              const channel = typeof plain.channel === 'string' ? plain.channel : 'the request'
              const id = typeof plain.id === 'number' && Number.isSafeInteger(plain.id) ? plain.id : -1
              if (/call stack/i.test((e as Error).message)) {
                send(ws, { id, result: refusal('bad-payload', `${channel}: the payload is nested more than ${MAX_NESTING} levels deep; no request of the lab is.`, { channel, field: 'payload', case: 'too-deep', limit: MAX_NESTING }) })
              } else {
                const mb = Math.max(1, Math.ceil(text.length / 2 ** 20))
                // not a file (those come in binary frames): a drawing to classify, or another request's numbers; the page words it so
                send(ws, { id, result: refusal('no-memory', `${channel}: the computer running the lab has no memory free for this request (${mb} MB); close other programs there, then try again.`, { size: mb, ...(channel === 'model:predict' ? { case: 'predict' } : {}) }) })
              }
              return
            }
            send(ws, { id: -1, result: { ok: false, error: { code: 'bad-frame', message: 'The message was not JSON text: send {"id": <number>, "channel": "<area:verb>", "payload": …}.' } } })
            return
          }
        }
        const m = msg as { id?: unknown; channel?: unknown; payload?: unknown }
        if (!m || typeof m !== 'object' || typeof m.id !== 'number' || !Number.isSafeInteger(m.id)) {
          send(ws, { id: -1, result: { ok: false, error: { code: 'bad-frame', message: 'The message needs a whole-number "id", a "channel" and a "payload".' } } })
          return
        }
        // The token and origin were checked when the socket opened: this sender is our page.
        const result = await dispatch(m.channel, m.payload, true)
        // A file for the page (project download, model export): its base64 is written from the bytes a slice at a time.
        const file = result.ok ? fileBytesOf(result.value) : null
        if (result.ok && file) {
          const frame = await fileReplyFrame(m.id, result.value as object, file)
          send(ws, { id: m.id, result }, frame)
          return
        }
        send(ws, { id: m.id, result })
      })()
    })
  }

  const unsubscribe = options.labHost.onEvent((event) => {
    if (clients.size === 0) return
    const frame = encodeFrame({ event })
    for (const ws of clients) {
      // Snapshots are replaceable: a client that cannot keep up misses some instead of piling up memory.
      if (event.type === 'snapshot' && ws.bufferedAmount > MAX_BUFFERED) continue
      send(ws, { event }, frame)
    }
  })

  const server: Server = createServer((req, res) => { void serveStatic(req, res) })
  server.on('upgrade', (req, socket, head) => {
    const problem = checkUpgrade(req)
    if (problem) return refuse(socket, problem.status, problem.reason)
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws))
  })
  server.on('clientError', (_e, socket) => socket.destroy())

  await new Promise<void>((ok, bad) => {
    server.once('error', bad)
    server.listen(options.port, host, () => { server.off('error', bad); ok() })
  })
  const addr = server.address()
  port = typeof addr === 'object' && addr ? addr.port : options.port
  csp = contentSecurityPolicy(port)
  const origin = `http://127.0.0.1:${port}`

  return {
    port,
    token,
    origin,
    url: `${origin}/?token=${token}`,
    close: async () => {
      unsubscribe()
      for (const ws of clients) ws.terminate()
      clients.clear()
      wss.close()
      server.closeAllConnections()
      await new Promise<void>((ok) => server.close(() => ok()))
    }
  }
}

/**
 * Maps a request URL to a file strictly inside `root`: decodes once, refuses NUL bytes, backslashes
 * and anything that resolves outside (`..`, absolute paths); `/` means index.html.
 */
export function resolveInside(root: string, rawUrl: string): string | null {
  let pathname: string
  try {
    pathname = decodeURIComponent(new URL(rawUrl, 'http://x').pathname)
  } catch {
    return null
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null
  const rel = pathname.replace(/^\/+/, '') || 'index.html'
  const full = resolve(root, rel)
  const back = relative(root, full)
  if (back.startsWith('..') || isAbsolute(back) || (back !== '' && full !== root && !full.startsWith(root + sep))) return null
  return full
}

/**
 * JSON.parse reviver for requests: `{ "$f32": base64 }` (how the page sends a Float32Array, such as the
 * drawing model:predict classifies) becomes a Float32Array again; a malformed one stays as it is and
 * fails validation like any other wrong value.
 */
export function reviveRequest(_key: string, value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value
  const b64 = (value as { $f32?: unknown }).$f32
  if (typeof b64 !== 'string' || Object.keys(value).length !== 1) return value
  const bytes = Buffer.from(b64, 'base64')
  if (bytes.length % 4 !== 0) return value
  const out = new Float32Array(bytes.length / 4)
  new Uint8Array(out.buffer).set(bytes)
  return out
}

/** `text` as a JSON object (without a reviver), or null. */
function parsedOrNull(text: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(text)
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null
  } catch {
    return null
  }
}

/** A frame's data as one Buffer (ws gives a Buffer for a whole message; an array of fragments or an ArrayBuffer only when configured so). */
function asBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data)
}

/** A model:predict reply with every layer's maps (tens of thousands of floats): packed like snapshots. */
function hasMaps(r: Result<unknown>): boolean {
  if (!r.ok || !r.value || typeof r.value !== 'object') return false
  const v = r.value as { maps?: unknown; gates?: unknown }
  return v.maps !== undefined || v.gates !== undefined
}

/**
 * JSON for the wire. Snapshot buffers (large, 4/s), epoch reports' images (12 × 784 values, whose
 * decimal text took 4–15 ms to write on the main thread) and model:predict's maps and gates (the draw
 * page's feature maps, ~40,000 values for the simple ConvNet) go as `{ $f32: base64 }` — compact and exact —
 * which the renderer's client revives; other typed arrays (small) become plain number arrays.
 *
 * A packed message is written straight into the frame's bytes: the JSON around the arrays is small, and
 * the arrays' base64 is encoded into the frame, so no ~200 KB string is made for every snapshot (4 per
 * second, which the main thread's garbage collector then had to clear). Other messages are JSON text.
 */
export function encodeFrame(msg: WsServerMessage): Buffer | string {
  if ('ack' in msg) return JSON.stringify(msg)
  const packed = 'event' in msg ? msg.event.type === 'snapshot' || msg.event.type === 'epoch' : hasMaps(msg.result)
  const arrays: Float32Array[] = []
  const json = JSON.stringify(msg, (_k, v: unknown) => {
    if (v instanceof Float32Array && packed) {
      arrays.push(v)
      return PACKED_MARK
    }
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>)
    return v
  })
  if (arrays.length === 0) return json
  // Each array's place in the JSON is the marker string, exactly as JSON.stringify wrote it.
  const parts = json.split(PACKED_MARK_JSON)
  if (parts.length !== arrays.length + 1) throw new Error('encodeFrame: a packed array marker appears in the message itself')
  let size = 0
  for (const p of parts) size += Buffer.byteLength(p)
  for (const a of arrays) size += PACKED_OPEN.length + 4 * Math.ceil(a.byteLength / 3) + PACKED_CLOSE.length
  const frame = Buffer.allocUnsafe(size)
  let at = frame.write(parts[0], 0)
  for (let i = 0; i < arrays.length; i++) {
    const a = arrays[i]
    at += frame.write(PACKED_OPEN, at, 'latin1')
    at = base64Into(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), frame, at)
    at += frame.write(PACKED_CLOSE, at, 'latin1')
    at += frame.write(parts[i + 1], at)
  }
  return frame
}

/** encodeFrame's message as text. */
export function encode(msg: WsServerMessage): string {
  const f = encodeFrame(msg)
  return typeof f === 'string' ? f : f.toString('utf8')
}

const PACKED_MARK = '\u0000$f32\u0000'
const PACKED_MARK_JSON = JSON.stringify(PACKED_MARK)
const PACKED_OPEN = '{"$f32":"'
const PACKED_CLOSE = '"}'
