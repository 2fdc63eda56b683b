import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { request as httpRequest } from 'node:http'
import { WebSocket } from 'ws'
import { startWebShell, resolveInside, encode, MAX_FRAME, type WebShell } from '../../src-main/web-shell'
import { MAX_BASE64 } from '../../src-main/ipc/project-schemas'
import { parsePort } from '../../src-main/web-args'
import type { LabEvent, WsServerMessage } from '../../src-main/ipc/contract'
import type { LabHost } from '../../src-main/lab-host'
import { fakeHost, isState, mlpSpec, pageFolder, record, settings } from './helpers'

let dir: string
let shell: WebShell
let host: LabHost

beforeAll(async () => {
  dir = pageFolder('web-shell-', { 'assets/app.js': 'console.log(1)' })
  writeFileSync(join(tmpdir(), 'web-shell-secret.txt'), 'secret')
  host = fakeHost()
  shell = await startWebShell({ port: 0, rendererDir: dir, labHost: host })
})
afterAll(async () => {
  await shell.close()
  await host.dispose()
  rmSync(dir, { recursive: true, force: true })
})

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: shell.port, path, headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c) => { body += c })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** Opens a socket; resolves with it once open, or with the HTTP status that refused it. */
/** A binary frame as lib/lab.ts writes one: a 4-byte length, that many bytes of JSON (an object, or text as it is), then data. */
function frame(json: object | string, data: number[] = []): Buffer {
  const head = Buffer.from(typeof json === 'string' ? json : JSON.stringify(json))
  const len = Buffer.alloc(4)
  len.writeUInt32LE(head.length)
  return Buffer.concat([len, head, Buffer.from(data)])
}

