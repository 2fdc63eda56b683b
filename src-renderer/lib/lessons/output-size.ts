/**
 * Data layer of the output-size calculator: the engine's convOutSize (the one place the formula
 * lives) for both axes, and the receptive field of a stack of identical conv layers as validateSpec
 * reports it.
 */
import { convOutSize, type ConvSize } from '../../../src-engine/kernels/conv-geometry'
import { windowFixes } from '../../../src-engine/spec-window'
import { validateSpec } from '../../../src-engine/spec'
import type { LayerSpec, SpecIssue } from '../../../src-engine/spec-types'

export interface SizeInput { H: number; W: number; FH: number; FW: number; stride: number; pad: number }

export interface SizeResult {
  h: ConvSize
  w: ConvSize
  /** Both axes give a whole, positive size. */
  ok: boolean
  /** Why not: the window does not fit, or the stride does not divide the span. */
  problem: 'ok' | 'too-small' | 'not-integer'
  /** H + 2P − FH: the span the window travels, which the stride must divide. */
  spanH: number
  spanW: number
}

export function outputSize(s: SizeInput): SizeResult {
  const h = convOutSize(s.H, s.FH, s.stride, s.pad)
  const w = convOutSize(s.W, s.FW, s.stride, s.pad)
  const spanH = s.H + 2 * s.pad - s.FH
  const spanW = s.W + 2 * s.pad - s.FW
  const problem = spanH < 0 || spanW < 0 ? 'too-small' : !h.exact || !w.exact ? 'not-integer' : 'ok'
  return { h, w, ok: problem === 'ok', problem, spanH, spanW }
}

/** What to change when the size is not whole: the editor's own suggestions, and the strides it leaves out. */
export interface SizeFixes {
  /** Strides up to the filter size that fit, as the editor suggests them (windowFixes in the engine). */
  strides: number[]
  /** Paddings that fit with the current stride, as the editor suggests them. */
  pads: number[]
  /**
   * Strides larger than the filter that also give a whole size (up to `max`): the editor does not
   * suggest them, because the window would jump over input cells that no output reads.
   */
  skipping: number[]
}

export function sizeFixes(s: SizeInput, max = 6): SizeFixes {
  const { strides, pads } = windowFixes(s.H, s.W, s.FH, s.stride, s.pad)
  const skipping: number[] = []
  for (let k = s.FH + 1; k <= max; k++) if (k !== s.stride && outputSize({ ...s, stride: k }).ok) skipping.push(k)
  return { strides, pads, skipping }
}

/** Where the window lands along one padded row: each start `x`, and whether the window fits there. */
export interface WindowPosition { x: number; fits: boolean }

/**
 * The window's starts along a row of `size` cells padded by `pad` on each side, every `stride` cells
 * while the window fits (at most `max`). When the stride does not divide the span (or the window is
 * wider than the row) one more start follows, the window hanging over the edge: the last one the
 * formula would need. A stride that divides the span ends at the edge, with nothing hanging over.
 */
export function windowPositions(size: number, filter: number, stride: number, pad: number, max = 40): WindowPosition[] {
  const span = size + 2 * pad
  const out: WindowPosition[] = []
  let x = 0
  for (; x + filter <= span && out.length < max; x += stride) out.push({ x, fits: true })
  if (!convOutSize(size, filter, stride, pad).exact && x < span && out.length < max) out.push({ x, fits: false })
  return out
}

export interface RfRow { name: string; kind: 'conv' | 'pool'; outH: number | null; rf: number | null }

/**
 * Receptive field after each layer of `depth` conv layers (kernel k, stride 1, 'same' padding when k
 * is odd), optionally each followed by a 2×2 max pool, on an input of side `size`, as validateSpec
 * computes it.
 */
export function receptiveFields(depth: number, k: number, withPool: boolean, size = 32): RfRow[] {
  const layers: LayerSpec[] = []
  for (let d = 0; d < depth; d++) {
    layers.push({ type: 'Convolution', filters: 4, kernel: k, stride: 1, pad: Math.floor(k / 2) })
    if (withPool) layers.push({ type: 'Pooling', mode: 'max', size: 2, stride: 2 })
  }
  const report = validateSpec({ input: [1, size, size], layers })
  return report.layers.map((l) => ({
    name: l.name,
    kind: l.type === 'Pooling' ? 'pool' : 'conv',
    outH: l.outShape ? l.outShape[1] : null,
    rf: l.receptiveField ?? null
  }))
}

/**
 * What the editor reports for one convolution layer with these settings, as validateSpec gives them: its
 * errors, and its warnings too (padding as wide as the filter is legal, and the size works, but the editor
 * warns that the border outputs see only zeros), so the calculator never calls a layer fine that the
 * editor warns about.
 */
export function editorIssues(s: SizeInput): SpecIssue[] {
  const spec = { input: [1, s.H, s.W], layers: [{ type: 'Convolution' as const, filters: 1, kernel: s.FH, stride: s.stride, pad: s.pad }] }
  // only the layer's own problems: a one-layer net also lacks a loss layer, which is beside the point here
  return validateSpec(spec).issues.filter((i) => i.layer === 0)
}

/** The side too narrow for the filter when the size is 'too-small' (the height when both are), to name it in the message. */
export function tooSmallSide(s: SizeInput): number {
  return s.H + 2 * s.pad - s.FH < 0 ? s.H : s.W
}
