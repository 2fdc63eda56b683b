/** Training metrics shared by the trainer, the evaluation and the replica threads. */
import type { Tensor } from '../tensor'
import { classOf, classOutputOf, type ClassOutput } from '../models/class-output'

/**
 * Rows of scores (N, K) — or (N, T, K) — whose class equals the class index in t (N) — or (N, T). The scores are the
 * loss layer's input (a sigmoid's before the sigmoid); the class is their arg-max, or for a yes/no classifier's single
 * output (`kind` sigmoid or MSE scores) the side of the middle between 0 and 1 it is on (models/class-output.ts classOf).
 */
export function countCorrect(scores: Tensor, t: Tensor, kind: ClassOutput = 'softmax'): number {
  const N = t.data.length
  const K = scores.data.length / N
  let correct = 0
  for (let n = 0; n < N; n++) if (classOf(scores.data, n * K, K, kind, true) === t.data[n]) correct++
  return correct
}

/** countCorrect for the network whose loss layer is `lossType` (SigmoidWithLoss, MSE or a softmax). */
export function correctCounter(lossType: string | undefined): (scores: Tensor, t: Tensor) => number {
  const kind = classOutputOf(lossType)
  return (scores, t) => countCorrect(scores, t, kind)
}

