/**
 * GEMM throughput of the blocked TypeScript kernel on square sizes (single thread).
 * Run: node --experimental-strip-types bench/gemm-gflops.ts  (or npx tsx / vite-node)
 */
import { gemmBlocked } from '../src-engine/kernels/gemm'
import { gemmNaive } from '../src-engine/kernels/gemm-naive'

function fill(a: Float32Array, seed: number): Float32Array {
  let s = seed
  for (let i = 0; i < a.length; i++) {
    s = (s * 1664525 + 1013904223) >>> 0
    a[i] = s / 4294967296 - 0.5
  }
  return a
}

function gflops(n: number, fn: typeof gemmBlocked, minSeconds: number, opts = {}): number {
  const A = fill(new Float32Array(n * n), 1)
  const B = fill(new Float32Array(n * n), 2)
  const C = new Float32Array(n * n)
  fn(C, A, B, n, n, n, opts) // warm-up / JIT
  let reps = 0
  const t0 = performance.now()
  let t = t0
  while (t - t0 < minSeconds * 1000) {
    fn(C, A, B, n, n, n, opts)
    reps++
    t = performance.now()
  }
  return (2 * n * n * n * reps) / ((t - t0) / 1000) / 1e9
}

const sizes = process.argv.slice(2).map(Number).filter((x) => x > 0)
for (const n of sizes.length > 0 ? sizes : [256, 512, 1024]) {
  const fast = gflops(n, gemmBlocked, 1.5)
  const tA = gflops(n, gemmBlocked, 0.5, { transA: true })
  const tB = gflops(n, gemmBlocked, 0.5, { transB: true })
  const naive = n <= 512 ? gflops(n, gemmNaive, 0.5) : NaN
  console.log(JSON.stringify({
    n, gflops: +fast.toFixed(2), transA: +tA.toFixed(2), transB: +tB.toFixed(2),
    naive: Number.isNaN(naive) ? null : +naive.toFixed(2)
  }))
}
