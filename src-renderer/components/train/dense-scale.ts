/**
 * How a dense layer's output vector (an Affine, Sigmoid or ReLU output drawn as a block of cells) is coloured, and
 * what the page says about its scale. Stretched min–max over the vector, a collapsed sigmoid layer (every unit
 * 0.49–0.51, the 5 × Sigmoid σ = 0.01 network of Q5's F6) looked as contrasty as a healthy one. Values all within
 * 0…1 (sigmoid, softmax) are drawn on the fixed 0…1 scale, where such a layer is one flat colour; any other vector
 * keeps min–max, and the range is said beside it either way.
 */
import { range, type Scaling } from '../../lib/colormap'

/** A vector is "nearly constant" when its spread is under this share of its largest magnitude (or of the 0…1 scale). */
export const FLAT_SHARE = 0.1

export interface DenseScale { scaling: Scaling; fixed: boolean; min: number; max: number; flat: boolean }

export function denseScale(data: ArrayLike<number>): DenseScale {
  const r = range(data)
  const fixed = r.min >= 0 && r.max <= 1
  const span = fixed ? 1 : Math.max(Math.abs(r.min), Math.abs(r.max))
  return { scaling: fixed ? { min: 0, max: 1 } : 'shared', fixed, min: r.min, max: r.max, flat: data.length > 1 && r.max - r.min < FLAT_SHARE * span }
}

/** The vector as a grid the zoom can show: `cols` wide when that divides it, otherwise one row. */
export function unitGrid(n: number, cols: number): { h: number; w: number } {
  return cols > 0 && n % cols === 0 ? { h: n / cols, w: cols } : { h: 1, w: n }
}
