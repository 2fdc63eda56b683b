/**
 * The drawing pad is crisp at any devicePixelRatio without changing what the model reads. The canvas on screen has a
 * backing store of 280 × ratio drawn through a scale; the model's canvas stays 280 × 280 and gets the same drawing
 * calls, in the same order, for the same strokes at ratio 1 and 2 (and is not drawn again when the ratio changes), so
 * the 28 × 28 input is the same. Before, one 280 × 280 canvas served both: at ratio 2 the screen stretched it (soft
 * ink) and there was no model canvas of its own; these tests fail on that. The pixels themselves are compared in
 * Chromium at ratio 1 and 2 by test/e2e/draw.spec.ts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import { flushSync } from 'svelte'
import DrawPad from '../../../src-renderer/components/draw/DrawPad.svelte'
import { recordCanvases } from './helpers'

afterEach(() => {
  cleanup()
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
})

/** A media query whose change the test fires, as the browser does when the zoom or the screen changes the ratio. */
function fakeMatchMedia(): { fire: () => void; queries: string[] } {
  const listeners = new Set<() => void>()
  const queries: string[] = []
  vi.stubGlobal('matchMedia', (q: string) => {
    queries.push(q)
    return {
      matches: true,
      addEventListener: (_: string, f: () => void) => listeners.add(f),
      removeEventListener: (_: string, f: () => void) => listeners.delete(f)
    }
  })
  return { fire: () => [...listeners].forEach((f) => f()), queries }
}

/** Draws a stroke with the pointer (pad pixels = CSS pixels here) and a dot and a stroke with the keyboard pen. */
async function drawStrokes(): Promise<void> {
  const pad = screen.getByTestId('draw-pad') as HTMLCanvasElement
  pad.getBoundingClientRect = () => ({ left: 0, top: 0, width: 280, height: 280, right: 280, bottom: 280, x: 0, y: 0, toJSON: () => ({}) })
  pad.setPointerCapture = () => {}
  await fireEvent.pointerDown(pad, { clientX: 150, clientY: 40, pointerId: 1 })
  // the pad takes moves from pointerrawupdate where the browser has it (happy-dom does)
  const move = 'onpointerrawupdate' in window ? 'pointerrawupdate' : 'pointermove'
  for (const [x, y] of [[146, 90], [142, 140.5], [138, 240]]) pad.dispatchEvent(new PointerEvent(move, { clientX: x, clientY: y, pointerId: 1 }))
  await fireEvent.pointerUp(pad, { pointerId: 1 })
  const keys = screen.getByRole('application')
  for (const key of ['ArrowLeft', ' ', 'ArrowDown', 'PageDown', ' ']) await fireEvent.keyDown(keys, { key })
}

/** Renders the pad at `ratio`, draws the same strokes, and returns both canvases' sizes and records and the ink read. */
async function padAt(ratio: number): Promise<{ shown: [number, number]; model: [number, number]; shownCalls: string[]; modelCalls: string[]; ink: { width: number; height: number } }> {
  vi.stubGlobal('devicePixelRatio', ratio)
  fakeMatchMedia()
  const { calls } = recordCanvases()
  let pad!: DrawPad
  const { component } = render(DrawPad, { brush: 18, onchange: () => {} })
  pad = component as unknown as DrawPad
  await drawStrokes()
  const ink = pad.ink()
  const shown = screen.getByTestId('draw-pad') as HTMLCanvasElement
  const model = screen.getByTestId('draw-pad-ink') as HTMLCanvasElement
  const out = { shown: [shown.width, shown.height] as [number, number], model: [model.width, model.height] as [number, number], shownCalls: calls(shown), modelCalls: calls(model), ink }
  cleanup()
  vi.restoreAllMocks()
  return out
}

describe('the drawing pad at any device pixel ratio', () => {
  it('draws the screen at 280 × ratio and the model’s canvas at 280 × 280 with the same calls at ratio 1 and 2', async () => {
    const one = await padAt(1)
    const two = await padAt(2)
    expect(one.shown).toEqual([280, 280])
    expect(two.shown).toEqual([560, 560])
    expect(two.shownCalls[0]).toBe('transform 2,0,0,2,0,0')
    // the model's canvas and what is read from it do not depend on the ratio
    expect(one.model).toEqual([280, 280])
    expect(two.model).toEqual([280, 280])
    expect(two.ink).toMatchObject({ width: 280, height: 280 })
    expect(two.modelCalls).toEqual(one.modelCalls)
    expect(one.modelCalls).toContain('lineTo 142,140.5')
    expect(one.modelCalls).toContain('stroke 18')
    expect(one.modelCalls.at(-1)).toBe('read 0,0,280,280')
    // the screen gets the same strokes, in pad units (its scale is in its transform)
    const strokes = (calls: string[]): string[] => calls.filter((c) => /^(moveTo|lineTo|dot|stroke)/.test(c))
    expect(strokes(two.shownCalls)).toEqual(strokes(one.modelCalls))
  })

  it('sharpens the screen again when the ratio changes, leaving the model’s canvas as it is', async () => {
    vi.stubGlobal('devicePixelRatio', 1)
    const media = fakeMatchMedia()
    const { calls } = recordCanvases()
    render(DrawPad, { brush: 18, onchange: () => {} })
    await drawStrokes()
    const shown = screen.getByTestId('draw-pad') as HTMLCanvasElement
    const model = calls(screen.getByTestId('draw-pad-ink'))
    const before = [...model]
    expect(media.queries.at(-1)).toBe('(resolution: 1dppx)')
    // the browser zoomed to 150 %
    vi.stubGlobal('devicePixelRatio', 1.5)
    media.fire()
    flushSync()
    expect([shown.width, shown.height]).toEqual([420, 420])
    const redrawn = calls(shown).slice(calls(shown).lastIndexOf('transform 1.5,0,0,1.5,0,0'))
    expect(redrawn[1]).toBe('clear 0,0,280,280')
    expect(redrawn.filter((c) => c.startsWith('lineTo'))).toHaveLength(5)
    expect(model).toEqual(before)
    expect(media.queries.at(-1)).toBe('(resolution: 1.5dppx)')
    // a ratio past 4 is drawn at 4
    vi.stubGlobal('devicePixelRatio', 6)
    media.fire()
    flushSync()
    expect(shown.width).toBe(1120)
  })
})
