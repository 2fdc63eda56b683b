/**
 * The main process's event loop while a SimpleConvNet trains at full speed with everything a session
 * does on: autosave after every epoch (a 5 MB project, which the training thread writes when this one
 * asks, src-engine/train/autosave.ts), telemetry streamed through the web shell to a
 * connected client, a probe image (feature-map snapshots). Issue 4's target is "no stall over 20 ms";
 * on a 2-core machine shared with other jobs the OS alone can deschedule the main thread for tens of
 * ms, so the test compares the worst gap with a baseline taken in the same test under the same CPU
 * contention (a thread spinning in place of training, nothing for the main thread to do), and prints
 * the absolute figures and the longest stalls with what the loop was handling during each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync, spawnSync } from 'node:child_process'
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { getPriority, tmpdir } from 'node:os'
import { Worker } from 'node:worker_threads'
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { WebSocket } from 'ws'
import { LabHost } from '../../src-main/lab-host'
import { startWebShell, type WebShell } from '../../src-main/web-shell'
import { PRESETS } from '../../src-engine/models/presets'
import { decodeProject } from '../../src-engine/io/project'
import { SCHED_IDLE, threadPolicy } from '../../src-engine/train/thread-priority'
import { image, isState, record, settings } from './helpers'

const root = resolve(__dirname, '../..')

/** The training worker, bundled in a child process so the bundler's memory does not swell this heap (its GC pauses are measured). */
function bundleWorker(): string {
  const out = join(mkdtempSync(join(tmpdir(), 'lab-loop-')), 'worker.mjs')
  const script = `import { build } from 'rolldown'
await build({ input: ${JSON.stringify(join(root, 'src-engine/worker.ts'))}, platform: 'node', output: { file: ${JSON.stringify(out)}, format: 'esm' }, write: true, logLevel: 'silent' })`
  execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, stdio: 'inherit' })
  return out
}

interface Gap { at: number; ms: number; ranMs: number; waitedMs: number; stolenMs: number }

/**
 * The main thread's own CPU time and time spent runnable but waiting for a core (Linux:
 * /proc/thread-self/schedstat, opened on this thread), in ms, written into `out`; null elsewhere. Read
 * every millisecond, so it makes no garbage (no strings): it would add to the collections it measures.
 */
function schedClock(): { read(out: Float64Array): void; close(): void } | null {
  let fd: number
  try { fd = openSync('/proc/thread-self/schedstat', 'r') } catch { return null }
  const buf = Buffer.alloc(96)
  return {
    read(out) {
      const n = readSync(fd, buf, 0, buf.length, 0)
      // "<ns on the cpu> <ns waiting on a runqueue> <timeslices>\n"
      let field = 0
      let value = 0
      for (let i = 0; i < n && field < 2; i++) {
        const c = buf[i]
        if (c >= 48 && c <= 57) value = value * 10 + (c - 48)
        else { out[field++] = value / 1e6; value = 0 }
      }
    },
    close() { closeSync(fd) }
  }
}

/**
 * Time the hypervisor took from this virtual machine's CPUs (Linux: /proc/stat's "steal", all CPUs summed,
 * in 10 ms ticks), in ms; 0 elsewhere. A thread that neither ran nor waited for a core through a stall was
 * mostly not running for lack of a physical CPU under the VM. Read without making garbage.
 */
function stealClock(): { read(): number; close(): void } | null {
  let fd: number
  try { fd = openSync('/proc/stat', 'r') } catch { return null }
  const buf = Buffer.alloc(160)
  return {
    read() {
      const n = readSync(fd, buf, 0, buf.length, 0)
      // "cpu  user nice system idle iowait irq softirq steal …": the 8th number
      let field = 0
      let value = 0
      let inNumber = false
      for (let i = 0; i < n; i++) {
        const c = buf[i]
        if (c >= 48 && c <= 57) { value = value * 10 + (c - 48); inNumber = true }
        else if (inNumber) { if (++field === 8) return value * 10; value = 0; inNumber = false }
      }
      return 0
    },
    close() { closeSync(fd) }
  }
}

/**
 * Watches the loop: a 1 ms-resolution delay histogram and a 1 ms interval that records every late
 * tick, with how much of the gap the main thread ran (a handler, GC) and how much it waited for a
 * core (descheduled).
 */
