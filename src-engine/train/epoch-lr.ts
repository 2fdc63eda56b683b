/**
 * The learning rates one epoch really trained with (EpochReport.lr): the rate of its first mini-batch, then each live
 * change (train:set-lr) that a later mini-batch of the epoch trained with. Noted per batch, just before its update, so
 * a change made while paused on an epoch's boundary or during its held-out test belongs to the epoch whose batches used
 * it. Bounded: after LR_KEPT − 1 changes the oldest change kept goes, counted in `lrLeftOut`; the first rate stays.
 */
import { LR_KEPT, type EpochReport } from '../protocol'

export class EpochRates {
  private first: number | null = null
  private changes: number[] = []
  private leftOut = 0

  /** The rate a mini-batch of the epoch is about to train with. */
  use(lr: number): void {
    if (this.first === null) {
      this.first = lr
      return
    }
    if (lr === (this.changes.at(-1) ?? this.first)) return
    this.changes.push(lr)
    if (this.changes.length > LR_KEPT - 1) {
      this.changes.shift()
      this.leftOut++
    }
  }

  /** The fields of the epoch's report (none before a batch trained). */
  report(): Pick<EpochReport, 'lr' | 'lrLeftOut'> {
    if (this.first === null) return {}
    return this.leftOut > 0 ? { lr: [this.first, ...this.changes], lrLeftOut: this.leftOut } : { lr: [this.first, ...this.changes] }
  }
}
