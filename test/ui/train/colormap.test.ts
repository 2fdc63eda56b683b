import { describe, expect, it } from 'vitest'
import {
  cellAt, cellBound, colorAt, lut, gateStyle, gridLayout, heatmapRgba, normalizer, range, stackToRgba, transpose
} from '../../../src-renderer/lib/colormap'

const px = (rgba: { width: number; data: Uint8ClampedArray }, x: number, y: number): number[] =>
  Array.from(rgba.data.slice((y * rgba.width + x) * 4, (y * rgba.width + x) * 4 + 4))

describe('colour maps', () => {
  it('maps gray ends to black and white and clamps outside', () => {
    expect(colorAt(0, 'gray')).toEqual([0, 0, 0])
    expect(colorAt(1, 'gray')).toEqual([255, 255, 255])
    expect(colorAt(2, 'gray')).toEqual([255, 255, 255])
  })

  it('shows zero as white on the diverging map, negatives blue and positives red', () => {
    expect(colorAt(0.5, 'diverging')).toEqual([247, 247, 247])
    const [r0, , b0] = colorAt(0, 'diverging')
    const [r1, , b1] = colorAt(1, 'diverging')
    expect(b0).toBeGreaterThan(r0)
    expect(r1).toBeGreaterThan(b1)
  })

  it('shows NaN in magenta', () => {
    expect(colorAt(NaN, 'viridis')).toEqual([255, 0, 255])
  })

  it('normalizes symmetrically around zero for signed data', () => {
    const n = normalizer({ min: -2, max: 1 }, 'diverging')
    expect(n(0)).toBe(0.5)
    expect(n(-2)).toBe(0)
    expect(n(1)).toBe(0.75)
    expect(normalizer({ min: 3, max: 3 }, 'gray')(3)).toBe(1)
  })

  it('ignores non-finite values when finding a range', () => {
    expect(range([1, NaN, -3, Infinity, 2])).toEqual({ min: -3, max: 2 })
    expect(range([])).toEqual({ min: 0, max: 0 })
  })
})

describe('look-up tables', () => {
  it('hold the same colours as the reference function at every step', () => {
    for (const map of ['gray', 'diverging', 'viridis'] as const) {
      const table = lut(map)
      for (const i of [0, 1, 64, 127, 128, 200, 255]) {
        const ref = colorAt(i / 255, map).map((v) => Math.round(v))
        expect(Array.from(table.slice(i * 3, i * 3 + 3)), `${map}[${i}]`).toEqual(ref)
      }
    }
  })

  it('paints NaN magenta in a grid', () => {
    const img = stackToRgba({ count: 1, h: 1, w: 2, data: new Float32Array([NaN, 1]) }, { pad: 0, scaling: { min: 0, max: 1 } })
    expect(px(img, 0, 0)).toEqual([255, 0, 255, 255])
    expect(px(img, 1, 0)).toEqual([255, 255, 255, 255])
  })
})

