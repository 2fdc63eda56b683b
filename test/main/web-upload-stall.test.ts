/**
 * An upload through the web shell does not stall the host's main thread: the page sends a file's bytes as they are,
 * in 1 MB binary frames (src-renderer/lib/lab.ts requestFrames, src-main/binary-request.ts), and the reader thread
 * gets them by transfer. Before, a 50 MB project went as base64 in one JSON text frame, and the host made a 67 MB
 * string of it, parsed it, checked its letters with a regular expression and ws unmasked the whole frame at once:
 * 1.1-1.8 s at load 8. The page's side (building and sending the frames) runs in a thread of its own here, as the
 * browser is another process. Also: binary frames that are not a request are refused, and a request's bytes can be
 * no more than it announced.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { Worker } from 'node:worker_threads'
import { createRequire } from 'node:module'
import { rmSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startWebShell, type WebShell } from '../../src-main/web-shell'
import { requestFrames } from '../../src-renderer/lib/lab'
import { BinaryRequests, IDLE_UPLOAD_MS } from '../../src-main/binary-request'
import { readText } from '../../src-main/project-read'
import { encodeProject } from '../../src-engine/io/project'
import { encodeModelWeights } from '../../src-engine/io/safetensors'
import { PRESETS } from '../../src-engine/models/presets'
import type { NetSpec } from '../../src-engine/spec-types'
import type { OpenedProject, Result, WsClientMessage } from '../../src-main/ipc/contract'
import { expectedWeights } from '../../src-main/projects'
import { createDispatcher } from '../../src-main/ipc/handlers'
import { disposingHosts, settings, worstStall } from './helpers'
import { bundleWorker } from '../helpers/bundle'

/** As project-open-stall.test.ts: the machine is shared (load ~8 on 2 cores); alone this stalls far less. */
const MAX_STALL_MS = 400

const charLstm = PRESETS.find((p) => p.id === 'char-lstm')!.spec as NetSpec
const newHost = disposingHosts()
let reader: string
const dirs: string[] = []

beforeAll(async () => { reader = await bundleWorker('src-main/project-reader.ts') }, 60_000)
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }) })

/**
 * The page: a WebSocket client in a thread of its own (as the browser is another process), which sends the frames it
 * is given and passes back every reply.
 */
const PAGE = `
const { parentPort, workerData } = require('node:worker_threads')
const { WebSocket } = require(workerData.ws)
const ws = new WebSocket(workerData.url, { origin: workerData.origin })
ws.on('open', () => parentPort.postMessage({ open: true }))
ws.on('message', (d) => { const t = d.toString(); if (t.startsWith('{"id"')) parentPort.postMessage({ reply: t }) })
parentPort.on('message', (m) => { if (m === 'close') ws.close(); else for (const f of m) ws.send(f, { binary: typeof f !== 'string' }) })
`

async function page(shell: WebShell): Promise<{ send(frames: string | Uint8Array[]): Promise<Result<unknown>>; close(): Promise<void> }> {
  const worker = new Worker(PAGE, { eval: true, workerData: { ws: createRequire(import.meta.url).resolve('ws'), url: `ws://127.0.0.1:${shell.port}/ws?token=${shell.token}`, origin: shell.origin } })
  await new Promise((ok) => worker.once('message', ok))
  return {
    send: (frames) => new Promise((ok) => {
      worker.once('message', (m: { reply: string }) => ok((JSON.parse(m.reply) as { result: Result<unknown> }).result))
      const list = typeof frames === 'string' ? [frames] : frames
      worker.postMessage(list, list.flatMap((f) => (typeof f === 'string' ? [] : [f.buffer as ArrayBuffer])))
    }),
    close: async () => { await worker.terminate() }
  }
}


const frames = (id: number, channel: string, payload: unknown) => requestFrames({ id, channel, payload } as WsClientMessage)

/**
 * The worst stall of a request sent once, and sent again (a new id) only when the first was over the bound: the
 * machine is shared, and a major GC or a core taken by another test file for 300 ms is not the upload's own work.
 * The old transport (base64 in one JSON text frame) stalled 430-714 ms every time, so both tries still fail it.
 * The frames are made before the clock starts (the page's work, not the host's).
 */
async function leastStall(send: (frames: string | Uint8Array[]) => Promise<Result<unknown>>, make: (id: number) => string | Uint8Array[], ids: [number, number]): Promise<{ value: Result<unknown>; worstMs: number }> {
  const first = await worstStall(() => send(make(ids[0])))
  if (first.worstMs < MAX_STALL_MS) return first
  const second = make(ids[1])
  const again = await worstStall(() => send(second))
  console.log(`worst stall ${first.worstMs.toFixed(1)} ms, then ${again.worstMs.toFixed(1)} ms sent again`)
  return again.worstMs < first.worstMs ? again : first
}

