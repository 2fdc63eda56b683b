/**
 * Data layer of the pooling explainer: the engine's Pooling layer on one (H, W) grid, and its
 * max-pool kernel for the winners' positions (which the page highlights).
 */
import { fromArray } from '../../../src-engine/tensor'
import { Pooling, type PoolMode } from '../../../src-engine/layers/pooling'
import { maxPoolForward } from '../../../src-engine/kernels/pooling'
import { convOutSize } from '../../../src-engine/kernels/conv-geometry'

export interface PoolResult {
  OH: number; OW: number
  /** (OH, OW) output from the Pooling layer. */
  out: number[][]
  /** For max pooling: the (y, x) of each window's winner; empty for average pooling. */
  winners: { y: number; x: number }[][]
}

/** Pools grid (H, W) with a size×size window; null when the window/stride does not tile the grid. */
export function pool(grid: number[][], size: number, stride: number, mode: PoolMode): PoolResult | null {
  const H = grid.length, W = grid[0].length
  const gh = convOutSize(H, size, stride, 0), gw = convOutSize(W, size, stride, 0)
  if (!gh.exact || !gw.exact || gh.size <= 0 || gw.size <= 0) return null
  const OH = gh.size, OW = gw.size
  const x = fromArray([1, 1, H, W], grid.flat())
  const layer = new Pooling(size, size, stride, 0, mode, 'pool')
  const y = layer.forward(x, false).data
  const out = Array.from({ length: OH }, (_, i) => Array.from(y.subarray(i * OW, (i + 1) * OW)))
  const winners: { y: number; x: number }[][] = []
  if (mode === 'max') {
    const o = new Float32Array(OH * OW)
    const arg = new Int32Array(OH * OW)
    maxPoolForward(o, arg, x.data, 1, 1, H, W, size, size, stride, 0, OH, OW)
    for (let i = 0; i < OH; i++) winners.push(Array.from(arg.subarray(i * OW, (i + 1) * OW), (a) => ({ y: Math.floor(a / W), x: a % W })))
  }
  return { OH, OW, out, winners }
}

/** The course's 4×4 max-pool example (2×2 window, stride 2). */
export const POOL_EXAMPLE = [[1, 2, 1, 0], [0, 1, 2, 3], [3, 0, 1, 2], [2, 4, 0, 1]]

/** The course's shift example: B is A moved one column to the right; 3×3 max pooling gives the same output. */
export const SHIFT_A = [
  [1, 2, 0, 7, 1, 0], [0, 9, 2, 3, 2, 3], [3, 0, 1, 2, 1, 2],
  [2, 4, 0, 1, 0, 1], [6, 0, 1, 2, 1, 2], [2, 4, 0, 1, 8, 1]
]
export const SHIFT_B = [
  [1, 1, 2, 0, 7, 1], [3, 0, 9, 2, 3, 2], [2, 3, 0, 1, 2, 1],
  [3, 2, 4, 0, 1, 0], [2, 6, 0, 1, 2, 1], [1, 2, 4, 0, 1, 8]
]
