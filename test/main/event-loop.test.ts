/**
 * The main process's event loop while a SimpleConvNet trains at full speed with everything a session
 * does on: autosave after every epoch (a 5 MB project, which the training thread writes when this one
 * asks, src-engine/train/autosave.ts), telemetry streamed through the web shell to a
 * connected client, a probe image (feature-map snapshots). Issue 4's target is "no stall over 20 ms". On a
 * 2-core VM shared with other jobs the machine alone stalls the loop by hundreds of ms (the main thread
 * waiting for a core other processes hold, or for the hypervisor), so the test holds the lab's part of every
 * stall to 20 ms (stall-share.ts: what the main thread ran, and what it lost behind our own threads) and
 * prints the whole gaps, split, with what the loop was handling during each. A baseline, the main thread
 * idle beside threads spinning at the training threads' priority, shows that it never waits behind them.
 * BACKPROP_LAB_LOOP_STALL_MS=25 keeps the main thread busy 25 ms of its CPU time at each epoch (with
 * BACKPROP_LAB_LOOP_STALL_ONCE=1 at the first only): the test must then fail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync, spawnSync } from 'node:child_process'
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { cpus, getPriority, tmpdir } from 'node:os'
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
import { labShare, worstShare, type Counters, type Gap } from './stall-share'

const root = resolve(__dirname, '../..')

/** The training worker, bundled in a child process so the bundler's memory does not swell this heap (its GC pauses are measured). */
function bundleWorker(): string {
  const out = join(mkdtempSync(join(tmpdir(), 'lab-loop-')), 'worker.mjs')
  const script = `import { build } from 'rolldown'
await build({ input: ${JSON.stringify(join(root, 'src-engine/worker.ts'))}, platform: 'node', output: { file: ${JSON.stringify(out)}, format: 'esm' }, write: true, logLevel: 'silent' })`
  execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, stdio: 'inherit' })
  return out
}

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

/** The first number in a file (cpuacct.usage: "<ns>\n"), read without making garbage. */
function numberAt(fd: number, buf: Buffer): number {
  const n = readSync(fd, buf, 0, buf.length, 0)
  let value = 0
  for (let i = 0; i < n; i++) {
    const c = buf[i]
    if (c < 48 || c > 57) break
    value = value * 10 + (c - 48)
  }
  return value
}

/**
 * What the whole machine's CPUs did, in ms, written into `out`: [0] the time the hypervisor took from them
 * (/proc/stat's "steal", all CPUs summed, in 10 ms ticks), [1] the CPU time every process on it ran (cgroup
 * v1's root cpuacct.usage, in ns, up to a timer tick late on each CPU; where it is missing, [2]), [2] the same
 * in /proc/stat's busy ticks, too coarse to split a gap with (`fine` says whether [1] is finer). Null where
 * there is no /proc/stat. Read without making garbage.
 */
function machineClock(): { read(out: Float64Array): void; fine: boolean; close(): void } | null {
  let stat: number
  try { stat = openSync('/proc/stat', 'r') } catch { return null }
  let acct = -1
  for (const path of ['/sys/fs/cgroup/cpuacct/cpuacct.usage', '/sys/fs/cgroup/cpu,cpuacct/cpuacct.usage']) {
    try { acct = openSync(path, 'r'); break } catch { /* the next, or /proc/stat's ticks */ }
  }
  const buf = Buffer.alloc(160)
  const acctBuf = Buffer.alloc(32)
  return {
    fine: acct >= 0,
    read(out) {
      const n = readSync(stat, buf, 0, buf.length, 0)
      // "cpu  user nice system idle iowait irq softirq steal …": busy = user + nice + system + irq + softirq
      let field = 0
      let value = 0
      let busy = 0
      let inNumber = false
      for (let i = 0; i < n && field < 8; i++) {
        const c = buf[i]
        if (c >= 48 && c <= 57) { value = value * 10 + (c - 48); inNumber = true }
        else if (inNumber) {
          field++
          if (field <= 3 || field === 6 || field === 7) busy += value
          if (field === 8) out[0] = value * 10
          value = 0
          inNumber = false
        }
      }
      out[2] = busy * 10
      out[1] = acct >= 0 ? numberAt(acct, acctBuf) / 1e6 : out[2]
    },
    close() { closeSync(stat); if (acct >= 0) closeSync(acct) }
  }
}