function connect(query: string, origin: string | null = shell.origin): Promise<{ ws: WebSocket } | { refused: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${shell.port}/ws${query}`, origin === null ? {} : { origin })
    ws.once('open', () => resolve({ ws }))
    ws.once('unexpected-response', (_req, res) => { resolve({ refused: res.statusCode ?? 0 }); res.resume() })
    ws.once('error', () => resolve({ refused: -1 }))
  })
}

function client(ws: WebSocket) {
  const messages: WsServerMessage[] = []
  ws.on('message', (d) => messages.push(JSON.parse(d.toString()) as WsServerMessage))
  const next = (pred: (m: WsServerMessage) => boolean, ms = 5000): Promise<WsServerMessage> =>
    new Promise((resolve, reject) => {
      const t0 = Date.now()
      const poll = (): void => {
        const hit = messages.find(pred)
        if (hit) return resolve(hit)
        if (Date.now() - t0 > ms) return reject(new Error(`timeout; got ${JSON.stringify(messages).slice(0, 300)}`))
        setTimeout(poll, 5)
      }
      poll()
    })
  return { messages, next, reply: (id: number) => next((m) => 'id' in m && m.id === id) }
}

describe('the web shell', () => {
  it('prints a loopback URL carrying a long random token', () => {
    expect(shell.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/)
    expect(shell.port).toBeGreaterThan(0)
  })

  it('serves the renderer with a strict CSP and safe headers', async () => {
    const r = await get(`/?token=${shell.token}`)
    expect(r.status).toBe(200)
    expect(r.body).toContain('<title>lab</title>')
    const csp = String(r.headers['content-security-policy'])
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("object-src 'none'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).toContain(`ws://127.0.0.1:${shell.port}`)
    expect(csp).not.toMatch(/script-src[^;]*unsafe/)
    expect(r.headers['x-content-type-options']).toBe('nosniff')
    expect(r.headers['referrer-policy']).toBe('no-referrer')
    const js = await get('/assets/app.js')
    expect(js.status).toBe(200)
    expect(js.headers['content-type']).toMatch(/^text\/javascript/)
  })

  it('never serves a file outside the renderer folder', async () => {
    for (const p of ['/../web-shell-secret.txt', '/..%2fweb-shell-secret.txt', '/%2e%2e/web-shell-secret.txt', '/assets/..%2f..%2fweb-shell-secret.txt', '/%00index.html', '/..\\web-shell-secret.txt']) {
      const r = await get(p)
      expect(r.body, p).not.toContain('secret')
      expect([400, 404], p).toContain(r.status)
    }
    // Dot segments the URL parser resolves stay inside the root; encoded slashes that would climb out are refused.
    expect(resolveInside('/srv/app', '/a/../../etc/passwd')).toBe('/srv/app/etc/passwd')
    expect(resolveInside('/srv/app', '/%2e%2e/etc/passwd')).toBe('/srv/app/etc/passwd')
    expect(resolveInside('/srv/app', '/..%2f..%2fetc/passwd')).toBeNull()
    expect(resolveInside('/srv/app', '/x/..%2F..%2F..%2Fetc/passwd')).toBeNull()
    expect(resolveInside('/srv/app', '/')).toBe('/srv/app/index.html')
    expect(resolveInside('/srv/app', '/assets/x.js?v=1')).toBe('/srv/app/assets/x.js')
    expect(resolveInside('/srv/app', '/%E0%A4%A')).toBeNull()
  })

  it('answers only its own Host name (DNS rebinding) and only GET/HEAD', async () => {
    expect((await get('/', { Host: 'evil.example:80' })).status).toBe(421)
    expect((await get('/', { Host: `localhost:${shell.port}` })).status).toBe(200)
    const post = await new Promise<number>((resolve) => {
      const req = httpRequest({ host: '127.0.0.1', port: shell.port, path: '/', method: 'POST' }, (res) => { res.resume(); resolve(res.statusCode ?? 0) })
      req.end('x')
    })
    expect(post).toBe(405)
  })

  it('refuses a WebSocket without the token, with a wrong token, or from a foreign origin', async () => {
    expect(await connect('')).toEqual({ refused: 401 })
    expect(await connect('?token=')).toEqual({ refused: 401 })
    // one character changed (a random token may itself end in 'x')
    expect(await connect(`?token=${shell.token.slice(0, -1)}${shell.token.endsWith('x') ? 'y' : 'x'}`)).toEqual({ refused: 401 })
    expect(await connect(`?token=${shell.token}extra`)).toEqual({ refused: 401 })
    expect(await connect(`?token=${shell.token}`, 'http://evil.example')).toEqual({ refused: 403 })
    expect(await connect(`?token=${shell.token}`, `http://127.0.0.1:${shell.port + 1}`)).toEqual({ refused: 403 })
    expect(await connect(`?token=${shell.token}`, null)).toEqual({ refused: 403 })
  })

  it('carries requests and replies by id, and answers malformed frames without dropping the socket', async () => {
    const c = await connect(`?token=${encodeURIComponent(shell.token)}`)
    if (!('ws' in c)) throw new Error(`refused ${c.refused}`)
    const cl = client(c.ws)
    c.ws.send('{not json')
    expect(await cl.reply(-1)).toMatchObject({ result: { ok: false, error: { code: 'bad-frame' } } })
    c.ws.send(JSON.stringify({ channel: 'app:info' }))
    await cl.next((m) => 'id' in m && m.id === -1 && cl.messages.filter((x) => 'id' in x && x.id === -1).length === 2)
    c.ws.send(Buffer.from([1, 2, 3]))
    c.ws.send(JSON.stringify({ id: 7, channel: 'app:info', payload: null }))
    expect(await cl.reply(7)).toMatchObject({ result: { ok: true, value: { version: '9.9.9-test', transport: 'web' } } })
    c.ws.send(JSON.stringify({ id: 8, channel: 'train:set-lr', payload: { lr: 99 } }))
    expect(await cl.reply(8)).toMatchObject({ result: { ok: false, error: { code: 'bad-payload', path: 'lr' } } })
    c.ws.send(JSON.stringify({ id: 9, channel: 'fs:read', payload: '/etc/passwd' }))
    expect(await cl.reply(9)).toMatchObject({ result: { ok: false, error: { code: 'unknown-channel' } } })
    c.ws.close()
  })

  it('refuses an upload announced over 300 MB as a file too big, before its bytes come, and answers it once', async () => {
    const c = await connect(`?token=${encodeURIComponent(shell.token)}`)
    if (!('ws' in c)) throw new Error(`refused ${c.refused}`)
    const cl = client(c.ws)
    // a 400 MB file: the page's first frame, then (a few of) its further slices
    c.ws.send(frame({ id: 3, channel: 'project:open', payload: { from: 'upload', fileName: 'big.bplab', bytes: { $bytes: [0, 400 * 2 ** 20] } }, size: 400 * 2 ** 20 }, [1, 2]))
    for (let i = 0; i < 3; i++) c.ws.send(frame({ id: 3 }, [3, 4]))
    c.ws.send(JSON.stringify({ id: 4, channel: 'app:info', payload: null }))
    await cl.reply(4)
    // before, 'bad-frame' ('reload the page') and one more refusal per slice
    expect(cl.messages.filter((m) => 'id' in m && m.id === 3)).toEqual([
      { id: 3, result: { ok: false, error: { code: 'bad-payload', message: expect.stringContaining('larger than the 300 MB'), params: { channel: 'project:open', field: 'payload', case: 'file-too-big', limit: 300 } } } }
    ])
    c.ws.close()
  })

  it('judges two uploads at once each on its own, and tells a third beyond what it holds to wait, not to reload', async () => {
    const c = await connect(`?token=${encodeURIComponent(shell.token)}`)
    if (!('ws' in c)) throw new Error(`refused ${c.refused}`)
    const cl = client(c.ws)
    // announced, not sent: the host sets aside their bytes (untouched memory) and waits for the slices
    const upload = (id: number, mb: number): Buffer => frame({ id, channel: 'data:text-upload', payload: { from: 'upload', fileName: 'a.txt', bytes: { $bytes: [0, mb * 2 ** 20] } }, size: mb * 2 ** 20 }, [65])
    c.ws.send(upload(5, 200))
    c.ws.send(upload(6, 200))
    c.ws.send(upload(7, 250))
    c.ws.send(JSON.stringify({ id: 8, channel: 'app:info', payload: null }))
    await cl.reply(8)
    // before, the second (together over 301 MB) was a bad frame: "The lab could not read a message from this page. Reload the page."
    expect(cl.messages.filter((m) => 'id' in m && (m.id === 5 || m.id === 6))).toEqual([])
    expect(cl.messages.filter((m) => 'id' in m && m.id === 7)).toEqual([
      { id: 7, result: { ok: false, error: { code: 'busy', message: expect.stringContaining('wait until they have arrived'), params: { case: 'upload' } } } }
    ])
    c.ws.close()
  })

  it('acknowledges each slice taken of an upload whose page asks (it paces the upload by them), and none to an older page', async () => {
    const c = await connect(`?token=${encodeURIComponent(shell.token)}`)
    if (!('ws' in c)) throw new Error(`refused ${c.refused}`)
    const cl = client(c.ws)
    const head = (id: number, ack: boolean) => ({ id, channel: 'data:text-upload', payload: { from: 'upload', fileName: 'a.txt', bytes: { $bytes: [0, 6] } }, size: 6, ...(ack ? { ack: true } : {}) })
    c.ws.send(frame(head(12, true), [65, 66]))
    c.ws.send(frame({ id: 12 }, [67, 68]))
    // an older page's (no "ack"): it would take an acknowledgement for a frame it cannot read
    c.ws.send(frame(head(13, false), [65, 66]))
    c.ws.send(frame({ id: 13 }, [67, 68]))
    c.ws.send(JSON.stringify({ id: 14, channel: 'app:info', payload: null }))
    await cl.reply(14)
    expect(cl.messages.filter((m) => 'ack' in m)).toEqual([{ ack: 12, received: 2 }, { ack: 12, received: 4 }])
    c.ws.close()
  })

  it('says of an upload the host has no memory for, and of a payload nested too deep, what is wrong, not "reload the page"', async () => {
    const c = await connect(`?token=${encodeURIComponent(shell.token)}`)
    if (!('ws' in c)) throw new Error(`refused ${c.refused}`)
    const cl = client(c.ws)
    // before: 'bad-frame' both ("The lab could not read a message from this page. Reload the page."), the second with
    // the stack overflow's words as its reason
    const alloc = vi.spyOn(Buffer, 'allocUnsafeSlow').mockImplementation(() => { throw new RangeError('Array buffer allocation failed') })
    try {
      c.ws.send(frame({ id: 12, channel: 'project:open', payload: { from: 'upload', fileName: 'a.bplab', bytes: { $bytes: [0, 5 * 2 ** 20] } }, size: 5 * 2 ** 20 }, [1]))
      c.ws.send(frame({ id: 12 }, [2]))
      c.ws.send(JSON.stringify({ id: 13, channel: 'app:info', payload: null }))
      await cl.reply(13)
    } finally {
      alloc.mockRestore()
    }
    c.ws.send(frame(`{"id":14,"channel":"project:open","size":0,"payload":${'['.repeat(100_000)}${']'.repeat(100_000)}}`))
    // in a text frame too (JSON.parse's reviver overflowed the stack: "The message was not JSON text")
    c.ws.send(`{"id":16,"channel":"train:set-lr","payload":${'['.repeat(100_000)}${']'.repeat(100_000)}}`)
    // a Float32Array ({ $f32 }) the reviver has no memory for is no memory, not nesting (before: 'nested more than 100 levels')
    const from = Buffer.from.bind(Buffer) as (...a: unknown[]) => Buffer
    const decode = vi.spyOn(Buffer, 'from').mockImplementation(((...a: unknown[]) => {
      if (a[1] === 'base64' && a[0] === 'AAAAAAAAAAA=') throw new RangeError('Array buffer allocation failed')
      return from(...a)
    }) as typeof Buffer.from)
    try {
      c.ws.send(JSON.stringify({ id: 17, channel: 'model:predict', payload: { input: { $f32: 'AAAAAAAAAAA=' }, maps: false } }))
      c.ws.send(JSON.stringify({ id: 15, channel: 'app:info', payload: null }))
      await cl.reply(15)
    } finally {
      decode.mockRestore()
    }
    expect(cl.messages.find((m) => 'id' in m && m.id === 17)).toEqual({ id: 17, result: { ok: false, error: { code: 'no-memory', message: expect.stringContaining('model:predict: the computer running the lab has no memory free for this request (1 MB)'), params: { size: 1, case: 'predict' } } } })
    expect(cl.messages.filter((m) => 'id' in m && (m.id === 12 || m.id === 14 || m.id === 16))).toEqual([
      { id: 12, result: { ok: false, error: { code: 'no-memory', message: expect.stringContaining('no memory free for a file this big (5 MB)'), params: { size: 5, case: 'file' } } } },
      { id: 14, result: { ok: false, error: { code: 'bad-payload', message: expect.stringContaining('nested more than 100 levels'), params: { channel: 'project:open', field: 'payload', case: 'too-deep', limit: 100 } } } },
      { id: 16, result: { ok: false, error: { code: 'bad-payload', message: expect.stringContaining('nested more than 100 levels'), params: { channel: 'train:set-lr', field: 'payload', case: 'too-deep', limit: 100 } } } }
    ])
    c.ws.close()
  })

  it('takes an older page\'s upload as base64 in one text frame up to the lab\'s 300 MB, not a smaller frame limit', () => {
    // ws closes the connection on a frame over MAX_FRAME (the page can only say "reload"): it must hold the base64 of
    // the largest file the payload check accepts, and its JSON (before: 256 MB, while a 300 MB file is 400 MB of base64)
    expect(MAX_FRAME).toBeGreaterThanOrEqual(MAX_BASE64 + JSON.stringify({ id: 2 ** 53, channel: 'project:open', payload: { from: 'upload', fileName: 'x'.repeat(255), base64: '' } }).length)
  })

  it('streams the host events to every connected page, snapshots packed as base64 floats', async () => {
    const a = await connect(`?token=${shell.token}`)
    const b = await connect(`?token=${shell.token}`)
    if (!('ws' in a) || !('ws' in b)) throw new Error('refused')
    const ca = client(a.ws)
    const cb = client(b.ws)
    const rec = record(host)
    a.ws.send(JSON.stringify({ id: 1, channel: 'train:start', payload: { spec: mlpSpec(), settings: settings() } }))
    const started = await ca.reply(1)
    expect(started).toMatchObject({ result: { ok: true } })
    await rec.waitFor(isState('done'))
    const done = (m: WsServerMessage): boolean => 'event' in m && m.event.type === 'state' && m.event.state === 'done'
    await ca.next(done)
    await cb.next(done)
    const snap = ca.messages.find((m) => 'event' in m && m.event.type === 'snapshot') as unknown as { event: { snapshot: { filters: { data: { $f32: string } } } } }
    const data = new Float32Array(new Uint8Array(Buffer.from(snap.event.snapshot.filters.data.$f32, 'base64')).buffer)
    expect(data).toHaveLength(4)
    expect(data[3]).toBe(1)
    expect(cb.messages.filter((m) => 'event' in m && m.event.type === 'epoch')).toHaveLength(1)
    a.ws.close()
    b.ws.close()
  })
})

