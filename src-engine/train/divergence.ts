/**
 * Divergence: a loss that becomes NaN/Infinity or climbs far above where it started means the
 * steps are too large. The trainer stops itself and says why, with a learning rate to try instead.
 */
import type { DivergenceFacts, KeptModel, OptimizerName } from '../protocol'

export type { DivergenceFacts }

/** Learning rates that usually work for each optimizer on the course's networks. */
export const TYPICAL_LR: Record<OptimizerName, number> = {
  SGD: 0.01, Momentum: 0.01, Nesterov: 0.01, AdaGrad: 0.01, RMSProp: 0.001, Adam: 0.001
}

export interface Divergence { loss: number; reason: 'not-finite' | 'exploded' }

/**
 * Watches batch losses. Exploding = the mean of the last `window` losses is more than `factor`
 * times the first batch's loss (and at least `margin` above it). Cross-entropy with its eps floor
 * saturates near 16, so NaN is not the only sign: a saturated loss is caught by the ratio.
 */
export class DivergenceWatch {
  private first: number | null = null
  private recent: number[] = []

  constructor(private readonly factor = 3, private readonly margin = 1, private readonly window = 5) {}

  /** Feed one batch loss; returns a Divergence when training should stop. */
  check(loss: number): Divergence | null {
    if (!Number.isFinite(loss)) return { loss, reason: 'not-finite' }
    if (this.first === null) this.first = loss
    this.recent.push(loss)
    if (this.recent.length > this.window) this.recent.shift()
    if (this.recent.length < this.window) return null
    const mean = this.recent.reduce((s, v) => s + v, 0) / this.recent.length
    if (mean > this.factor * this.first && mean > this.first + this.margin) return { loss: mean, reason: 'exploded' }
    return null
  }
}

/** A learning rate to suggest after divergence: the optimizer's usual one if lr is far above it, else lr/10. */
export function suggestLr(optimizer: OptimizerName, lr: number): number {
  const typical = TYPICAL_LR[optimizer] ?? 0.01
  return lr > 3 * typical ? typical : Number((lr / 10).toPrecision(1))
}

/** The facts of a divergence (what divergenceMessage says, for a page to word in its own language). */
export function divergenceFacts(d: Divergence, epoch: number, batch: number, optimizer: OptimizerName, lr: number, firstLoss: number | null): DivergenceFacts {
  const where = { epoch, batch, optimizer, lr, suggestedLr: suggestLr(optimizer, lr) }
  return d.reason === 'not-finite'
    ? { reason: 'not-finite', loss: Number.isNaN(d.loss) ? 'NaN' : d.loss > 0 ? 'Infinity' : '-Infinity', ...where }
    : { reason: 'exploded', loss: d.loss, firstLoss, ...where }
}

/** "the loss became NaN at epoch 1 batch 37; the learning rate 5 is too high for SGD — try 0.01". */
export function describeDivergence(f: DivergenceFacts): string {
  const what =
    f.reason === 'not-finite'
      ? `the loss became ${f.loss}`
      : `the loss exploded to ${f.loss.toFixed(2)}${f.firstLoss !== null ? ` (it started at ${f.firstLoss.toFixed(2)})` : ''}`
  return `${what} at epoch ${f.epoch} batch ${f.batch}; the learning rate ${f.lr} is too high for ${f.optimizer} — try ${f.suggestedLr}`
}

/** Which model the lab holds after the divergence (KeptModel), for the English message after describeDivergence's. */
export function describeKept(k: KeptModel): string {
  if (k.from === 'run') return `the lab kept this run's weights from epoch ${k.epoch} batch ${k.batch}, where the loss was ${k.loss.toFixed(4)}`
  if (k.from === 'before') return 'the lab kept the model it held before this run'
  return 'no model is held now: this run had no weights worth keeping and none was held before it'
}

/** divergenceFacts worded by describeDivergence, in one call. */
export function divergenceMessage(d: Divergence, epoch: number, batch: number, optimizer: OptimizerName, lr: number, firstLoss: number | null): string {
  return describeDivergence(divergenceFacts(d, epoch, batch, optimizer, lr, firstLoss))
}
