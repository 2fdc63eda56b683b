/**
 * The training loss of the epoch in progress, from the mini-batches trained so far (the loss curve's points since the
 * epoch began): what a language model's card shows, marked as a training estimate, before its first epoch report, so a
 * run stopped part-way through a long first epoch still says its perplexity (e^loss). Never a held-out figure.
 */
import type { Run } from '../../lib/run.svelte'

export interface RunningLoss { loss: number; perplexity: number; batches: number }

export function runningLoss(r: Run): RunningLoss | null {
  const last = r.last
  if (!last || last.batch < 1) return null
  // the epoch in progress began at this x (points are stored shifted by xOffset; a curve point may stand for several batches)
  const from = last.epoch - 1 + r.xOffset
  let sum = 0
  let n = 0
  for (let i = 0; i < r.batchX.length; i++) {
    const y = r.batchLoss[i]
    if (r.batchX[i] > from + 1e-9 && Number.isFinite(y)) {
      sum += y
      n++
    }
  }
  if (n === 0) return null
  const loss = sum / n
  return { loss, perplexity: Math.exp(loss), batches: last.batch }
}
