/**
 * In-process A/B of the two-thread W5 schedules (bench/lib/parallel-gemm.ts): the column parts against the row
 * blocks on the same operands, alternating round by round, each round's two figures beside a two-thread
 * FMA-only probe window taken between them, so that the machine's drift from second to second cancels.
 * Prints each round and the medians of the ratios to the probe. A guide beside the W5 lab pairs, not a W5 figure.
 * Run (exclusive bench lock): bundle this file with rolldown, then
 *   node --experimental-wasm-relaxed-simd <bundle> [n=1024] [rounds=16] [threads=2]
 */
import { isMainThread, workerData } from 'node:worker_threads'
import { gemmOperand, parallelGemm, runTileWorker, type TileInit } from './lib/parallel-gemm'
import { Rng } from '../src-engine/rng'

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

async function main(): Promise<void> {
  const [n = 1024, rounds = 16, threads = 2] = process.argv.slice(2).map(Number)
  const pg = await parallelGemm(threads, __filename)
  const rng = new Rng(5)
  const A = gemmOperand(n * n), B = gemmOperand(n * n), C = gemmOperand(n * n)
  for (let i = 0; i < n * n; i++) {
    A[i] = rng.next() - 0.5
    B[i] = rng.next() - 0.5
  }
  const calls = Math.max(3, Math.round(2e9 / (2 * n * n * n)))
  const gflops = (columns: boolean): number => {
    pg.columnParts(columns)
    pg.gemm(C, A, B, n, n, n)
    const t0 = performance.now()
    for (let c = 0; c < calls; c++) pg.gemm(C, A, B, n, n, n)
    return (2 * n * n * n * calls) / ((performance.now() - t0) / 1000) / 1e9
  }
  pg.fmaPeak(300, 200_000)
  const cols: number[] = [], rows: number[] = []
  let wins = 0
  for (let r = 0; r < rounds; r++) {
    const first = r % 2 === 0
    const a = gflops(first)
    const peak = pg.fmaPeak(250, 200_000)!.gflops
    const b = gflops(!first)
    const [c, w] = first ? [a, b] : [b, a]
    cols.push(c / peak)
    rows.push(w / peak)
    if (c > w) wins++
    console.log(`round ${r}: columns ${c.toFixed(1)} rows ${w.toFixed(1)} probe ${peak.toFixed(1)} (${(c / peak).toFixed(3)} / ${(w / peak).toFixed(3)})`)
  }
  console.log(`n=${n} threads=${threads}: columns ${median(cols).toFixed(3)} rows ${median(rows).toFixed(3)} of the probe (medians); columns faster in ${wins} of ${rounds}`)
  await pg.close()
}

if (!isMainThread && (workerData as { role?: string } | null)?.role === 'gemm-tile') runTileWorker(workerData as TileInit)
else void main()
