/**
 * Fuzzing the file readers a learner's files reach besides projects: safetensors (weights import), .npy (the
 * command line's predict input) and .npz. Each seeded case must decode or be refused with the reader's own
 * error (SafetensorsError or an Error whose message names the file), never a TypeError/RangeError from inside,
 * never a hang. A failure names the seed that replays it.
 */
import { describe, expect, it } from 'vitest'
import { zipSync } from 'fflate'
import { decodeSafetensors, encodeSafetensors } from '../../../src-engine/io/safetensors'
import { decodeNpy, encodeNpy } from '../../../src-engine/io/npy'
import { decodeNpz, encodeNpz } from '../../../src-engine/io/npz'
import { attempt, isCrash, mutateBytes, mutateJson, overlappingZip, seeded, type Outcome, SLOW_CASE_MS } from './fuzz-mutate'

type Failure = { seed: number; what: string; got: string }

function judge(failures: Failure[], seed: number, what: string, o: Outcome, file: string): void {
  if (o.threw) {
    const e = o.error as Error
    if (isCrash(e) || !String(e?.message).includes(file)) failures.push({ seed, what, got: `${e?.name}: ${String(e?.message).slice(0, 200)}` })
    else if (e.message.length > 600) failures.push({ seed, what, got: `a message of ${e.message.length} characters` })
  }
  if (o.ms > SLOW_CASE_MS) failures.push({ seed, what, got: `took ${o.ms.toFixed(0)} ms` })
}

const f = (n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => i * 0.5 - 1)

describe('safetensors reader fuzz', () => {
  const tensors = { 'conv1.W': { shape: [2, 1, 3, 3], data: f(18) }, 'conv1.b': { shape: [2], data: f(2) }, 'affine1.W': { shape: [8, 4], data: f(32) } }
  const base = encodeSafetensors(tensors, { spec: '{"input":[1,5,5]}', vocab: '["a"]' })
  const headerLen = Number(new DataView(base.buffer).getBigUint64(0, true))
  const header = JSON.parse(new TextDecoder().decode(base.subarray(8, 8 + headerLen))) as Record<string, unknown>

  it('400 byte-level mutations decode or are refused naming the file', () => {
    const bounds = [0, 1, 4, 7, 8, 8 + headerLen - 1, 8 + headerLen, base.length - 4]
    for (let i = 8; i < 8 + headerLen; i++) if ('[:,"{'.includes(String.fromCharCode(base[i]))) bounds.push(i, i + 1)
    const failures: Failure[] = []
    for (let seed = 1; seed <= 400; seed++) {
      const m = mutateBytes(base, seeded(seed), bounds)
      judge(failures, seed, m.what, attempt(() => decodeSafetensors(m.bytes, 'fuzz.safetensors')), 'fuzz.safetensors')
    }
    expect(failures).toEqual([])
  })

  it('400 mutations of the JSON header decode or are refused naming the file', () => {
    const data = base.subarray(8 + headerLen)
    const failures: Failure[] = []
    for (let seed = 1; seed <= 400; seed++) {
      const m = mutateJson(header, seeded(seed))
      const json = new TextEncoder().encode(JSON.stringify(m.value) ?? 'null')
      const bytes = new Uint8Array(8 + json.length + data.length)
      new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length), true)
      bytes.set(json, 8)
      bytes.set(data, 8 + json.length)
      judge(failures, seed, m.what, attempt(() => decodeSafetensors(bytes, 'fuzz.safetensors')), 'fuzz.safetensors')
    }
    expect(failures).toEqual([])
  })

  it('a shape or data_offsets nested 20,000 deep is refused in words, not with the stack overflow of quoting it', () => {
    for (const field of ['shape', 'data_offsets']) {
      const deep = '['.repeat(20_000) + ']'.repeat(20_000)
      const h = new TextEncoder().encode(`{"a":{"dtype":"F32","shape":${field === 'shape' ? deep : '[1]'},"data_offsets":${field === 'shape' ? '[0,4]' : deep}}}`)
      const file = new Uint8Array(8 + h.length + 4)
      new DataView(file.buffer).setBigUint64(0, BigInt(h.length), true)
      file.set(h, 8)
      // before: RangeError 'Maximum call stack size exceeded' (JSON.stringify of the value for the message)
      expect(() => decodeSafetensors(file, 'deep.safetensors')).toThrow(new RegExp(`^deep\\.safetensors: tensor "a" has (an )?invalid ${field} a list nested too deep to show`))
    }
  })
})

