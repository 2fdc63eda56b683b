/**
 * cpu-watch.ts: a running run whose SCHED_IDLE threads wait for a core and hardly run over WINDOW_MS is
 * reported starved once, even if a batch trickles through meanwhile; threads that run again clear it.
 */
import { describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { Worker } from 'node:worker_threads'
import { readThreadTimes, StarvationWatch, starvedOver, timesBetween, TICK_MS, WINDOW_MS } from '../../src-main/cpu-watch'

/** A fake clock and /proc: each tick every thread ran `ran` ms and waited `waited` ms (and was found `runnable`). */
function rig(threads = [101, 102]) {
  let now = 0
  const totals = new Map<number, [number, number, boolean]>(threads.map((t) => [t, [0, 0, false]]))
  const reports: boolean[] = []
  const watch = new StarvationWatch((s) => reports.push(s), () => new Map([...totals].map(([k, v]) => [k, [...v] as [number, number, boolean]])), () => now)
  const tick = (ran: number, waited: number, n = 1, runnable = false): void => {
    for (let i = 0; i < n; i++) {
      now += TICK_MS
      for (const v of totals.values()) { v[0] += ran; v[1] += waited; v[2] = runnable }
      watch.tick()
    }
  }
  return { watch, reports, tick }
}

describe('StarvationWatch', () => {
  const ticks = WINDOW_MS / TICK_MS

  it('reports a run whose threads only wait, once, after the window, and clears it when they run again', () => {
    const r = rig()
    r.tick(0, 990, ticks - 1)
    expect(r.reports).toEqual([]) // not yet a whole window
    r.tick(0, 990, 2)
    expect(r.reports).toEqual([true])
    r.tick(0, 990, 3)
    expect(r.reports).toEqual([true]) // once
    r.watch.progress() // a batch that got through is no sign the threads have a core again
    r.tick(5, 990)
    expect(r.reports).toEqual([true])
    r.tick(300, 600) // two threads on a core 30 % of a tick
    expect(r.reports).toEqual([true, false])
    r.tick(0, 990, ticks + 1) // and starved again: judged afresh over a whole window
    expect(r.reports).toEqual([true, false, true])
  })

  it('reports a run whose batches trickle through while its threads get a sliver of a core (1 %), and keeps the notice up meanwhile', () => {
    // measured on a loaded machine: 0-42 ms a second on a core, a 25 ms batch every 2-5 s (the first rule,
    // no batch for a whole window, never judged such a run)
    const r = rig()
    for (let i = 0; i < 4 * ticks; i++) {
      r.tick(10, 980)
      if (i % 3 === 0) r.watch.progress()
    }
    expect(r.reports).toEqual([true])
  })

  it('reports threads that got no core at all, whose schedstat wait has not grown, from their state: runnable at the readings', () => {
    const r = rig()
    r.tick(0, 0, ticks + 1, true)
    expect(r.reports).toEqual([true])
    const once = rig()
    once.tick(0, 0, 1, true) // runnable at one reading of five: the wait is not shown
    once.tick(0, 0, ticks)
    expect(once.reports).toEqual([])
  })

  it('says nothing while batches keep coming and the threads run', () => {
    const r = rig([101])
    for (let i = 0; i < 3 * ticks; i++) {
      r.tick(600, 390, 1, true)
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
    expect(starvedOver({ ...d, ranMs: 450 }, 5000)).toBe(true) // each thread ran 4.5 % of the time on average
    expect(starvedOver({ ...d, ranMs: 600 }, 5000)).toBe(false) // 6 %
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
    expect(times!.get(tid)![2]).toBe(false) // and sleeps now, waiting for a message
    expect(readThreadTimes()?.has(process.pid)).toBe(false) // the main thread is not lowered
  })
})
