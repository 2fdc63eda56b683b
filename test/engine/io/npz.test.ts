import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { decodeNpz, encodeNpz } from '../../../src-engine/io/npz'
import { haveNumpy, python } from './numpy'

const tmp = mkdtempSync(join(tmpdir(), 'bplab-npz-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

const arrays = {
  W: { shape: [3, 2], data: Float32Array.from([1, 2, 3, 4, 5, 6]) },
  b: { shape: [2], data: Float32Array.from([-0.5, 0.5]) },
  'conv1.W': { shape: [1, 1, 2, 2], data: new Float32Array(4).fill(0.125) }
}

describe('.npz', () => {
  it('round-trips named arrays, stored or compressed', () => {
    for (const compress of [false, true]) {
      const back = decodeNpz(encodeNpz(arrays, compress))
      expect(Object.keys(back).sort()).toEqual(['W', 'b', 'conv1.W'])
      for (const [k, a] of Object.entries(arrays)) {
        expect(back[k].shape).toEqual(a.shape)
        expect(back[k].data).toEqual(a.data)
      }
    }
  })

  it('compresses repetitive data and is byte-identical from run to run', () => {
    const big = { z: { shape: [1000], data: new Float32Array(1000) } }
    expect(encodeNpz(big, true).length).toBeLessThan(encodeNpz(big, false).length / 10)
    expect(Buffer.compare(encodeNpz(arrays), encodeNpz(arrays))).toBe(0)
  })

  it('names the archive and the entry when something inside is wrong', () => {
    expect(() => decodeNpz(new Uint8Array([1, 2, 3, 4]), 'x.npz')).toThrow(/x.npz is not a readable .npz \(zip\) archive/)
    expect(() => encodeNpz({ '': arrays.b })).toThrow(/not a usable array name/)
  })
})

describe.skipIf(!haveNumpy)('.npz against NumPy', () => {
  it('np.load reads our archive and we read np.savez_compressed output', () => {
    const ours = join(tmp, 'ours.npz')
    writeFileSync(ours, encodeNpz(arrays, true))
    expect(python(`z = np.load(${JSON.stringify(ours)}); print(sorted(z.files), z['W'].shape, float(z['W'].sum()), z['conv1.W'].dtype)`)).toBe(
      "['W', 'b', 'conv1.W'] (3, 2) 21.0 float32"
    )
    const theirs = join(tmp, 'theirs.npz')
    python(`np.savez_compressed(${JSON.stringify(theirs)}, x=np.linspace(0, 1, 5), y=np.eye(2, dtype=np.float32))`)
    const z = decodeNpz(readFileSync(theirs))
    expect(Array.from(z.x.data)).toEqual([0, 0.25, 0.5, 0.75, 1])
    expect(z.y.shape).toEqual([2, 2])
    expect(Array.from(z.y.data)).toEqual([1, 0, 0, 1])
  })
})
