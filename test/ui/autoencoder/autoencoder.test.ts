import { afterAll, describe, expect, it } from 'vitest'
import { fireEvent, render, screen } from '@testing-library/svelte'
import { bottleneckOf, fromCanvas, isAutoencoder, planeBox, toCanvas, formatCode } from '../../../src-renderer/lib/autoencoder'
import { normSnapshot } from '../../../src-renderer/lib/train.svelte'
import { setLab } from '../../../src-renderer/lib/lab'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import CodePlane from '../../../src-renderer/components/autoencoder/CodePlane.svelte'
import ReconstructionRow from '../../../src-renderer/components/autoencoder/ReconstructionRow.svelte'
import type { LayerMaps, Snapshot } from '../../../src-engine/protocol'
import { FakeLab } from '../train/fake-lab'

const maps = (layer: string, count: number, h: number, w: number): LayerMaps =>
  ({ layer, shape: [count, h, w], maps: { count, h, w, data: new Float32Array(count * h * w) } })

describe('autoencoder helpers', () => {
  it('tells autoencoders by their task', () => {
    expect(isAutoencoder({ input: [1, 28, 28], task: 'reconstruct', layers: [] })).toBe(true)
    expect(isAutoencoder({ input: [1, 28, 28], task: 'classify', layers: [] })).toBe(false)
    expect(isAutoencoder(null)).toBe(false)
  })

  it('takes the smallest layer output before the last as the code (first on a tie)', () => {
    const all = [maps('conv1', 16, 28, 28), maps('pool2', 8, 7, 7), maps('up1', 8, 14, 14), maps('relu5', 1, 1, 392), maps('conv4', 1, 28, 28)]
    expect(bottleneckOf(all)?.layer).toBe('pool2')
    expect(bottleneckOf([maps('affine3', 1, 1, 2), maps('reshape1', 1, 1, 1)])?.layer).toBe('affine3')
    expect(bottleneckOf([])).toBeNull()
  })

  it('maps codes to canvas pixels and back, y upwards, with a margin around every point', () => {
    const pts = Float32Array.of(-2, 0, 2, 4, 0, 1, NaN, 9)
    const box = planeBox(pts, 4)
    expect(box.x0).toBeLessThan(-2)
    expect(box.x1).toBeGreaterThan(2)
    expect(box.y1).toBeGreaterThan(4)
    expect(box.y1).toBeLessThan(9) // the NaN point is ignored, its 9 too
    const [px, py] = toCanvas(box, 300, 200, 2, 4)
    expect(px).toBeGreaterThan(270)
    expect(py).toBeLessThan(20)
    const back = fromCanvas(box, 300, 200, px, py)
    expect(back[0]).toBeCloseTo(2, 5)
    expect(back[1]).toBeCloseTo(4, 5)
    expect(planeBox([], 0)).toEqual({ x0: -1, x1: 1, y0: -1, y1: 1 })
    expect(formatCode([0.123, -250.5])).toBe('0.12, −251')
  })

  it('keeps reconstructions and codes of a snapshot that crossed JSON as plain arrays', () => {
    const s = normSnapshot({
      reconstructions: { inputs: { count: 1, h: 1, w: 2, data: [0, 1] }, outputs: { count: 1, h: 1, w: 2, data: [0.1, 0.9] } },
      codes: { layer: 'affine3', dims: 2, count: 1, points: [0.5, -0.5], labels: [7] }
    } as unknown as Snapshot)
    expect(s.reconstructions?.outputs.data).toBeInstanceOf(Float32Array)
    expect(Array.from(s.codes!.points)).toEqual([0.5, -0.5])
    expect(s.codes!.labels[0]).toBe(7)
  })
})

describe('autoencoder components', () => {
  const fake = new FakeLab()
  setLab(fake)
  i18n.set('en')
  afterAll(() => setLab(null))

  it('shows each held-out digit above its reconstruction', () => {
    const stack = (v: number) => ({ count: 3, h: 2, w: 2, data: new Float32Array(12).fill(v) })
    render(ReconstructionRow, { rec: { inputs: stack(1), outputs: stack(0.5) } })
    const row = screen.getByTestId('reconstruction-row')
    expect(row.getAttribute('data-count')).toBe('3')
    expect(row.querySelectorAll('canvas').length).toBe(6)
    expect(row.textContent).toContain('Reconstruction')
  })

  it('decodes the clicked point of the code plane through model:decode and shows the image', async () => {
    fake.handlers['model:decode'] = (p) => {
      const code = (p as { code: number[] }).code
      return { ok: true, value: { image: new Array(784).fill(code[0] > 0 ? 1 : 0), h: 28, w: 28, ms: 1 } }
    }
    const codes = { layer: 'affine3', dims: 2 as const, count: 3, points: Float32Array.of(-1, -1, 1, 1, 0, 0), labels: Float32Array.of(0, 1, 2) }
    render(CodePlane, { codes, size: 200 })
    const plane = screen.getByTestId('code-plane')
    expect(plane.getAttribute('data-count')).toBe('3')
    const decoded = screen.getByTestId('code-decoded')
    expect(decoded.getAttribute('data-ready')).toBe('false')
    expect(decoded.textContent).toContain('Click the plane')
    // the top-right corner of the canvas is a code beyond (1, 1)
    await fireEvent.pointerDown(plane, { clientX: 190, clientY: 10, pointerId: 1 })
    await fireEvent.pointerUp(plane, { pointerId: 1 })
    await new Promise((r) => setTimeout(r, 0))
    const call = fake.calls.filter((c) => c.channel === 'model:decode').at(-1)!
    const [x, y] = (call.payload as { code: number[] }).code
    expect(x).toBeGreaterThan(0.9)
    expect(y).toBeGreaterThan(0.9)
    expect(decoded.getAttribute('data-ready')).toBe('true')
    expect(decoded.querySelector('canvas')).toBeTruthy()

    // a failed decode says why
    fake.handlers['model:decode'] = () => ({ ok: false, error: { code: 'not-autoencoder', message: 'this model is not an autoencoder' } })
    await fireEvent.pointerDown(plane, { clientX: 10, clientY: 190, pointerId: 1 })
    await new Promise((r) => setTimeout(r, 0))
    expect(screen.getByRole('alert').textContent).toContain('Could not decode: This model is not an autoencoder: only a network with the task "reconstruct" can do that.')
  })
})
