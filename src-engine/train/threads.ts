/**
 * Starting data-parallel kernel threads for a run: `threads − 1` replica threads running
 * `entry` (a worker file that routes workerData.role 'replica' to runReplica — the bundled
 * training worker and the command-line bundle both do).
 */
import { Worker } from 'node:worker_threads'
import { sizeOf } from '../tensor'
import { DataParallel } from './data-parallel'
import type { Trainer } from './trainer'

/** Attaches a DataParallel pool of `threads` threads to `trainer`; null (1 thread) when threads ≤ 1. */
export async function startThreads(trainer: Trainer, threads: number, entry: string): Promise<DataParallel | null> {
  if (threads <= 1) return null
  const dp = await DataParallel.create({
    spec: trainer.model.spec,
    threads,
    seed: trainer.settings.seed,
    paramCount: trainer.model.paramCount,
    xPer: sizeOf(trainer.model.spec.input),
    // Targets per example: one label, or T next tokens for a language model.
    tPer: trainer.data.train.kind === 'tokens' ? sizeOf(trainer.data.train.xShape) : 1,
    maxBatch: trainer.settings.batchSize,
    spawn: (init) => new Worker(entry, { workerData: init }),
    // the replicas see this model's parameters in place and share the optimizer's work (or start the next
    // batch while this thread runs it)
    model: trainer.model,
    optimizer: trainer.optimizer.name
  })
  trainer.useParallel(dp)
  return dp
}
