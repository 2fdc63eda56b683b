/**
 * What a classifier's outputs are, by its loss layer, for the pages that show them (the draw page's bars and answer,
 * the training page's "most confidently wrong"). Since 5d28f49 a classifier may end in MSE or SigmoidWithLoss, trained
 * on one-hot rows of its labels (src-engine/layers/label-targets.ts), and the loss layer's `predict` then gives:
 * - SoftmaxWithLoss: probabilities that add up to 1 ('softmax');
 * - SigmoidWithLoss: a probability for each class on its own (the sigmoid of each score), which need not add up to 1:
 *   several classes can each be near 100 %, or none ('sigmoid');
 * - MSE: the raw outputs, each trained towards 1 for its class and 0 for the others, and free to go below 0 or
 *   above 1 ('scores'): shown as numbers, not as percentages or certainty.
 */
import type { NetSpec } from '../../src-engine/spec-types'

export type ClassOutput = 'softmax' | 'sigmoid' | 'scores'

export function classOutput(spec: NetSpec | null | undefined): ClassOutput {
  const last = spec?.layers.at(-1)?.type
  return last === 'SigmoidWithLoss' ? 'sigmoid' : last === 'MSE' ? 'scores' : 'softmax'
}

/** A raw score with two decimals and a true minus sign ("0.93", "−0.12", "1.07"). */
export function scoreText(v: number): string {
  if (!Number.isFinite(v)) return String(v)
  const s = (Math.round(v * 100) / 100).toFixed(2)
  return s === '-0.00' ? '0.00' : s.replace('-', '\u2212')
}

/** A bar's length for a value: its fraction of the track, kept within the track (an MSE score of −0.2 or 1.3). */
export function barFraction(v: number): number {
  return Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0
}