describe('an upload through the web shell', () => {
  /**
   * The sizes: the old transport's stall grows with the file (the base64 string made, parsed and checked at once), and
   * must stay over the bound. Sent as base64 in one text frame to this shell (that path is unchanged since 35f074f), the
   * 50 MB project stalled 533-882 ms at load 6-7 (430-714 ms when the test was written): it stays 50 MB (30 MB would give
   * ~320-530 ms). The weights file is 39 MB, not 100 MB (3989 ms, 2335 ms here): 569-1337 ms in 3 runs (25 MB: 453 ms,
   * too close); the case takes 1-1.5 s less.
   */
  it('keeps the main thread serving its timers: a project carrying a 50 MB text, then a 39 MB weights file', async () => {
    const line = new TextEncoder().encode('오늘 도서관에서 책을 읽었다. The quick brown fox jumps over the lazy dog.\n')
    const text = new Uint8Array(50 * 1024 * 1024 - ((50 * 1024 * 1024) % line.length))
    for (let at = 0; at < text.length; at += line.length) text.set(line, at)
    const project = encodeProject({ spec: charLstm, settings: settings({ data: { kind: 'text', file: '/elsewhere/diary.txt' }, batchSize: 20 }), text: { fileName: 'diary.txt', bytes: text } })

    const big: NetSpec = {
      name: 'wide', input: [1, 28, 28],
      layers: [{ type: 'Convolution', filters: 100, kernel: 3, pad: 1 }, { type: 'Relu' }, { type: 'Pooling', size: 2, stride: 2 }, { type: 'Affine', units: 500 }, { type: 'SoftmaxWithLoss' }]
    }
    const shapes = expectedWeights(big)
    if (!shapes.ok) throw new Error(shapes.message)
    const weights = encodeModelWeights(big, Object.fromEntries(Object.entries(shapes.shapes).map(([k, shape]) => {
      const data = new Float32Array(shape.reduce((a, b) => a * b, 1))
      for (let i = 0; i < data.length; i++) data[i] = ((i % 1000) - 500) / 1e4
      return [k, { shape, data }]
    })))

    const dir = mkdtempSync(join(tmpdir(), 'backprop-lab-web-upload-'))
    dirs.push(dir)
    const host = newHost({ dataDir: dir, projectReader: reader })
    const shell = await startWebShell({ port: 0, rendererDir: dir, labHost: host })
    const browser = await page(shell)
    try {
      const opened = await leastStall(browser.send, (id) => frames(id, 'project:open', { from: 'upload', fileName: 'diary.bplab', bytes: project }), [1, 3])
      console.log(`web upload of a ${project.length}-byte project: worst stall ${opened.worstMs.toFixed(1)} ms`)
      expect(opened.value).toMatchObject({ ok: true, value: { text: { fileName: 'diary.txt', chars: expect.any(Number) } } })
      expect((opened.value as Result<OpenedProject>).ok && (opened.value as { value: OpenedProject }).value.spec.name).toBe(charLstm.name)
      expect(opened.worstMs).toBeLessThan(MAX_STALL_MS)

      const imported = await leastStall(browser.send, (id) => frames(id, 'model:import-weights', { spec: big, source: { from: 'upload', fileName: 'wide.safetensors', bytes: weights } }), [2, 4])
      console.log(`web upload of a ${weights.length}-byte weights file: worst stall ${imported.worstMs.toFixed(1)} ms`)
      expect(imported.value).toMatchObject({ ok: true, value: { fileName: 'wide.safetensors', tensors: 4, params: 9_801_500 } })
      expect(imported.worstMs).toBeLessThan(MAX_STALL_MS)
    } finally {
      await browser.close()
      await shell.close()
    }
  }, 120_000)
})

