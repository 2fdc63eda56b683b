/**
 * The shapes a layer card can honestly show. When a stride leaves a fractional output size (28 with a 5×5
 * filter, stride 2, pad 0: 12.5) the engine reports the error and carries on with the rounded-down size so the
 * rest of the network is still checked; the editor shows the fraction at that layer, marked invalid, and no
 * shape after it (a (30, 12, 12) beside the error looked valid). The engine's rules are not changed here.
 * Pure, no Svelte.
 */
import type { LayerInfo, LayerSpec, LayerType, SpecIssue } from '../../../src-engine/spec-types'
import { fmtShape } from './format'
import { strideOf } from '../../../src-engine/spec-infer'

const NOT_WHOLE = new Set(['conv-size-not-integer', 'pool-size-not-integer'])

/** The first layer whose output size is not a whole number, or -1. */
export function firstNotWhole(issues: readonly SpecIssue[]): number {
  let at = -1
  for (const i of issues) if (NOT_WHOLE.has(i.code) && (at < 0 || i.layer < at)) at = i.layer
  return at
}

/** (H + 2P − FH) / S + 1 without rounding down. */
const exactOut = (n: number, k: number, s: number, p: number): number => (n + 2 * p - k) / s + 1

/**
 * A convolution's or pooling's output with the sizes the formula gives, fractions kept: (30, 12.5, 12.5). A stride
 * left out is the engine's (strideOf): 1, or a Pooling's window (size 2 halves the image).
 */
export function fractionalOut(layer: LayerSpec | undefined, info: LayerInfo | undefined): number[] | null {
  const inShape = info?.inShape
  if (!layer || !inShape || inShape.length !== 3) return null
  const [C, H, W] = inShape
  if (layer.type === 'Convolution') {
    const s = strideOf(layer), p = layer.pad ?? 0
    return [layer.filters, exactOut(H, layer.kernel, s, p), exactOut(W, layer.kernel, s, p)]
  }
  if (layer.type === 'Pooling') {
    const s = strideOf(layer), p = layer.pad ?? 0
    return [C, exactOut(H, layer.size, s, p), exactOut(W, layer.size, s, p)]
  }
  return null
}

/** Sizes as the formula line writes them: whole, or to two decimals (12.5, 2.33). */
export function fmtExactShape(shape: readonly number[]): string {
  return fmtShape(shape.map((d) => (Number.isInteger(d) ? d : Number(d.toFixed(2)))))
}

export type ShapeMark = 'ok' | 'not-whole' | 'unknown'

export interface Shown {
  text: string
  mark: ShapeMark
  /** What the block sketch draws: nothing for a shape that is not one. */
  sketch: number[] | null
}

export const UNKNOWN_SHAPE = '—'

/**
 * Card `index`'s input and output as shown, given the first layer with a fractional size (`at`, -1 for none)
 * and that layer's fractional output (`frac`).
 */
export function shownShapes(index: number, at: number, info: LayerInfo | undefined, frac: number[] | null): { in: Shown; out: Shown } {
  const plain = (s: number[] | null | undefined): Shown => ({ text: fmtShape(s ?? null), mark: 'ok', sketch: s ?? null })
  const unknown: Shown = { text: UNKNOWN_SHAPE, mark: 'unknown', sketch: null }
  const fractional: Shown = frac ? { text: fmtExactShape(frac), mark: 'not-whole', sketch: null } : unknown
  if (at < 0 || index < at) return { in: plain(info?.inShape), out: plain(info?.outShape) }
  if (index === at) return { in: plain(info?.inShape), out: fractional }
  return { in: index === at + 1 ? fractional : unknown, out: unknown }
}

/**
 * Does a layer of this type hold weights? Those that do not (activations, pooling, flatten, dropout, reshape, the
 * losses) hold none whatever shape reaches them, so their 0 is certain even after a fractional size. A Record, so a
 * new layer type is a type error here until it is sorted.
 */
const HAS_WEIGHTS: Record<LayerType, boolean> = {
  Convolution: true, Deconvolution: true, BatchNormalization: true, Affine: true,
  TimeEmbedding: true, TimeRNN: true, TimeLSTM: true, TimeAffine: true,
  Pooling: false, Upsample: false, Flatten: false, Dropout: false, Reshape: false,
  Relu: false, LeakyRelu: false, Sigmoid: false, Tanh: false, LastTimeStep: false,
  SoftmaxWithLoss: false, SigmoidWithLoss: false, MSE: false, TimeSoftmaxWithLoss: false
}

/**
 * Which of card `index`'s counts can be known, given the first layer with a fractional size (`at`, -1 for none) and
 * the card's layer type. The engine counts on with the rounded-down size, so an Affine after (30, 12.5, 12.5) was said
 * to have 43,210 weights for a shape that does not exist; where a later shape no longer fits (a Reshape) it stops and
 * reports 0 for the rest. Layer `at`'s own weights follow its whole input; its multiply-adds follow its output, and
 * no count after it can be trusted, as no shape after it is shown, except the weights of a layer that has none (0
 * whatever the shape: a ReLU's "Parameters —" told the learner it might have some).
 */
export function countsKnown(index: number, at: number, type?: LayerType): { params: boolean; macs: boolean } {
  if (at < 0 || index < at) return { params: true, macs: true }
  return { params: index === at || (type !== undefined && !HAS_WEIGHTS[type]), macs: false }
}

/** The network's totals as they can be known: null where they would include a count that cannot be (countsKnown). */
export function knownTotals(report: { totalParams: number; totalMacs: number; layers: readonly unknown[] }, at: number, layerCount: number): { params: number | null; macs: number | null } {
  if (at < 0) return { params: report.totalParams, macs: report.totalMacs }
  return { params: at >= layerCount - 1 ? report.totalParams : null, macs: null }
}
