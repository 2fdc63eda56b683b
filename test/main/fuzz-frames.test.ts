/**
 * Fuzzing the web shell's binary request frames (binary-request.ts BinaryRequests.take): seeded mutations of a
 * good upload's frames (its 4-byte JSON length, the JSON's id, size and $bytes places, slices dropped, doubled or
 * reordered) and random frames. take() must never throw, answer each frame with a listed outcome, never hand on a
 * request whose file views lie outside its bytes, and hold no bytes once the connection is cleared.
 * A failure names its seed.
 */
import { describe, expect, it } from 'vitest'
import { BinaryRequests, MAX_NESTING, type FrameOutcome } from '../../src-main/binary-request'
import { reviveRequest } from '../../src-main/web-shell'
import { below, hostileValue, mutateBytes, mutateJson, pick, seeded } from '../engine/io/fuzz-mutate'

function frame(head: unknown, data: Uint8Array): Buffer {
  const json = Buffer.from(JSON.stringify(head))
  const out = Buffer.alloc(4 + json.length + data.length)
  out.writeUInt32LE(json.length, 0)
  json.copy(out, 4)
  out.set(data, 4 + json.length)
  return out
}

const file = Uint8Array.from({ length: 3000 }, (_, i) => i % 251)
const head = { id: 7, channel: 'project:open', size: file.length, payload: { from: 'upload', fileName: 'a.bplab', bytes: { $bytes: [0, file.length] } } }

/** The good upload as three frames: the head with the first slice, then two slices. */
function goodFrames(): Buffer[] {
  return [frame(head, file.subarray(0, 1000)), frame({ id: 7 }, file.subarray(1000, 2000)), frame({ id: 7 }, file.subarray(2000))]
}

const KINDS = new Set(['request', 'partial', 'too-big', 'held', 'no-memory', 'too-deep', 'bad'])

describe('binary request frame fuzz', () => {
  it('the good upload is made whole', () => {
    const b = new BinaryRequests(10_000, reviveRequest)
    const outs = goodFrames().map((f) => b.take(f))
    expect(outs.map((o) => o.kind)).toEqual(['partial', 'partial', 'request'])
  })

  it('400 seeded mutated frame sequences: never a throw, listed outcomes, file views inside the bytes, nothing held after clear', () => {
    const failures: { seed: number; what: string; got: string }[] = []
    for (let seed = 1; seed <= 400; seed++) {
      const r = seeded(seed)
      const frames = goodFrames()
      let what = ''
      const k = below(r, 5)
      if (k === 0) {
        const i = below(r, frames.length)
        const m = mutateBytes(frames[i], r, [0, 1, 2, 3, 4, 5, 10, 20])
        frames[i] = Buffer.from(m.bytes)
        what = `frame ${i}: ${m.what}`
      } else if (k === 1) {
        const m = mutateJson(head, r)
        frames[0] = frame(m.value, file.subarray(0, 1000))
        what = `head: ${m.what}`
      } else if (k === 2) {
        const order = pick(r, [[1, 0, 2], [0, 2, 1], [0, 0, 1, 2], [0, 1], [2], [0, 1, 2, 2], [0, 1, 0, 1, 2]])
        const f = frames
        what = `frames in order ${order.join(',')}`
        frames.splice(0, frames.length, ...order.map((i) => f[i]))
      } else if (k === 3) {
        frames[0] = frame({ ...head, payload: { ...head.payload, bytes: { $bytes: pick(r, [[2999, 2], [-1, 1], [0, 2 ** 53], ['0', 1], [0], null, { 0: 0, 1: 1 }]) } } }, file.subarray(0, 1000))
        what = 'a $bytes place out of range'
      } else {
        frames[0] = frame({ ...head, payload: hostileValue(r) }, file.subarray(0, 1000))
        what = 'a hostile payload'
      }
      const b = new BinaryRequests(10_000, reviveRequest)
      for (const f of frames) {
        let o: FrameOutcome
        try {
          o = b.take(f)
        } catch (e) {
          failures.push({ seed, what, got: `threw ${(e as Error).message}` })
          break
        }
        if (!KINDS.has(o.kind)) failures.push({ seed, what, got: `outcome ${JSON.stringify(o)}` })
        if (o.kind === 'bad' && (typeof o.why !== 'string' || o.why.length === 0)) failures.push({ seed, what, got: 'a refusal without words' })
        if (o.kind === 'request') {
          const p = o.request.payload as { bytes?: unknown } | null
          const v = p && typeof p === 'object' ? p.bytes : undefined
          if (v instanceof Uint8Array && (v.byteLength > file.length)) failures.push({ seed, what, got: `a view of ${v.byteLength} bytes` })
        }
      }
      b.clear()
      if ((b as unknown as { held: number }).held !== 0) failures.push({ seed, what, got: 'bytes held after clear' })
    }
    expect(failures).toEqual([])
  })

  // binary-request.ts walked the payload recursively (placeFiles) without a bound: the request was refused, contained, but
  // its reason was the stack overflow's "Maximum call stack size exceeded". The walk now stops at MAX_NESTING.
  it('a payload nested 100,000 deep is refused in words, not with the stack overflow\'s', () => {
    const json = Buffer.from(`{"id":3,"channel":"project:open","size":0,"payload":${'['.repeat(100_000)}${']'.repeat(100_000)}}`)
    const f = Buffer.alloc(4 + json.length)
    f.writeUInt32LE(json.length, 0)
    json.copy(f, 4)
    const b = new BinaryRequests(10_000, reviveRequest)
    const o = b.take(f)
    expect(o).toEqual({ kind: 'too-deep', id: 3, channel: 'project:open', limit: MAX_NESTING })
    // as deep as allowed is taken
    const ok = Buffer.from(`{"id":4,"channel":"x","size":0,"payload":${'['.repeat(MAX_NESTING)}${']'.repeat(MAX_NESTING)}}`)
    const g = Buffer.alloc(4 + ok.length)
    g.writeUInt32LE(ok.length, 0)
    ok.copy(g, 4)
    expect(b.take(g).kind).toBe('request')
  })
})
