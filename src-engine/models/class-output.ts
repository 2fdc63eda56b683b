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

/**
 * The class that the K outputs of one example (values[at .. at + K)) say. With several outputs, the largest one.
 * With one output and the labels 0 and 1 (a yes/no classifier: layers/label-targets.ts compares the output with the
 * label itself), class 1 once the output is past the middle of the two labels, else class 0: a sigmoid's probability
 * over 0.5 (its score before the sigmoid over 0: `logits`), an MSE output nearer 1 than 0; the largest of one value
 * would always be class 0. A softmax's single output is a probability of 1 whatever it is given: class 0.
 */
export function classOf(values: ArrayLike<number>, at: number, K: number, kind: ClassOutput, logits = false): number {
  if (K === 1 && kind !== 'softmax') return values[at] > (kind === 'sigmoid' && logits ? 0 : 0.5) ? 1 : 0
  let best = 0
  for (let k = 1; k < K; k++) if (values[at + k] > values[at + best]) best = k
  return best
}

/**
 * The value behind class `cls` of one example's K outputs (as the loss layer's predict gives them), to show beside
 * the class: its probability, or its score for MSE. A yes/no sigmoid's one output is the probability of class 1, so
 * class 0's is 1 − p; a yes/no MSE's is its one score, whichever class it says.
 */
export function classValue(values: ArrayLike<number>, at: number, K: number, kind: ClassOutput, cls: number): number {
  if (K === 1 && kind === 'sigmoid') return cls === 1 ? values[at] : 1 - values[at]
  return values[at + (K === 1 ? 0 : cls)]
}
