/**
 * What part of an event-loop stall the lab is responsible for (issue 4: "no stall over 20 ms"), from what the
 * kernel counted during it. test/main/event-loop.test.ts records the gaps; this judges them.
 *
 * A gap between two ticks of the loop's 1 ms timer is made of: the main thread running (our JS, a GC of our
 * garbage, a synchronous copy: the lab's); the thread runnable without a core (behind another process, behind
 * the hypervisor, or behind one of our own threads); the thread neither running nor waiting (the ~1 ms sleep
 * until the timer is due, the VM's vCPU taken away while the thread held it, or blocked on a lock or a disk).
 */

/**
 * One late tick of the loop: how long since the last one, and in that time the main thread's own CPU time (ran),
 * its time runnable but without a core (waited), this process's CPU time on all its threads (own), every
 * process's on the machine (machine) and the time the hypervisor took from the machine's CPUs (stolen), in ms.
 * The steal is counted at the CPUs' next timer ticks, so it is read later: `stealAfterMs` after the gap's end (at
 * least event-loop.test.ts's STEAL_LAG_MS, more when the loop stalled again meanwhile), and holds that time's too.
 */
export interface Gap { at: number; ms: number; ranMs: number; waitedMs: number; ownMs: number; machineMs: number; stolenMs: number; stealAfterMs: number }

/** The loop sleeps until its 1 ms timer is due: this much of every gap is neither running nor waiting. */
export const SLEEP_MS = 1

/**
 * How far the counters may add up past the machine's CPU time without having counted anything twice: cpuacct is
 * up to a 4 ms timer tick late on each of 2 CPUs at each end of a gap (16), /proc/stat's steal is in 10 ms ticks.
 */
export const COUNTING_SLACK_MS = 26

/**
 * What the counters allow: 'split' the main thread's run and wait and the machine's CPU time in ns (Linux:
 * schedstat and cgroup v1's cpuacct); 'ran' the main thread's run alone (the machine's time only in 10 ms
 * ticks, too coarse to split a 20 ms gap); 'whole' nothing (no schedstat): the whole gap counts.
 */
export type Counters = 'split' | 'ran' | 'whole'

/** The lab's part of a gap (ms): what the main thread ran (counted once), and what it lost behind our own threads (behindOurs). */
export interface Share { ms: number; ranMs: number; behindOursMs: number }

/**
 * The lab's part of a gap, on a machine of `cpus` CPUs. The main thread's own CPU time counts (with paravirtual
 * steal accounting, which this VM's kernel has, it excludes the time the hypervisor took), except what the
 * counters show was counted twice: once in a while, under heavy load, they add up to more CPU time than the
 * machine's CPUs had (seen: a 246.3 ms gap on 2 CPUs in which other processes ran 483.8 ms, the hypervisor took
 * 100 and the main thread "ran" 89.8 doing nothing the loop saw, no handler, no GC: a hypervisor above this
 * one taking the CPU, counted as a run), and that excess is not the lab's. Of the rest, what other processes ran (the
 * machine's CPU time less this process's) and the steal explain the wait; what they cannot explain, beyond the
 * sleep until the timer, was spent behind our own threads or blocked on something of ours, but no longer than
 * our other threads ran: when the whole VM is paused nothing is counted, not even steal (seen: a 90.7 ms gap,
 * waited 90.1, the machine 0.1 ms of CPU, steal 0), and our threads cannot have held a core they did not run on.
 * Lenient where it cannot tell: the main thread waiting behind our thread on one core while another process
 * runs on the other counts as the machine's.
 */
export function labShare(g: Gap, counters: Counters, cpus: number): Share {
  if (counters === 'whole') return { ms: g.ms, ranMs: 0, behindOursMs: 0 }
  if (counters === 'ran') return { ms: g.ranMs, ranMs: g.ranMs, behindOursMs: 0 }
  // the steal read after the gap may hold up to the CPUs' time since (a stall right after: hundreds of ms), which is
  // no sign of counting twice: without this, steal after a real 25 ms stall excused most of it
  const twice = Math.max(0, g.machineMs + g.stolenMs - cpus * (g.ms + g.stealAfterMs) - COUNTING_SLACK_MS)
  const ran = Math.max(0, g.ranMs - twice)
  const others = Math.max(0, g.machineMs - g.ownMs)
  const unexplained = g.ms - SLEEP_MS - g.ranMs - others - g.stolenMs
  const behindOurs = Math.max(0, Math.min(unexplained, g.ownMs - g.ranMs))
  return { ms: ran + behindOurs, ranMs: ran, behindOursMs: behindOurs }
}

/** The gap with the largest lab's part, with that part; null when there is none. */
export function worstShare(gaps: Gap[], counters: Counters, cpus: number): { gap: Gap; share: Share } | null {
  let worst: { gap: Gap; share: Share } | null = null
  for (const gap of gaps) {
    const share = labShare(gap, counters, cpus)
    if (!worst || share.ms > worst.share.ms) worst = { gap, share }
  }
  return worst
}
