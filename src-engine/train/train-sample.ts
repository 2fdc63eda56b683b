/**
 * The training examples whose accuracy is measured after every epoch as the held-out set's is: in inference mode
 * (Dropout passing everything through, BatchNormalization on its running statistics) with the weights the epoch
 * ended with. The running mean of the batches' accuracy during the epoch (EpochReport.trainAcc) is taken while the
 * weights still change and, with Dropout, while half the units are off, so it sits below the held-out accuracy and
 * a training/held-out gap read from it is an artefact of the measurement (Q5's F2); the book's trainer evaluates a
 * sample of the training set with train_flg=False for the same reason.
 */
import type { Rng } from '../rng'
import type { Examples } from './examples'

/**
 * At most this many training examples are evaluated after each epoch. 1,000 costs half a held-out evaluation of the
 * usual 2,000 (about 4 % of a Simple ConvNet epoch on 8,000 digits), its standard error is at most 1.6 points (0.5 at
 * 97 %), below the gaps the overfitting lesson reads, and the overfitting experiment's 1,000 training digits are all
 * measured.
 */
export const TRAIN_SAMPLE = 1000

/** `k` of the rows 0..n-1 (all of them when n ≤ k), drawn by `rng` without repeats, in increasing order. */
export function sampleRows(n: number, k: number, rng: Rng): Uint32Array {
  const all = new Uint32Array(n)
  for (let i = 0; i < n; i++) all[i] = i
  if (n <= k) return all
  // the first k places of a partial Fisher–Yates shuffle
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i)
    const tmp = all[i]
    all[i] = all[j]
    all[j] = tmp
  }
  return all.slice(0, k).sort()
}

/** The examples at `rows` of `ex`, as Examples of their own (the data is not copied: example i is ex's rows[i]). */
export function subsetExamples(ex: Examples, rows: Uint32Array): Examples {
  const at = (indices: ArrayLike<number>): Uint32Array => {
    const out = new Uint32Array(indices.length)
    for (let k = 0; k < indices.length; k++) out[k] = rows[indices[k]]
    return out
  }
  return {
    n: rows.length,
    xShape: ex.xShape,
    classes: ex.classes,
    ...(ex.labelsUsed === undefined ? {} : { labelsUsed: ex.labelsUsed }),
    kind: ex.kind,
    alloc: (B) => ex.alloc(B),
    gather: (indices, x, t) => ex.gather(at(indices), x, t),
    input: (i) => ex.input(rows[i]),
    image: (i) => ex.image(rows[i])
  }
}
