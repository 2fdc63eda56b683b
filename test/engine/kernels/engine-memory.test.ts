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

  it('shares a memory with another thread\'s allocator: disjoint arenas, and views made after the other one grew it are its own', () => {
    const mem = new EngineMemory()
    const mine = mem.allocF32(1000)
    const [arena] = mem.shareArenas(1)!
    expect(arena.base).toBeGreaterThan(mine.byteOffset + 4000)
    const other = new EngineMemory(mem.memory, arena)
    // the other allocator's first block is at its arena: the memory grows past a gigabyte (addresses only)
    const far = other.allocF32(1000)
    expect(far.byteOffset).toBe(arena.base)
    expect(far.byteOffset + 4000).toBeLessThanOrEqual(arena.end)
    // a block made after that growth (the memory's buffer is a new object now) still counts as engine memory,
    // else every kernel would copy it in and out
    const after = mem.allocF32(1000)
    expect(mem.owns(after)).toBe(true)
    expect(other.owns(after)).toBe(true)
    expect(after.byteOffset).toBeLessThan(arena.base)
    // each writes where the other reads
    new Float32Array(mem.buffer, far.byteOffset, 1)[0] = 7
    expect(far[0]).toBe(7)
    // past three quarters of its arena, the other allocator hands out ordinary arrays (nothing touched: reserve)
    other.reserve(((arena.end - arena.base) * 3) / 4 - 4096) // after its first 4 KiB block
    expect(other.owns(other.allocF32(1000))).toBe(false)
  })

  it('lends its arenas to one pool at a time, and once they are given back grows past where they begin', () => {
    const mem = new EngineMemory()
    const first = mem.shareArenas(1)!
    expect(mem.arenasLent).toBe(true)
    // the same ranges again would put a second pool's replicas over the first's
    expect(mem.shareArenas(1)).toBeNull()
    expect(mem.shareArenas(2)).toBeNull()
    // while lent, this allocator's workspaces stop below them
    expect(() => mem.reserve(first[0].base)).toThrow(/out of memory/)
    mem.returnArenas([...first]) // not the lent array: ignored
    expect(mem.arenasLent).toBe(true)
    mem.returnArenas(first)
    expect(mem.arenasLent).toBe(false)
    const again = mem.shareArenas(1)!
    expect(again).toEqual(first)
    mem.returnArenas(again)
    mem.returnArenas(again) // twice: nothing more happens
    // given back, the memory is this allocator's again (addresses only: nothing is touched)
    expect(mem.reserve(first[0].base)).toBeLessThan(first[0].base)
    expect(mem.shareArenas(1)).toBeNull() // it now holds where they would begin
  })

  it('refuses a workspace past an arena that ends at 2 GiB, rather than placing it at a negative address', () => {
    const mem = new EngineMemory()
    const [arena] = mem.shareArenas(1)!
    expect(arena.end).toBe(2 ** 31)
    const other = new EngineMemory(mem.memory, arena)
    // an odd workspace leaves the top 10 bytes short of the arena's end (addresses only: nothing is touched)
    expect(other.reserve(arena.end - arena.base - 10)).toBe(arena.base)
    expect(() => other.reserve(4)).toThrow(/out of memory \(needs 2147483652 bytes, limit 2147483648\)/)
    mem.returnArenas([arena])
  })

  it('counts what it and the arenas\' threads have touched, each part once (touchedBytes): what the memory keeps while it lives', () => {
    const mem = new EngineMemory()
    const start = mem.touchedBytes
    expect(start).toBe(mem.reservedBytes)
    const a = mem.allocF32(1000)
    expect(mem.touchedBytes).toBe(mem.reservedBytes)
    // a released block stays touched: the memory does not give its pages back
    mem.release(a)
    expect(mem.touchedBytes).toBe(start + 4096)
    // two replicas of a pool used 1 MiB and 3 MiB of their arenas, a third none
    const three = mem.shareArenas(3)!
    mem.noteArenaUse(three[0], three[0].base + 2 ** 20)
    mem.noteArenaUse(three[1], three[1].base + 3 * 2 ** 20)
    mem.noteArenaUse(three[2], three[2].base)
    mem.returnArenas(three)
    expect(mem.touchedBytes).toBe(start + 4096 + 4 * 2 ** 20)
    // a later pool of one thread: its arena begins where the first pool's first did, so that one's 1 MiB counts once
    const ones = mem.shareArenas(1)!
    const one = ones[0]
    expect(one.base).toBe(three[0].base)
    expect(three[1].base - three[0].base).toBeGreaterThan(9 * 2 ** 20)
    mem.noteArenaUse(one, one.base + 9 * 2 ** 20)
    mem.returnArenas(ones)
    expect(mem.touchedBytes).toBe(start + 4096 + 12 * 2 ** 20)
    // a top past an arena's end (a stale word) counts only to its end
    const agains = mem.shareArenas(1)!
    const again = agains[0]
    mem.noteArenaUse(again, again.end + 2 ** 30)
    mem.returnArenas(agains)
    expect(mem.touchedBytes).toBe(start + 4096 + (again.end - again.base))
    // an arena's own allocator counts from its base
    const owns = mem.shareArenas(1)!
    const other = new EngineMemory(mem.memory, owns[0])
    other.allocF32(1000)
    expect(other.touchedBytes).toBe(4096)
    mem.returnArenas(owns)
  })

  it('counts pages its own blocks reach again after a replica touched them once (touchedBytes)', () => {
    const mem = new EngineMemory()
    // a two-thread run: the replica used 8 MiB of its arena; then a one-thread run grows past where the arena began
    const lent = mem.shareArenas(1)!
    const arena = lent[0]
    mem.noteArenaUse(arena, arena.base + 8 * 2 ** 20)
    mem.returnArenas(lent)
    mem.reserve(arena.base + 4 * 2 ** 20 - mem.reservedBytes)
    expect(mem.reservedBytes).toBeGreaterThan(arena.base)
    // [0, top) and [base, base + 8 MiB) overlap by 4 MiB: their union, not their sum (was top + 8 MiB)
    expect(mem.touchedBytes).toBe(arena.base + 8 * 2 ** 20)
    mem.reserve(8 * 2 ** 20)
    expect(mem.touchedBytes).toBe(mem.reservedBytes)
  })

  it('gives no arenas once its own blocks reach where they would begin', () => {
    const mem = new EngineMemory()
    mem.reserve(SOFT_LIMIT + 65 * 1024 * 1024) // workspaces past the soft limit and past where the arenas begin
    expect(mem.shareArenas(1)).toBeNull()
  })
})
