/**
 * The lab's side of `npm run bench`: one workload on N threads, one JSON line per metric (see
 * bench/lib/measure.mjs for the timing protocol and the line format). scripts/bench.mjs bundles this
 * file into out/bench/lab.cjs and runs it once per (workload, threads).
 *
 * Training uses the engine exactly as a run does: Sequential.fromSpec on the preset's spec, the
 * optimizer from makeOptimizer, and with threads > 1 the data-parallel replicas (train/data-parallel.ts)
 * — the replicas are this same bundle, started with workerData.role 'replica'. Data is synthetic
 * (uniform pixels, random labels or tokens): throughput does not depend on the values.
 *
 *   node out/bench/lab.cjs --workload W1 --threads 2 [--quick]
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads'
import { Rng } from '../src-engine/rng'
import { tensor, type Tensor } from '../src-engine/tensor'
import type { NetSpec } from '../src-engine/spec-types'
import { withVocab } from '../src-engine/spec'
import { presetById } from '../src-engine/models/presets'
import { Sequential } from '../src-engine/models/sequential'
import { makeOptimizer } from '../src-engine/optimizers'
import type { OptimizerName } from '../src-engine/protocol'
import { DataParallel } from '../src-engine/train/data-parallel'
import { runReplica } from '../src-engine/train/replica'
import { countCorrect } from '../src-engine/train/trainer'
import { gemm, wasmGemm } from '../src-engine/kernels/gemm'
import { gemmOperand, parallelGemm, runTileWorker, type ParallelGemm, type TileInit } from './lib/parallel-gemm'
// @ts-expect-error plain JavaScript module shared with the reference runners
import { budgetFrom, emit, measureGemm, measureLatency, measureRate, median, runnerArgs, WORKLOADS } from './lib/measure.mjs'

type WorkloadId = 'W1' | 'W2' | 'W3' | 'W4' | 'W5'
interface Budget { warmupMs: number; warmupSteps: number; windows: number; windowMs: number; windowSteps: number }

const self = __filename

function specFor(w: WorkloadId): NetSpec {
  const id = w === 'W1' ? 'simple-convnet' : w === 'W2' ? 'keras-cnn' : w === 'W3' ? 'row-lstm' : 'char-lstm'
  const spec = structuredClone(presetById(id)!.spec)
  return w === 'W4' ? withVocab(spec, WORKLOADS.W4.vocab) : spec
}

/** Synthetic batch: x (B, ...input) and targets — class indices, or next-token ids for W4. */
function syntheticBatch(w: WorkloadId, spec: NetSpec, B: number, rng: Rng): { x: Tensor; t: Tensor } {
  const x = tensor([B, ...spec.input])
  if (w === 'W4') {
    const V = WORKLOADS.W4.vocab as number
    for (let i = 0; i < x.data.length; i++) x.data[i] = rng.int(V)
    const t = tensor([B, spec.input[0]])
    for (let i = 0; i < t.data.length; i++) t.data[i] = rng.int(V)
    return { x, t }
  }
  for (let i = 0; i < x.data.length; i++) x.data[i] = rng.next()
  const t = tensor([B])
  for (let i = 0; i < B; i++) t.data[i] = rng.int(10)
  return { x, t }
}

