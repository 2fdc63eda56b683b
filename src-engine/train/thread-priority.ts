/**
 * Lowers the calling thread's CPU priority, so that on a machine with no core to spare the scheduler
 * runs the main process's event loop before the training threads (issue 4: the loop must not stall
 * while a run trains). The host asks for it through the environment it gives the training worker
 * (`BACKPROP_LAB_NICE`, and `BACKPROP_LAB_IDLE`; set by src-main/lab-host.ts); the replica threads
 * that worker starts inherit that environment and lower themselves too. The CLI and the benchmarks
 * never set them.
 *
 * Linux only. The thread is found through /proc/thread-self. With `BACKPROP_LAB_IDLE=1` it asks for
 * the SCHED_IDLE policy (`chrt -i -p 0 <tid>`, util-linux; Node cannot call sched_setscheduler): a
 * thread of any normal policy that wakes up then takes the core from it at once, however short its
 * wait has been, where a niced thread can keep the core for the rest of its time slice. Otherwise, or
 * when chrt is missing or fails, `os.setPriority(tid)`, which is setpriority(PRIO_PROCESS, tid) and
 * applies to that one thread, lowers its nice value. Elsewhere setPriority would renice the whole
 * process (the main thread included), so nothing is done.
 *
 * A lowered thread that holds a lock while it wakes a thread of normal policy keeps that lock until it
 * gets a core again, which under load can take a second: the host starts a lowered worker behind a relay
 * thread (src-main/worker-relay.ts), so that posting a message never makes the main thread wait.
 */
import { readFileSync, readlinkSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { getPriority, setPriority } from 'node:os'

export const NICE_ENV = 'BACKPROP_LAB_NICE'
export const IDLE_ENV = 'BACKPROP_LAB_IDLE'

/** SCHED_IDLE's number in sched.h (the `policy` field of /proc/<tid>/stat). */
export const SCHED_IDLE = 5

export interface Lowered {
  /** 'idle': SCHED_IDLE; 'nice': the normal policy at a higher nice value. */
  policy: 'idle' | 'nice'
  /** The thread's nice value (kept for SCHED_IDLE too: it is what the thread returns to if the policy is reset). */
  nice: number
}

/** Linux: the scheduling policy and nice value of thread `tid` of this process, from /proc. */
export function threadPolicy(tid: number | 'thread-self'): { policy: number; nice: number } | null {
  try {
    const stat = readFileSync(tid === 'thread-self' ? '/proc/thread-self/stat' : `/proc/self/task/${tid}/stat`, 'utf8')
    // Fields after "(comm)": state is field 3; nice is field 19, policy field 41.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return { nice: Number(f[16]), policy: Number(f[38]) }
  } catch {
    return null
  }
}

/** Puts thread `tid` under SCHED_IDLE with chrt (found on `env.PATH`); true when /proc then shows the policy. */
function scheduleIdle(tid: number, env: Record<string, string | undefined>): boolean {
  const r = spawnSync('chrt', ['--idle', '--pid', '0', String(tid)], { env, stdio: 'ignore', timeout: 5000 })
  return r.status === 0 && threadPolicy(tid)?.policy === SCHED_IDLE
}

/**
 * Sets this thread's nice value to the process's (its main thread's) plus `env.BACKPROP_LAB_NICE`
 * (a whole number 1–19), at most 19, and, with `env.BACKPROP_LAB_IDLE` = '1', its policy to
 * SCHED_IDLE. Returns what was done, or null when nothing was.
 */
export function lowerThreadPriority(env: Record<string, string | undefined> = process.env): Lowered | null {
  const by = Number(env[NICE_ENV])
  if (process.platform !== 'linux' || !Number.isInteger(by) || by < 1 || by > 19) return null
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop())
    if (!Number.isInteger(tid) || tid <= 0) return null
    const nice = Math.min(19, getPriority(process.pid) + by)
    setPriority(tid, nice)
    const idle = env[IDLE_ENV] === '1' && (threadPolicy(tid)?.policy === SCHED_IDLE || scheduleIdle(tid, env))
    return { policy: idle ? 'idle' : 'nice', nice }
  } catch {
    return null // no /proc, or not allowed: train at the normal priority
  }
}
