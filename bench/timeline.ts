/**
 * Where a data-parallel training step's time goes: W1 (the book's SimpleConvNet, batch 100, Adam) or W2, one
 * thread's step split into forward, backward and update, then N threads' steps (as bench/lab.ts runs them:
 * forwardBackward, then update with the next batch) with every thread's phases recorded (PhaseTrace in
 * train/data-parallel.ts). Prints, per phase, the median ms per step on each thread, the step's median, and
 * the step against half the one-thread step. Alternates one- and N-thread blocks so both see the same machine.
 *
 *   npx rolldown bench/timeline.ts --platform node --format cjs --file out/bench/timeline.cjs
 *   node --experimental-wasm-relaxed-simd out/bench/timeline.cjs [--workload W1] [--threads 2] [--steps 200] [--blocks 3]
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads'
import { Rng } from '../src-engine/rng'
import { tensor, type Tensor } from '../src-engine/tensor'
import { presetById } from '../src-engine/models/presets'
import { Sequential } from '../src-engine/models/sequential'
import { makeOptimizer, type Optimizer } from '../src-engine/optimizers'
import { DataParallel, PhaseTrace, PHASES, leadExamples, sliceBounds, type Phase } from '../src-engine/train/data-parallel'
import { validateSpec } from '../src-engine/spec'
import { runReplica } from '../src-engine/train/replica'
import { countCorrect } from '../src-engine/train/trainer'

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : dflt
}

const median = (a: number[]): number => {
  const s = [...a].sort((x, y) => x - y)
  return s.length === 0 ? 0 : s[Math.floor(s.length / 2)]
}

async function main(): Promise<void> {
  const w = arg('workload', 'W1')
  const threads = Number(arg('threads', '2'))
  const steps = Number(arg('steps', '200'))
  const blocks = Number(arg('blocks', '3'))
  const preset = presetById(w === 'W2' ? 'keras-cnn' : 'simple-convnet')!
  const spec = structuredClone(preset.spec)
  const B = w === 'W2' ? 64 : 100
  const optName = w === 'W2' ? 'SGD' : 'Adam'
  const rng = new Rng(2)
  const x = tensor([B, ...spec.input])
  for (let i = 0; i < x.data.length; i++) x.data[i] = rng.next()
  const t = tensor([B])
  for (let i = 0; i < B; i++) t.data[i] = rng.int(10)

  /**
   * One timed training step of `m` on (xb, tb), its phases pushed into `into` (forward, backward, and with an
   * optimizer update and the whole step).
   */
  const timedStep = (m: Sequential, xb: Tensor, tb: Tensor, into: Record<string, number[]>, opt?: Optimizer) => (): void => {
    const a = performance.now()
    m.lossLayer!.forward(m.forward(xb, true), tb)
    const b = performance.now()
    m.backward()
    const c = performance.now()
    into.forward.push(b - a)
    into.backward.push(c - b)
    if (!opt) return
    opt.update(m.params, m.grads)
    const d = performance.now()
    into.update.push(d - c)
    into.step.push(d - a)
  }

  // one thread
  const m1 = Sequential.fromSpec(spec, new Rng(1))
  const one: Record<string, number[]> = { forward: [], backward: [], update: [], step: [] }
  const step1 = timedStep(m1, x, t, one, makeOptimizer(optName, 0.001))

  // one thread on a batch the size of the training thread's slice: what the slice costs without a second thread
  const n0 = sliceBounds(B, threads, leadExamples(validateSpec(spec).totalMacs, m1.paramCount, optName))[1]
  const xs = tensor([n0, ...spec.input], x.data.slice(0, n0 * (x.data.length / B)))
  const ts = tensor([n0], t.data.slice(0, n0))
  const slice: Record<string, number[]> = { forward: [], backward: [] }
  const stepS = timedStep(Sequential.fromSpec(spec, new Rng(1)), xs, ts, slice)

  // N threads, traced
  const model = Sequential.fromSpec(spec, new Rng(1))
  const opt = makeOptimizer(optName, 0.001)
  const trace = PhaseTrace.buffer(threads)
  const dp = await DataParallel.create({
    spec, threads, seed: 1, paramCount: model.paramCount, xPer: x.data.length / B, tPer: 1, maxBatch: B,
    spawn: (init) => new Worker(__filename, { workerData: init }), model, optimizer: opt.name, trace
  })
  const stepStarts: number[] = []
  const stepN = (): void => {
    stepStarts.push(PhaseTrace.now())
    dp.forwardBackward(model, x, t, (_s, _x, tt) => tt, countCorrect)
    dp.update(model, opt, { x, t })
  }
  for (let i = 0; i < 20; i++) { step1(); stepN(); stepS() }
  for (const k of Object.keys(one)) one[k] = []
  for (const k of Object.keys(slice)) slice[k] = []
  const cpu0 = process.cpuUsage()
  let wallN = 0
  let wall1 = 0
  let first = -1
  for (let b = 0; b < blocks; b++) {
    let a = performance.now()
    for (let i = 0; i < steps; i++) step1()
    wall1 += performance.now() - a
    a = performance.now()
    if (first < 0) first = stepStarts.length
    for (let i = 0; i < steps; i++) stepN()
    wallN += performance.now() - a
    for (let i = 0; i < steps / 2; i++) stepS()
  }
  const cpu = process.cpuUsage(cpu0)
  stepStarts.push(PhaseTrace.now())
  await dp.close()

  const t1 = median(one.step)
  const dist = (a: number[]): string => {
    const s = [...a].sort((x, y) => x - y)
    const q = (f: number): string => s[Math.min(s.length - 1, Math.floor(s.length * f))].toFixed(2)
    return `p10 ${q(0.1)}, p50 ${q(0.5)}, p90 ${q(0.9)}, p99 ${q(0.99)}, mean ${(s.reduce((x, y) => x + y, 0) / s.length).toFixed(2)} ms`
  }
  console.log(`${w}, batch ${B}, ${optName}; ${blocks} blocks of ${steps} steps; load average ${(await import('node:os')).loadavg().map((v) => v.toFixed(2)).join(' ')}`)
  console.log(`1 thread: step ${t1.toFixed(2)} ms median (forward ${median(one.forward).toFixed(2)}, backward ${median(one.backward).toFixed(2)}, update ${median(one.update).toFixed(2)}); ${((steps * blocks * B) / (wall1 / 1000)).toFixed(0)} images/s`)
  // N threads: per step (between consecutive step starts of the timed blocks), the ms of each phase on each thread
  const starts = stepStarts.slice(first)
  type Col = Phase | 'busy' | 'idle'
  const perStep = (k: number): Record<Col, number[]> => {
    const out = Object.fromEntries([...PHASES, 'busy', 'idle'].map((p) => [p, [] as number[]])) as Record<Col, number[]>
    const recs = PhaseTrace.read(trace, k)
    let r = 0
    for (let s = 0; s + 1 < starts.length; s++) {
      const [a, b] = [starts[s], starts[s + 1]]
      if (b - a > 10 * t1) continue // a block boundary (one-thread steps ran in between)
      const sum = Object.fromEntries([...PHASES, 'busy', 'idle'].map((p) => [p, 0])) as Record<Col, number>
      while (r < recs.length && recs[r].end <= a) r++
      for (let i = r; i < recs.length && recs[i].start < b; i++) {
        const d = Math.min(b, recs[i].end) - Math.max(a, recs[i].start)
        if (d > 0) sum[recs[i].phase] += d
      }
      sum.busy = sum.forward + sum.backward + sum.update + sum.prepare + sum.post + sum.copy - sum['ready-wait']
      sum.idle = b - a - sum.busy
      for (const p of Object.keys(sum) as Col[]) out[p].push(sum[p])
    }
    return out
  }
  console.log(`1 thread on ${n0} images (the training thread's slice), alone: forward ${median(slice.forward).toFixed(2)}, backward ${median(slice.backward).toFixed(2)} ms`)
  const stepMs: number[] = []
  for (let s = 0; s + 1 < starts.length; s++) if (starts[s + 1] - starts[s] <= 10 * t1) stepMs.push(starts[s + 1] - starts[s])
  const tn = median(stepMs)
  console.log(`step times: 1 thread ${dist(one.step)}; ${threads} threads ${dist(stepMs)}`)
  console.log(`${threads} threads: step ${tn.toFixed(2)} ms median; ${((steps * blocks * B) / (wallN / 1000)).toFixed(0)} images/s; ${threads}t ÷ 1t ${(t1 / tn).toFixed(2)} (medians), ${(wall1 / wallN).toFixed(2)} (wall); 1t step ÷ ${threads} = ${(t1 / threads).toFixed(2)} ms; process cpu ${((cpu.user + cpu.system) / 1000 / (wall1 + wallN)).toFixed(2)} cores`)
  const mean = (a: number[]): number => a.reduce((x, y) => x + y, 0) / Math.max(1, a.length)
  console.log(`mean step ${mean(stepMs).toFixed(2)} ms`)
  for (const [name, f] of [['median', median], ['mean', mean]] as const) {
    console.log(`${name.padEnd(6)} ms per step  ` + [...PHASES, 'busy', 'idle'].map((p) => p.padStart(11)).join(''))
    for (let k = 0; k < threads; k++) {
      const ps = perStep(k)
      console.log(`thread ${k}            ` + [...PHASES, 'busy', 'idle'].map((p) => f(ps[p as Col]).toFixed(2).padStart(11)).join(''))
    }
  }
  // how long a replica took to start after the training thread posted its step (the wake-up)
  const posts = PhaseTrace.read(trace, 0).filter((r) => r.phase === 'post' && r.start >= starts[0])
  for (let k = 1; k < threads; k++) {
    const fwd = PhaseTrace.read(trace, k).filter((r) => r.phase === 'forward' && r.start >= starts[0])
    const lat: number[] = []
    let j = 0
    for (const f of fwd) {
      while (j + 1 < posts.length && posts[j + 1].start <= f.start) j++
      if (j < posts.length && posts[j].start <= f.start) lat.push(f.start - posts[j].start)
    }
    const s = [...lat].sort((a, b) => a - b)
    console.log(`thread ${k} starts a step ${median(lat).toFixed(3)} ms after the post (median; 90th percentile ${s[Math.floor(s.length * 0.9)]?.toFixed(3)})`)
  }
  console.log('(forward on a replica includes its ready-waits; busy = forward + backward + update + prepare + post + copy − ready-wait; idle = step − busy, each the median over steps)')
}

const role = (workerData as { role?: string } | null)?.role
if (!isMainThread && role === 'replica') {
  runReplica(workerData, () => parentPort?.postMessage({ type: 'replica-ready' }))
} else {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`)
    process.exitCode = 1
  })
}
