/**
 * Held-out evaluation in chunks (a generator, so the trainer can yield between chunks): mean loss,
 * accuracy, the confusion matrix and the most confidently wrong examples for classifiers.
 */
import { tensor, type Tensor } from '../tensor'
import type { ImageStack, WrongExample } from '../protocol'
import type { Dataset } from '../data/dataset'
import { allocBatch, gatherBatch } from '../data/dataset'
import type { Sequential } from '../models/sequential'

export interface Evaluation {
  loss: number
  acc: number | null
  confusion?: { classes: number; counts: number[] }
  confidentWrong?: WrongExample[]
}

const MAX_WRONG = 12

/** Evaluates `model` on every example of `ds`, `chunk` at a time in inference mode. */
export function* evaluate(model: Sequential, ds: Dataset, chunk: number): Generator<'eval', Evaluation, void> {
  const lossLayer = model.lossLayer
  if (!lossLayer) throw new Error('this network has no loss layer, so it cannot be evaluated')
  const classify = (model.spec.task ?? 'classify') === 'classify'
  const K = ds.classes
  const counts = new Array<number>(K * K).fill(0)
  let wrong: { index: number; label: number; predicted: number; confidence: number }[] = []
  let lossSum = 0
  let correct = 0
  const full = allocBatch(ds, chunk)
  for (let s = 0; s < ds.n; s += chunk) {
    const n = Math.min(chunk, ds.n - s)
    const ix = new Uint32Array(n)
    for (let k = 0; k < n; k++) ix[k] = s + k
    const { x, t } = n === chunk ? full : allocBatch(ds, n)
    gatherBatch(ds, ix, x, t)
    const xin = model.inputTensor(x.data, n)
    const scores = model.forward(xin, false)
    const target: Tensor = classify ? t : tensor(scores.shape, x.data)
    lossSum += lossLayer.forward(scores, target) * n
    if (classify) {
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
      if (wrong.length > 4 * MAX_WRONG) wrong = topWrong(wrong)
    }
    yield 'eval'
  }
  const n = Math.max(1, ds.n)
  if (!classify) return { loss: lossSum / n, acc: null }
  return {
    loss: lossSum / n,
    acc: correct / n,
    confusion: { classes: K, counts },
    confidentWrong: topWrong(wrong).map((w) => ({ ...w, image: exampleImage(ds, w.index) }))
  }
}

/** The MAX_WRONG most confident mistakes, most confident first (ties: lower index first). */
function topWrong<T extends { index: number; confidence: number }>(list: T[]): T[] {
  return list.sort((a, b) => b.confidence - a.confidence || a.index - b.index).slice(0, MAX_WRONG)
}

/** Example i as one image, averaged over channels. */
function exampleImage(ds: Dataset, i: number): ImageStack {
  const [C, H, W] = ds.shape
  const hw = H * W
  const data = new Float32Array(hw)
  const base = i * C * hw
  for (let c = 0; c < C; c++) for (let k = 0; k < hw; k++) data[k] += ds.images[base + c * hw + k] / C
  return { count: 1, h: H, w: W, data }
}
