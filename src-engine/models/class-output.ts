/**
 * What a classifier's outputs are, by its loss layer: the app's pages (src-renderer/lib/class-output.ts) and the
 * command line's predict (cli/predict.ts) say them the same way. A classifier may end in MSE or SigmoidWithLoss,
 * trained on one-hot rows of its labels (layers/label-targets.ts), and the loss layer's `predict` then gives:
 * - SoftmaxWithLoss: probabilities that add up to 1 ('softmax');
 * - SigmoidWithLoss: a probability for each class on its own (the sigmoid of each score), which need not add up to 1:
 *   several classes can each be near 100 %, or none ('sigmoid');
 * - MSE: the raw outputs, each trained towards 1 for its class and 0 for the others, and free to go below 0 or
 *   above 1 ('scores'): shown as numbers, not as percentages or certainty.
 */
export type ClassOutput = 'softmax' | 'sigmoid' | 'scores'

/** The kind of output a network ending in `lossType` gives (softmax for any other or none). */
export function classOutputOf(lossType: string | undefined): ClassOutput {
  return lossType === 'SigmoidWithLoss' ? 'sigmoid' : lossType === 'MSE' ? 'scores' : 'softmax'
}

/** A raw score with two decimals, never "-0.00" ("0.93", "-0.12", "1.07"; a non-finite one as it is). */
export function scoreDigits(v: number): string {
  if (!Number.isFinite(v)) return String(v)
  const s = (Math.round(v * 100) / 100).toFixed(2)
  return s === '-0.00' ? '0.00' : s
}
