/**
 * Lowers the calling thread's CPU priority, so that on a machine with no core to spare the scheduler
 * runs the main process's event loop before the training threads (issue 4: the loop must not stall
 * while a run trains). The host asks for it through the environment it gives the training worker
 * (`BACKPROP_LAB_NICE`, set by src-main/lab-host.ts); the replica threads that worker starts inherit
 * that environment and lower themselves too. The CLI and the benchmarks never set it.
 *
 * Linux only: there `os.setPriority(tid)` is setpriority(PRIO_PROCESS, tid), which applies to that
 * one thread, found through /proc/thread-self. Elsewhere it would renice the whole process (the main
 * thread included), so it does nothing. Node cannot ask for SCHED_IDLE or SCHED_BATCH.
 */
import { readlinkSync } from 'node:fs'
import { getPriority, setPriority } from 'node:os'

export const NICE_ENV = 'BACKPROP_LAB_NICE'

/**
 * Sets this thread's nice value to the process's (its main thread's) plus `env.BACKPROP_LAB_NICE`
 * (a whole number 1–19), at most 19. Returns the nice value set, or null when nothing was done.
 */
export function lowerThreadPriority(env: Record<string, string | undefined> = process.env): number | null {
  const by = Number(env[NICE_ENV])
  if (process.platform !== 'linux' || !Number.isInteger(by) || by < 1 || by > 19) return null
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop())
    if (!Number.isInteger(tid) || tid <= 0) return null
    const nice = Math.min(19, getPriority(process.pid) + by)
    setPriority(tid, nice)
    return nice
  } catch {
    return null // no /proc, or not allowed: train at the normal priority
  }
}
