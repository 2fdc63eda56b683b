import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { decodeNpy, encodeNpy, parsePyLiteral } from '../../../src-engine/io/npy'
import { haveNumpy, python } from './numpy'

const tmp = mkdtempSync(join(tmpdir(), 'bplab-npy-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

/** A .npy file with a hand-written header (any version, dtype, order) and raw data bytes. */
function handMade(dict: string, data: Uint8Array, major = 1): Uint8Array {
  const lenBytes = major === 1 ? 2 : 4
  const header = dict + ' '.repeat(5) + '\n'
  const out = new Uint8Array(8 + lenBytes + header.length + data.length)
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0])
  const view = new DataView(out.buffer)
  if (major === 1) view.setUint16(8, header.length, true)
  else view.setUint32(8, header.length, true)
  out.set(new TextEncoder().encode(header), 8 + lenBytes)
  out.set(data, 8 + lenBytes + header.length)
  return out
}

const f64 = (values: number[], little = true): Uint8Array => {
  const b = new Uint8Array(values.length * 8)
  values.forEach((v, i) => new DataView(b.buffer).setFloat64(8 * i, v, little))
  return b
}
const f32be = (values: number[]): Uint8Array => {
  const b = new Uint8Array(values.length * 4)
  values.forEach((v, i) => new DataView(b.buffer).setFloat32(4 * i, v, false))
  return b
}

describe('.npy', () => {
  it('round-trips float32 arrays of any rank, with the header padded to 64 bytes', () => {
    for (const shape of [[2, 3], [5], [], [2, 1, 3, 2]]) {
      const n = shape.reduce((p, d) => p * d, 1)
      const data = Float32Array.from({ length: n }, (_, i) => i * 0.25 - 1)
      const bytes = encodeNpy(shape, data)
      const headerEnd = 10 + new DataView(bytes.buffer).getUint16(8, true)
      expect(headerEnd % 64).toBe(0)
      expect(bytes[headerEnd - 1]).toBe(0x0a)
      const back = decodeNpy(bytes)
      expect(back.shape).toEqual(shape)
      expect(back.data).toEqual(data)
      expect(back.descr).toBe('<f4')
    }
    expect(new TextDecoder().decode(encodeNpy([5], new Float32Array(5)).subarray(10, 70))).toContain("'shape': (5,)")
  })

  it('reads version 2 headers, float64, big-endian float32 and uint8, converting to float32', () => {
    const v2 = decodeNpy(handMade("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", f64([0.1, -2, 1e300]), 2))
    expect(Array.from(v2.data)).toEqual([Math.fround(0.1), -2, Infinity])
    expect(decodeNpy(handMade("{'descr': '>f4', 'fortran_order': False, 'shape': (2,)}", f32be([1.5, -3]))).data).toEqual(
      Float32Array.from([1.5, -3])
    )
    const u8 = decodeNpy(handMade("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 2), }", Uint8Array.from([0, 1, 128, 255])))
    expect(u8.shape).toEqual([2, 2])
    expect(Array.from(u8.data)).toEqual([0, 1, 128, 255])
  })

  it('parses headers written by other tools: double quotes, Python 2 longs, odd spacing', () => {
    const a = decodeNpy(handMade('{"shape":(1L,2L),"fortran_order":False,"descr":"<f8"}', f64([3, 4])))
    expect(a.shape).toEqual([1, 2])
    expect(parsePyLiteral("{'a': [1, (2,), ()], 'b': None, 'c': True}")).toEqual({ a: [1, [2], []], b: null, c: true })
    expect(() => parsePyLiteral("{'a': 1")).toThrow(/expected ',' or '}'|unexpected end/)
  })

  it('rejects Fortran order with a hint, and unsupported dtypes by name', () => {
    const fortran = handMade("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", new Uint8Array(16))
    expect(() => decodeNpy(fortran, 'w.npy')).toThrow('w.npy is stored in Fortran (column-major) order; save it in C order, e.g. np.save(f, np.ascontiguousarray(a))')
    const i64 = handMade("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(8))
    expect(() => decodeNpy(i64, 'i.npy')).toThrow("i.npy has dtype '<i8'; Backprop Lab reads float32 ('<f4'), float64 ('<f8') and uint8 ('|u1') arrays")
  })

  it('rejects a wrong magic, a truncated body, a header past the end and a garbled header', () => {
    expect(() => decodeNpy(new Uint8Array(20), 'z.npy')).toThrow('z.npy is not a .npy file')
    const good = encodeNpy([4], Float32Array.from([1, 2, 3, 4]))
    expect(() => decodeNpy(good.subarray(0, good.length - 2), 't.npy')).toThrow(
      't.npy is truncated: shape (4) of float32 needs 16 bytes but only 14 follow the header'
    )
    expect(() => decodeNpy(good.subarray(0, 40), 'h.npy')).toThrow('h.npy is truncated: its header declares 118 bytes but only 30 follow')
    const garbled = handMade("{'descr': '<f4', 'shape': (2, }", new Uint8Array(8))
    expect(() => decodeNpy(garbled, 'g.npy')).toThrow(/g.npy has an unreadable header/)
  })
})

describe.skipIf(!haveNumpy)('.npy against NumPy', () => {
  it('NumPy reads what we write', () => {
    const path = join(tmp, 'ours.npy')
    writeFileSync(path, encodeNpy([2, 3], Float32Array.from([1, -2.5, 0.1, 4, 5, 6])))
    expect(python(`a = np.load(${JSON.stringify(path)}); print(a.dtype, a.shape, json.dumps(a.tolist()))`)).toBe(
      `float32 (2, 3) [[1.0, -2.5, ${Math.fround(0.1)}], [4.0, 5.0, 6.0]]`
    )
  })

  it('we read what NumPy writes (float64, uint8, big-endian, version 2) and refuse its Fortran arrays', () => {
    const p = (f: string): string => JSON.stringify(join(tmp, f))
    python(
      [
        `np.save(${p('f8.npy')}, np.arange(6, dtype='<f8').reshape(3, 2) / 3)`,
        `np.save(${p('u8.npy')}, np.array([[0, 7], [200, 255]], dtype=np.uint8))`,
        `np.save(${p('be.npy')}, np.array([1.25, -8], dtype='>f4'))`,
        `np.lib.format.write_array(open(${p('v2.npy')}, 'wb'), np.ones((2, 2), '<f4'), version=(2, 0))`,
        `np.save(${p('fo.npy')}, np.asfortranarray(np.ones((2, 3), '<f4')))`
      ].join('\n')
    )
    const f8 = decodeNpy(readFileSync(join(tmp, 'f8.npy')))
    expect(f8.shape).toEqual([3, 2])
    expect(f8.data[5]).toBeCloseTo(5 / 3, 6)
    expect(Array.from(decodeNpy(readFileSync(join(tmp, 'u8.npy'))).data)).toEqual([0, 7, 200, 255])
    expect(Array.from(decodeNpy(readFileSync(join(tmp, 'be.npy'))).data)).toEqual([1.25, -8])
    expect(Array.from(decodeNpy(readFileSync(join(tmp, 'v2.npy'))).data)).toEqual([1, 1, 1, 1])
    expect(() => decodeNpy(readFileSync(join(tmp, 'fo.npy')), 'fo.npy')).toThrow(/Fortran/)
  })
})