/** /proc/stat counts steal at a CPU's next timer tick (4 ms here): a gap's steal is read this long after it ended. */
const STEAL_LAG_MS = 12

/**
 * Watches the loop: a 1 ms-resolution delay histogram and a 1 ms interval that records every late
 * tick (Gap, stall-share.ts). A tick on time makes no garbage but process.cpuUsage's small object.
 */
function loopProbe() {
  const histogram = monitorEventLoopDelay({ resolution: 1 })
  const gaps: Gap[] = []
  // each gap's steal counter at its start, until it is read STEAL_LAG_MS after its end
  const stealFrom: number[] = []
  let settled = 0
  const clock = schedClock()
  const machine = machineClock()
  let last = performance.now()
  // [ran, waited] at the last tick and now (zeros where there is no schedstat)
  const lastSched = new Float64Array(2)
  const sched = new Float64Array(2)
  // [steal, the machine's CPU time, the same in ticks] likewise, and at start()
  const lastMachine = new Float64Array(3)
  const machineNow = new Float64Array(3)
  const machineFrom = new Float64Array(3)
  let lastOwn = 0
  const own = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1000 }
  // the gaps that ended STEAL_LAG_MS before `at` (or all, at the end) take the steal counter read at `at`
  const settle = (at: number, steal: number, all = false): void => {
    for (; settled < gaps.length && (all || gaps[settled].at + gaps[settled].ms <= at - STEAL_LAG_MS); settled++) {
      const g = gaps[settled]
      g.stolenMs = steal - stealFrom[settled]
      g.stealAfterMs = Math.max(0, at - (g.at + g.ms))
    }
  }
  let timer: ReturnType<typeof setInterval> | null = null
  return {
    start(): void {
      histogram.reset()
      histogram.enable()
      gaps.length = 0
      stealFrom.length = 0
      settled = 0
      last = performance.now()
      clock?.read(lastSched)
      machine?.read(lastMachine)
      machineFrom.set(lastMachine)
      lastOwn = own()
      timer = setInterval(() => {
        const now = performance.now()
        clock?.read(sched)
        machine?.read(machineNow)
        const mine = own()
        settle(now, machineNow[0])
        if (now - last > 5) {
          gaps.push({ at: last, ms: now - last, ranMs: sched[0] - lastSched[0], waitedMs: sched[1] - lastSched[1], ownMs: mine - lastOwn, machineMs: machineNow[1] - lastMachine[1], stolenMs: 0, stealAfterMs: 0 })
          stealFrom.push(lastMachine[0])
        }
        last = now
        lastSched.set(sched)
        lastMachine.set(machineNow)
        lastOwn = mine
      }, 1)
    },
    stop() {
      histogram.disable()
      if (timer) clearInterval(timer)
      machine?.read(machineNow)
      settle(performance.now(), machineNow[0], true)
      const worstGap = gaps.reduce((m, g) => Math.max(m, g.ms), 0)
      // cpuacct counts the whole machine only at the root of its hierarchy: a container's own cgroup counts
      // less than /proc/stat's busy time, and other processes' time would be taken for ours
      const wholeMachine = machineNow[1] - machineFrom[1] >= 0.8 * (machineNow[2] - machineFrom[2]) - 50
      const counters: Counters = clock === null ? 'whole' : machine?.fine && wholeMachine ? 'split' : 'ran'
      return {
        /** What the counters allowed the judgement to split (stall-share.ts). */
        counters,
        maxDelayMs: round(histogram.max / 1e6), p99DelayMs: round(histogram.percentile(99) / 1e6),
        worstGapMs: round(worstGap), gapsOver5ms: gaps.length, gaps: [...gaps]
      }
    },
    close(): void { clock?.close(); machine?.close() }
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

/** Issue 4: no stall of the main process's event loop over 20 ms while training at full speed. */
const LIMIT_MS = 20
/** The machine's CPUs (cpuacct and /proc/stat count all of them). */
const CPUS = cpus().length

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
  it(`stalls no more than ${LIMIT_MS} ms by the lab's doing (what the main thread ran or lost behind our threads)`, { timeout: 400_000, retry: 1 }, async () => {
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

    // Baseline: threads spinning where the training threads will run, at their priority, the main thread idle.
    const spinners = Array.from({ length: threads }, () => new Worker(SPIN, { eval: true, workerData: { nice: NICE, idle: IDLE } }))
    await new Promise((r) => setTimeout(r, 500))
    probe.start()
    const i0 = performance.now()
    await new Promise((r) => setTimeout(r, 3000))
    const idle = probe.stop()
    await Promise.all(spinners.map((w) => w.terminate()))

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
    // The test's own check (see the top): the main thread kept busy for that much of its CPU time at an epoch.
    const stallMs = Number(process.env.BACKPROP_LAB_LOOP_STALL_MS) || 0
    let stallsLeft = process.env.BACKPROP_LAB_LOOP_STALL_ONCE ? 1 : Infinity
    if (stallMs > 0) {
      const cpu = schedClock()
      const now = new Float64Array(2)
      host.onEvent((e) => {
        if (e.type !== 'epoch' || stallsLeft-- <= 0) return
        if (!cpu) { const end = performance.now() + stallMs; while (performance.now() < end) { /* busy */ } return }
        cpu.read(now)
        const end = now[0] + stallMs
        while (now[0] < end) cpu.read(now)
      })
    }
    probe.start()
    const t0 = performance.now()
    const end = await rec.waitFor((e) => e.type === 'state' && (e.state === 'done' || e.state === 'failed'), 300_000)
    const training = probe.stop()
    const t1 = performance.now()
    const seconds = (t1 - t0) / 1000
    expect(end.type === 'state' && end.state).toBe('done')
    await host.projects.flushAutosave()
    gcObserver.disconnect()

    const epochs = rec.of('epoch').length
    const describeGap = (g: Gap, from: number, counters: Counters): string => {
      const inside = (at: number): boolean => at >= g.at - 1 && at <= g.at + g.ms
      const what = marks.filter((m) => inside(m.at)).map((m) => m.what)
      const gc = gcs.filter((m) => inside(m.at)).reduce((s, m) => s + m.ms, 0)
      const share = labShare(g, counters, CPUS)
      return `${round(g.ms)} ms at ${round((g.at - from) / 1000)} s: lab ${round(share.ms)} (ran ${round(share.ranMs)}` +
        `${share.ranMs < g.ranMs ? ` of ${round(g.ranMs)} counted` : ''}${share.behindOursMs > 0 ? `, behind our threads ${round(share.behindOursMs)}` : ''}), waited ${round(g.waitedMs)}, ` +
        `other processes ran ${round(Math.max(0, g.machineMs - g.ownMs))}${g.stolenMs > 0 ? `, VM steal ${g.stolenMs}` : ''}` +
        `${what.length ? ` (${what.join(', ')})` : ''}${gc > 0 ? ` gc ${round(gc)} ms` : ''}`
    }
    const idleWorst = worstShare(idle.gaps, idle.counters, CPUS)
    const worst = worstShare(training.gaps, training.counters, CPUS)
    const longest = [...training.gaps].sort((a, b) => b.ms - a.ms).slice(0, 5)
    const { gaps: _i, ...idleFigures } = idle
    const { gaps: _t, ...trainingFigures } = training
    console.log(`main event loop, idle beside ${threads} spinning thread(s) at the training priority: ${JSON.stringify(idleFigures)}; ` +
      `the lab's largest part of a gap: ${idleWorst ? describeGap(idleWorst.gap, i0, idle.counters) : 'none over 5 ms'}`)
    console.log(`main event loop, training ${epochs} epochs in ${round(seconds)} s with autosave and ${Math.round(wsBytes / 1024)} KiB streamed: ${JSON.stringify(trainingFigures)}`)
    console.log(`the lab's largest part of a gap while training (limit ${LIMIT_MS} ms, counters: ${training.counters}): ${worst ? describeGap(worst.gap, t0, training.counters) : 'none over 5 ms'}`)
    console.log(`longest gaps while training: ${longest.map((g) => describeGap(g, t0, training.counters)).join('; ') || 'none over 5 ms'}`)
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
    // The main thread never waits behind threads at the training priority; while training, the lab's part of
    // every stall (what the main thread ran: encoding the autosave in one block stalled it 70–190 ms, a training
    // step on this thread would be hundreds; and what it lost behind our own threads) stays within the target.
    expect(idleWorst?.share.ms ?? 0, 'the main thread waited behind threads at the training priority').toBeLessThanOrEqual(LIMIT_MS)
    expect(worst?.share.ms ?? 0, "the lab's part of a stall while training").toBeLessThanOrEqual(LIMIT_MS)
  })
})
