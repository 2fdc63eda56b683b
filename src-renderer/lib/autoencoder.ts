/**
 * Pure helpers for the autoencoder views (no DOM): is a network an autoencoder, which layer's
 * activations are its code, and the geometry of the 2-D code plane (data ↔ canvas coordinates).
 */
import type { CodePlane, LayerMaps } from '../../src-engine/protocol'
import type { NetSpec } from '../../src-engine/spec-types'
import { minusSign } from './lessons/format'

/** A network trained to redraw its input. */
export function isAutoencoder(spec: NetSpec | null | undefined): boolean {
  return spec?.task === 'reconstruct'
}

/**
 * The code among every layer's activations: the smallest output per example, the last layer
 * excluded, the first on a tie — the same rule as the engine's findBottleneck.
 */
export function bottleneckOf(maps: readonly LayerMaps[]): LayerMaps | null {
  let best: LayerMaps | null = null
  let bestSize = Infinity
  for (let i = 0; i < maps.length - 1; i++) {
    const m = maps[i].maps
    const size = m.count * m.h * m.w
    if (size < bestSize) {
      best = maps[i]
      bestSize = size
    }
  }
  return best
}

/** One colour per digit, told apart in both themes (a categorical palette). */
export const DIGIT_COLORS: readonly string[] = [
  '#4e79a7', '#f28e2b', '#e15759', '#59a14f', '#b07aa1', '#9c755f', '#ff9da7', '#17becf', '#bcbd22', '#7f7f7f'
]

export interface PlaneBox { x0: number; x1: number; y0: number; y1: number }

/** The region shown: every point plus a margin (8 % each side), never empty. */
export function planeBox(points: ArrayLike<number>, count: number, margin = 0.08): PlaneBox {
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity
  for (let i = 0; i < count; i++) {
    const x = points[2 * i]
    const y = points[2 * i + 1]
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue
    if (x < x0) x0 = x
    if (x > x1) x1 = x
    if (y < y0) y0 = y
    if (y > y1) y1 = y
  }
  if (!(x1 >= x0)) return { x0: -1, x1: 1, y0: -1, y1: 1 }
  const mx = Math.max((x1 - x0) * margin, 1e-3)
  const my = Math.max((y1 - y0) * margin, 1e-3)
  return { x0: x0 - mx, x1: x1 + mx, y0: y0 - my, y1: y1 + my }
}

/** Code (x, y) → canvas pixel (px, py) on a w×h canvas; y grows upwards on the plane. */
export function toCanvas(box: PlaneBox, w: number, h: number, x: number, y: number): [number, number] {
  return [((x - box.x0) / (box.x1 - box.x0)) * w, (1 - (y - box.y0) / (box.y1 - box.y0)) * h]
}

/** Canvas pixel → code: the inverse of toCanvas. */
export function fromCanvas(box: PlaneBox, w: number, h: number, px: number, py: number): [number, number] {
  return [box.x0 + (px / w) * (box.x1 - box.x0), box.y0 + (1 - py / h) * (box.y1 - box.y0)]
}

/** A code's values for display: 2 decimals, or 3 significant digits for large ones, with a real minus sign ("−0.41"). */
export function formatCode(values: ArrayLike<number>): string {
  return Array.from(values, (v) => minusSign(Math.abs(v) >= 100 ? v.toPrecision(3) : v.toFixed(2))).join(', ')
}

/** The plane of a snapshot with typed arrays (JSON transports deliver plain arrays). */
export function sameCodes(a: CodePlane | undefined, b: CodePlane | undefined): boolean {
  return a === b || (!!a && !!b && a.points === b.points)
}