describe('.npy and .npz reader fuzz', () => {
  const base = encodeNpy([3, 4], f(12))
  const headerEnd = 10 + new DataView(base.buffer).getUint16(8, true)

  it('400 byte-level mutations of a .npy decode or are refused naming the file', () => {
    const bounds = [0, 6, 7, 8, 9, 10, headerEnd - 1, headerEnd, base.length - 1]
    for (let i = 10; i < headerEnd; i++) if ("{(:,'".includes(String.fromCharCode(base[i]))) bounds.push(i, i + 1)
    const failures: Failure[] = []
    for (let seed = 1; seed <= 400; seed++) {
      const m = mutateBytes(base, seeded(seed), bounds)
      judge(failures, seed, m.what, attempt(() => decodeNpy(m.bytes, 'fuzz.npy')), 'fuzz.npy')
    }
    expect(failures).toEqual([])
  })

  /** A version-1 .npy with this header text (padded as numpy pads it) and these data bytes. */
  function npyWith(header: string, data = new Uint8Array(0), version = 1): Uint8Array {
    const lenBytes = version === 1 ? 2 : 4
    const total = 8 + lenBytes + header.length + 1
    const padded = Math.ceil(total / 64) * 64
    const text = header + ' '.repeat(padded - total) + '\n'
    const out = new Uint8Array(padded + data.length)
    out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0])
    const v = new DataView(out.buffer)
    if (version === 1) v.setUint16(8, text.length, true)
    else v.setUint32(8, text.length, true)
    for (let i = 0; i < text.length; i++) out[8 + lenBytes + i] = text.charCodeAt(i) & 0xff
    out.set(data, padded)
    return out
  }

  it('hostile .npy headers: dtype names of Object.prototype, deep nesting, huge shapes, a megabyte of numbers', () => {
    const cases: [string, Uint8Array][] = [
      ["descr 'constructor'", npyWith("{'descr': 'constructor', 'fortran_order': False, 'shape': (2,), }", new Uint8Array(8))],
      ["descr 'toString'", npyWith("{'descr': 'toString', 'fortran_order': False, 'shape': (0,), }")],
      ["'__proto__' key", npyWith("{'__proto__': {'descr': '<f4', 'fortran_order': False, 'shape': (1,)}, }", new Uint8Array(4))],
      ['nested 100,000 deep', npyWith('('.repeat(100_000) + ')'.repeat(100_000), new Uint8Array(0), 2)],
      ['shape 2^53 × 2^53', npyWith("{'descr': '<f4', 'fortran_order': False, 'shape': (9007199254740992, 9007199254740992), }")],
      ['shape of 10^400', npyWith(`{'descr': '<f4', 'fortran_order': False, 'shape': (1${'0'.repeat(400)},), }`)],
      ['shape -1', npyWith("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }")],
      ['a megabyte of numbers', npyWith(`{'descr': '<f4', 'fortran_order': False, 'shape': (${'1, '.repeat(300_000)}), }`, new Uint8Array(4), 2)],
      ['a megabyte of dtype', npyWith(`{'descr': '${'x'.repeat(1_000_000)}', 'fortran_order': False, 'shape': (1,), }`, new Uint8Array(4), 2)],
      ['unterminated', npyWith("{'descr': '<f4', 'fortran_order': False, 'shape': (1,")]
    ]
    const failures: Failure[] = []
    cases.forEach(([what, bytes], k) => judge(failures, k, what, attempt(() => decodeNpy(bytes, 'fuzz.npy')), 'fuzz.npy'))
    expect(failures).toEqual([])
  })

  it('300 byte-level mutations of an .npz (stored and deflated) decode or are refused naming the file', () => {
    const stored = encodeNpz({ a: { shape: [2, 3], data: f(6) }, b: { shape: [4], data: f(4) } })
    const deflated = encodeNpz({ a: { shape: [2, 3], data: f(6) }, b: { shape: [4], data: f(4) } }, true)
    const failures: Failure[] = []
    for (let seed = 1; seed <= 300; seed++) {
      const base = seed % 2 ? stored : deflated
      const bounds: number[] = []
      const v = new DataView(base.buffer)
      for (let i = 0; i + 4 <= base.length; i++) {
        const sig = v.getUint32(i, true)
        if (sig === 0x04034b50) bounds.push(i, i + 8, i + 18, i + 22, i + 26)
        else if (sig === 0x02014b50) bounds.push(i, i + 10, i + 20, i + 24, i + 28, i + 42)
        else if (sig === 0x06054b50) bounds.push(i, i + 8, i + 10, i + 12, i + 16)
      }
      const m = mutateBytes(base, seeded(seed), bounds)
      judge(failures, seed, m.what, attempt(() => decodeNpz(m.bytes, 'fuzz.npz')), 'fuzz.npz')
    }
    expect(failures).toEqual([])
  })

  it('an .npz whose directory lists one deflated array under 20 names is refused, not inflated 20 times', () => {
    const npz = encodeNpz({ a: { shape: [1024, 1024], data: new Float32Array(1024 * 1024) } }, true)
    const many = overlappingZip(npz, 'a.npy', 20, (i) => String.fromCharCode(97 + i))
    expect(() => decodeNpz(many, 'fuzz.npz')).toThrow(/fuzz\.npz .*part "b\.npy" overlaps the parts before it/)
  })

  it('an .npz entry named __proto__.npy is an array like any other, not the result\'s prototype', () => {
    const npz = zipSync({ '__proto__.npy': encodeNpy([1], f(1)), 'x.npy': encodeNpy([1], f(1)) })
    const out = decodeNpz(npz, 'fuzz.npz')
    expect(Object.keys(out).sort()).toEqual(['__proto__', 'x'])
    expect(Object.getPrototypeOf(out.x)).toBe(Object.prototype)
  })
})
