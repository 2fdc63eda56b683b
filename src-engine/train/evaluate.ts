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
import { classOf, classOutputOf, classValue, type ClassOutput } from '../models/class-output'
import { isCarrying } from '../models/recurrent-state'

export interface Evaluation {
  loss: number
  acc: number | null
  confusion?: { classes: number; counts: number[] }
  confidentWrong?: WrongExample[]
  /** Autoencoders: mean squared error per value between the output (after sigmoid) and the input. */
  mse?: number
}

const MAX_WRONG = 12

/** What the rows of one slice of a chunk add up to: their loss (its mean times the rows), targets counted and right, squared error. */
export interface RowTotals { loss: number; correct: number; targets: number; sq: number }

/** What evaluate asks of a chunk of examples, and how it is run (on this thread alone, or split across a pool's threads). */
export interface ChunkWork {
  /** Image classifiers: each example's outputs (the loss layer's predict) are wanted, for the confusion matrix. */
  perImage: boolean
  /** How a classifier's outputs say their class (models/class-output.ts). */
  kind: ClassOutput
}

/**
 * A pool that runs a whole chunk split across its threads (DataParallel.evaluate): the rows' totals summed in thread
 * order and, per image, every real row's outputs (n × C) in row order; null when it cannot (then this thread runs it).
 */
export type ChunkPool = (model: Sequential, x: Tensor, t: Tensor, n: number, work: ChunkWork) => { totals: RowTotals; probs: Float32Array | null } | null

/**
 * The first `n` rows of one forward over x (all its rows run, in inference mode, so that the layers write into blocks
 * of x's size: a shorter last chunk repeats an example), as totals, and for image classifiers the real rows' outputs
 * (n × C, the loss layer's predict: a view valid until its next call). Recurrent layers start from zero state: every
 * held-out window stands on its own, so the loss does not depend on how the windows are cut into chunks (a layer
 * stateful by its spec carried h from row r of one chunk into row r of the next, which is not the window before it:
 * the held-out windows are in text order along a chunk's rows, not down its lanes).
 */
export function evalRows(model: Sequential, x: Tensor, t: Tensor, n: number, work: ChunkWork): { totals: RowTotals; probs: Float32Array | null } {
  const lossLayer = model.lossLayer
  if (!lossLayer) throw new Error('this network has no loss layer, so it cannot be evaluated')
  const rows = x.shape[0]
  for (const l of model.layers) if (isCarrying(l)) l.resetState()
  const out = model.forward(x, false)
  for (const l of model.layers) if (isCarrying(l)) l.resetState()
  const scores = n === rows ? out : firstRows(out, n)
  const tn = n === rows ? t : firstRows(t, n)
  const hasClasses = model.spec.task !== 'reconstruct'
  const target: Tensor = hasClasses ? tn : tensor(scores.shape, x.data.subarray(0, scores.data.length))
  const totals: RowTotals = { loss: lossLayer.forward(scores, target) * n, correct: 0, targets: 0, sq: 0 }
  if (work.perImage) return { totals, probs: lossLayer.predict(scores).data }
  if (hasClasses) {
    totals.correct = countCorrect(scores, tn, work.kind)
    totals.targets = tn.data.length
  } else {
    // what the learner sees is the output image, so its error is measured after the output activation
    const o = lossLayer.predict(scores).data
    for (let i = 0; i < o.length; i++) {
      const d = o[i] - x.data[i]
      totals.sq += d * d
    }
    totals.targets = o.length
  }
  return { totals, probs: null }
}

/**
 * Evaluates `model` on every example of `ex`, `chunk` at a time in inference mode (each example's results its own);
 * with `pool`, each chunk split across its threads.
 */
export function* evaluate(model: Sequential, ex: Examples, chunk: number, pool: ChunkPool | null = null): Generator<'eval', Evaluation, void> {
  if (!model.lossLayer) throw new Error('this network has no loss layer, so it cannot be evaluated')
  const hasClasses = model.spec.task !== 'reconstruct'
  // The confusion matrix and the wrong examples are for image classifiers (K labels, one per image).
  const perImage = hasClasses && ex.kind === 'image'
  const work: ChunkWork = { perImage, kind: classOutputOf(model.spec.layers.at(-1)?.type) }
  const K = ex.classes
  const counts = new Array<number>(perImage ? K * K : 0).fill(0)
  // rank: how sure the network was (the value shown, or for a yes/no MSE how far its one score is from the middle)
  let wrong: { index: number; label: number; predicted: number; confidence: number; rank: number }[] = []
  let lossSum = 0
  let correct = 0
  let targets = 0
  let sqSum = 0
  const { x, t } = ex.alloc(chunk)
  const ix = new Uint32Array(chunk)
  for (let s = 0; s < ex.n; s += chunk) {
    const n = Math.min(chunk, ex.n - s)
    // A last, shorter chunk runs as a whole one, its rest repeating its first example, and only its n rows count: the
    // layers then write into the blocks of the chunk's size (the batch's: trainer.ts evalChunk) rather than cut blocks
    // of a smaller size, which the engine memory's free lists would keep beside them.
    for (let k = 0; k < chunk; k++) ix[k] = s + (k < n ? k : 0)
    ex.gather(ix, x, t)
    const input = model.inputTensor(x.data, chunk)
    const { totals, probs } = pool?.(model, input, t, n, work) ?? evalRows(model, input, t, n, work)
    lossSum += totals.loss
    correct += totals.correct
    targets += totals.targets
    sqSum += totals.sq
    if (perImage) {
      const p = probs!
      const C = p.length / n
      for (let k = 0; k < n; k++) {
        const best = classOf(p, k * C, C, work.kind)
        const label = t.data[k]
        if (label < K && best < K) counts[label * K + best]++
        if (best === label) {
          correct++
          continue
        }
        const confidence = classValue(p, k * C, C, work.kind, best)
        const rank = C === 1 && work.kind === 'scores' ? Math.abs(p[k * C] - 0.5) : confidence
        wrong.push({ index: s + k, label, predicted: best, confidence, rank })
      }
      targets += n
      if (wrong.length > 4 * MAX_WRONG) wrong = topWrong(wrong)
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
    confidentWrong: topWrong(wrong).flatMap(({ rank: _rank, ...w }) => {
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
function topWrong<T extends { index: number; rank: number }>(list: T[]): T[] {
  return list.sort((a, b) => b.rank - a.rank || a.index - b.index).slice(0, MAX_WRONG)
}
