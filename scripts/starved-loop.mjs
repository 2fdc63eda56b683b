// How late a 10 ms timer on the main thread fires while a run trains, with and without one busy loop per
// core beside it, at 'low' and 'normal' priority: the priority inversion a starved SCHED_IDLE training
// thread can cause (docs/architecture.md, "Training priority"). Not a test: run it under the benchmark lock.
//
//   flock -x /tmp/bench.lock node scripts/starved-loop.mjs [--runs 3] [--seconds 8] [--priorities low,normal] [--busy 1,0] [--threads 2] [--preset simple-convnet] [--idle 1] [--nice 10] [--predict 0] [--root DIR]
//
// Bundles src-main/lab-host.ts and src-engine/worker.ts from the sources (rolldown, into a temporary folder;
// --root: from another checkout, e.g. an older commit's `git archive` with this node_modules linked in),
// then for each (priority, busy loops, run): a LabHost trains the preset on the built-in digits; after 3 s
// of training the busy loops start (children of this process: the same session, so the same scheduling
// group); 1 s later a 10 ms timer is watched for `--seconds`. One line per window: the timer's worst and
// 99th-percentile lateness, the longest time the main thread was blocked (neither running nor waiting for a
// core: on a lock), how many firings were over 50 ms late, and the batches trained in the window.
// --nice: the host's trainingNice (--idle 0 --nice 19: the lowered threads at nice 19 under SCHED_OTHER).
// --predict MS: the window also asks for a prediction every MS ms (one at a time, as the draw page does),
// answered by the inference thread while the run trains, and reports the worst and median answer time.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'
import { build } from 'rolldown'

const argv = process.argv.slice(2)
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`)
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : dflt
}
const root = resolve(opt('root', resolve(dirname(fileURLToPath(import.meta.url)), '..')))
const runs = Number(opt('runs', '3'))
const seconds = Number(opt('seconds', '8'))
const threads = Number(opt('threads', '2'))
const priorities = opt('priorities', 'low,normal').split(',')
const busyCounts = opt('busy', '1,0').split(',').map(Number)
const presetId = opt('preset', 'simple-convnet')
const trainingIdle = opt('idle', '1') === '1'
const trainingNice = Number(opt('nice', '10'))
const predictEvery = Number(opt('predict', '0'))

async function bundle(entry, format) {
  const file = join(mkdtempSync(join(tmpdir(), 'starved-loop-')), format === 'esm' ? 'entry.mjs' : 'entry.cjs')
  await build({ input: join(root, entry), platform: 'node', external: [/^node:/], output: { file, format }, write: true, logLevel: 'silent' })
  return file
}

const workerPath = await bundle('src-engine/worker.ts', 'esm')
const { LabHost } = createRequire(import.meta.url)(await bundle('src-main/lab-host.ts', 'cjs'))
const { PRESETS } = createRequire(import.meta.url)(await bundle('src-engine/models/presets.ts', 'cjs'))
const spec = PRESETS.find((p) => p.id === presetId).spec

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/** This thread's CPU time and its time runnable but waiting for a core (Linux schedstat), in ms; null elsewhere. */
function schedstat() {
  try {
    const [ran, waited] = readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ')
    return [Number(ran) / 1e6, Number(waited) / 1e6]
  } catch {
    return null
  }
}

/**
 * Watches a 10 ms timer for `ms`: every firing's lateness, and the longest time the main thread spent
 * neither running nor waiting for a core between two firings (blocked: on a lock, since it has nothing else
 * to wait for), all in ms.
 */
function timerLateness(ms) {
  return new Promise((done) => {
    const late = []
    let blocked = 0
    const end = performance.now() + ms
    let from = performance.now()
    let sched = schedstat()
    const tick = () => {
      const now = performance.now()
      const s = schedstat()
      late.push(now - from - 10)
      if (s && sched) blocked = Math.max(blocked, now - from - 10 - (s[0] - sched[0]) - (s[1] - sched[1]))
      if (now >= end) return done({ late, blocked })
      from = now
      sched = s
      setTimeout(tick, 10)
    }
    setTimeout(tick, 10)
  })
}

/** An input for predictions: values in 0..1 that differ everywhere. */
const digit = Float32Array.from({ length: 784 }, (_, i) => ((i * 7919) % 1000) / 1000)

/** Asks for a prediction every `predictEvery` ms (after the last answer) for `ms`; every answer's time in ms, sorted. */
async function predictLatency(host, ms) {
  const times = []
  const end = performance.now() + ms
  while (performance.now() < end) {
    const t0 = performance.now()
    const r = await host.predict(digit)
    if (!r.ok) throw new Error(`predict: ${r.error.message}`)
    times.push(performance.now() - t0)
    await sleep(predictEvery)
  }
  return times.sort((a, b) => a - b)
}

async function measureWindow(priority, busyPerCore) {
  const host = new LabHost({ workerPath, transport: 'web', version: 'bench', trainingIdle, trainingNice })
  let batches = 0
  let running = false
  host.onEvent((e) => {
    if (e.type === 'batches') batches += e.points.length
    if (e.type === 'state' && e.state === 'running') running = true
    if (e.type === 'error') console.error(`error event: ${e.code} ${e.message}`)
  })
  const loops = []
  try {
    const started = await host.startRun(spec, { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.002, batchSize: 100, epochs: 30, weightDecay: 0, seed: 1, threads, testFraction: 0.1, priority })
    if (!started.ok) throw new Error(started.error.message)
    while (!running) await sleep(50)
    // the first prediction starts the inference thread, which then holds the model before the window
    if (predictEvery > 0) await host.predict(digit)
    await sleep(3000)
    for (let i = 0; i < busyPerCore * availableParallelism(); i++) loops.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }))
    await sleep(1000)
    const before = batches
    const t0 = performance.now()
    const predicting = predictEvery > 0 ? predictLatency(host, seconds * 1000) : Promise.resolve(null)
    const { late, blocked } = await timerLateness(seconds * 1000)
    const answers = await predicting
    late.sort((a, b) => a - b)
    const span = (performance.now() - t0) / 1000
    const round = (x) => Math.round(x * 10) / 10
    return {
      priority, busy: busyPerCore, worstMs: round(late[late.length - 1]), p99Ms: round(late[Math.floor(0.99 * (late.length - 1))]),
      blockedMs: round(blocked), over50: late.filter((x) => x > 50).length, firings: late.length, batchesPerS: round((batches - before) / span), load: loadavg()[0].toFixed(2),
      ...(answers ? { predictWorstMs: round(answers[answers.length - 1]), predictMedianMs: round(answers[answers.length >> 1]), predictions: answers.length } : {})
    }
  } finally {
    for (const l of loops) l.kill('SIGKILL')
    host.stop()
    await host.dispose()
  }
}

console.log(`# starved-loop: ${root}, ${presetId}, ${trainingIdle ? 'SCHED_IDLE' : 'nice only'} (nice +${trainingNice})${predictEvery > 0 ? `, a prediction every ${predictEvery} ms` : ''}, ${threads} thread(s), ${seconds} s windows, ${availableParallelism()} cores, ${new Date().toISOString()}`)
for (let r = 0; r < runs; r++) {
  for (const priority of priorities) {
    for (const busy of busyCounts) console.log(JSON.stringify(await measureWindow(priority, busy)))
  }
}
process.exit(0)
