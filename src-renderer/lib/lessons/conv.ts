/**
 * Data layer of the convolution stepper: one filter (C, FH, FW) sliding over one image (C, H, W).
 * The output comes from the engine's Convolution layer; the multiply-adds shown for each window
 * are the layer's own im2col row times the flattened filter, so what the learner reads is what the
 * engine computes. Backward runs the layer's backward (its dcol goes through col2im).
 */
import { fromArray } from '../../../src-engine/tensor'
import { Convolution } from '../../../src-engine/layers/convolution'
import { im2col, col2im } from '../../../src-engine/kernels/im2col'
import { convOutSize } from '../../../src-engine/kernels/conv-geometry'

export interface ConvSetup {
  /** (C, H, W) as nested arrays: channel → row → value. */
  input: number[][][]
  /** (C, FH, FW); one filter (FN = 1). */
  filter: number[][][]
  bias: number
  stride: number
  pad: number
}

/** One product of a window: input x[c][y][x] (0 for padding) times w[c][ky][kx]. */
export interface Term {
  c: number; ky: number; kx: number
  /** Position in the input, or null when the window reads padding. */
  y: number | null; x: number | null
  value: number; weight: number
}

export interface ConvStep {
  oy: number; ox: number
  terms: Term[]
  /** Σ value·weight (without bias). */
  sum: number
  /** The Convolution layer's output cell (with bias). */
  out: number
}

export interface ConvResult {
  ok: true
  C: number; H: number; W: number; FH: number; FW: number
  OH: number; OW: number
  /** im2col matrix (OH·OW, C·FH·FW), row-major. */
  col: Float32Array
  /** Flattened filter (C·FH·FW): the one row of W (FN, C·FH·FW). */
  wRow: Float32Array
  /** The layer's output (OH·OW) in row-major order. */
  out: Float32Array
  steps: ConvStep[]
}

export interface ConvInvalid {
  ok: false
  /** Formulas for each axis with the numbers filled in. */
  formulaH: string
  formulaW: string
  reason: 'not-integer' | 'too-small'
}

const flat3 = (a: number[][][]): number[] => a.flat(2)

/** The output's height and width for the setup's input, filter, stride and pad, or why there is no valid output. */
function outputGrid(s: ConvSetup): { ok: true; OH: number; OW: number } | ConvInvalid {
  const H = s.input[0].length, W = s.input[0][0].length
  const FH = s.filter[0].length, FW = s.filter[0][0].length
  const gh = convOutSize(H, FH, s.stride, s.pad)
  const gw = convOutSize(W, FW, s.stride, s.pad)
  if (gh.size <= 0 || gw.size <= 0 || H + 2 * s.pad < FH || W + 2 * s.pad < FW) {
    return { ok: false, formulaH: gh.formula, formulaW: gw.formula, reason: 'too-small' }
  }
  if (!gh.exact || !gw.exact) return { ok: false, formulaH: gh.formula, formulaW: gw.formula, reason: 'not-integer' }
  return { ok: true, OH: gh.size, OW: gw.size }
}

/** The conv forward of the stepper, or why these settings give no valid output. */
export function convolve(s: ConvSetup): ConvResult | ConvInvalid {
  const C = s.input.length, H = s.input[0].length, W = s.input[0][0].length
  const FH = s.filter[0].length, FW = s.filter[0][0].length
  if (s.filter.length !== C) throw new Error(`conv stepper: input has ${C} channels but the filter has ${s.filter.length}`)
  const grid = outputGrid(s)
  if (!grid.ok) return grid
  const { OH, OW } = grid
  const K = C * FH * FW
  const x = fromArray([1, C, H, W], flat3(s.input))
  const Wt = fromArray([1, C, FH, FW], flat3(s.filter))
  const layer = new Convolution(Wt, fromArray([1], [s.bias]), s.stride, s.pad, 'stepper')
  const out = Float32Array.from(layer.forward(x, false).data)
  const col = new Float32Array(OH * OW * K)
  im2col(col, x.data, 1, C, H, W, FH, FW, s.stride, s.pad, OH, OW)
  const steps: ConvStep[] = []
  for (let oy = 0; oy < OH; oy++) {
    for (let ox = 0; ox < OW; ox++) {
      const row = oy * OW + ox
      const terms: Term[] = []
      let sum = 0
      for (let k = 0; k < K; k++) {
        const c = Math.floor(k / (FH * FW)), ky = Math.floor((k % (FH * FW)) / FW), kx = k % FW
        const y = oy * s.stride - s.pad + ky, xx = ox * s.stride - s.pad + kx
        const inside = y >= 0 && y < H && xx >= 0 && xx < W
        const value = col[row * K + k]
        const weight = Wt.data[k]
        sum += value * weight
        terms.push({ c, ky, kx, y: inside ? y : null, x: inside ? xx : null, value, weight })
      }
      steps.push({ oy, ox, terms, sum, out: out[row] })
    }
  }
  return { ok: true, C, H, W, FH, FW, OH, OW, col, wRow: Float32Array.from(Wt.data), out, steps }
}

/** Extra filters (each (C, FH, FW) with its bias) applied to the same input next to the setup's own. */
export interface ExtraFilter { filter: number[][][]; bias: number }

