/**
 * Timing protocol shared by every JavaScript runner of the benchmark suite (the lab, TensorFlow.js,
 * ConvNetJS); bench/torch_twin.py follows the same one in Python. A measurement is a warm-up, then
 * several timed windows; the figure is the median window, so one window slowed by another process on
 * a shared machine does not move it. `--quick` keeps one short window (smoke tests only).
 */

/** @typedef {{ warmupMs: number, warmupSteps: number, windows: number, windowMs: number, windowSteps: number }} Budget */

/** @type {Record<'full' | 'quick', Budget>} */
export const BUDGETS = {
  full: { warmupMs: 1500, warmupSteps: 2, windows: 5, windowMs: 1500, windowSteps: 1 },
  quick: { warmupMs: 0, warmupSteps: 1, windows: 1, windowMs: 0, windowSteps: 1 }
}

/** A first step slower than this shrinks the budget to three one-step windows; slower than the second, to one. */
export const SLOW_STEP_MS = 2000
export const VERY_SLOW_STEP_MS = 20000

/** The budget for a runner's argv: --quick, else full; BENCH_WINDOW_MS / BENCH_WINDOWS override (tuning). */
export function budgetFrom(argv) {
  const b = { ...(argv.includes('--quick') ? BUDGETS.quick : BUDGETS.full) }
  const ms = Number(process.env.BENCH_WINDOW_MS)
  if (ms > 0) b.windowMs = ms
  const n = Number(process.env.BENCH_WINDOWS)
  if (n >= 1) b.windows = Math.floor(n)
  return b
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

/**
 * Runs `step` (sync, or async when it returns a promise) through the warm-up and the windows.
 * Returns, for every window, the wall-clock seconds per step and this process's CPU seconds per step
 * (all its threads): on a shared machine the CPU figure says what the work costs, the wall figure what
 * a user waits.
 */
export async function timeSteps(step, budget) {
  let t0 = performance.now()
  const first = step()
  const isAsync = first && typeof first.then === 'function'
  if (isAsync) await first
  const firstMs = performance.now() - t0
  // A reference that needs seconds per step (TensorFlow.js's CPU backend on a CNN) gets fewer,
  // one-step windows, and the first step counts as its warm-up: otherwise one cell would take many minutes.
  if (firstMs > SLOW_STEP_MS && budget.windows > 1) {
    budget = { ...budget, warmupMs: 0, warmupSteps: 1, windowMs: 0, windowSteps: 1, windows: firstMs > VERY_SLOW_STEP_MS ? 1 : 3 }
  }
  t0 = performance.now()
  for (let i = 1; i < budget.warmupSteps || performance.now() - t0 < budget.warmupMs; i++) {
    if (isAsync) await step()
    else step()
  }
  const wall = []
  const cpu = []
  for (let w = 0; w < budget.windows; w++) {
    let n = 0
    const c0 = process.cpuUsage()
    t0 = performance.now()
    let el = 0
    do {
      if (isAsync) await step()
      else step()
      n++
      el = performance.now() - t0
    } while (n < budget.windowSteps || el < budget.windowMs)
    const c = process.cpuUsage(c0)
    wall.push(el / 1000 / n)
    cpu.push((c.user + c.system) / 1e6 / n)
  }
  return { wall, cpu }
}

/** Throughput: `items` per step → median items/s over the windows (wall clock, and per CPU second). */
export async function measureRate(step, items, budget) {
  const s = await timeSteps(step, budget)
  return { value: median(s.wall.map((x) => items / x)), cpu: median(s.cpu.map((x) => items / x)), windows: s.wall.length }
}

/** Latency: median milliseconds per call over the windows (wall clock, and CPU). */
export async function measureLatency(call, budget) {
  const s = await timeSteps(call, { ...budget, windowSteps: Math.max(budget.windowSteps, 10) })
  return { value: median(s.wall) * 1000, cpu: median(s.cpu) * 1000, windows: s.wall.length }
}

/** GFLOPS of a square n×n×n product, `step` computing one. */
export async function measureGemm(step, n, budget) {
  const s = await timeSteps(step, budget)
  const flops = 2 * n * n * n
  return { value: median(s.wall.map((x) => flops / x / 1e9)), cpu: median(s.cpu.map((x) => flops / x / 1e9)), windows: s.wall.length }
}

/** The units and per-step item counts of the workloads (one place for every JavaScript runner). */
export const WORKLOADS = {
  W1: { batch: 100, optimizer: 'Adam', lr: 0.001, unit: 'images/s' },
  W2: { batch: 64, optimizer: 'SGD', lr: 0.01, unit: 'images/s' },
  W3: { batch: 64, optimizer: 'Adam', lr: 0.001, unit: 'sequences/s', steps: 28, inputs: 28, hidden: 128 },
  W4: { batch: 32, optimizer: 'Adam', lr: 0.001, unit: 'sequences/s', vocab: 65, embed: 64, hidden: 256, steps: 64 },
  W5: { sizes: [256, 512, 1024], unit: 'GFLOPS' }
}

/**
 * Writes one result line: {"workload","metric","system","threads","value"|"error","unit"}, plus
 * "cpu" (the same metric per CPU second of the process, or CPU ms for latencies) and "note" when known.
 */
export function emit(r) {
  const o = { workload: r.workload, metric: r.metric, system: r.system, threads: r.threads }
  if (r.error !== undefined) o.error = String(r.error)
  else o.value = Number(r.value.toPrecision(6))
  o.unit = r.unit
  if (r.error === undefined && Number.isFinite(r.cpu)) o.cpu = Number(r.cpu.toPrecision(6))
  if (r.note) o.note = r.note
  process.stdout.write(`${JSON.stringify(o)}\n`)
}

/** Parses `--workload W1 --threads 2` style flags of a runner. */
export function runnerArgs(argv) {
  const get = (name, dflt) => {
    const i = argv.indexOf(`--${name}`)
    return i >= 0 && i + 1 < argv.length ? argv[i + 1] : dflt
  }
  return { workload: get('workload', 'W1'), threads: Number(get('threads', '1')), quick: argv.includes('--quick') }
}
