/**
 * Typed arrays → RGBA pixels for canvases: filter grids, feature-map grids, gate heatmaps, digits.
 * Pure functions returning plain RGBA buffers (no DOM), so tests run without a canvas; components wrap
 * the result in `new ImageData(rgba, width, height)`.
 */
import type { ImageStack } from '../../src-engine/protocol'

/** gray: black → white; diverging: blue (negative) → white (0) → red (positive); viridis-like: dark blue → yellow. */
export type ColorMap = 'gray' | 'diverging' | 'viridis'

/** How values are mapped to 0..1: per image, over the whole stack, or a fixed range. */
export type Scaling = 'each' | 'shared' | { min: number; max: number }

export interface Rgba { width: number; height: number; data: Uint8ClampedArray<ArrayBuffer> }

// A few stops of a perceptually even blue → green → yellow scale (sampled by eye from viridis).
const VIRIDIS: readonly [number, number, number][] = [
  [68, 1, 84], [65, 68, 135], [42, 120, 142], [34, 168, 132], [122, 209, 81], [253, 231, 37]
]
const BLUE: readonly [number, number, number] = [44, 98, 196]
const RED: readonly [number, number, number] = [205, 56, 48]
const WHITE: readonly [number, number, number] = [247, 247, 247]

function mix(a: readonly number[], b: readonly number[], t: number): [number, number, number] {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t]
}

/** Colour of t in [0, 1] (clamped; NaN shows as magenta so a broken value is seen, not hidden). */
export function colorAt(t: number, map: ColorMap): [number, number, number] {
  if (Number.isNaN(t)) return [255, 0, 255]
  const x = Math.min(1, Math.max(0, t))
  if (map === 'gray') return [x * 255, x * 255, x * 255]
  if (map === 'diverging') return x < 0.5 ? mix(BLUE, WHITE, x * 2) : mix(WHITE, RED, (x - 0.5) * 2)
  const f = x * (VIRIDIS.length - 1)
  const i = Math.min(VIRIDIS.length - 2, Math.floor(f))
  return mix(VIRIDIS[i], VIRIDIS[i + 1], f - i)
}

const LUTS = new Map<ColorMap, Uint8ClampedArray>()

/** 256 RGB entries of a map, so painting is a table look-up per pixel (snapshots arrive several times a second). */
export function lut(map: ColorMap): Uint8ClampedArray {
  let table = LUTS.get(map)
  if (!table) {
    table = new Uint8ClampedArray(256 * 3)
    for (let i = 0; i < 256; i++) table.set(colorAt(i / 255, map), i * 3)
    LUTS.set(map, table)
  }
  return table
}

/** Min and max of data[from, to), ignoring non-finite values; (0, 0) when there are none. */
export function range(data: ArrayLike<number>, from = 0, to = data.length): { min: number; max: number } {
  let min = Infinity
  let max = -Infinity
  for (let i = from; i < to; i++) {
    const v = data[i]
    if (!Number.isFinite(v)) continue
    if (v < min) min = v
    if (v > max) max = v
  }
  return min <= max ? { min, max } : { min: 0, max: 0 }
}

/** value → 0..1 as t = v·a + b for a range; a diverging map centres 0 at 0.5 so the sign reads at a glance. */
export function affine(r: { min: number; max: number }, map: ColorMap): [a: number, b: number] {
  if (map === 'diverging') {
    const m = Math.max(Math.abs(r.min), Math.abs(r.max)) || 1
    return [1 / (2 * m), 0.5]
  }
  const span = r.max - r.min
  return span > 0 ? [1 / span, -r.min / span] : [0, r.max > 0 ? 1 : 0]
}

/** The same mapping as a function (for one-off values). */
export function normalizer(r: { min: number; max: number }, map: ColorMap): (v: number) => number {
  const [a, b] = affine(r, map)
  return (v) => v * a + b
}

/** Paints data[from, from+n) as t = v·a + b through `table` into out, pixel by pixel from `p`, `stride` bytes apart. */
function paintRow(out: Uint8ClampedArray, p: number, data: ArrayLike<number>, from: number, n: number, a: number, b: number, table: Uint8ClampedArray): void {
  for (let k = 0; k < n; k++, p += 4) {
    const v = data[from + k]
    if (v !== v) {
      out[p] = 255
      out[p + 1] = 0
      out[p + 2] = 255
    } else {
      const t = v * a + b
      const i = (t <= 0 ? 0 : t >= 1 ? 255 : (t * 255 + 0.5) | 0) * 3
      out[p] = table[i]
      out[p + 1] = table[i + 1]
      out[p + 2] = table[i + 2]
    }
    out[p + 3] = 255
  }
}

export interface GridLayout { cols: number; rows: number; cellW: number; cellH: number; pad: number; width: number; height: number }

