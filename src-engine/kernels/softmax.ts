/**
 * Row-wise softmax and cross-entropy kernels. Softmax subtracts each row's maximum first, so
 * large scores do not overflow exp (the course's "countermeasure against overflow").
 */

/** probs (N, C) = softmax of each row of x (N, C). */
export function softmaxForward(probs: Float32Array, x: Float32Array, N: number, C: number): void {
  for (let n = 0; n < N; n++) {
    const row = n * C
    let max = -Infinity
    for (let c = 0; c < C; c++) if (x[row + c] > max) max = x[row + c]
    let sum = 0
    for (let c = 0; c < C; c++) {
      const e = Math.exp(x[row + c] - max)
      probs[row + c] = e
      sum += e
    }
    const inv = 1 / sum
    for (let c = 0; c < C; c++) probs[row + c] *= inv
  }
}

/** The course's epsilon inside the log, so that a zero probability gives a large, finite loss. */
export const CROSS_ENTROPY_EPS = 1e-7

/**
 * Mean cross-entropy over N rows: −(1/N) Σ log(probs[n, t[n]] + eps), with t (N) class indices.
 * Accumulated in float64.
 */
export function crossEntropyIndices(probs: Float32Array, t: Float32Array, N: number, C: number): number {
  let sum = 0
  for (let n = 0; n < N; n++) sum += Math.log(probs[n * C + t[n]] + CROSS_ENTROPY_EPS)
  return -sum / N
}

/** Mean cross-entropy with targets shaped like probs (one-hot or soft): −(1/N) Σ t·log(p + eps). */
export function crossEntropyDense(probs: Float32Array, t: Float32Array, N: number, C: number): number {
  let sum = 0
  for (let i = 0; i < N * C; i++) if (t[i] !== 0) sum += t[i] * Math.log(probs[i] + CROSS_ENTROPY_EPS)
  return -sum / N
}
