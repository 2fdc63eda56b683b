/** An explicit save's read-back: the file on disk is compared with what was written a slice at a time. */
import { describe, expect, it } from 'vitest'
import { sameBytes } from '../../src-main/projects'

describe('sameBytes', () => {
  const slice = 1 << 20
  const bytes = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) & 255)

  it('is true for the same bytes in another buffer, across slices and for nothing', async () => {
    for (const n of [0, 1, slice, 2 * slice + 3]) {
      const a = bytes(n)
      expect(await sameBytes(a, Buffer.from(a))).toBe(true)
    }
  })

  it('finds one changed byte in any slice, and a different length', async () => {
    const a = bytes(2 * slice + 3)
    for (const at of [0, slice - 1, slice, 2 * slice + 2]) {
      const b = a.slice()
      b[at] ^= 1
      expect(await sameBytes(a, b)).toBe(false)
    }
    expect(await sameBytes(a, a.subarray(0, a.length - 1))).toBe(false)
  })

  it('lets the event loop run between slices', async () => {
    const a = bytes(8 * slice)
    let turns = 0
    const spin = (): void => { turns++; if (turns < 1000) setImmediate(spin) }
    setImmediate(spin)
    expect(await sameBytes(a, a.slice())).toBe(true)
    expect(turns).toBeGreaterThanOrEqual(7) // one turn of the loop per slice at least
  })
})
