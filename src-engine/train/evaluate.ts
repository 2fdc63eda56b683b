/**
 * Held-out evaluation in chunks (a generator, so the trainer can yield between chunks): mean loss,
 * accuracy (per token for language models), the confusion matrix and the most confidently wrong
 * examples for image classifiers.
 */
import { tensor, type Tensor } from '../tensor'
import type { WrongExample } from '../protocol'
import type { Sequential } from '../models/sequential'
import type { Examples } from './examples'
import { countCorrect } from './metrics'

export interface Evaluation {
  loss: number
  acc: number | null
  confusion?: { classes: number; counts: number[] }
  confidentWrong?: WrongExample[]
  /** Autoencoders: mean squared error per value between the output (after sigmoid) and the input. */
  mse?: number
}

const MAX_WRONG = 12

/** Evaluates `model` on every example of `ex`, `chunk` at a time in inference mode (each example's results its own). */
export function* evaluate(model: Sequential, ex: Examples, chunk: number): Generator<'eval', Evaluation, void> {
  const lossLayer = model.lossLayer
  if (!lossLayer) throw new Error('this network has no loss layer, so it cannot be evaluated')
  const hasClasses = model.spec.task !== 'reconstruct'
  // The confusion matrix and the wrong examples are for image classifiers (K labels, one per image).
  const perImage = hasClasses && ex.kind === 'image'
  const K = ex.classes
  const counts = new Array<number>(perImage ? K * K : 0).fill(0)
  let wrong: { index: number; label: number; predicted: number; confidence: number }[] = []
  let lossSum = 0
  let correct = 0
  let targets = 0
  let sqSum = 0
  const { x, t: tChunk } = ex.alloc(chunk)
  const ix = new Uint32Array(chunk)
  for (let s = 0; s < ex.n; s += chunk) {
    const n = Math.min(chunk, ex.n - s)
    // A last, shorter chunk runs as a whole one, its rest repeating its first example, and only its n rows count: the
    // layers then write into the blocks of the chunk's size (the batch's: trainer.ts evalChunk) rather than cut blocks
    // of a smaller size, which the engine memory's free lists would keep beside them.
    for (let k = 0; k < chunk; k++) ix[k] = s + (k < n ? k : 0)
    ex.gather(ix, x, tChunk)
    const out = model.forward(model.inputTensor(x.data, chunk), false)
    const scores = n === chunk ? out : firstRows(out, n)
    const t = n === chunk ? tChunk : firstRows(tChunk, n)
    const target: Tensor = hasClasses ? t : tensor(scores.shape, x.data.subarray(0, scores.data.length))
    lossSum += lossLayer.forward(scores, target) * n
    if (perImage) {
      const probs = lossLayer.predict(scores)
      const C = probs.data.length / n
      for (let k = 0; k < n; k++) {
        let best = 0
        for (let c = 1; c < C; c++) if (probs.data[k * C + c] > probs.data[k * C + best]) best = c
        const label = t.data[k]
        if (label < K && best < K) counts[label * K + best]++
        if (best === label) correct++
        else wrong.push({ index: s + k, label, predicted: best, confidence: probs.data[k * C + best] })
      }
      targets += n
      if (wrong.length > 4 * MAX_WRONG) wrong = topWrong(wrong)
    } else if (hasClasses) {
      correct += countCorrect(scores, t)
      targets += t.data.length
    } else {
      // what the learner sees is the output image, so its error is measured after the output activation
      const out = lossLayer.predict(scores).data
      for (let i = 0; i < out.length; i++) {
        const d = out[i] - x.data[i]
        sqSum += d * d
      }
      targets += out.length
    }
    yield 'eval'
  }
  const loss = lossSum / Math.max(1, ex.n)
  if (!hasClasses) return { loss, acc: null, mse: sqSum / Math.max(1, targets) }
  const acc = correct / Math.max(1, targets)
  if (!perImage) return { loss, acc }
  return {
    loss,
    acc,
    confusion: { classes: K, counts },
    confidentWrong: topWrong(wrong).flatMap((w) => {
      const image = ex.image(w.index)
      return image ? [{ ...w, image }] : []
    })
  }
}

/** The first n rows of `a` (its first dimension), viewing its data. */
function firstRows(a: Tensor, n: number): Tensor {
  return tensor([n, ...a.shape.slice(1)], a.data.subarray(0, (a.data.length / a.shape[0]) * n))
}

/** The MAX_WRONG most confident mistakes, most confident first (ties: lower index first). */
function topWrong<T extends { index: number; confidence: number }>(list: T[]): T[] {
  return list.sort((a, b) => b.confidence - a.confidence || a.index - b.index).slice(0, MAX_WRONG)
}