function loopProbe() {
  const histogram = monitorEventLoopDelay({ resolution: 1 })
  const gaps: Gap[] = []
  const clock = schedClock()
  const steal = stealClock()
  let lastSteal = 0
  let last = performance.now()
  // [ran, waited] at the last tick and now, in ms (zeros where there is no schedstat)
  const lastSched = new Float64Array(2)
  const sched = new Float64Array(2)
  let timer: ReturnType<typeof setInterval> | null = null
  return {
    start(): void {
      histogram.reset()
      histogram.enable()
      gaps.length = 0
      last = performance.now()
      clock?.read(lastSched)
      lastSteal = steal?.read() ?? 0
      timer = setInterval(() => {
        const now = performance.now()
        clock?.read(sched)
        const stolen = steal?.read() ?? 0
        if (now - last > 5) gaps.push({ at: last, ms: now - last, ranMs: sched[0] - lastSched[0], waitedMs: sched[1] - lastSched[1], stolenMs: stolen - lastSteal })
        last = now
        lastSched.set(sched)
        lastSteal = stolen
      }, 1)
    },
    stop() {
      histogram.disable()
      if (timer) clearInterval(timer)
      const worstGap = gaps.reduce((m, g) => Math.max(m, g.ms), 0)
      return {
        maxDelayMs: round(histogram.max / 1e6), p99DelayMs: round(histogram.percentile(99) / 1e6),
        worstGapMs: round(worstGap), gapsOver5ms: gaps.length, gaps: [...gaps]
      }
    },
    close(): void { clock?.close(); steal?.close() }
  }
}

/** A thread that spins for 4 s at the training threads' priority (their nice and policy, as train/thread-priority.ts sets them). */
const SPIN = `const { workerData } = require('node:worker_threads')
if (workerData.nice > 0 && process.platform === 'linux') {
  const os = require('node:os')
  const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop())
  os.setPriority(tid, os.getPriority(process.pid) + workerData.nice)
  if (workerData.idle) require('node:child_process').spawnSync('chrt', ['--idle', '--pid', '0', String(tid)])
}
const end = Date.now() + 4000
while (Date.now() < end) {}`

const round = (x: number): number => Math.round(x * 10) / 10

/** How much the host lowers the training threads' priority (LabHost's trainingNice). */
const NICE = 10
/** The host also asks for SCHED_IDLE (LabHost's trainingIdle), which needs chrt (util-linux). */
const IDLE = process.platform === 'linux' && spawnSync('chrt', ['--max'], { stdio: 'ignore' }).status === 0

/** Linux: how many of this process's threads run at `nice` under `policy` (the training and replica threads, while a run trains). */
function threadsLowered(nice: number, policy: number): number {
  return readdirSync('/proc/self/task').filter((t) => {
    const p = threadPolicy(Number(t))
    return p !== null && p.nice === nice && p.policy === policy
  }).length
}

/** Flags of a full collection started by V8's memory reducer (kGCCallbackFlagCollectAllExternalMemory alone). */
const REDUCER_FLAGS = 32

/**
 * V8's memory reducer, made to run before the measurement. It collects a heap that looks idle two or three
 * times, 0.5 s apart, about 8 s after the heap first grew past its start-up size or after a full collection
 * at a larger size than at its last run (and 8 s after each further full collection while it waits); once
 * it has run it waits for 10 MB more. The app's main process goes through this at start-up, long before a
 * learner starts a run; this freshly started test process would have it land in the measurement (a 10–25 ms
 * pause at an unpredictable moment, often ~3 s in, whatever the training does). So the first test starts
 * its countdown with one full collection and waits for it to run (at most 12 s); afterwards it is done.
 */
const heapWatch = (() => {
  let lastReducer = -Infinity
  let done = false
  const seen: string[] = []
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const detail = (e as { detail?: { kind?: number; flags?: number } }).detail
      if (detail?.kind !== constants.NODE_PERFORMANCE_GC_MAJOR) continue
      if (detail.flags === REDUCER_FLAGS) lastReducer = e.startTime + e.duration
      seen.push(`${round(e.duration)} ms, flags ${detail.flags ?? 0}`)
    }
  }).observe({ entryTypes: ['gc'] })
  return {
    /** Lets the memory reducer run (the first time); returns the full collections seen since the last call. */
    async settle(): Promise<string[]> {
      if (!done) {
        done = true
        setFlagsFromString('--expose-gc')
        const gc = runInNewContext('gc') as () => void
        const from = performance.now()
        gc()
        const until = from + 12_000
        while (performance.now() < until && !(lastReducer > from && performance.now() - lastReducer >= 1500)) await new Promise((r) => setTimeout(r, 100))
      }
      return seen.splice(0)
    }
  }
})()

