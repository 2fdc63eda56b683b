/**
 * The worker's `gradcheck` command: build the spec with a seed, draw a tiny batch, and compare
 * backprop with central differences for the input and every parameter (gradient-check.ts).
 * Every parameter costs two forward passes, so only small networks are checked.
 * With `explain` options the command answers the lesson explainer instead (explainGradients below:
 * a row per array, sampled elements for a full-size network, the planted ReLU bug).
 */
import { Rng } from '../rng'
import { sizeOf, tensor } from '../tensor'
import type { NetSpec } from '../spec-types'
import { Sequential } from '../models/sequential'
import { CheckCancelled, checkNetworkGradients, type GradientReport } from './gradient-check'
import { checkSpecGradients, type SpecGradientReport } from './gradient-check-spec'
import { validateSpec } from '../spec'
import { Relu } from '../layers/relu'

/** Largest network (learnable values) the check accepts; larger ones would take minutes. */
export const GRADCHECK_MAX_PARAMS = 20_000

export interface GradcheckResult extends GradientReport { params: number; batch: number; ok: boolean }

/** Checks `spec` on 2 random examples; ok when every relative error is below 1e-2 (float32). With `explain`: explainGradients. */
export function runGradcheck(spec: NetSpec, seed: number): GradcheckResult
export function runGradcheck(spec: NetSpec, seed: number, explain: ExplainOptions): CheckResult
export function runGradcheck(spec: NetSpec, seed: number, explain?: ExplainOptions): GradcheckResult | CheckResult
export function runGradcheck(spec: NetSpec, seed: number, explain?: ExplainOptions): GradcheckResult | CheckResult {
  if (explain) return explainGradients(spec, seed, explain)
  const rng = new Rng(seed)
  const model = Sequential.fromSpec(spec, rng.fork())
  if (!model.lossLayer) throw new Error('gradient checking needs a loss layer at the end of the network')
  if (model.paramCount > GRADCHECK_MAX_PARAMS) {
    throw new Error(`this network has ${model.paramCount} parameters; gradient checking compares each one by central differences, so it is limited to ${GRADCHECK_MAX_PARAMS} — check a smaller version of it`)
  }
  const N = 2
  const x = tensor([N, ...spec.input])
  for (let i = 0; i < x.data.length; i++) x.data[i] = rng.next()
  const scores = model.forward(x, true)
  const perExample = sizeOf(scores.shape) / N
  const classify = (spec.task ?? 'classify') === 'classify'
  const t = classify ? tensor([N]) : tensor(scores.shape)
  for (let i = 0; i < t.data.length; i++) t.data[i] = classify ? rng.int(perExample) : rng.next()
  // Dropout draws a new mask on every forward, which central differences cannot follow: check in inference mode then.
  const train = !model.layers.some((l) => l.type === 'Dropout')
  const report = checkNetworkGradients(model.layers, model.lossLayer, x, t, { train })
  return { ...report, params: model.paramCount, batch: N, ok: report.maxRelError < 1e-2 }
}

// ── the lesson explainer's check (the host's model:gradcheck) ─────────────────

/**
 * How a relative error reads in float32 with h = 1e-3: below GOOD the two gradients agree; up to
 * FAIR they agree as far as float32 rounding and ReLU / max-pooling kinks allow (a perturbation that
 * crosses a kink bends the difference quotient); above FAIR backward() is almost certainly wrong.
 */
export const GOOD = 1e-3
export const FAIR = 5e-2
export type Verdict = 'good' | 'fair' | 'bad' | 'small'

/**
 * `withinNoise`: the difference is no larger than float32 rounding of the central differences could make it, so a
 * large relative error there says the gradient is near the noise (a vanishing layer), not that backward() is wrong.
 */
export function verdict(relError: number, tooSmall: boolean, withinNoise = false): Verdict {
  if (tooSmall || (withinNoise && relError >= FAIR)) return 'small'
  return relError < GOOD ? 'good' : relError < FAIR ? 'fair' : 'bad'
}

/** Multiply-adds per example above which a network is too slow to check (a second or so at this size). */
export const EXPLAIN_MAX_MACS = 12_000_000

export interface CheckRow {
  /** "x" or "<layer>.<param>", e.g. conv1.W. */
  name: string
  /** How many elements the array has, and how many were compared. */
  size: number
  checked: number
  relError: number
  /** The gradient is below float32 noise here: the comparison cannot tell right from wrong. */
  tooSmall: boolean
  /** The element with the largest difference: numerical and backprop values. */
  numeric: number
  analytic: number
  /** That element's own relative error, floored for values that are both (near) zero (gradient-check.ts elementError). */
  elementError: number
  /** Mean |backprop gradient| over the whole array. */
  meanAbs: number
  verdict: Verdict
}

/** A layer with parameters and the mean |backprop gradient| over all of them; `vanishing` when far below the largest. */
export interface LayerGradient { layer: string; meanAbs: number; vanishing: boolean }

/**
 * A layer's gradient has vanished when its mean |gradient| is below this share of the largest layer's. Healthy
 * networks keep their layers within a factor of about 100 of each other (the small examples and the presets: at most
 * 30); a deep sigmoid net started at σ = 0.01 loses a factor of 100 or more per layer, so its first layers are 10⁻⁶ and
 * less of the last one's: they do not learn, which is what the check should tell the learner.
 */
