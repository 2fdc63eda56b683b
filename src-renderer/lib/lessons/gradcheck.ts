/**
 * Data layer of the gradient-check explainer: the engine's own check (train/gradient-check-spec.ts,
 * the one the worker's `gradcheck` runs) on a small example network or on the network in the editor.
 * Every array (the input x, then each layer's parameters) gets a row: the relative error between
 * backpropagation and central differences, and the worst element's two values.
 */
import type { NetSpec } from '../../../src-engine/spec-types'
import { validateSpec } from '../../../src-engine/spec'
import { checkSpecGradients } from '../../../src-engine/train/gradient-check-spec'
import { Relu } from '../../../src-engine/layers/relu'

/**
 * How a relative error reads in float32 with h = 1e-3: below GOOD the two gradients agree; up to
 * FAIR they agree as far as float32 rounding and ReLU / max-pooling kinks allow (a perturbation that
 * crosses a kink bends the difference quotient); above FAIR backward() is almost certainly wrong.
 */
export const GOOD = 1e-3
export const FAIR = 5e-2
export type Verdict = 'good' | 'fair' | 'bad' | 'small'

export function verdict(relError: number, tooSmall: boolean): Verdict {
  if (tooSmall) return 'small'
  return relError < GOOD ? 'good' : relError < FAIR ? 'fair' : 'bad'
}

/** Multiply-adds per example above which the editor's network is too slow to check on the page. */
export const MAX_MACS = 12_000_000

export type CheckExample = 'mlp' | 'cnn' | 'lstm'

/** Small networks, one per kind of layer the course teaches, each checked element by element. */
export const CHECK_EXAMPLES: Record<CheckExample, NetSpec> = {
  mlp: { input: [4], layers: [{ type: 'Affine', units: 5 }, { type: 'Relu' }, { type: 'Affine', units: 3 }, { type: 'SoftmaxWithLoss' }] },
  cnn: {
    input: [1, 6, 6],
    layers: [
      { type: 'Convolution', filters: 2, kernel: 3, pad: 1 }, { type: 'Relu' }, { type: 'Pooling', mode: 'max', size: 2, stride: 2 },
      { type: 'Affine', units: 3 }, { type: 'SoftmaxWithLoss' }
    ]
  },
  lstm: { input: [5, 3], layers: [{ type: 'TimeLSTM', hidden: 4 }, { type: 'LastTimeStep' }, { type: 'Affine', units: 3 }, { type: 'SoftmaxWithLoss' }] }
}

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
  verdict: Verdict
}

export type CheckResult =
  | { ok: true; rows: CheckRow[]; allAgree: boolean; train: boolean; sampled: boolean; bug: boolean }
  | { ok: false; reason: 'invalid' | 'vocab' | 'too-large' | 'failed'; detail?: string }

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
 * Checks `spec` with a fixed seed. All elements of every array when `samples` is omitted (the small
 * examples), otherwise that many per array (a full-size network has too many weights). With `bug`,
 * ReLU's backward is broken for the duration of the check, to show what a wrong backward looks like.
 */
export function checkGradients(spec: NetSpec, samples?: number, bug = false): CheckResult {
  const report = validateSpec(spec)
  // a language model's vocabulary comes from the text it trains on; the editor shows its absence as a warning
  if (report.issues.some((i) => i.code === 'vocab-missing' || i.code === 'vocab-pending')) return { ok: false, reason: 'vocab' }
  if (!report.ok || report.issues.some((i) => i.severity === 'error')) return { ok: false, reason: 'invalid' }
  if (report.totalMacs > MAX_MACS) return { ok: false, reason: 'too-large' }
  const sizes = new Map<string, number>()
  sizes.set('x', spec.input.reduce((a, b) => a * b, 2))
  for (const l of report.layers) for (const [p, shape] of Object.entries(l.paramShapes)) sizes.set(`${l.name}.${p}`, shape.reduce((a, b) => a * b, 1))
  try {
    const check = (): ReturnType<typeof checkSpecGradients> => checkSpecGradients(spec, { seed: 1, samples: samples ?? Number.MAX_SAFE_INTEGER })
    const r = bug ? withReluBug(check) : check()
    const rows = r.results.map((c): CheckRow => {
      const size = sizes.get(c.name) ?? 0
      return {
        name: c.name, size, checked: samples === undefined ? size : Math.min(size, samples),
        relError: c.relError, tooSmall: c.tooSmall, numeric: c.numeric, analytic: c.analytic,
        verdict: verdict(c.relError, c.tooSmall)
      }
    })
    return { ok: true, rows, allAgree: rows.every((x) => x.verdict !== 'bad'), train: r.train, sampled: samples !== undefined, bug }
  } catch (e) {
    return { ok: false, reason: 'failed', detail: e instanceof Error ? e.message : String(e) }
  }
}
