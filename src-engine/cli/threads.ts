/**
 * --threads N for the command line: N − 1 data-parallel replica threads started from the CLI's
 * own bundle (which routes workerData.role 'replica'), or 1 thread with a note when no such
 * entry is known (the command line run from sources, as in some tests).
 */
import type { Trainer } from '../train/trainer'
import { startThreads } from '../train/threads'
import type { DataParallel } from '../train/data-parallel'
import type { Output } from './output'

export interface Threads { used: number; close(): Promise<void> }

/** Splits the trainer's batches across `requested` threads when possible. */
export async function attachThreads(trainer: Trainer, requested: number, out: Output): Promise<Threads> {
  let dp: DataParallel | null = null
  if (requested > 1 && out.replicaEntry === null) {
    out.event('warning', { message: `--threads ${requested}: no thread entry is available here; training on 1 thread` },
      `note: --threads ${requested} asked for, but no thread entry is available here; training on 1 thread`)
  } else if (requested > 1 && out.replicaEntry !== null) {
    dp = await startThreads(trainer, requested, out.replicaEntry)
  }
  return { used: dp ? requested : 1, close: async () => { await dp?.close() } }
}
