/**
 * Notices when a run's training threads get no CPU at all because other programs keep every core busy.
 *
 * The training threads run under SCHED_IDLE (src-engine/train/thread-priority.ts) so that the main
 * process's event loop never waits for them; the price is that a SCHED_IDLE thread only runs on a core
 * nothing else in its scheduling group wants. Two busy programs in the app's group (the same session
 * or cgroup) stop training almost completely, and an unprivileged thread cannot leave SCHED_IDLE again. The
 * host then tells the page (a `cpu` event) instead of leaving the learner with a run that silently
 * stands still: over WINDOW_MS the training threads ran almost none of the time while they waited for a
 * core (/proc/<tid>/schedstat, /proc/<tid>/stat), and it clears once they run a good share of a tick again.
 *
 * Two things the first rule (no batch for the whole window, and a thread's wait in schedstat over half of
 * it) missed on a loaded machine, measured with one SCHED_IDLE thread beside two busy loops in its session
 * (26 November, load 6 from other sessions): starved threads still get slivers of a core (0–42 ms a second,
 * about 1 % over a window), so a batch of 25 ms CPU finished every 2–5 s and the window never passed without
 * one, while the run trained at 1 % of its speed; and schedstat adds a wait only when the thread gets a core,
 * so a thread that got none for seconds showed no wait at all. A batch therefore no longer resets or clears
 * the verdict, and a thread seen runnable (state R) at most readings counts as waiting too.
 * Linux only; elsewhere nothing is read and nothing is reported.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { SCHED_IDLE } from '../src-engine/train/thread-priority'

/** How long the threads must be seen hardly running (from the first tick without a batch) before the run counts as starved, and how often they are looked at. */
export const WINDOW_MS = 5000
export const TICK_MS = 1000
/** Starved: over the window the threads waited for a core at least this share of the time (the busiest thread)… */
const WAITED_SHARE = 0.5
/** …or were found runnable at least at this share of the readings… */
const RUNNABLE_SHARE = 0.5
/** …and ran at most this share of it, on average per thread (a replica spins on its slivers, adding to the sum). */
const RAN_SHARE = 0.05
/** Training again (and nothing to watch): since the last reading, the threads together ran at least this share of the time. */
const RUNS_SHARE = 0.25

/** CPU time the threads ran and spent runnable but waiting for a core, summed, in ms; `threads` how many. */
export interface ThreadTimes { ranMs: number; waitedMs: number; maxWaitedMs: number; threads: number }

/**
 * One reading: for each thread id, the CPU time it has run and spent runnable but waiting for a core, in ms
 * (schedstat counts a wait when it ends: while a thread gets no core its wait does not grow), and whether it
 * was runnable (running or waiting for a core) at the reading.
 */
export type ThreadReading = Map<number, [ranMs: number, waitedMs: number, runnable?: boolean]>

/** Linux: run and wait times of this process's threads under `policy` (the lowered training threads); null elsewhere. */
export function readThreadTimes(policy = SCHED_IDLE): ThreadReading | null {
  let tids: string[]
  try { tids = readdirSync('/proc/self/task') } catch { return null }
  const out: ThreadReading = new Map()
  for (const t of tids) {
    try {
      // after "(comm)": the state is field 3, the policy field 41
      const stat = readFileSync(`/proc/self/task/${t}/stat`, 'latin1')
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (Number(f[38]) !== policy) continue
      const [ran, waited] = readFileSync(`/proc/self/task/${t}/schedstat`, 'latin1').split(' ')
      out.set(Number(t), [Number(ran) / 1e6, Number(waited) / 1e6, f[0] === 'R'])
    } catch { /* the thread ended meanwhile */ }
  }
  return out
}
/** What the threads did between two readings (threads present in both). */
export function timesBetween(before: ThreadReading, after: ThreadReading): ThreadTimes {
  const d: ThreadTimes = { ranMs: 0, waitedMs: 0, maxWaitedMs: 0, threads: 0 }
  for (const [tid, [ran, waited]] of after) {
    const b = before.get(tid)
    if (!b) continue
    d.ranMs += ran - b[0]
    d.waitedMs += waited - b[1]
    d.maxWaitedMs = Math.max(d.maxWaitedMs, waited - b[1])
    d.threads++
  }
  return d
}

/**
 * Whether threads that did `d` over `spanMs` were starved: waiting for a core (by schedstat, or found
 * runnable at `runnableShare` of the readings), hardly ever on one.
 */
export function starvedOver(d: ThreadTimes, spanMs: number, runnableShare = 0): boolean {
  return d.threads > 0 && (d.maxWaitedMs >= WAITED_SHARE * spanMs || runnableShare >= RUNNABLE_SHARE) && d.ranMs <= RAN_SHARE * spanMs * d.threads
}

/** Whether threads that did `d` over `spanMs` trained: on a core a good share of the time. */
export function runningOver(d: ThreadTimes, spanMs: number): boolean {
  return d.threads > 0 && d.ranMs >= RUNS_SHARE * spanMs
}

/**
 * Follows one running run: `progress()` on every batch the worker reports, `tick()` every TICK_MS.
 * Reports a change of verdict through `report` (true: starved; false: it trains again).
 */
export class StarvationWatch {
  /** The verdict last reported. */
  private isStarved = false
  private lastProgress: number
  /** Readings since the run was last seen training, of the last WINDOW_MS, oldest first; none while batches come and the threads run. */
  private readings: { at: number; times: ThreadReading }[] = []

  constructor(
    private readonly report: (starved: boolean) => void,
    private readonly read: () => ThreadReading | null = readThreadTimes,
    private readonly now: () => number = () => performance.now()
  ) {
    this.lastProgress = now()
  }

  get starved(): boolean { return this.isStarved }

  /**
   * A batch finished. It clears nothing by itself: starved threads still finish one now and then (a sliver of
   * a core), and the notice would flicker; tick() clears the verdict once the threads run again.
   */
  progress(): void {
    this.lastProgress = this.now()
  }

  tick(): void {
    const at = this.now()
    // While batches keep coming there is nothing to judge: /proc is read (about 0.4 ms on the main thread
    // with 15 threads) from the first tick without a batch, and then every tick until the threads are seen
    // on a core a good share of the time again.
    if (at - this.lastProgress < TICK_MS && this.readings.length === 0) return
    const times = this.read()
    if (!times) return
    const last = this.readings[this.readings.length - 1]
    if (last && runningOver(timesBetween(last.times, times), at - last.at)) {
      // training: a new window starts at the next tick without a batch (or here, if none came)
      this.readings = at - this.lastProgress < TICK_MS ? [] : [{ at, times }]
      if (this.isStarved) {
        this.isStarved = false
        this.report(false)
      }
      return
    }
    this.readings.push({ at, times })
    while (this.readings.length > 1 && at - this.readings[1].at >= WINDOW_MS) this.readings.shift()
    const first = this.readings[0]
    const span = at - first.at
    if (this.isStarved || span < WINDOW_MS) return
    // runnable at a reading: some thread wanted a core then (the window's first reading is only its start)
    const later = this.readings.slice(1)
    const runnable = later.filter((r) => [...r.times.values()].some((v) => v[2] === true)).length / later.length
    if (starvedOver(timesBetween(first.times, times), span, runnable)) {
      this.isStarved = true
      this.report(true)
    }
  }
}
