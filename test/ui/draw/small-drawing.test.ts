/**
 * A drawing too small to read well (Q1 F6): a short stroke in a corner, or a dot, is scaled up to fill the 20 × 20 box,
 * pen and all, and was answered "2, 83 % sure" with no word. The page now says "Draw bigger" beside the answer, and
 * for a dot or a blob that the answer means little (en, ko), also to a screen reader with the answer; a drawing of a
 * usual size gets no note. The model's input is unchanged (digit-preprocess, pad-ratio tests).
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { render, screen } from '@testing-library/svelte'
import { flushSync } from 'svelte'
import DrawPage from '../../../src-renderer/pages/DrawPage.svelte'
import { setLab } from '../../../src-renderer/lib/lab'
import { project } from '../../../src-renderer/lib/project.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import { penInBox, smallness } from '../../../src-renderer/components/draw/small-drawing'
import { Run, trainLab } from '../../../src-renderer/lib/train.svelte'
import type { Channel, LabApi, LabEvent, Result } from '../../../src-main/ipc/contract'
import { penKeys, resetDrawPage } from './helpers'

/** A model that answers 2, 83 % sure, whatever it is shown. */
class SureModel implements LabApi {
  async request(channel: Channel): Promise<Result<never>> {
    if (channel !== 'model:predict') return { ok: false, error: { code: 'unexpected', message: channel } } as Result<never>
    const probs = Array.from({ length: 10 }, (_, i) => (i === 2 ? 0.83 : 0.17 / 9))
    return { ok: true, value: { probs, logits: probs, top: 2, ms: 1, engineMs: 0.5 } } as Result<never>
  }
  onEvent(_l: (e: LabEvent) => void): () => void { return () => {} }
}

/** A pad whose canvas holds a block of ink `side` pixels square (happy-dom has no canvas); `side` can change. */
function inkBlock(): { side: number } {
  const ink = { side: 0 }
  const ctx = {
    clearRect: () => {}, beginPath: () => {}, moveTo: () => {}, stroke: () => {}, setTransform: () => {},
    lineTo: () => {}, arc: () => {}, fill: () => {},
    createImageData: (w: number, h: number) => ({ data: new Uint8ClampedArray(w * h * 4), width: w, height: h }),
    putImageData: () => {},
    getImageData: (_x: number, _y: number, w: number, h: number) => {
      const data = new Uint8ClampedArray(w * h * 4)
      for (let y = 10; y < 10 + ink.side; y++) for (let x = 10; x < 10 + ink.side; x++) data[(y * w + x) * 4 + 3] = 255
      return { data, width: w, height: h }
    }
  }
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(ctx as unknown as CanvasRenderingContext2D)
  return ink
}

afterEach(resetDrawPage)

describe('how wide the pen comes out in the model’s 20 × 20 box', () => {
  const box = (w: number, h: number) => ({ x0: 30, y0: 40, x1: 30 + w, y1: 40 + h })
  it('is 20 × pen over the ink box’s longer side; past 5 pixels small, from 10 tiny', () => {
    // Q1's drawings with the default brush (18): a dot, a "1" 10 % of the pad tall, the "7" drawn across the pad
    expect(penInBox(box(18, 18), 18)).toBe(20)
    expect(smallness(box(18, 18), 18)).toBe('tiny')
    expect(penInBox(box(18, 46), 18)).toBeCloseTo(7.83, 2)
    expect(smallness(box(18, 46), 18)).toBe('small')
    expect(smallness(box(150, 214), 18)).toBe('ok')
    // the limits: 72 pixels tall is 5 pixels of pen (still read right in the measurement), 36 is 10
    expect(smallness(box(20, 72), 18)).toBe('ok')
    expect(smallness(box(20, 71), 18)).toBe('small')
    expect(smallness(box(37, 20), 18)).toBe('small')
    expect(smallness(box(36, 20), 18)).toBe('tiny')
    // a thin pen may draw smaller before its lines are too thick
    expect(smallness(box(20, 46), 6)).toBe('ok')
  })
})

describe('the draw page on a small drawing', () => {
  it('says "draw bigger" beside the answer, and that a dot’s answer means little, also to a screen reader (en, ko)', async () => {
    const ink = inkBlock()
    setLab(new SureModel())
    project.spec = { input: [1, 28, 28], layers: [{ type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] } as never
    project.trained = true
    render(DrawPage)
    const said = screen.getByTestId('draw-spoken')

    // a usual size: 100 pixels with the 18-pixel brush is a 3.6-pixel pen in the box
    ink.side = 100
    await penKeys(' ', 'ArrowDown', ' ')
    expect(screen.getByTestId('prediction').getAttribute('data-value')).toBe('2')
    expect(screen.queryByTestId('draw-small')).toBeNull()
    expect(said.textContent).toBe('The model says 2, 83.0% sure.')

    // 46 pixels: 7.8
    ink.side = 46
    await penKeys(' ', 'ArrowDown', ' ')
    const note = screen.getByTestId('draw-small')
    expect(note.getAttribute('data-size')).toBe('small')
    expect(note.textContent).toMatch(/^Draw bigger: the drawing is scaled up to fill the 20\u00a0×\u00a020 box, pen and all/)
    expect(said.textContent).toBe(`The model says 2, 83.0% sure. ${note.textContent}\u00a0`)

    // a dot: 18 pixels, the brush's own width
    ink.side = 18
    await penKeys(' ', ' ')
    expect(screen.getByTestId('draw-small').getAttribute('data-size')).toBe('tiny')
    expect(screen.getByTestId('draw-small').textContent).toMatch(/^Too small to read: .* this answer means little/)
    expect(said.textContent).toContain('this answer means little')
    i18n.set('ko')
    flushSync()
    expect(screen.getByTestId('draw-small').textContent).toMatch(/^너무 작아서 읽을 수 없습니다\. .* 이 답은 거의 의미가 없습니다/)
    expect(said.textContent).toMatch(/^모델의 답은 2, 확신도는 83\.0%입니다\. 너무 작아서/)
    ink.side = 46
    await penKeys(' ', 'ArrowUp', ' ')
    expect(screen.getByTestId('draw-small').textContent).toMatch(/^더 크게 그리세요\. 그림은 펜 굵기까지/)
  })

  it('asks a model trained on an IDX folder for a bigger drawing, not for "the digit" (en, ko)', async () => {
    const ink = inkBlock()
    setLab(new SureModel())
    trainLab.runs = [new Run('f', 1, { data: { kind: 'idx', dir: '/data/fashion-mnist' }, optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 1, weightDecay: 0, seed: 1, threads: 1 }, 'net', 'classifier')]
    trainLab.modelRunId = 'f'
    try {
      project.spec = { input: [1, 28, 28], layers: [{ type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] } as never
      project.trained = true
      render(DrawPage)
      ink.side = 18
      await penKeys(' ', ' ')
      // it said "Draw the digit across most of the pad" to a clothing classifier
      expect(screen.getByTestId('draw-small').textContent).toMatch(/this answer means little\. Draw across most of the pad\.$/)
      i18n.set('ko')
      flushSync()
      expect(screen.getByTestId('draw-small').textContent).toMatch(/패드를 넓게 써서 크게 그리세요\.$/)
    } finally {
      trainLab.runs = []
      trainLab.modelRunId = null
    }
  })
})
