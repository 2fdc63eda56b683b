import { describe, expect, it } from 'vitest'
import { EngineMemory, SOFT_LIMIT } from '../../../src-engine/kernels/wasm/memory'

describe('engine memory', () => {
  it('reuses a released block for the next allocation of its size class', () => {
    const mem = new EngineMemory()
    const a = mem.allocF32(1000)
    const at = a.byteOffset
    mem.release(a)
    const b = mem.allocF32(900) // same 4 KiB class
    expect(b.byteOffset).toBe(at)
    expect(b.every((v) => v === 0)).toBe(true)
    mem.release(b)
    mem.release(b) // a second release of the same view is ignored, not a double free
    const c = mem.allocF32(1000)
    const d = mem.allocF32(1000)
    expect(c.byteOffset).not.toBe(d.byteOffset)
  })

  it('alternating shapes with release do not grow memory', () => {
    const mem = new EngineMemory()
    let buf = mem.allocF32(100 * 784)
    const grown = mem.reservedBytes
    for (let i = 0; i < 200; i++) {
      mem.release(buf)
      buf = mem.allocF32(i % 2 === 0 ? 784 : 100 * 784)
    }
    expect(mem.reservedBytes).toBeLessThanOrEqual(grown + 4096)
  })

  it('never runs out: past the soft limit it hands out ordinary arrays', () => {
    const mem = new EngineMemory()
    const half = mem.allocF32(SOFT_LIMIT / 8) // a 512 MiB block: engine memory is now just over half full
    expect(mem.owns(half)).toBe(true)
    const more = mem.allocF32(SOFT_LIMIT / 8) // another would pass the soft limit
    expect(more).toHaveLength(SOFT_LIMIT / 8)
    expect(mem.owns(more)).toBe(false)
    mem.release(half)
    expect(mem.owns(mem.allocF32(SOFT_LIMIT / 8))).toBe(true) // the released block serves again
  })
})
