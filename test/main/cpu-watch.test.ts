/**
 * cpu-watch.ts: a running run whose SCHED_IDLE threads wait for a core and hardly run, with no batch
 * finished for WINDOW_MS, is reported starved once; a batch (or a thread that runs again) clears it.
 */
import { describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { Worker } from 'node:worker_threads'
import { readThreadTimes, StarvationWatch, starvedOver, timesBetween, TICK_MS, WINDOW_MS } from '../../src-main/cpu-watch'

/** A fake clock and /proc: each tick every thread ran `ran` ms and waited `waited` ms. */
function rig(threads = [101, 102]) {
  let now = 0
  const totals = new Map<number, [number, number]>(threads.map((t) => [t, [0, 0]]))
  const reports: boolean[] = []
  const watch = new StarvationWatch((s) => reports.push(s), () => new Map([...totals].map(([k, v]) => [k, [...v] as [number, number]])), () => now)
  const tick = (ran: number, waited: number, n = 1): void => {
    for (let i = 0; i < n; i++) {
      now += TICK_MS
      for (const v of totals.values()) { v[0] += ran; v[1] += waited }
      watch.tick()
    }
  }
  return { watch, reports, tick }
}

describe('StarvationWatch', () => {
  const ticks = WINDOW_MS / TICK_MS

  it('reports a run whose threads only wait, once, after the window, and clears it on the next batch', () => {
    const r = rig()
    r.tick(0, 990, ticks - 1)
    expect(r.reports).toEqual([]) // not yet a whole window
    r.tick(0, 990, 2)
    expect(r.reports).toEqual([true])
    r.tick(0, 990, 3)
    expect(r.reports).toEqual([true]) // once
    r.watch.progress()
    expect(r.reports).toEqual([true, false])
  })

  it('says nothing while batches keep coming, however long the threads wait between them', () => {
    const r = rig()
    for (let i = 0; i < 3 * ticks; i++) {
      r.tick(0, 990)
      if (i % 3 === 0) r.watch.progress()
    }
    expect(r.reports).toEqual([])
  })

  it('reads /proc only once the run has stood still for a tick, and judges the window from there', () => {
    let now = 0
    let reads = 0
    const reports: boolean[] = []
    const watch = new StarvationWatch((s) => reports.push(s), () => { reads++; return new Map([[7, [0, now]]]) }, () => now)
    for (let i = 0; i < 3 * ticks; i++) { // a batch every 100 ms, as the host relays them
      for (let j = 0; j < TICK_MS / 100; j++) { now += 100; watch.progress() }
      watch.tick()
    }
    expect(reads).toBe(0)
    for (let i = 0; i < ticks; i++) { now += TICK_MS; watch.tick() }
    expect(reads).toBe(ticks)
    expect(reports).toEqual([]) // the readings span only WINDOW_MS − TICK_MS so far
    now += TICK_MS
    watch.tick()
    expect(reports).toEqual([true])
  })

  it('says nothing when the threads run (a slow batch) or sleep (nothing to wait for)', () => {
    const running = rig()
    running.tick(900, 90, 3 * ticks)
    expect(running.reports).toEqual([])
    const sleeping = rig()
    sleeping.tick(0, 0, 3 * ticks)
    expect(sleeping.reports).toEqual([])
  })

  it('needs threads to judge: none under SCHED_IDLE (not lowered, or not Linux) is never starved', () => {
    const r = rig([])
    r.tick(0, 0, 3 * ticks)
    expect(r.reports).toEqual([])
  })

  it('judges by the threads present in both readings, waiting by the busiest one', () => {
    const before = new Map<number, [number, number]>([[1, [10, 0]], [2, [0, 0]]])
    const after = new Map<number, [number, number]>([[1, [20, 4000]], [2, [0, 1000]], [3, [99, 99]]])
    const d = timesBetween(before, after)
    expect(d).toEqual({ ranMs: 10, waitedMs: 5000, maxWaitedMs: 4000, threads: 2 })
    expect(starvedOver(d, 5000)).toBe(true)
    expect(starvedOver({ ...d, ranMs: 300 }, 5000)).toBe(false) // ran 6 % of the time
    expect(starvedOver({ ...d, maxWaitedMs: 2000 }, 5000)).toBe(false) // waited 40 %
  })
})

const chrt = process.platform === 'linux' && spawnSync('chrt', ['--max'], { stdio: 'ignore' }).status === 0

describe.runIf(chrt)('readThreadTimes', () => {
  it('finds this process\'s SCHED_IDLE threads in /proc with the CPU time they ran', async () => {
    const code = `const { parentPort } = require('node:worker_threads')
const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop())
require('node:child_process').spawnSync('chrt', ['--idle', '--pid', '0', String(tid)])
parentPort.postMessage(tid)
const end = Date.now() + 300
while (Date.now() < end) {}
parentPort.once('message', () => process.exit(0))`
    const w = new Worker(code, { eval: true })
    const tid = await new Promise<number>((resolve) => w.once('message', resolve))
    await new Promise((r) => setTimeout(r, 400))
    const times = readThreadTimes()
    w.postMessage('done')
    await new Promise((r) => w.once('exit', r))
    expect(times?.has(tid)).toBe(true)
    expect(times!.get(tid)![0]).toBeGreaterThan(50) // ran at least 50 ms of its 300
    expect(readThreadTimes()?.has(process.pid)).toBe(false) // the main thread is not lowered
  })
})