export const VANISH_RATIO = 1e-3

/**
 * The mean |gradient| of each layer with parameters, in network order (the rows' "<layer>.<param>" arrays,
 * weighted by size), and which of them are below VANISH_RATIO of the largest.
 */
export function layerGradients(rows: readonly CheckRow[]): LayerGradient[] {
  const sums = new Map<string, { sum: number; n: number }>()
  for (const r of rows) {
    const dot = r.name.lastIndexOf('.')
    if (dot < 0) continue // the input x is not learned
    const layer = r.name.slice(0, dot)
    const e = sums.get(layer) ?? { sum: 0, n: 0 }
    e.sum += r.meanAbs * r.size
    e.n += r.size
    sums.set(layer, e)
  }
  const layers = [...sums].map(([layer, e]) => ({ layer, meanAbs: e.n > 0 ? e.sum / e.n : 0 }))
  const top = layers.reduce((m, l) => Math.max(m, l.meanAbs), 0)
  return layers.map((l) => ({ ...l, vanishing: top > 0 && l.meanAbs < VANISH_RATIO * top }))
}

/** The explainer's answer: a row per array, or why the network could not be checked. */
export type CheckResult =
  | { ok: true; rows: CheckRow[]; allAgree: boolean; train: boolean; sampled: boolean; bug: boolean; layers: LayerGradient[] }
  | { ok: false; reason: 'invalid' | 'vocab' | 'too-large' | 'failed' | 'cancelled'; detail?: string }

/**
 * The explainer's options: elements compared per array (all when omitted), the planted ReLU bug, and `cancel`,
 * a flag shared with the host (an Int32Array on a SharedArrayBuffer): once its first element is not 0 the check
 * stops at its next forward pass and answers reason 'cancelled'.
 */
export interface ExplainOptions { samples?: number; bug?: boolean; cancel?: Int32Array }

type ReluBackward = (dx: Float32Array, dout: Float32Array, x: Float32Array, y: Float32Array, n: number) => void
interface ReluInside { applyBackward: ReluBackward }

/**
 * Runs `f` while every ReLU's backward forgets its mask and passes all of dout through, a bug a
 * learner could write; the engine's own method is put back before this returns.
 */
function withReluBug<T>(f: () => T): T {
  const proto = Relu.prototype as unknown as ReluInside
  const own = Object.getOwnPropertyDescriptor(proto, 'applyBackward')
  proto.applyBackward = (dx, dout, _x, _y, n) => { dx.set(dout.subarray(0, n)) }
  try {
    return f()
  } finally {
    if (own) Object.defineProperty(proto, 'applyBackward', own)
  }
}

/**
 * The gradient-check explainer's check of `spec` (checkSpecGradients, seeded): a row per array with its
 * relative error. All elements of every array when `samples` is omitted (the small examples), otherwise
 * that many per array (a full-size network has too many weights). With `bug`, ReLU's backward is broken
 * for the duration of the check, to show what a wrong backward looks like.
 */
export function explainGradients(spec: NetSpec, seed: number, opts: ExplainOptions = {}): CheckResult {
  const { samples, bug = false, cancel } = opts
  const cancelled = cancel ? (): boolean => Atomics.load(cancel, 0) !== 0 : undefined
  if (cancelled?.()) return { ok: false, reason: 'cancelled' }
  const report = validateSpec(spec)
  // a language model's vocabulary comes from the text it trains on; the editor shows its absence as a warning
  if (report.issues.some((i) => i.code === 'vocab-missing' || i.code === 'vocab-pending')) return { ok: false, reason: 'vocab' }
  if (!report.ok || report.issues.some((i) => i.severity === 'error')) return { ok: false, reason: 'invalid' }
  // every element of every array costs two forward passes: all of them only for a small network
  if (report.totalMacs > EXPLAIN_MAX_MACS || (samples === undefined && report.totalParams > GRADCHECK_MAX_PARAMS)) return { ok: false, reason: 'too-large' }
  const sizes = new Map<string, number>()
  sizes.set('x', 2 * sizeOf(spec.input)) // checkSpecGradients' batch of 2
  for (const l of report.layers) for (const [p, shape] of Object.entries(l.paramShapes)) sizes.set(`${l.name}.${p}`, sizeOf(shape))
  try {
    const check = (): SpecGradientReport => checkSpecGradients(spec, { seed, samples: samples ?? Number.MAX_SAFE_INTEGER, cancelled })
    const r = bug ? withReluBug(check) : check()
    const rows = r.results.map((c): CheckRow => {
      const size = sizes.get(c.name) ?? 0
      return {
        name: c.name, size, checked: samples === undefined ? size : Math.min(size, samples),
        relError: c.relError, tooSmall: c.tooSmall, numeric: c.numeric, analytic: c.analytic,
        elementError: c.elementError, meanAbs: c.meanAbs, verdict: verdict(c.relError, c.tooSmall, c.withinNoise)
      }
    })
    return { ok: true, rows, allAgree: rows.every((x) => x.verdict !== 'bad'), train: r.train, sampled: samples !== undefined, bug, layers: layerGradients(rows) }
  } catch (e) {
    if (e instanceof CheckCancelled) return { ok: false, reason: 'cancelled' }
    return { ok: false, reason: 'failed', detail: e instanceof Error ? e.message : String(e) }
  }
}