async function trainWorkload(w: WorkloadId, threads: number, budget: Budget): Promise<void> {
  const cfg = WORKLOADS[w] as { batch: number; optimizer: OptimizerName; lr: number; unit: string }
  const spec = specFor(w)
  const model = Sequential.fromSpec(spec, new Rng(1))
  const opt = makeOptimizer(cfg.optimizer, cfg.lr)
  const { x, t } = syntheticBatch(w, spec, cfg.batch, new Rng(2))
  const loss = model.lossLayer!
  let dp: DataParallel | null = null
  if (threads > 1) {
    dp = await DataParallel.create({
      spec, threads, seed: 1, paramCount: model.paramCount,
      xPer: x.data.length / cfg.batch, tPer: t.data.length / cfg.batch, maxBatch: cfg.batch,
      spawn: (init) => new Worker(self, { workerData: init }),
      model, optimizer: cfg.optimizer
    })
  }
  const step = (): void => {
    if (dp) {
      // as the trainer does: forward/backward of the slices, then the update, during which the replicas start
      // the next batch (the same one here)
      dp.forwardBackward(model, x, t, (_s, _x, tt) => tt, w === 'W4' ? () => 0 : countCorrect)
      dp.update(model, opt, { x, t })
    } else {
      loss.forward(model.forward(x, true), t)
      model.backward()
      opt.update(model.params, model.grads)
    }
  }
  try {
    const r = await measureRate(step, cfg.batch, budget)
    emit({ workload: w, metric: 'train', system: 'lab', threads, value: r.value, cpu: r.cpu, unit: cfg.unit })
    if (dp) {
      const s = pairedSpeedup(threads, spec, cfg, x, t, step, budget)
      emit({ workload: w, metric: 'speedup', system: 'lab', threads, value: s.value, unit: '×', note: s.note })
    }
  } finally {
    await dp?.close()
  }
  if (w === 'W1' && threads === 1) {
    const x1 = tensor([1, ...spec.input], x.data.slice(0, x.data.length / cfg.batch))
    const r = await measureLatency(() => { model.forward(x1, false) }, budget)
    emit({ workload: w, metric: 'infer_b1', system: 'lab', threads, value: r.value, cpu: r.cpu, unit: 'ms' })
  }
}

/**
 * N threads ÷ one thread measured in alternating windows of the same process (a 1-thread model of its own
 * beside the data-parallel one): on a shared machine whose speed drifts by tens of per cent from one
 * second to the next, the ratio of two cells taken a minute apart says as much about the drift as about
 * the threads. Pairs are run one-two, two-one, one-two… so a steady drift cancels; the figure is the
 * median pair's ratio of images per second.
 */
function pairedSpeedup(
  threads: number, spec: NetSpec, cfg: { batch: number; optimizer: OptimizerName; lr: number },
  x: Tensor, t: Tensor, stepN: () => void, budget: Budget
): { value: number; note: string } {
  const model = Sequential.fromSpec(spec, new Rng(1))
  const opt = makeOptimizer(cfg.optimizer, cfg.lr)
  const loss = model.lossLayer!
  const step1 = (): void => {
    loss.forward(model.forward(x, true), t)
    model.backward()
    opt.update(model.params, model.grads)
  }
  for (let i = 0; i < Math.max(2, budget.warmupSteps); i++) step1()
  const windowMs = Math.max(budget.windowMs / 2, 1)
  const rate = (step: () => void): number => {
    let n = 0
    const t0 = performance.now()
    let el = 0
    do {
      step()
      n++
      el = performance.now() - t0
    } while (n < budget.windowSteps || el < windowMs)
    return (n * cfg.batch) / (el / 1000)
  }
  const pairs = Math.max(1, budget.windows + 1)
  const ratios: number[] = []
  for (let p = 0; p < pairs; p++) {
    if (p % 2 === 0) {
      const one = rate(step1)
      ratios.push(rate(stepN) / one)
    } else {
      const two = rate(stepN)
      ratios.push(two / rate(step1))
    }
  }
  const lo = Math.min(...ratios)
  const hi = Math.max(...ratios)
  return { value: median(ratios), note: `median of ${pairs} alternating 1-thread/${threads}-thread window pairs (${lo.toFixed(2)}–${hi.toFixed(2)})` }
}

