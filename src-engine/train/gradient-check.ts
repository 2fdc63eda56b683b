/**
 * Gradient checking by central differences, as the course teaches:
 *   ∂L/∂x ≈ (L(x + h) − L(x − h)) / 2h
 * For one layer the scalar is L = Σ out·dout (so ∂L/∂out = dout), accumulated in float64; for a
 * whole network it is the loss. Tests use it on every layer; the UI shows its numbers to learners.
 *
 * Float32 storage rounds x ± h, so the difference is divided by the perturbation actually stored,
 * not by the nominal 2h. With float32 forward passes, h ≈ 1e-3 balances rounding against truncation.
 */
import type { Tensor } from '../tensor'
import { Rng } from '../rng'
import type { Layer, LossLayer } from '../layers/layer'

/**
 * One compared array: the relative error ‖num − ana‖ / max(‖num‖ + ‖ana‖, floor·√n) and the worst
 * element. `floor` is the float32 noise of a central difference (a couple of ulps of the loss / h).
 */
export interface GradientComparison {
  /** "x" for the input, otherwise "<layer>.<param>" (or the param name for a single layer). */
  name: string
  relError: number
  /**
   * True when the gradient is below float32 noise (‖num‖ + ‖ana‖ < floor·√n): the check cannot
   * tell right from wrong here; make the inputs or weights larger to check this array.
   */
  tooSmall: boolean
  /**
   * ‖num − ana‖ is within the float32 noise of the central differences (floor·√n): however large the relative
   * error, rounding alone could make it, so it is no evidence of a wrong backward (a vanishing gradient near the noise).
   */
  withinNoise: boolean
  maxAbsError: number
  worstIndex: number
  numeric: number
  analytic: number
  /**
   * The worst element's own relative error, |num − ana| / max(|num| + |ana|, floor): the absolute floor (one
   * element's float32 noise) keeps two values that are both (near) zero from reading as a 100 % disagreement.
   */
  elementError: number
  /** Mean |backprop gradient| over the whole array (every element, not only the compared ones). */
  meanAbs: number
}

export interface GradientReport {
  /** The input gradient first, then every parameter in order. */
  results: GradientComparison[]
  /** The largest relative error among them. */
  maxRelError: number
}

/**
 * (f(x + h) − f(x − h)) / (the two values x[i] took): the central difference at element i of x, which is put back
 * afterwards, also when f throws (a cancelled check). Dividing by the values as stored, not by 2h, keeps float32
 * rounding of x[i] ± h out of the quotient.
 */
function centralDifference(f: () => number, x: Float32Array | Float64Array, i: number, h: number): number {
  const keep = x[i]
  try {
    x[i] = keep + h
    const up = x[i]
    const fUp = f()
    x[i] = keep - h
    const down = x[i]
    const fDown = f()
    return (fUp - fDown) / (up - down)
  } finally {
    x[i] = keep
  }
}

/** Central-difference gradient of f with respect to every element of x (x is restored afterwards). */
export function numericalGradient(f: () => number, x: Float32Array | Float64Array, h = 1e-4): Float64Array {
  const grad = new Float64Array(x.length)
  for (let i = 0; i < x.length; i++) grad[i] = centralDifference(f, x, i, h)
  return grad
}

/**
 * Central differences at the chosen `indices` of x only (a whole network has too many weights to
 * perturb them all in the UI); element k of the result belongs to x[indices[k]].
 */
export function numericalGradientAt(
  f: () => number, x: Float32Array | Float64Array, indices: ArrayLike<number>, h = 1e-4
): Float64Array {
  const grad = new Float64Array(indices.length)
  for (let k = 0; k < indices.length; k++) grad[k] = centralDifference(f, x, indices[k], h)
  return grad
}

/** Compares a numeric and an analytic gradient; `floor` is the noise level of one numeric element. */
export function compareGradients(name: string, numeric: ArrayLike<number>, analytic: ArrayLike<number>, floor = 0): GradientComparison {
  let diff2 = 0
  let num2 = 0
  let ana2 = 0
  let maxAbs = 0
  let worst = 0
  for (let i = 0; i < numeric.length; i++) {
    const d = numeric[i] - analytic[i]
    diff2 += d * d
    num2 += numeric[i] * numeric[i]
    ana2 += analytic[i] * analytic[i]
    if (Math.abs(d) > maxAbs) {
      maxAbs = Math.abs(d)
      worst = i
    }
  }
  const scale = Math.sqrt(num2) + Math.sqrt(ana2)
  const noise = floor * Math.sqrt(numeric.length)
  const denom = Math.max(scale, noise)
  return {
    name,
    relError: denom === 0 ? 0 : Math.sqrt(diff2) / denom,
    tooSmall: scale < noise,
    withinNoise: Math.sqrt(diff2) <= noise,
    maxAbsError: maxAbs,
    worstIndex: worst,
    numeric: numeric.length > 0 ? numeric[worst] : 0,
    analytic: numeric.length > 0 ? analytic[worst] : 0,
    elementError: numeric.length > 0 ? elementError(numeric[worst], analytic[worst], floor) : 0,
    meanAbs: meanAbs(analytic)
  }
}

/**
 * One element's relative error with an absolute floor: |a − b| / max(|a| + |b|, floor). Without the floor, a
 * vanished gradient (backprop 0, central difference a rounding crumb of 10⁻⁹) reads 1, a complete disagreement,
 * where the two are equal to float32's precision; `floor` is that precision for one central difference.
 */
export function elementError(a: number, b: number, floor: number): number {
  const denom = Math.max(Math.abs(a) + Math.abs(b), floor)
  return denom === 0 ? 0 : Math.abs(a - b) / denom
}