export interface FilterBank {
  /** The layer's weight shape (FN, C, FH, FW) and bias shape (FN). */
  wShape: [number, number, number, number]
  bShape: [number]
  /** One feature map (OH, OW) per filter, from one Convolution layer with FN filters. */
  maps: number[][][]
}

/**
 * The setup's filter and `extra` ones as one layer with FN = 1 + extra.length filters: the output has
 * one feature map per filter. Null when the settings give no valid output (convolve says why).
 */
export function convolveBank(s: ConvSetup, extra: readonly ExtraFilter[]): FilterBank | null {
  const C = s.input.length, H = s.input[0].length, W = s.input[0][0].length
  const FH = s.filter[0].length, FW = s.filter[0][0].length
  const grid = outputGrid(s)
  if (!grid.ok) return null
  const filters = [s.filter, ...extra.map((e) => e.filter)]
  for (const f of filters) if (f.length !== C) throw new Error(`conv stepper: input has ${C} channels but a filter has ${f.length}`)
  const FN = filters.length
  const Wt = fromArray([FN, C, FH, FW], filters.flatMap(flat3))
  const layer = new Convolution(Wt, fromArray([FN], [s.bias, ...extra.map((e) => e.bias)]), s.stride, s.pad, 'stepper')
  const out = layer.forward(fromArray([1, C, H, W], flat3(s.input)), false).data
  const { OH, OW } = grid
  const maps = Array.from({ length: FN }, (_, f) =>
    Array.from({ length: OH }, (_, y) => Array.from(out.subarray(f * OH * OW + y * OW, f * OH * OW + (y + 1) * OW))))
  return { wShape: [FN, C, FH, FW], bShape: [FN], maps }
}

/** Filters 2 and 3 of the stepper's bank: a vertical and a horizontal edge detector, per channel. */
export const EXTRA_FILTERS: readonly number[][][] = [
  [[1, 0, -1], [1, 0, -1], [1, 0, -1]],
  [[1, 1, 1], [0, 0, 0], [-1, -1, -1]]
]

export interface ConvBackward {
  /** dx (C, H, W) from the layer's backward (col2im of dcol). */
  dx: Float32Array
  /** dcol (OH·OW, C·FH·FW) = doutᵀ·W, the matrix col2im folds back. */
  dcol: Float32Array
  /** dW (C·FH·FW) = dout·col. */
  dW: Float32Array
  db: number
}

/** Backward of the stepper's layer for an upstream gradient dout (OH·OW), via the engine's layer and col2im. */
export function convBackward(s: ConvSetup, dout: ArrayLike<number>): ConvBackward {
  const C = s.input.length, H = s.input[0].length, W = s.input[0][0].length
  const FH = s.filter[0].length, FW = s.filter[0][0].length
  const OH = convOutSize(H, FH, s.stride, s.pad).size, OW = convOutSize(W, FW, s.stride, s.pad).size
  const Wt = fromArray([1, C, FH, FW], flat3(s.filter))
  const layer = new Convolution(Wt, fromArray([1], [s.bias]), s.stride, s.pad, 'stepper')
  layer.forward(fromArray([1, C, H, W], flat3(s.input)), true)
  const dx = Float32Array.from(layer.backward(fromArray([1, 1, OH, OW], dout)).data)
  const K = C * FH * FW
  const dcol = new Float32Array(OH * OW * K)
  for (let r = 0; r < OH * OW; r++) for (let k = 0; k < K; k++) dcol[r * K + k] = dout[r] * Wt.data[k]
  // the same fold the layer did, so the page can show both halves of it
  const check = new Float32Array(C * H * W)
  col2im(check, dcol, 1, C, H, W, FH, FW, s.stride, s.pad, OH, OW)
  for (let i = 0; i < check.length; i++) {
    if (Math.abs(check[i] - dx[i]) > 1e-4 * (1 + Math.abs(dx[i]))) throw new Error(`conv stepper: col2im disagrees with the layer at ${i}`)
  }
  return { dx, dcol, dW: Float32Array.from(layer.grads[0].data), db: layer.grads[1].data[0] }
}

/** The course's worked example: 4×4 input, 3×3 filter, bias 3. */
export const WORKED_INPUT = [[[1, 2, 3, 0], [0, 1, 2, 3], [3, 0, 1, 2], [2, 3, 0, 1]]]
export const WORKED_FILTER = [[[2, 0, 1], [0, 1, 2], [1, 0, 2]]]
export const WORKED_BIAS = 3

/** A second channel for the multi-channel demo (small integers, easy to add by hand). */
export const SECOND_CHANNEL_INPUT = [[0, 1, 0, 2], [1, 0, 1, 0], [2, 1, 0, 1], [0, 1, 2, 0]]
export const SECOND_CHANNEL_FILTER = [[1, 0, 0], [0, 0, 1], [1, 1, 0]]

/** Resizes a nested (C, H, W) grid, keeping values where they fit and filling with `fill`. */
export function resize3(a: number[][][], C: number, H: number, W: number, fill: (c: number, y: number, x: number) => number): number[][][] {
  return Array.from({ length: C }, (_, c) =>
    Array.from({ length: H }, (_, y) => Array.from({ length: W }, (_, x) => a[c]?.[y]?.[x] ?? fill(c, y, x))))
}