describe('grids', () => {
  it('lays out 30 filters of 5×5 near-square with 1-pixel gaps', () => {
    const g = gridLayout(30, 5, 5)
    expect(g.cols).toBe(6)
    expect(g.rows).toBe(5)
    expect(g.width).toBe(6 * 6 + 1)
    expect(g.height).toBe(5 * 6 + 1)
  })

  it('finds the cell under a pixel and nothing on the gaps', () => {
    const g = gridLayout(5, 2, 2, 1, 3)
    expect(cellAt(g, 1, 1, 5)).toBe(0)
    expect(cellAt(g, 4, 2, 5)).toBe(1)
    expect(cellAt(g, 3, 1, 5)).toBe(-1) // gap between cells 0 and 1
    expect(cellAt(g, 4, 4, 5)).toBe(4)
    expect(cellAt(g, 7, 4, 5)).toBe(-1) // sixth cell does not exist
  })

  it('paints each image with its own range by default', () => {
    const stack = { count: 2, h: 1, w: 2, data: new Float32Array([0, 1, 10, 20]) }
    const img = stackToRgba(stack, { pad: 0, cols: 2 })
    expect(img.width).toBe(4)
    expect(px(img, 0, 0)).toEqual([0, 0, 0, 255])
    expect(px(img, 1, 0)).toEqual([255, 255, 255, 255])
    expect(px(img, 2, 0)).toEqual([0, 0, 0, 255])
    expect(px(img, 3, 0)).toEqual([255, 255, 255, 255])
  })

  it('uses one range for the whole stack when shared', () => {
    const stack = { count: 2, h: 1, w: 1, data: new Float32Array([0, 10]) }
    const img = stackToRgba(stack, { pad: 1, cols: 2, scaling: 'shared', background: [1, 2, 3, 255] })
    expect(px(img, 0, 0)).toEqual([1, 2, 3, 255])
    expect(px(img, 1, 1)).toEqual([0, 0, 0, 255])
    expect(px(img, 3, 1)).toEqual([255, 255, 255, 255])
  })

  it('paints into the buffer it is given when the size matches, padding cleared, and into a new one otherwise', () => {
    const stack = { count: 2, h: 1, w: 1, data: new Float32Array([0, 10]) }
    const first = stackToRgba(stack, { pad: 1, cols: 2, scaling: 'shared' })
    const into = first.data
    into.fill(7)
    const again = stackToRgba(stack, { pad: 1, cols: 2, scaling: 'shared', into: first })
    expect(again.data).toBe(into)
    expect(px(again, 0, 0)).toEqual([0, 0, 0, 0])
    expect(px(again, 3, 1)).toEqual([255, 255, 255, 255])
    expect(Array.from(again.data)).toEqual(Array.from(stackToRgba(stack, { pad: 1, cols: 2, scaling: 'shared' }).data))
    const other = stackToRgba(stack, { pad: 0, cols: 2, scaling: 'shared', into: first })
    expect(other.data).not.toBe(into)
    expect(other.data.length).toBe(2 * 4)
    // as many bytes in another shape (2 × 1 cells, then 1 × 2): a new buffer, not the old one read at the wrong width
    const tall = stackToRgba(stack, { pad: 0, cols: 1, scaling: 'shared', into: other })
    expect([tall.width, tall.height]).toEqual([1, 2])
    expect(tall.data).not.toBe(other.data)
  })
})

describe('heatmaps', () => {
  it('puts time on the x axis after transposing (T, H)', () => {
    // T=2, H=3: rows are time steps
    const th = [1, 2, 3, 4, 5, 6]
    expect(Array.from(transpose(th, 2, 3))).toEqual([1, 4, 2, 5, 3, 6])
  })

  it('paints one pixel per value with a fixed range', () => {
    const img = heatmapRgba([0, 1], 1, 2, 'gray', { min: 0, max: 1 })
    expect(img.width).toBe(2)
    expect(px(img, 0, 0)).toEqual([0, 0, 0, 255])
    expect(px(img, 1, 0)).toEqual([255, 255, 255, 255])
  })

  it('draws sigmoid gates on 0..1 and tanh ones on −1..1', () => {
    expect(gateStyle('f')).toEqual({ map: 'viridis', scaling: { min: 0, max: 1 } })
    expect(gateStyle('g').scaling).toEqual({ min: -1, max: 1 })
    expect(gateStyle('c').scaling).toBe('shared')
  })

  // Q8's F2: c was drawn on its own min..max, untold; now on ±(its largest size), so white is 0 as in g and h
  it('draws the cell state symmetric about 0, to its largest size', () => {
    expect(gateStyle('c', [0.5, -2.5, 1, NaN]).scaling).toEqual({ min: -2.5, max: 2.5 })
    expect(gateStyle('c', [0.2, 0.4])).toEqual({ map: 'diverging', scaling: { min: -0.4, max: 0.4 } })
    expect(cellBound([0, 0])).toBe(1)
    expect(cellBound([-3, 2])).toBe(3)
  })
})
