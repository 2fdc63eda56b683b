/**
 * The reference GEMM: a plain triple loop, kept beside the fast one so tests can compare them.
 * Same signature and layout conventions as gemm() in gemm.ts.
 */
import type { GemmOptions } from './gemm'

/** C (M, N) = op(A) (M, K) · op(B) (K, N), plus C if opts.accumulate. Row-major. */
export function gemmNaive(
  C: Float32Array, A: Float32Array, B: Float32Array, M: number, N: number, K: number, opts: GemmOptions = {}
): void {
  const { transA = false, transB = false, accumulate = false } = opts
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let sum = 0
      for (let p = 0; p < K; p++) {
        const a = transA ? A[p * M + i] : A[i * K + p]
        const b = transB ? B[j * K + p] : B[p * N + j]
        sum += a * b
      }
      C[i * N + j] = accumulate ? C[i * N + j] + sum : sum
    }
  }
}
