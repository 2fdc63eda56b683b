/** lib/typing.ts settler: the one pause every typed box waits for (layer fields, input card, training form). */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { SETTLE_MS, settler, typedBox } from '../../../src-renderer/lib/typing'

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

  it('is wired to its box one way (typedBox): a shortcut, the Edit menu’s Undo, Enter and leaving apply it; the box gone drops it', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const box = document.createElement('input')
    document.body.append(box)
    const s = settler()
    const got: string[] = []
    const off = typedBox(s)(box) as () => void
    const typed = (v: string, ev: Event): string[] => {
      s.wait(() => got.push(v))
      box.dispatchEvent(ev)
      return got
    }
    // a plain key waits; Ctrl+Z, history input, Enter (change) and leaving (blur) take what waits first
    expect(typed('1', new KeyboardEvent('keydown', { key: 'z', bubbles: true }))).toEqual([])
    expect(typed('2', new KeyboardEvent('keydown', { key: 'z', ctrlKey: true, bubbles: true }))).toEqual(['2'])
    expect(typed('3', new InputEvent('beforeinput', { inputType: 'historyUndo', bubbles: true }))).toEqual(['2', '3'])
    expect(typed('4', new Event('change', { bubbles: true }))).toEqual(['2', '3', '4'])
    expect(typed('5', new FocusEvent('blur'))).toEqual(['2', '3', '4', '5'])
    // a box with its own ends runs them instead
    const ends: string[] = []
    const off2 = typedBox(s, { change: () => ends.push('change'), blur: () => ends.push('blur') })(box) as () => void
    off()
    box.dispatchEvent(new Event('change', { bubbles: true }))
    box.dispatchEvent(new FocusEvent('blur'))
    expect(ends).toEqual(['change', 'blur'])
    // the box gone: what waits is dropped, not applied after the pause
    s.wait(() => got.push('6'))
    off2()
    vi.advanceTimersByTime(SETTLE_MS)
    expect(got).toEqual(['2', '3', '4', '5'])
    box.remove()
  })
})
