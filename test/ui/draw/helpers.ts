/** Shared set-up for the draw page's component tests: a canvas happy-dom lacks, the keyboard pen, a reset page. */
import { cleanup, fireEvent, screen } from '@testing-library/svelte'
import { flushSync } from 'svelte'
import { vi } from 'vitest'
import { setLab } from '../../../src-renderer/lib/lab'
import { project } from '../../../src-renderer/lib/project.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'

/**
 * A pad whose canvas reports a block of ink once anything has been drawn (happy-dom has no canvas). The model's
 * 28 × 28 input (Digit) is painted too, hence createImageData and putImageData.
 */
export function fakeCanvas(): void {
  let drawn = false
  const ctx = {
    clearRect: () => {}, beginPath: () => {}, moveTo: () => {}, stroke: () => {}, setTransform: () => {},
    lineTo: () => (drawn = true), arc: () => (drawn = true), fill: () => {},
    createImageData: (w: number, h: number) => ({ data: new Uint8ClampedArray(w * h * 4), width: w, height: h }),
    putImageData: () => {},
    getImageData: (_x: number, _y: number, w: number, h: number) => {
      const data = new Uint8ClampedArray(w * h * 4)
      if (drawn) for (let y = 100; y < 180; y++) for (let x = 120; x < 160; x++) data[(y * w + x) * 4 + 3] = 255
      return { data, width: w, height: h }
    }
  }
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(ctx as unknown as CanvasRenderingContext2D)
}

/**
 * A 2D context per canvas that records what is drawn on it (happy-dom has no canvas): its transform, clears, path
 * points, strokes with their width, dots, and the reads of its pixels. `calls(canvas)` gives a canvas's record.
 */
export function recordCanvases(): { calls: (canvas: Element) => string[] } {
  const records = new Map<Element, string[]>()
  const calls = (canvas: Element): string[] => {
    if (!records.has(canvas)) records.set(canvas, [])
    return records.get(canvas)!
  }
  const contexts = new Map<Element, unknown>()
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(function (this: HTMLCanvasElement) {
    if (!contexts.has(this)) {
      const log = calls(this)
      contexts.set(this, {
        lineWidth: 1,
        setTransform: (...m: number[]) => log.push(`transform ${m.join(',')}`),
        clearRect: (...r: number[]) => log.push(`clear ${r.join(',')}`),
        beginPath: () => {},
        moveTo: (x: number, y: number) => log.push(`moveTo ${x},${y}`),
        lineTo: (x: number, y: number) => log.push(`lineTo ${x},${y}`),
        arc: (x: number, y: number, r: number) => log.push(`dot ${x},${y} r${r}`),
        stroke(this: { lineWidth: number }) { log.push(`stroke ${this.lineWidth}`) },
        fill: () => log.push('fill'),
        getImageData: (...r: number[]) => {
          log.push(`read ${r.join(',')}`)
          return { data: new Uint8ClampedArray(r[2] * r[3] * 4), width: r[2], height: r[3] }
        }
      })
    }
    return contexts.get(this) as CanvasRenderingContext2D
  })
  return { calls }
}

/** Lets the page's pending answers (promises, zero timers) land, then renders. */
export const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0))
  flushSync()
}

/** Presses `key` on the focused pad (the keyboard pen), then lets the page settle. */
export async function penKeys(...keys: string[]): Promise<HTMLElement> {
  const pad = screen.getByRole('application')
  pad.focus()
  for (const key of keys) await fireEvent.keyDown(pad, { key })
  await settle()
  return pad
}

/** For afterEach: no page, no mocks, no lab, English, no trained network, the editor showing. */
export function resetDrawPage(): void {
  cleanup()
  vi.restoreAllMocks()
  setLab(null)
  i18n.set('en')
  project.trained = false
  project.spec = null
  project.page = 'editor'
}
