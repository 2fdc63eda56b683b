/**
 * Data layer of the softmax / cross-entropy explainer: the engine's softmax and cross-entropy kernels
 * and its SoftmaxWithLoss layer (loss and the gradient p − t), for one example with a few classes.
 */
import { fromArray } from '../../../src-engine/tensor'
import { softmaxForward, crossEntropyIndices } from '../../../src-engine/kernels/softmax'
import { SoftmaxWithLoss } from '../../../src-engine/layers/softmax-with-loss'

/** The course's scores and its two probability vectors for target class 2. */
export const COURSE_SCORES = [0.3, 2.9, 4.0]
export const COURSE_PROBS = {
  right: [0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0],
  wrong: [0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0]
}
export const COURSE_TARGET = 2

export function softmax(scores: readonly number[]): number[] {
  const p = new Float32Array(scores.length)
  softmaxForward(p, Float32Array.from(scores), 1, scores.length)
  return Array.from(p)
}

/** −log(p[target] + 1e-7) for given probabilities (the course's cross_entropy_error). */
export function crossEntropy(probs: readonly number[], target: number): number {
  return crossEntropyIndices(Float32Array.from(probs), Float32Array.of(target), 1, probs.length)
}

export interface SoftmaxLoss { probs: number[]; loss: number; perplexity: number; grad: number[] }

/** Scores through SoftmaxWithLoss: probabilities, loss, exp(loss) and ∂L/∂scores = p − one-hot. */
export function softmaxWithLoss(scores: readonly number[], target: number): SoftmaxLoss {
  const layer = new SoftmaxWithLoss('loss')
  const x = fromArray([1, scores.length], scores)
  const loss = layer.forward(x, fromArray([1], [target]))
  const grad = Array.from(layer.backward().data)
  return { probs: Array.from(layer.predict(x).data), loss, perplexity: Math.exp(loss), grad }
}
