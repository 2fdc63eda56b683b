/**
 * The GEMM the layers call (kernels/gemm.ts gemm()): the WebAssembly kernel when the runtime has SIMD,
 * with its few-rows path for batch-1 inference, checked against the naive oracle on odd shapes, with
 * operands inside and outside engine memory and at non-zero offsets.
 */
import { describe, expect, it } from 'vitest'
import { gemm, gemmBackend, gemmBlocked, gemmPrepacked, kernelArray, prepackB, setGemm } from '../../../src-engine/kernels/gemm'
import { gemmNaive } from '../../../src-engine/kernels/gemm-naive'
import { Rng } from '../../../src-engine/rng'

function random(n: number, rng: Rng): Float32Array {
  const a = new Float32Array(n)
  for (let i = 0; i < n; i++) a[i] = rng.next() * 2 - 1
  return a
}

function expectClose(got: Float32Array, want: Float32Array, K: number): void {
  const tol = 1e-5 * Math.sqrt(K) + 1e-6
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= tol * Math.max(1, Math.abs(want[i])))) expect.fail(`C[${i}] = ${got[i]}, expected ${want[i]}`)
  }
}

describe('engine gemm()', () => {
  it('uses the WebAssembly kernel on Node 20 (SIMD; relaxed SIMD only behind a flag)', () => {
    expect(['wasm-simd', 'wasm-relaxed-simd']).toContain(gemmBackend())
  })

  it('allocates kernel arrays in engine memory, zeroed', () => {
    const a = kernelArray(1000)
    expect(a.length).toBe(1000)
    expect(a.buffer).toBeInstanceOf(SharedArrayBuffer)
    expect(a.every((v) => v === 0)).toBe(true)
  })

  // few rows (batch-1 inference path), odd sizes, vector widths ± 1
  const shapes: [number, number, number][] = [
    [1, 1, 1], [1, 100, 4320], [1, 3, 5], [2, 7, 9], [3, 4, 4], [4, 5, 3], [4, 33, 17], [5, 9, 13], [1, 576, 25], [6, 8, 1], [7, 1, 8]
  ]
  for (const [M, N, K] of shapes) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        for (const accumulate of [false, true]) {
          it(`matches the naive oracle: M=${M} N=${N} K=${K} transA=${transA} transB=${transB} accumulate=${accumulate}`, () => {
            const rng = new Rng(M * 7919 + N * 31 + K)
            const A = random(M * K, rng), B = random(K * N, rng), C0 = random(M * N, rng)
            const want = C0.slice()
            gemmNaive(want, A, B, M, N, K, { transA, transB, accumulate })
            // operands outside engine memory (copied in and out)
            const C1 = C0.slice()
            gemm(C1, A, B, M, N, K, { transA, transB, accumulate })
            expectClose(C1, want, K)
            // operands in engine memory at odd offsets (read and written in place)
            const big = kernelArray(3 + M * K + K * N + M * N + 5)
            const a = big.subarray(3, 3 + M * K), b = big.subarray(3 + M * K, 3 + M * K + K * N)
            const c = big.subarray(3 + M * K + K * N, 3 + M * K + K * N + M * N)
            a.set(A); b.set(B); c.set(C0)
            gemm(c, a, b, M, N, K, { transA, transB, accumulate })
            expectClose(c, want, K)
            // the TypeScript fallback agrees too
            const C2 = C0.slice()
            const prev = setGemm(gemmBlocked)
            try {
              gemm(C2, A, B, M, N, K, { transA, transB, accumulate })
            } finally {
              setGemm(prev)
            }
            expectClose(C2, want, K)
          })
        }
      }
    }
  }

  // prepacked B (an LSTM's Wh reused at every step): several K slabs (KC = 256) and N slabs (NC = 2048)
  const packedShapes: [number, number, number][] = [[32, 1024, 256], [7, 2100, 300], [13, 17, 19], [64, 512, 128], [5, 9, 600], [2, 30, 70]]
  for (const [M, N, K] of packedShapes) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        it(`prepacked B matches the oracle: M=${M} N=${N} K=${K} transA=${transA} transB=${transB}`, () => {
          const rng = new Rng(M + N * 3 + K * 7)
          const A = random(M * K, rng), B = random(K * N, rng), C0 = random(M * N, rng)
          let packed = prepackB(B, K, N, transB)
          for (const accumulate of [false, true]) {
            const want = C0.slice()
            gemmNaive(want, A, B, M, N, K, { transA, transB, accumulate })
            const C = C0.slice()
            gemmPrepacked(C, A, packed, M, { transA, accumulate })
            expectClose(C, want, K)
          }
          // packing again into the same memory after B changed uses the new values
          const B2 = random(K * N, rng)
          packed = prepackB(B2, K, N, transB, packed)
          const want = new Float32Array(M * N)
          gemmNaive(want, A, B2, M, N, K, { transA, transB })
          const C = new Float32Array(M * N)
          gemmPrepacked(C, A, packed, M, { transA })
          expectClose(C, want, K)
        })
      }
    }
  }
})
