/**
 * GEMM throughput on square sizes, one thread: the engine's gemm() (the WebAssembly SIMD kernel where
 * available; `npm run bench` measures it as W5), then the blocked TypeScript kernel in every transpose
 * variant, against the naive triple loop. Each figure is the best of several runs, timed by this
 * process's own CPU time (process.cpuUsage), so other processes on a shared machine distort it
 * much less than wall-clock time would.
 * Run: node --experimental-wasm-relaxed-simd node_modules/jiti/lib/jiti-cli.mjs bench/gemm-gflops.ts [sizes…]
 * (default 256 512 1024; without the flag Node 20 uses plain SIMD)
 */
import { gemm, gemmBackend, gemmBlocked, kernelArray, type GemmOptions } from '../src-engine/kernels/gemm'
import { gemmNaive } from '../src-engine/kernels/gemm-naive'
import { Rng } from '../src-engine/rng'

function rand(n: number, rng: Rng, alloc: (n: number) => Float32Array): Float32Array {
  const a = alloc(n)
  for (let i = 0; i < n; i++) a[i] = rng.next() - 0.5
  return a
}

/** Best GFLOPS over `runs` timed calls after one warm-up call. */
function bestGflops(n: number, fn: typeof gemmBlocked, runs: number, opts: GemmOptions = {}, alloc: (k: number) => Float32Array = (k) => new Float32Array(k)): number {
  const rng = new Rng(n)
  const A = rand(n * n, rng, alloc)
  const B = rand(n * n, rng, alloc)
  const C = alloc(n * n)
  fn(C, A, B, n, n, n, opts)
  let best = Infinity
  for (let r = 0; r < runs; r++) {
    const t0 = process.cpuUsage()
    fn(C, A, B, n, n, n, opts)
    const t = process.cpuUsage(t0)
    best = Math.min(best, (t.user + t.system) / 1000)
  }
  return (2 * n * n * n) / (best / 1000) / 1e9
}

console.log(`engine gemm: ${gemmBackend()}; the other columns are the TypeScript kernel`)
const sizes = process.argv.slice(2).map(Number).filter((x) => x > 0)
for (const n of sizes.length > 0 ? sizes : [256, 512, 1024]) {
  const runs = n <= 256 ? 20 : n <= 512 ? 8 : 3
  const row = {
    n,
    // operands in engine memory, as layer buffers are: the WebAssembly kernel reads them without copies
    engine: bestGflops(n, gemm, runs, {}, kernelArray),
    gflops: bestGflops(n, gemmBlocked, runs),
    transA: bestGflops(n, gemmBlocked, runs, { transA: true }),
    transB: bestGflops(n, gemmBlocked, runs, { transB: true }),
    transAB: bestGflops(n, gemmBlocked, runs, { transA: true, transB: true }),
    naive: n <= 512 ? bestGflops(n, gemmNaive, 2) : null
  }
  console.log(JSON.stringify(row, (_k, v: unknown) => (typeof v === 'number' ? +v.toFixed(2) : v)))
}