/** Mean absolute value of an array (0 when empty). */
function meanAbs(v: ArrayLike<number>): number {
  let s = 0
  for (let i = 0; i < v.length; i++) s += Math.abs(v[i])
  return v.length > 0 ? s / v.length : 0
}

/**
 * Noise of one central-difference element when the loss is about `scale` in float32: two ulps
 * (2·2⁻²³ relative) of the loss, divided by h.
 */
export function numericNoise(scale: number, h: number): number {
  return (2 * 2 ** -23 * Math.abs(scale)) / h
}

function report(results: GradientComparison[]): GradientReport {
  return { results, maxRelError: results.reduce((m, r) => Math.max(m, r.relError), 0) }
}

export interface CheckOptions {
  /** Perturbation (default 1e-3). */
  h?: number
  /** Forward in training mode (default true). */
  train?: boolean
  /** Check at most this many randomly chosen elements of each array (default: all of them). */
  samples?: number
  /** Seed for choosing the sampled elements (default 1). */
  seed?: number
  /** Leave the input out (network check only): token ids cannot be perturbed. */
  skipInput?: boolean
  /** Network check only: asked before every forward pass; when it says true the check stops with CheckCancelled. */
  cancelled?: () => boolean
}

/** Thrown out of a network check whose `cancelled` said true (the learner cancelled it); nothing is left changed. */
export class CheckCancelled extends Error {
  constructor() {
    super('the gradient check was cancelled')
    this.name = 'CheckCancelled'
  }
}

/** Which elements of an array of `n` to check: all, or `samples` distinct ones drawn from rng. */
function pick(n: number, samples: number | undefined, rng: Rng): Int32Array {
  const all = Int32Array.from({ length: n }, (_, i) => i)
  if (samples === undefined || samples >= n) return all
  // a partial Fisher–Yates shuffle: the first `samples` entries are a uniform random subset
  for (let i = 0; i < samples; i++) {
    const j = i + rng.int(n - i)
    const t = all[i]
    all[i] = all[j]
    all[j] = t
  }
  return all.slice(0, samples)
}

/** Numeric vs analytic at the picked elements of one array. */
function compareAt(
  name: string, L: () => number, x: Float32Array, analytic: Float64Array, h: number, floor: number, opts: CheckOptions, rng: Rng
): GradientComparison {
  const idx = pick(x.length, opts.samples, rng)
  const numeric = numericalGradientAt(L, x, idx, h)
  const ana = Float64Array.from(idx, (i) => analytic[i])
  const c = compareGradients(name, numeric, ana, floor)
  // the size of the gradient is the whole array's, also when only a sample of it was compared
  return { ...c, worstIndex: idx.length > 0 ? idx[c.worstIndex] : 0, meanAbs: meanAbs(analytic) }
}

/**
 * Checks a layer's backward against central differences of L = Σ forward(x)·dout, for x and for
 * every parameter. x and dout are not changed (x is perturbed and restored).
 */
export function checkLayerGradients(layer: Layer, x: Tensor, dout: Tensor, opts: CheckOptions = {}): GradientReport {
  const h = opts.h ?? 1e-3
  const train = opts.train ?? true
  const out0 = layer.forward(x, train).data
  // the scale of L's rounding error is Σ|out·dout|, not |L|, which may cancel to near zero
  let scale = 0
  for (let i = 0; i < out0.length; i++) scale += Math.abs(out0[i] * dout.data[i])
  const floor = numericNoise(scale, h)
  const dx = Float64Array.from(layer.backward(dout).data)
  const dParams = layer.grads.map((g) => Float64Array.from(g.data))
  const L = (): number => {
    const out = layer.forward(x, train).data
    let s = 0
    for (let i = 0; i < out.length; i++) s += out[i] * dout.data[i]
    return s
  }
  const rng = new Rng(opts.seed ?? 1)
  const results = [compareAt('x', L, x.data, dx, h, floor, opts, rng)]
  layer.params.forEach((p, k) => {
    results.push(compareAt(layer.paramNames[k], L, p.data, dParams[k], h, floor, opts, rng))
  })
  return report(results)
}

/**
 * Checks a whole network (layers, then a loss layer) against central differences of its loss,
 * for the input and every parameter ("<layer>.<param>"). For a full-size network pass
 * `samples` (e.g. 20): each check costs two forward passes.
 */
export function checkNetworkGradients(
  layers: readonly Layer[], loss: LossLayer, x: Tensor, t: Tensor, opts: CheckOptions = {}
): GradientReport {
  const h = opts.h ?? 1e-3
  const train = opts.train ?? true
  const cancelled = opts.cancelled
  const L = (): number => {
    // polled per forward pass (two per element checked): an element's perturbation is undone before the next
    if (cancelled?.()) throw new CheckCancelled()
    let out = x
    for (const layer of layers) out = layer.forward(out, train)
    return loss.forward(out, t)
  }
  const floor = numericNoise(L(), h)
  let d = loss.backward()
  for (let i = layers.length - 1; i >= 0; i--) d = layers[i].backward(d)
  const dx = Float64Array.from(d.data)
  const analytic = layers.map((layer) => layer.grads.map((g) => Float64Array.from(g.data)))
  const rng = new Rng(opts.seed ?? 1)
  const results = opts.skipInput === true ? [] : [compareAt('x', L, x.data, dx, h, floor, opts, rng)]
  layers.forEach((layer, li) => {
    layer.params.forEach((p, k) => {
      results.push(compareAt(`${layer.name}.${layer.paramNames[k]}`, L, p.data, analytic[li][k], h, floor, opts, rng))
    })
  })
  return report(results)
}