async function gemmWorkload(threads: number, budget: Budget): Promise<void> {
  const rng = new Rng(5)
  const pg = threads > 1 ? await parallelGemm(threads, self) : null
  // BENCH_W5_COLUMNS=1: the column schedule (parallel-gemm.ts columnParts), for W5 pairs against the default
  if (process.env.BENCH_W5_COLUMNS === '1') pg?.columnParts(true)
  try {
    for (const n of WORKLOADS.W5.sizes as number[]) {
      // in engine memory, as a layer's buffers are (no copies into the kernel), and shared with the
      // threads of the 2-thread run, which read them in place
      const A = gemmOperand(n * n)
      const B = gemmOperand(n * n)
      const C = gemmOperand(n * n)
      for (let i = 0; i < n * n; i++) {
        A[i] = rng.next() - 0.5
        B[i] = rng.next() - 0.5
      }
      const metric = `gflops_${n}`
      const r = await measureGemm(pg ? () => pg.gemm(C, A, B, n, n, n) : () => gemm(C, A, B, n, n, n), n, budget)
      const bad = spotCheck(C, A, B, n)
      if (bad) emit({ workload: 'W5', metric, system: 'lab', threads, error: bad, unit: 'GFLOPS' })
      else emit({ workload: 'W5', metric, system: 'lab', threads, value: r.value, cpu: r.cpu, unit: 'GFLOPS', note: pg?.noteFor(n, n) })
    }
    // The ceiling of those figures on this machine, taken right after them with the same windows: an
    // FMA-only loop with the micro-kernel's instruction mix (wasm/probe.ts), on as many threads as the
    // products used, at the same time. On a shared host it moves by tens of per cent within seconds, and
    // the GEMM with it.
    const steps = 200_000
    if (pg) {
      const r = peakOnThreads(pg, steps, budget)
      if (r) emit({ workload: 'W5', metric: 'fma_peak', system: 'lab', threads, value: r.value, cpu: r.cpu, unit: 'GFLOPS', note: `FMA-only loop on ${threads} threads at once, summed` })
    } else {
      const kernel = wasmGemm()
      if (kernel !== null) {
        const r = await measureRate(() => kernel.fmaPeak(steps), (96 * steps) / 1e9, budget)
        emit({ workload: 'W5', metric: 'fma_peak', system: 'lab', threads, value: r.value, cpu: r.cpu, unit: 'GFLOPS' })
      }
    }
  } finally {
    await pg?.close()
  }
}

/**
 * fma_peak on several threads: after a warm-up, `budget.windows` windows of `budget.windowMs` in which every
 * thread runs the probe without pause; a window's figure is the threads' GFLOPS summed (and its flops per
 * CPU-second of the process); the median window. Null without the WebAssembly kernel.
 */
function peakOnThreads(pg: ParallelGemm, steps: number, budget: Budget): { value: number; cpu: number } | null {
  if (pg.fmaPeak(Math.max(budget.warmupMs, 100), steps) === null) return null
  const wall: number[] = []
  const cpu: number[] = []
  for (let w = 0; w < budget.windows; w++) {
    const c0 = process.cpuUsage()
    const r = pg.fmaPeak(Math.max(budget.windowMs, 100), steps)!
    const c = process.cpuUsage(c0)
    wall.push(r.gflops)
    cpu.push(r.flops / ((c.user + c.system) / 1e6) / 1e9)
  }
  return { value: median(wall), cpu: median(cpu) }
}

/** A fast product that is wrong is no result: 64 entries of C, spread over every row block, against float64 dot products. */
function spotCheck(C: Float32Array, A: Float32Array, B: Float32Array, n: number): string | null {
  const rng = new Rng(n + 1)
  for (let s = 0; s < 64; s++) {
    const i = s === 0 ? 0 : s === 1 ? n - 1 : rng.int(n)
    const j = rng.int(n)
    let want = 0
    let scale = 0
    for (let k = 0; k < n; k++) {
      want += A[i * n + k] * B[k * n + j]
      scale += Math.abs(A[i * n + k] * B[k * n + j])
    }
    if (!(Math.abs(C[i * n + j] - want) <= 1e-4 * scale + 1e-6)) return `wrong product: C[${i}, ${j}] = ${C[i * n + j]}, expected ${want}`
  }
  return null
}

async function main(): Promise<void> {
  const args = runnerArgs(process.argv.slice(2)) as { workload: WorkloadId; threads: number }
  const budget = budgetFrom(process.argv.slice(2)) as Budget
  if (args.workload === 'W5') await gemmWorkload(args.threads, budget)
  else await trainWorkload(args.workload, args.threads, budget)
}

const role = (workerData as { role?: string } | null)?.role
if (!isMainThread && role === 'replica') {
  runReplica(workerData, () => parentPort?.postMessage({ type: 'replica-ready' }))
} else if (!isMainThread && role === 'gemm-tile') {
  runTileWorker(workerData as TileInit)
} else {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`)
    process.exitCode = 1
  })
}
