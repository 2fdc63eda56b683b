/** lib/typing.ts settler: the one pause every typed box waits for (layer fields, input card, training form). */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { SETTLE_MS, settler } from '../../../src-renderer/lib/typing'

afterEach(() => vi.useRealTimers())

describe('a typed value waiting to settle', () => {
  it('is applied once, after the pause from the last key; flush applies it now; cancel drops it', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const s = settler()
    const got: string[] = []
    s.wait(() => got.push('6'))
    vi.advanceTimersByTime(SETTLE_MS - 1)
    s.wait(() => got.push('65'))
    vi.advanceTimersByTime(SETTLE_MS - 1)
    expect(got).toEqual([])
    vi.advanceTimersByTime(1)
    expect(got).toEqual(['65'])
    // Enter, a shortcut or leaving the box: now, and only once
    s.wait(() => got.push('7'))
    expect(s.flush()).toBe(true)
    expect(s.flush()).toBe(false)
    vi.advanceTimersByTime(SETTLE_MS)
    expect(got).toEqual(['65', '7'])
    s.wait(() => got.push('8'))
    s.cancel()
    vi.advanceTimersByTime(SETTLE_MS)
    expect(s.flush()).toBe(false)
    expect(got).toEqual(['65', '7'])
  })
})