describe('wire encoding and arguments', () => {
  it('packs snapshot buffers and epoch images exactly and turns other typed arrays into plain arrays', () => {
    const values = new Float32Array([0.1, -2.5, 3e-8, 1])
    const snap: LabEvent = { type: 'snapshot', runId: 'r', snapshot: { filters: { count: 1, h: 2, w: 2, data: values } } }
    const parsed = JSON.parse(encode({ event: snap }))
    const back = new Float32Array(new Uint8Array(Buffer.from(parsed.event.snapshot.filters.data.$f32, 'base64')).buffer)
    expect(Array.from(back)).toEqual(Array.from(values))
    const epoch = { type: 'epoch', runId: 'r', report: { epoch: 1, trainLoss: 1, trainAcc: 1, testLoss: 1, testAcc: 1, seconds: 1, confidentWrong: [{ index: 0, label: 1, predicted: 2, confidence: 0.9, image: { count: 1, h: 1, w: 2, data: new Float32Array([0.5, 0.25]) } }] } } as LabEvent
    // an epoch report's images are packed too; the renderer's toFloat32 reads both forms
    const packedImage = JSON.parse(encode({ event: epoch })).event.report.confidentWrong[0].image.data
    expect(Array.from(new Float32Array(new Uint8Array(Buffer.from(packedImage.$f32, 'base64')).buffer))).toEqual([0.5, 0.25])
    // a reply's typed arrays stay plain numbers
    expect(JSON.parse(encode({ id: 1, result: { ok: true, value: { probs: new Float32Array([0.5, 0.25]) } } }))).toEqual({ id: 1, result: { ok: true, value: { probs: [0.5, 0.25] } } })
  })

  it('encodes a SimpleConvNet-sized snapshot (≈40k floats) in a few milliseconds', () => {
    const maps = (layer: string, c: number, h: number, w: number) => ({ layer, shape: [c, h, w], maps: { count: c, h, w, data: new Float32Array(c * h * w).map((_, i) => Math.sin(i)) } })
    const snap: LabEvent = {
      type: 'snapshot', runId: 'r',
      snapshot: {
        filters: { count: 30, h: 5, w: 5, data: new Float32Array(750).fill(0.1) },
        featureMaps: [maps('conv1', 30, 24, 24), maps('relu1', 30, 24, 24), maps('pool1', 30, 12, 12), maps('affine1', 1, 1, 100)]
      }
    }
    const times: number[] = []
    let bytes = 0
    for (let i = 0; i < 40; i++) {
      const t0 = performance.now()
      bytes = encode({ event: snap }).length
      times.push(performance.now() - t0)
    }
    times.sort((a, b) => a - b)
    const median = times[times.length >> 1]
    console.log(`snapshot encode: ${Math.round(bytes / 1024)} KiB, median ${median.toFixed(2)} ms, min ${times[0].toFixed(2)} ms`)
    expect(bytes).toBeLessThan(260_000)
    expect(median).toBeLessThan(10)
  })

  it('parses --port and refuses anything else', () => {
    expect(parsePort([])).toBe(0)
    expect(parsePort(['--port', '0'])).toBe(0)
    expect(parsePort(['--port', '8123'])).toBe(8123)
    expect(parsePort(['--port=9000'])).toBe(9000)
    expect(() => parsePort(['--port'])).toThrow(/whole number/)
    expect(() => parsePort(['--port', '70000'])).toThrow(/0 to 65535/)
    expect(() => parsePort(['--port', 'abc'])).toThrow(/"abc"/)
    expect(() => parsePort(['--host', '0.0.0.0'])).toThrow(/Unknown argument/)
  })

  it('refuses to listen on anything but loopback', async () => {
    await expect(startWebShell({ port: 0, host: '0.0.0.0' as '127.0.0.1', rendererDir: dir, labHost: host })).rejects.toThrow(/127\.0\.0\.1/)
  })
})