let workerPath: string
beforeAll(() => { workerPath = bundleWorker() }, 120_000)

// One training thread, and two (data-parallel: two threads busy on two cores, as on the CI machine).
describe.each([1, 2])('the main event loop while training with autosave and streaming, %i thread(s)', (threads) => {
  let host: LabHost | undefined
  let shell: WebShell | undefined
  let ws: WebSocket | undefined
  const cleanUp = async (): Promise<void> => {
    ws?.close()
    await shell?.close()
    await host?.dispose()
  }
  afterAll(cleanUp)

  // A real regression stalls at every epoch; one rerun absorbs a burst of load from other jobs.
  it('stalls no longer than under the same load with nothing to do', { timeout: 400_000, retry: 1 }, async () => {
    await cleanUp() // a previous attempt's
    const dataDir = mkdtempSync(join(tmpdir(), 'lab-loop-data-'))
    host = new LabHost({ workerPath, transport: 'web', version: 'test', dataDir, trainingNice: NICE, trainingIdle: true })
    // What the loop handled, for the stall report: events in and out of the host, GC pauses.
    const marks: { at: number; what: string }[] = []
    host.onEvent((e) => marks.push({ at: performance.now(), what: e.type }))
    const projects = host.projects
    const onCheckpoint = projects.onWorkerCheckpoint.bind(projects)
    projects.onWorkerCheckpoint = (...args) => {
      marks.push({ at: performance.now(), what: 'checkpoint' })
      onCheckpoint(...args)
    }
    shell = await startWebShell({ port: 0, rendererDir: mkdtempSync(join(tmpdir(), 'lab-loop-page-')), labHost: host })
    ws = new WebSocket(`ws://127.0.0.1:${shell.port}/ws?token=${shell.token}`, { origin: shell.origin })
    await new Promise((ok, bad) => { ws!.once('open', ok); ws!.once('error', bad) })
    let wsBytes = 0
    ws.on('message', (d: Buffer) => { wsBytes += d.length })
    const gcs: { at: number; ms: number; major: boolean; flags: number }[] = []
    const gcObserver = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const detail = (e as { detail?: { kind?: number; flags?: number } }).detail
        gcs.push({ at: e.startTime, ms: e.duration, major: detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR, flags: detail?.flags ?? 0 })
      }
    })
    gcObserver.observe({ entryTypes: ['gc'] })
    // The page keeps nothing in this process (it is the renderer's): the recorder holds the few events
    // waited for and only counts the streamed ones, whose maps would otherwise pile up in this heap.
    let snapshots = 0
    host.onEvent((e) => { if (e.type === 'snapshot') snapshots++ })
    const rec = record({ onEvent: (l) => host!.onEvent((e) => { if (e.type !== 'snapshot' && e.type !== 'batches') l(e) }) })
    host.setProbe(image(0.2))
    const probe = loopProbe()
    const settled = await heapWatch.settle()
    if (settled.length) console.log(`full collections before the measurement (the memory reducer's let happen first): ${settled.join('; ')}`)

    // Baseline: one thread spinning where the training thread will run, the main thread idle.
    const baseline = async () => {
      const spinners = Array.from({ length: threads }, () => new Worker(SPIN, { eval: true, workerData: { nice: NICE, idle: IDLE } }))
      await new Promise((r) => setTimeout(r, 500))
      probe.start()
      await new Promise((r) => setTimeout(r, 3000))
      const figures = probe.stop()
      await Promise.all(spinners.map((w) => w.terminate()))
      return figures
    }
    const idleBefore = await baseline()

    // Training: SimpleConvNet on 2,000 digits an epoch (8,000 held out for the epoch report), 3 epochs.
    const convnet = PRESETS.find((p) => p.id === 'simple-convnet')!
    const started = host.start(convnet.spec, settings({ optimizer: 'Adam', lr: 0.002, batchSize: 100, epochs: 3, seed: 1, testFraction: 0.75, threads }))
    expect(started.ok).toBe(true)
    await rec.waitFor(isState('running'), 30_000)
    // The training threads yield the CPU to this one (train/thread-priority.ts; Linux only): counted mid-run,
    // at nice +10 and, where chrt exists, under SCHED_IDLE.
    const linux = process.platform === 'linux'
    let lowered = -1
    host.onEvent((e) => { if (e.type === 'epoch' && lowered < 0 && linux) lowered = threadsLowered(Math.min(19, getPriority(process.pid) + NICE), IDLE ? SCHED_IDLE : 0) })
    probe.start()
    const t0 = performance.now()
    const end = await rec.waitFor((e) => e.type === 'state' && (e.state === 'done' || e.state === 'failed'), 300_000)
    const training = probe.stop()
    const t1 = performance.now()
    const seconds = (t1 - t0) / 1000
    expect(end.type === 'state' && end.state).toBe('done')
    await host.projects.flushAutosave()
    // The machine's load changes over a run: the baseline is the worse of one before and one after.
    const idleAfter = await baseline()
    const idle = idleAfter.worstGapMs > idleBefore.worstGapMs ? idleAfter : idleBefore
    gcObserver.disconnect()

    const epochs = rec.of('epoch').length
    const stalls = [...training.gaps].sort((a, b) => b.ms - a.ms).slice(0, 8).map((g) => {
      const inside = (at: number): boolean => at >= g.at - 1 && at <= g.at + g.ms
      const what = marks.filter((m) => inside(m.at)).map((m) => m.what)
      const gc = gcs.filter((m) => inside(m.at)).reduce((s, m) => s + m.ms, 0)
      const major = gcs.some((m) => inside(m.at) && m.major)
      return `${round(g.ms)} ms at ${round((g.at - t0) / 1000)} s: ran ${round(g.ranMs)}, waited ${round(g.waitedMs)}${g.stolenMs > 0 ? `, VM steal ${g.stolenMs}` : ''}` +
        `${what.length ? ` (${what.join(', ')})` : ''}${gc > 0 ? ` gc ${round(gc)} ms` : ''}`
    })
    const { gaps: _i, ...idleFigures } = idle
    const { gaps: _t, ...trainingFigures } = training
    console.log(`main event loop, idle under the same load: ${JSON.stringify(idleFigures)}`)
    console.log(`main event loop, training ${epochs} epochs in ${round(seconds)} s with autosave and ${Math.round(wsBytes / 1024)} KiB streamed: ${JSON.stringify(trainingFigures)}`)
    console.log(`longest stalls while training: ${stalls.join('; ') || 'none over 5 ms'}`)
    // Why V8 collected the whole heap: flags 32 (all external memory) is the memory reducer or external
    // memory pressure, 64 (schedule idle GC) the old generation nearing its limit.
    const majors = gcs.filter((g) => g.major && g.at >= t0 && g.at <= t1)
    console.log(`major GCs on the main thread while training: ${majors.length} in ${epochs} epochs${majors.length ? ` (${majors.map((g) => `${round(g.ms)} ms at ${round((g.at - t0) / 1000)} s, flags ${g.flags}`).join('; ')})` : ''}`)
    probe.close()

    // Everything was on: every epoch reported, snapshots streamed, the autosave holds the last epoch.
    expect(epochs).toBe(3)
    expect(snapshots).toBeGreaterThan(0)
    expect(wsBytes).toBeGreaterThan(100_000)
    const recovery = join(dataDir, 'recovery.bplab')
    expect(existsSync(recovery)).toBe(true)
    expect(decodeProject(new Uint8Array(readFileSync(recovery))).epoch).toBe(3)
    expect(host.projects.lastAutosaveError).toBeNull()
    if (linux) expect(lowered).toBeGreaterThanOrEqual(threads)
    // The loop's worst stall while training is of the order of the machine's own (encoding the
    // autosave in one block stalled it 70–190 ms; a training step on this thread would be hundreds).
    // Gaps under 5 ms are not recorded, so a quiet baseline counts as 5.
    const machine = Math.max(5, idle.worstGapMs)
    expect(training.worstGapMs).toBeLessThan(Math.max(2 * machine, machine + 30))
  })
})
