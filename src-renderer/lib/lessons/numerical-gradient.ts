/**
 * Data layer of the numerical-gradient explainer: the engine's numericalGradient (central
 * difference, as the gradient checker uses) on the course's f(x0, x1) = x0² + x1², and the error of
 * one derivative as the step h shrinks, computed in float32 like the engine's layers: large h →
 * truncation error (∝ h²), tiny h → rounding error (∝ ε/h).
 */
import { numericalGradient } from '../../../src-engine/train/gradient-check'

/** ∇f for f = x0² + x1², numerically, in float64 with h = 1e-4 (the course's setting). */
export function gradientOfSquares(at: readonly [number, number], h = 1e-4): [number, number] {
  const x = Float64Array.from(at)
  const g = numericalGradient(() => x[0] * x[0] + x[1] * x[1], x, h)
  return [g[0], g[1]]
}

const fr = Math.fround

/** Where the error plot differentiates: 1.3 as float32 stores it (its digits do not round off kindly). */
export const DEFAULT_X0 = fr(1.3)

/** The function of the error plot: f(x) = x³ in float32 arithmetic at x = x0 (exact f'(x0) = 3x0²). */
export function cube32(x: number): number {
  return fr(fr(x * x) * x)
}

export interface ErrorPoint {
  h: number
  numeric: number
  exact: number
  /** |numeric − exact|. */
  error: number
  /** The model of each part: truncation ≈ |f'''|·h²/6, rounding ≈ ε·|f|/h. */
  truncation: number
  rounding: number
}

/** f'(x0) for f = x³ by central difference with step h, float32 storage as in the engine. */
export function errorAt(h: number, x0 = DEFAULT_X0): ErrorPoint {
  const x = Float32Array.of(x0)
  const numeric = numericalGradient(() => cube32(x[0]), x, h)[0]
  const exact = 3 * x0 * x0
  const eps = 2 ** -24
  return {
    h, numeric, exact, error: Math.abs(numeric - exact),
    truncation: (6 * h * h) / 6,
    rounding: (eps * Math.abs(x0 ** 3)) / h
  }
}

/** Error over h = 10^from … 10^to (log-spaced, `n` points). */
export function errorCurve(from = -6, to = 0, n = 49, x0 = DEFAULT_X0): ErrorPoint[] {
  return Array.from({ length: n }, (_, i) => errorAt(10 ** (from + ((to - from) * i) / (n - 1)), x0))
}