/** Cells of h×w with `pad` pixels between and around them; `cols` defaults to a near-square grid. */
export function gridLayout(count: number, h: number, w: number, pad = 1, cols?: number): GridLayout {
  const c = Math.max(1, Math.min(count, cols ?? Math.ceil(Math.sqrt(count * (h / Math.max(1, w))))))
  const rows = Math.max(1, Math.ceil(count / c))
  return { cols: c, rows, cellW: w, cellH: h, pad, width: c * (w + pad) + pad, height: rows * (h + pad) + pad }
}

/** Which cell a pixel (in grid pixels) falls on, or −1 on padding or past the last cell. */
export function cellAt(g: GridLayout, x: number, y: number, count: number): number {
  const cx = Math.floor((x - g.pad) / (g.cellW + g.pad))
  const cy = Math.floor((y - g.pad) / (g.cellH + g.pad))
  if (cx < 0 || cy < 0 || cx >= g.cols || cy >= g.rows) return -1
  const ix = x - g.pad - cx * (g.cellW + g.pad)
  const iy = y - g.pad - cy * (g.cellH + g.pad)
  if (ix >= g.cellW || iy >= g.cellH) return -1
  const i = cy * g.cols + cx
  return i < count ? i : -1
}

/** Paints `stack` as a grid; padding takes `background` (RGBA). `into`, when it has the grid's width and height, is
 * painted over and returned instead of a new buffer (a canvas repainted several times a second reuses its pixels). */
export function stackToRgba(
  stack: ImageStack,
  opts: { map?: ColorMap; scaling?: Scaling; pad?: number; cols?: number; background?: [number, number, number, number]; into?: Rgba } = {}
): Rgba & { layout: GridLayout } {
  const map = opts.map ?? 'gray'
  const scaling = opts.scaling ?? 'each'
  const { count, h, w, data } = stack
  const g = gridLayout(count, h, w, opts.pad ?? 1, opts.cols)
  const bytes = g.width * g.height * 4
  // the same number of bytes is not enough: 2 × 3 cells and 3 × 2 have as many
  const reuse = opts.into?.width === g.width && opts.into.height === g.height
  const out = reuse ? opts.into!.data : new Uint8ClampedArray(bytes)
  const [r, gr, b, a] = opts.background ?? [0, 0, 0, 0]
  // a new buffer is transparent black already
  if (r || gr || b || a) {
    for (let i = 0; i < bytes; i += 4) {
      out[i] = r
      out[i + 1] = gr
      out[i + 2] = b
      out[i + 3] = a
    }
  } else if (reuse) out.fill(0)
  const size = h * w
  const table = lut(map)
  const fixed = typeof scaling === 'object' ? affine(scaling, map) : scaling === 'shared' ? affine(range(data, 0, count * size), map) : null
  for (let k = 0; k < count; k++) {
    const off = k * size
    const [a, b] = fixed ?? affine(range(data, off, off + size), map)
    const x0 = g.pad + (k % g.cols) * (w + g.pad)
    const y0 = g.pad + Math.floor(k / g.cols) * (h + g.pad)
    for (let y = 0; y < h; y++) paintRow(out, ((y0 + y) * g.width + x0) * 4, data, off + y * w, w, a, b, table)
  }
  return { width: g.width, height: g.height, data: out, layout: g }
}

/** A (rows, cols) matrix as a heatmap, one pixel per value. */
export function heatmapRgba(data: ArrayLike<number>, rows: number, cols: number, map: ColorMap, scaling: Scaling = 'shared'): Rgba {
  const [a, b] = affine(typeof scaling === 'object' ? scaling : range(data, 0, rows * cols), map)
  const out = new Uint8ClampedArray(rows * cols * 4)
  paintRow(out, 0, data, 0, rows * cols, a, b, lut(map))
  return { width: cols, height: rows, data: out }
}

/** (T, H) row-major → (H, T): gates are stored time-major but drawn with time running left to right. */
export function transpose(data: ArrayLike<number>, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols)
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = data[i * cols + j]
  return out
}

/**
 * Colour map and range that suit an LSTM gate: sigmoid gates live in [0, 1], tanh ones in [−1, 1]. The cell state c has
 * no bound: given its values it is drawn on ±(its largest size), symmetric so white stays 0 as in g and h, and the panel
 * states that end (cellBound); without them, on the values' own range.
 */
export function gateStyle(name: string, data?: ArrayLike<number>): { map: ColorMap; scaling: Scaling } {
  if (name === 'f' || name === 'i' || name === 'o') return { map: 'viridis', scaling: { min: 0, max: 1 } }
  if (name === 'g' || name === 'h') return { map: 'diverging', scaling: { min: -1, max: 1 } }
  if (!data) return { map: 'diverging', scaling: 'shared' }
  const m = cellBound(data)
  return { map: 'diverging', scaling: { min: -m, max: m } }
}

/** The end of the cell state's colour scale: its largest finite size, or 1 when every value is 0 (nothing to scale). */
export function cellBound(data: ArrayLike<number>): number {
  const r = range(data)
  const m = Math.max(Math.abs(r.min), Math.abs(r.max))
  return m > 0 ? m : 1
}