describe('requests in binary frames', () => {
  const frame = (json: unknown, data: number[] = []) => {
    const head = Buffer.from(typeof json === 'string' ? json : JSON.stringify(json))
    const len = Buffer.alloc(4)
    len.writeUInt32LE(head.length)
    return Buffer.concat([len, head, Buffer.from(data)])
  }

  it('puts a request together from its slices, its files views into one whole buffer of the announced size', () => {
    const bytes = Uint8Array.from({ length: 10 }, (_, i) => i)
    const sent = requestFrames({ id: 7, channel: 'data:text-upload', payload: { from: 'upload', fileName: 'a.txt', bytes } } as WsClientMessage, 4)
    expect(Array.isArray(sent) && sent.length).toBe(3)
    const r = new BinaryRequests(100)
    const got = (sent as Uint8Array[]).map((f) => r.take(Buffer.from(f)))
    // the page asks for each slice to be acknowledged (it sends the next ones on these): the bytes received so far
    expect(got.slice(0, 2)).toEqual([{ kind: 'partial', ack: { id: 7, received: 4 } }, { kind: 'partial', ack: { id: 7, received: 8 } }])
    const last = got[2]
    if (last.kind !== 'request') throw new Error(JSON.stringify(last))
    expect(last.request).toMatchObject({ id: 7, channel: 'data:text-upload', payload: { from: 'upload', fileName: 'a.txt' } })
    const file = (last.request.payload as { bytes: Uint8Array }).bytes
    expect([...file]).toEqual([...bytes])
    expect(file.byteOffset === 0 && file.buffer.byteLength).toBe(10)
    // a request without files stays one JSON text frame
    expect(requestFrames({ id: 8, channel: 'app:info', payload: undefined } as WsClientMessage)).toBe('{"id":8,"channel":"app:info"}')
  })

  it('refuses what is not a request, more bytes than announced, more than it may hold, and slices of no request', () => {
    const r = new BinaryRequests(16)
    expect(r.take(Buffer.from([1, 0]))).toMatchObject({ kind: 'bad', id: -1 })
    expect(r.take(frame('{"id": 1, "chan'))).toMatchObject({ kind: 'bad', id: -1 })
    expect(r.take(frame({ id: 2 }, [1]))).toMatchObject({ kind: 'bad', id: 2, why: expect.stringContaining('no request 2') })
    // more than any one request may carry: too big (the page says so of the file), and its further slices pass unanswered
    expect(r.take(frame({ id: 3, channel: 'x', payload: null, size: 17 }))).toEqual({ kind: 'too-big', id: 3, channel: 'x', size: 17 })
    expect(r.take(frame({ id: 3 }, [1]))).toEqual({ kind: 'partial' })
    expect(r.take(frame({ id: 4, channel: 'x', payload: { $bytes: [0, 2] }, size: 2 }, [1]))).toEqual({ kind: 'partial' })
    // each request is judged on its own: 15 bytes beside request 4's 2 are taken (before: refused as a bad frame, which
    // the page words "reload the page", for two uploads at once together over the one-upload limit)
    expect(r.take(frame({ id: 9, channel: 'x', payload: null, size: 15 }))).toEqual({ kind: 'partial' })
    // beyond what the connection may hold together (twice the limit): held, the page says to wait; its slices pass unanswered
    expect(r.take(frame({ id: 11, channel: 'x', payload: null, size: 16 }))).toEqual({ kind: 'held', id: 11, channel: 'x', size: 16, held: 17 })
    expect(r.take(frame({ id: 11 }, [1]))).toEqual({ kind: 'partial' })
    expect(r.take(frame({ id: 4 }, [2, 3]))).toMatchObject({ kind: 'bad', id: 4, why: expect.stringContaining('more than the 2 bytes') })
    // dropped: its bytes are no longer held (16 fit again beside request 9's 15), and its later slices get no answer of their own
    expect(r.take(frame({ id: 4 }, [2]))).toEqual({ kind: 'partial' })
    expect(r.take(frame({ id: 10, channel: 'x', payload: null, size: 16 }))).toEqual({ kind: 'partial' })
    r.clear()
    expect(r.take(frame({ id: 5, channel: 'x', payload: { $bytes: [1, 2] }, size: 2 }, [1, 2]))).toMatchObject({ kind: 'bad', id: 5, why: expect.stringContaining('outside') })
    expect(r.take(frame({ id: 6, channel: 'x', payload: { a: { $bytes: [0, 16] } }, size: 16 }, new Array(16).fill(9)))).toMatchObject({ kind: 'request' })
  })

  it('gives up an upload no slice has come for in IDLE_UPLOAD_MS (the page stopped sending it at its timeout), so its bytes are not held for ever', () => {
    let now = 0
    const r = new BinaryRequests(16, undefined, 32, () => now)
    // two uploads begun and left unfinished, as lib/lab.ts leaves them once they have timed out there
    expect(r.take(frame({ id: 1, channel: 'x', payload: null, size: 16 }, [1]))).toEqual({ kind: 'partial' })
    expect(r.take(frame({ id: 2, channel: 'x', payload: null, size: 16 }, [1]))).toEqual({ kind: 'partial' })
    now = IDLE_UPLOAD_MS
    expect(r.take(frame({ id: 2 }, [2]))).toEqual({ kind: 'partial' })
    // request 2 is still coming: while request 1 is not yet idle for long enough, a third is told to wait
    expect(r.take(frame({ id: 3, channel: 'x', payload: null, size: 16 }))).toMatchObject({ kind: 'held', held: 32 })
    now = IDLE_UPLOAD_MS + 1
    // request 1 given up (before, it held its 16 bytes for the life of the connection and this was 'held' again)
    expect(r.take(frame({ id: 4, channel: 'x', payload: null, size: 16 }, [1]))).toEqual({ kind: 'partial' })
    expect(r.take(frame({ id: 1 }, [2]))).toEqual({ kind: 'partial' })
    // request 2, which went on, is made whole
    expect(r.take(frame({ id: 2 }, new Array(14).fill(3)))).toMatchObject({ kind: 'request', request: { id: 2 } })
  })

  it('refuses a request it has no memory for instead of throwing', () => {
    const r = new BinaryRequests(64)
    const alloc = vi.spyOn(Buffer, 'allocUnsafeSlow').mockImplementation(() => { throw new RangeError('Array buffer allocation failed') })
    try {
      // its own outcome, which the page words as such (before: 'bad', worded "reload the page"); its later slices pass unanswered
      expect(r.take(frame({ id: 1, channel: 'x', payload: null, size: 32 }, [1]))).toEqual({ kind: 'no-memory', id: 1, channel: 'x', size: 32 })
      expect(r.take(frame({ id: 1 }, [2]))).toEqual({ kind: 'partial' })
    } finally {
      alloc.mockRestore()
    }
    // nothing held for it: a request of the whole 64 bytes is taken
    expect(r.take(frame({ id: 2, channel: 'x', payload: null, size: 64 }))).toEqual({ kind: 'partial' })
  })

  it('hands the reader only an upload\'s own bytes when they are a view into a larger buffer (as Electron\'s IPC may give)', async () => {
    // 2 MB of text (over the 1 MB from which bytes are moved, not copied) between 1 MB on either side that are not the upload's
    const big = new Uint8Array(4 * 2 ** 20).fill(0xff)
    const view = big.subarray(2 ** 20, 3 * 2 ** 20).fill(97)
    const read = await readText(reader, { text: true, name: 'a.txt', bytes: view })
    expect(read).toMatchObject({ kind: 'text', chars: 2 ** 20 * 2, vocab: 1 })
    // before, the whole larger buffer was moved to the reader: here it was gone (detached, length 0), and had the reader
    // read the buffer rather than the view it would have met the 0xff bytes, which are not UTF-8
    expect(big.byteLength).toBe(4 * 2 ** 20)
    expect([big[0], big[2 ** 20], big[3 * 2 ** 20]]).toEqual([0xff, 97, 0xff])
  })

  it('an upload of bytes is checked for its type and size only, and opens as the same file in base64 does', async () => {
    const call = createDispatcher(newHost({ projectReader: reader }))
    const file = encodeProject({ spec: charLstm })
    const asBytes = await call('project:open', { from: 'upload', fileName: 'p.bplab', bytes: file }, true)
    const asBase64 = await call('project:open', { from: 'upload', fileName: 'p.bplab', base64: Buffer.from(file).toString('base64') }, true)
    expect(asBytes).toMatchObject({ ok: true, value: { spec: { name: charLstm.name } } })
    expect(asBytes).toEqual(asBase64)
    const notBytes = await call('project:open', { from: 'upload', fileName: 'p.bplab', bytes: [1, 2, 3] }, true)
    expect(notBytes.ok === false && notBytes.error).toMatchObject({ code: 'bad-payload' })
    // over 300 MB: the same refusal as base64 over its limit (a stand-in that says it is that long)
    class Huge extends Uint8Array { override get length(): number { return 301 * 1024 * 1024 } }
    const huge = await call('project:open', { from: 'upload', fileName: 'p.bplab', bytes: new Huge(1) }, true)
    expect(huge.ok === false && huge.error).toMatchObject({ code: 'bad-payload', params: { case: 'file-too-big', limit: 300 } })
    // base64 is still checked as before
    const notBase64 = await call('project:open', { from: 'upload', fileName: 'p.bplab', base64: 'not base64!' }, true)
    expect(notBase64.ok === false && notBase64.error.message).toContain('must be base64')
  })
})
