/**
 * --threads: how many threads the kernels may use. Until the kernel pool exists the engine runs
 * its kernels on the calling thread; asking for more says so instead of pretending.
 */
import type { Output } from './output'

/** Applies the thread count; returns the number actually used. */
export async function setThreads(requested: number, out: Output): Promise<number> {
  if (requested > 1) {
    out.event('warning', { message: `--threads ${requested}: this build runs the kernels on 1 thread` }, `note: --threads ${requested} asked for, but this build runs the kernels on 1 thread`)
  }
  return 1
}
