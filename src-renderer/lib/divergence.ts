/**
 * After a run diverged: the learning rate to go on with (restartLr) and where a continuation from the weights the host
 * kept begins (keptStart). The page's answers to the divergence event (which model is held now) are TrainLab.handle's.
 */
import { epochsTrained, type Run } from './run.svelte'

/**
 * The learning rate a diverged run restarts with: the engine's suggestion (the optimizer's usual rate, or a
 * tenth) when its facts carry one below the rate that diverged, else a tenth of the run's rate (older hosts).
 */
export function restartLr(r: Pick<Run, 'lr' | 'divergence'>): number {
  const f = r.divergence
  return f && f.suggestedLr > 0 && f.suggestedLr < f.lr ? f.suggestedLr : Number((r.lr / 10).toPrecision(3))
}

/**
 * Where a continuation from a diverged run's kept weights begins: numbered (epochOffset) and on the curve (xOffset).
 * The run's own last good weights ('run', epoch e, mini-batch b of B) sit at e − 1 + b/B of its epochs: the
 * continuation trains epoch e again (numbered from it) from that point of the curve; they were numbered after epoch
 * e, a gap on the loss curve and a missing epoch on the epoch chart (or, kept at an epoch's end, one epoch too many).
 * The model before the run ('before') is where the run began.
 */
export function keptStart(r: Run): { epochOffset: number; xOffset: number } {
  const k = r.divergence?.kept
  if (k?.from === 'before') return { epochOffset: r.epochOffset, xOffset: r.xOffset }
  const batches = r.last?.batches ?? 0
  if (k?.from === 'run' && batches > 0) {
    const whole = k.batch >= batches
    return { epochOffset: r.epochOffset + k.epoch - (whole ? 0 : 1), xOffset: r.xOffset + k.epoch - 1 + Math.min(k.batch, batches) / batches }
  }
  const n = epochsTrained(r)
  return { epochOffset: n, xOffset: n }
}
