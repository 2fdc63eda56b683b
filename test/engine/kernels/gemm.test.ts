import { describe, expect, it } from 'vitest'
import { Rng } from '../../../src-engine/rng'
import { gemm, gemmBlocked, setGemm, type GemmFn } from '../../../src-engine/kernels/gemm'
import { gemmNaive } from '../../../src-engine/kernels/gemm-naive'
import { expectClose } from '../../helpers'

function rand(rng: Rng, n: number): Float32Array {
  const a = new Float32Array(n)
  for (let i = 0; i < n; i++) a[i] = rng.next() * 2 - 1
  return a
}

// Odd sizes, sizes below one micro-tile, and sizes that cross the MC=128 / KC=256 block edges.
const shapes: [number, number, number][] = [
  [1, 1, 1], [3, 5, 7], [4, 4, 4], [5, 3, 1], [17, 13, 29], [33, 65, 9], [130, 7, 260], [9, 131, 300], [129, 67, 257]
]

describe('gemm (blocked) agrees with the triple-loop oracle', () => {
  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      it(`for transA=${transA}, transB=${transB} on odd and block-crossing shapes`, () => {
        const rng = new Rng(1)
        for (const [M, N, K] of shapes) {
          const A = rand(rng, M * K)
          const B = rand(rng, K * N)
          const C = rand(rng, M * N) // garbage that must be overwritten
          const ref = new Float32Array(M * N)
          gemmBlocked(C, A, B, M, N, K, { transA, transB })
          gemmNaive(ref, A, B, M, N, K, { transA, transB })
          expectClose(C, ref, 1e-5 * Math.sqrt(K), 1e-5)
        }
      })
    }
  }

  it('accumulates into C when asked', () => {
    const rng = new Rng(2)
    const [M, N, K] = [19, 23, 300]
    const A = rand(rng, M * K)
    const B = rand(rng, N * K)
    const C0 = rand(rng, M * N)
    const C = C0.slice()
    const ref = C0.slice()
    gemmBlocked(C, A, B, M, N, K, { transB: true, accumulate: true })
    gemmNaive(ref, A, B, M, N, K, { transB: true, accumulate: true })
    expectClose(C, ref, 1e-4, 1e-5)
    expect(C[0]).not.toBe(0)
  })

  it('computes a known 2×3 · 3×2 product exactly', () => {
    const C = new Float32Array(4)
    gemmBlocked(C, Float32Array.from([1, 2, 3, 4, 5, 6]), Float32Array.from([7, 8, 9, 10, 11, 12]), 2, 2, 3)
    expect(Array.from(C)).toEqual([58, 64, 139, 154])
  })

  it('handles K = 0 as an empty sum', () => {
    const C = Float32Array.from([5, 5])
    gemmBlocked(C, new Float32Array(0), new Float32Array(0), 1, 2, 0)
    expect(Array.from(C)).toEqual([0, 0])
  })

  it('delegates to the implementation installed with setGemm', () => {
    let calls = 0
    const spy: GemmFn = (...args) => { calls++; gemmNaive(...args) }
    const prev = setGemm(spy)
    try {
      const C = new Float32Array(1)
      gemm(C, Float32Array.from([2]), Float32Array.from([3]), 1, 1, 1)
      expect(C[0]).toBe(6)
      expect(calls).toBe(1)
    } finally {
      setGemm(prev)
    }
  })
})
