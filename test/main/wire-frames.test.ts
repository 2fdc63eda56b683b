/**
 * The web shell's frames written as bytes: packed telemetry (snapshot and epoch arrays' base64 encoded
 * into the frame) and file replies (a project download or model export written from the file's bytes
 * a slice at a time) must carry exactly what JSON.stringify with Buffer's base64 would.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { WebSocket } from 'ws'
import { encodeFrame, startWebShell, type WebShell } from '../../src-main/web-shell'
import { base64Into, fileBytesOf, fileReplyFrame, withFileBytes } from '../../src-main/file-base64'
import type { HostApi } from '../../src-main/ipc/handlers'
import type { LabEvent, WsServerMessage } from '../../src-main/ipc/contract'

const b64 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64')

/** Bytes that are not a pattern base64 could get right by accident. */
function noise(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n)
  let s = seed >>> 0
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    out[i] = s >>> 24
  }
  return out
}

/** The old encoding: JSON.stringify with every Float32Array of a packed message as { $f32: base64 }. */
function reference(msg: WsServerMessage): unknown {
  return JSON.parse(JSON.stringify(msg, (_k, v: unknown) => {
    if (v instanceof Float32Array) return { $f32: b64(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)) }
    if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>)
    return v
  }))
}

const text = (f: Buffer | string): string => (typeof f === 'string' ? f : f.toString('utf8'))

describe('base64Into', () => {
  it('writes what Buffer writes, for every length remainder and at an offset', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 6, 7, 31, 32, 33, 1000, 3 * 16 * 1024, 3 * 16 * 1024 + 1, 200_000]) {
      const src = noise(n, n + 1)
      const out = Buffer.alloc(3 + 4 * Math.ceil(n / 3) + 2, 0x2a)
      const end = base64Into(src, out, 3)
      expect(end).toBe(3 + 4 * Math.ceil(n / 3))
      expect(out.toString('latin1', 3, end)).toBe(b64(src))
      expect(out.toString('latin1', 0, 3) + out.toString('latin1', end)).toBe('*****') // nothing written outside
    }
  })
})

describe('encodeFrame', () => {
  it('packs a snapshot’s arrays (views into a larger buffer, odd lengths) exactly as before, as bytes', () => {
    const big = new Float32Array(Array.from(noise(4 * 1001), (x, i) => x / 7 - i))
    const snap: LabEvent = {
      type: 'snapshot', runId: 'run-é', // non-ASCII text around the arrays
      snapshot: {
        filters: { count: 1, h: 1, w: 3, data: big.subarray(5, 8) },
        featureMaps: [
          { layer: 'conv1', shape: [1, 1, 1], maps: { count: 1, h: 1, w: 1, data: new Float32Array([Number.NaN]) } },
          { layer: 'relu1', shape: [1, 7, 11], maps: { count: 1, h: 7, w: 11, data: big.subarray(100, 177) } }
        ],
        codes: { layer: 'z', dims: 2, count: 0, points: new Float32Array(0), labels: new Float32Array(0) }
      }
    }
    const frame = encodeFrame({ event: snap })
    expect(Buffer.isBuffer(frame)).toBe(true)
    expect(JSON.parse(text(frame))).toEqual(reference({ event: snap }))
  })

  it('packs model:predict maps in a reply and leaves messages without Float32Arrays as JSON text', () => {
    const value = { probs: [0.5, 0.5], logits: [0, 0], top: 0, ms: 1, maps: [{ layer: 'conv1', shape: [2, 1, 1], maps: { count: 2, h: 1, w: 1, data: new Float32Array([1, -1]) } }] }
    const reply: WsServerMessage = { id: 3, result: { ok: true, value } }
    expect(JSON.parse(text(encodeFrame(reply)))).toEqual(reference(reply))
    const plain: WsServerMessage = { id: 4, result: { ok: true, value: { probs: new Float32Array([0.25]), n: new Int32Array([2]) } } }
    expect(encodeFrame(plain)).toBe('{"id":4,"result":{"ok":true,"value":{"probs":[0.25],"n":[2]}}}')
  })
})

describe('file replies', () => {
  it('base64 is read from the bytes only when asked, and the frame carries the same JSON', async () => {
    for (const n of [0, 1, 2, 3 * 128 * 1024, 3 * 128 * 1024 * 2 + 1]) {
      const bytes = noise(n, n)
      const value = withFileBytes({ fileName: 'a "b".bplab', bytes: n, hasWeights: true }, bytes)
      expect(fileBytesOf(value)).toBe(bytes)
      expect(Object.keys(value)).toEqual(['fileName', 'bytes', 'hasWeights', 'base64'])
      const frame = await fileReplyFrame(9, value, bytes)
      const parsed = JSON.parse(frame.toString('utf8')) as { id: number; result: { ok: true; value: Record<string, unknown> } }
      expect(parsed).toEqual({ id: 9, result: { ok: true, value: { fileName: 'a "b".bplab', bytes: n, hasWeights: true, base64: b64(bytes) } } })
      expect(value.base64).toBe(b64(bytes))
      expect(JSON.parse(JSON.stringify(value))).toEqual(parsed.result.value)
    }
    expect(JSON.parse((await fileReplyFrame(1, withFileBytes({}, new Uint8Array([1, 2])), new Uint8Array([1, 2]))).toString())).toEqual({ id: 1, result: { ok: true, value: { base64: 'AQI=' } } })
    expect(fileBytesOf({ base64: 'AQI=' })).toBeNull()
  })

  describe('over the socket', () => {
    let shell: WebShell | undefined
    afterAll(async () => { await shell?.close() })

    it('a model export arrives as one text frame whose base64 decodes to the file', async () => {
      const bytes = noise(3 * 128 * 1024 * 3 + 2, 5)
      const host = {
        exportModel: async () => ({ ok: true, value: withFileBytes({ fileName: 'net.onnx', mime: 'application/octet-stream', bytes: bytes.length }, bytes) }),
        onEvent: () => () => undefined
      } as unknown as HostApi & { onEvent(l: (e: LabEvent) => void): () => void }
      shell = await startWebShell({ port: 0, rendererDir: mkdtempSync(join(tmpdir(), 'wire-frames-')), labHost: host })
      const ws = new WebSocket(`ws://127.0.0.1:${shell.port}/ws?token=${shell.token}`, { origin: shell.origin })
      await new Promise((ok, bad) => { ws.once('open', ok); ws.once('error', bad) })
      const reply = new Promise<{ data: Buffer; isBinary: boolean }>((ok) => ws.once('message', (data: Buffer, isBinary: boolean) => ok({ data, isBinary })))
      ws.send(JSON.stringify({ id: 12, channel: 'model:export', payload: { format: 'onnx' } }))
      const { data, isBinary } = await reply
      ws.close()
      expect(isBinary).toBe(false)
      const m = JSON.parse(data.toString('utf8')) as { id: number; result: { ok: boolean; value: { fileName: string; bytes: number; base64: string } } }
      expect(m.id).toBe(12)
      expect(m.result.value.fileName).toBe('net.onnx')
      expect(Buffer.from(m.result.value.base64, 'base64').equals(Buffer.from(bytes))).toBe(true)
    })
  })
})
