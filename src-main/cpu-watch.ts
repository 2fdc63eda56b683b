/**
 * Notices when a run's training threads get no CPU at all because other programs keep every core busy.
 *
 * The training threads run under SCHED_IDLE (src-engine/train/thread-priority.ts) so that the main
 * process's event loop never waits for them; the price is that a SCHED_IDLE thread only runs on a core
 * nothing else in its scheduling group wants. Two busy programs in the app's group (the same session
 * or cgroup) stop training completely, and an unprivileged thread cannot leave SCHED_IDLE again. The
 * host then tells the page (a `cpu` event) instead of leaving the learner with a run that silently
 * stands still: no batch finished for WINDOW_MS while the training threads spent most of that time
 * runnable but waiting for a core and almost none of it running (/proc/<pid>/task/<tid>/schedstat).
 * Linux only; elsewhere nothing is read and nothing is reported.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { SCHED_IDLE, threadPolicy } from '../src-engine/train/thread-priority'

/** How long the threads must be seen standing still (from the first tick without a batch) before the run counts as starved, and how often they are looked at. */
export const WINDOW_MS = 5000
export const TICK_MS = 1000
/** Starved: over the window the threads waited for a core at least this share of the time (the busiest thread)… */
const WAITED_SHARE = 0.5
/** …and ran at most this share of it (all of them together). */
const RAN_SHARE = 0.05

/** CPU time the threads ran and spent runnable but waiting for a core, summed, in ms; `threads` how many. */
export interface ThreadTimes { ranMs: number; waitedMs: number; maxWaitedMs: number; threads: number }

/** One reading: for each thread id, the CPU time it has run and spent runnable but waiting for a core, in ms. */
export type ThreadReading = Map<number, [ranMs: number, waitedMs: number]>

/** Linux: run and wait times of this process's threads under `policy` (the lowered training threads); null elsewhere. */
export function readThreadTimes(policy = SCHED_IDLE): ThreadReading | null {
  let tids: string[]
  try { tids = readdirSync('/proc/self/task') } catch { return null }
  const out: ThreadReading = new Map()
  for (const t of tids) {
    const tid = Number(t)
    if (threadPolicy(tid)?.policy !== policy) continue
    try {
      const [ran, waited] = readFileSync(`/proc/self/task/${t}/schedstat`, 'latin1').split(' ')
      out.set(tid, [Number(ran) / 1e6, Number(waited) / 1e6])
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

/** Whether threads that did `d` over `spanMs` were starved: waiting for a core, hardly ever on one. */
export function starvedOver(d: ThreadTimes, spanMs: number): boolean {
  return d.threads > 0 && d.maxWaitedMs >= WAITED_SHARE * spanMs && d.ranMs <= RAN_SHARE * spanMs
}

/**
 * Follows one running run: `progress()` on every batch the worker reports, `tick()` every TICK_MS.
 * Reports a change of verdict through `report` (true: starved; false: it trains again).
 */
export class StarvationWatch {
  /** The verdict last reported. */
  private isStarved = false
  private lastProgress: number
  /** Readings of the last WINDOW_MS, oldest first. */
  private readings: { at: number; times: ThreadReading }[] = []

  constructor(
    private readonly report: (starved: boolean) => void,
    private readonly read: () => ThreadReading | null = readThreadTimes,
    private readonly now: () => number = () => performance.now()
  ) {
    this.lastProgress = now()
  }

  get starved(): boolean { return this.isStarved }

  progress(): void {
    this.lastProgress = this.now()
    if (this.isStarved) {
      this.isStarved = false
      this.report(false)
    }
  }

  tick(): void {
    const at = this.now()
    // While batches keep coming there is nothing to judge: /proc is read (about 0.4 ms on the main
    // thread with 15 threads) only once the run has stood still for a tick, and the window starts there.
    if (at - this.lastProgress < TICK_MS) {
      this.readings.length = 0
      return
    }
    const times = this.read()
    if (!times) return
    this.readings.push({ at, times })
    while (this.readings.length > 1 && at - this.readings[1].at >= WINDOW_MS) this.readings.shift()
    const first = this.readings[0]
    const span = at - first.at
    if (this.isStarved || span < WINDOW_MS || at - this.lastProgress < WINDOW_MS) return
    if (starvedOver(timesBetween(first.times, times), span)) {
      this.isStarved = true
      this.report(true)
    }
  }
}
