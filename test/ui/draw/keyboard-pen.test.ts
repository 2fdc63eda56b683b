/**
 * The drawing pad works from the keyboard: it takes focus (Tab), the arrow keys move a pen, Space puts it down
 * (a dot) and lifts it, a moved pen that is down draws, and a screen reader hears what the keys do (en, ko).
 * Before, the pad took no focus and no key: a learner without a mouse could not draw at all.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import DrawPad from '../../../src-renderer/components/draw/DrawPad.svelte'
import { PEN_STEP, penMove } from '../../../src-renderer/components/draw/keyboard-pen'
import { i18n } from '../../../src-renderer/i18n/index.svelte'

/** A 2D context that records the shapes drawn on the model's canvas (happy-dom has no canvas); the screen's draws the same. */
function fakeContext(): { calls: string[] } {
  const calls: string[] = []
  const record = (log: string[]): unknown => ({
    setTransform: () => {},
    clearRect: () => log.push('clear'),
    beginPath: () => {},
    moveTo: (x: number, y: number) => log.push(`moveTo ${x},${y}`),
    lineTo: (x: number, y: number) => log.push(`lineTo ${x},${y}`),
    arc: (x: number, y: number) => log.push(`dot ${x},${y}`),
    stroke: () => {},
    fill: () => {}
  })
  const ink = record(calls)
  const shown = record([])
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(function (this: HTMLCanvasElement) {
    return (this.dataset.testid === 'draw-pad-ink' ? ink : shown) as CanvasRenderingContext2D
  })
  return { calls }
}

beforeEach(() => i18n.set('en'))
afterEach(() => {
  cleanup()
  vi.restoreAllMocks()
  i18n.set('en')
})

describe('the keyboard pen', () => {
  it('moves by a step per key, diagonally on Home/PgUp/End/PgDn, and stays on the pad', () => {
    expect(penMove('ArrowRight', 140, 140, 280)).toEqual({ x: 140 + PEN_STEP, y: 140 })
    expect(penMove('ArrowUp', 140, 140, 280)).toEqual({ x: 140, y: 140 - PEN_STEP })
    expect(penMove('PageUp', 140, 140, 280)).toEqual({ x: 140 + PEN_STEP, y: 140 - PEN_STEP })
    expect(penMove('End', 140, 140, 280)).toEqual({ x: 140 - PEN_STEP, y: 140 + PEN_STEP })
    expect(penMove('ArrowLeft', 5, 0, 280)).toEqual({ x: 0, y: 0 })
    expect(penMove('PageDown', 275, 279, 280)).toEqual({ x: 280, y: 280 })
    expect(penMove('a', 140, 140, 280)).toBeNull()
  })

  it('draws on the pad from the keyboard: Space puts the pen down, arrows draw, Space lifts it', async () => {
    const { calls } = fakeContext()
    const onchange = vi.fn()
    render(DrawPad, { brush: 18, onchange })
    const pad = screen.getByRole('application', { name: /keyboard/ })
    expect(pad.tabIndex).toBe(0)
    expect(pad.getAttribute('aria-describedby')).toBeTruthy()
    expect(document.getElementById(pad.getAttribute('aria-describedby')!)!.textContent).toMatch(/arrow keys move the pen.*Space/)

    pad.focus()
    // a lifted pen moves without ink
    await fireEvent.keyDown(pad, { key: 'ArrowUp' })
    expect(onchange).not.toHaveBeenCalled()
    await fireEvent.keyDown(pad, { key: ' ' })
    expect(calls).toContain(`dot 140,${140 - PEN_STEP}`)
    expect(screen.getByTestId('draw-pen-state').textContent).toBe('Pen down: moving it draws')
    await fireEvent.keyDown(pad, { key: 'ArrowRight' })
    await fireEvent.keyDown(pad, { key: 'PageDown' })
    expect(calls.filter((c) => c.startsWith('lineTo'))).toEqual([`lineTo ${140 + PEN_STEP},${140 - PEN_STEP}`, `lineTo ${140 + 2 * PEN_STEP},140`])
    expect(onchange).toHaveBeenCalledTimes(3)
    await fireEvent.keyDown(pad, { key: ' ' })
    expect(screen.getByTestId('draw-pen-state').textContent).toBe('Pen lifted')
    await fireEvent.keyDown(pad, { key: 'ArrowDown' })
    expect(onchange).toHaveBeenCalledTimes(3)
    // the ring follows the pen (shown while the pad has keyboard focus)
    expect(screen.getByTestId('draw-pen').style.left).toBe(`${140 + 2 * PEN_STEP}px`)
    expect(screen.getByTestId('draw-pen').style.top).toBe(`${140 + PEN_STEP}px`)
  })

  it('lifts the pen when focus leaves the pad or on Escape, so the next stroke starts afresh', async () => {
    const { calls } = fakeContext()
    const onchange = vi.fn()
    render(DrawPad, { brush: 18, onchange })
    const pad = screen.getByRole('application')
    await fireEvent.keyDown(pad, { key: 'Enter' })
    await fireEvent.blur(pad)
    await fireEvent.keyDown(pad, { key: 'ArrowLeft' })
    expect(calls.some((c) => c.startsWith('lineTo'))).toBe(false)
    await fireEvent.keyDown(pad, { key: ' ' })
    await fireEvent.keyDown(pad, { key: 'Escape' })
    await fireEvent.keyDown(pad, { key: 'ArrowLeft' })
    expect(calls.some((c) => c.startsWith('lineTo'))).toBe(false)
    expect(onchange).toHaveBeenCalledTimes(2)
  })

  it('says how to draw with keys in Korean', () => {
    fakeContext()
    i18n.set('ko')
    render(DrawPad, { brush: 18, onchange: () => {} })
    const pad = screen.getByRole('application', { name: /키보드/ })
    expect(document.getElementById(pad.getAttribute('aria-describedby')!)!.textContent).toMatch(/화살표 키로 펜을 움직이고.*스페이스 키/)
  })
})
