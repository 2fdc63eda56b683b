/**
 * The training accuracy the page shows beside the test accuracy (tile, chart, summaries, the overfitting lesson): the
 * engine's measurement after the epoch, in inference mode, on a fixed sample of the training examples
 * (src-engine/train/train-sample.ts), as the test set is measured, so the two can be compared. The report's trainAcc,
 * the running mean over the epoch's batches while they trained (dropout on, weights changing), sits below the test
 * accuracy with dropout and is not shown; a run saved before the sample was measured has no training accuracy here.
 */
import type { EpochReport } from '../../src-engine/protocol'

export function trainAccuracy(e: EpochReport): number | null {
  return e.trainEvalAcc ?? null
}
