/**
 * The shapes and counts a layer card can honestly show. When a stride leaves a fractional output size (28 with a 5×5
 * filter, stride 2, pad 0: 12.5) the engine reports the error and knows no shape after it (it used to carry on with the
 * rounded-down size, and errors worked out from it sent the learner to fix phantoms: Q7's F2); the editor shows the
 * fraction at that layer, marked invalid, and "—" after it. A layer whose output cannot be worked out for another error
 * (a kernel larger than its input, a convolution on a flat vector) stops the shapes the same way, with that reason.
 * Counts come from the engine's marks (LayerInfo.paramsUnknown, macsUnknown): a 0 that is no count is "—" (Q7's F1).
 * Pure, no Svelte.
 */
import type { LayerInfo, LayerSpec, SpecIssue } from '../../../src-engine/spec-types'
import { fmtShape } from './format'
import { strideOf } from '../../../src-engine/spec-infer'

const NOT_WHOLE = new Set(['conv-size-not-integer', 'pool-size-not-integer'])

/** The first layer whose output size is not a whole number, or -1. */
export function firstNotWhole(issues: readonly SpecIssue[]): number {
  let at = -1
  for (const i of issues) if (NOT_WHOLE.has(i.code) && (at < 0 || i.layer < at)) at = i.layer
  return at
}

/**
 * Where the shapes stop: the first layer whose output is not known because of an error of its own (`at`), and whether
 * that error is a size that is not whole (the card then shows the fraction). null when every shape is known, or when the
 * first unknown one has no error of its own (an input that is not valid, a language model waiting for its text): those
 * cards show "?" as before.
 */
export interface Stop { at: number; notWhole: boolean }

export function shapesStop(infos: readonly (LayerInfo | undefined)[], issues: readonly SpecIssue[]): Stop | null {
  const at = infos.findIndex((l) => l !== undefined && l.outShape === null)
  if (at < 0) return null
  const own = issues.filter((i) => i.layer === at && i.severity === 'error')
  if (!own.length) return null
  return { at, notWhole: own.some((i) => NOT_WHOLE.has(i.code)) }
}

/**
 * Why a shape or count is "—", as an i18n key and its value: the size that is not whole or the error where the shapes
 * stop; else a vocabulary the text has not set yet (`vocab`: the layer's or network's vocab-pending warning); else the
 * shape reaching the layer (an input that is not valid).
 */
export function unknownWhy(stop: Stop | null, vocab = false): { key: string; n: number } {
  const key = stop ? (stop.notWhole ? 'editor.shapeUnknown' : 'editor.shapeUnknownError')
    : vocab ? 'editor.countUnknownVocab' : 'editor.countUnknown'
  return { key, n: (stop?.at ?? 0) + 1 }
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
 * Card `index`'s input and output as shown, given where the shapes stop (shapesStop) and, when that is a size that is
 * not whole, that layer's fractional output (`frac`).
 */
export function shownShapes(index: number, stop: Stop | null, info: LayerInfo | undefined, frac: number[] | null): { in: Shown; out: Shown } {
  const plain = (s: number[] | null | undefined): Shown => ({ text: fmtShape(s ?? null), mark: 'ok', sketch: s ?? null })
  const unknown: Shown = { text: UNKNOWN_SHAPE, mark: 'unknown', sketch: null }
  const fractional: Shown = stop?.notWhole && frac ? { text: fmtExactShape(frac), mark: 'not-whole', sketch: null } : unknown
  if (!stop || index < stop.at) return { in: plain(info?.inShape), out: plain(info?.outShape) }
  if (index === stop.at) return { in: plain(info?.inShape), out: fractional }
  return { in: index === stop.at + 1 ? fractional : unknown, out: unknown }
}

/**
 * Which of a card's counts can be known: the engine marks those that follow a shape it does not know (a convolution
 * whose output is not whole still has its weights, from C, K and FN; an Affine after it has none that can be said). A
 * layer without weights has 0 whatever its shape (a ReLU's "Parameters —" told the learner it might have some).
 */
export function countsKnown(info: LayerInfo | undefined): { params: boolean; macs: boolean } {
  return { params: !info?.paramsUnknown, macs: !info?.macsUnknown }
}

/** The network's totals as they can be known: null where they would leave out a count that cannot be (countsKnown). */
export function knownTotals(report: { totalParams: number; totalMacs: number; paramsUnknown?: true; macsUnknown?: true }): { params: number | null; macs: number | null } {
  return { params: report.paramsUnknown ? null : report.totalParams, macs: report.macsUnknown ? null : report.totalMacs }
}
