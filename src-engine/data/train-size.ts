/**
 * A smaller training set (TrainSettings.trainSize, the CLI's --train-size): the first N training examples in an order
 * shuffled by a fixed seed. With 8,000 digits a CNN barely overfits, so the classic homework ("make it overfit, then
 * fix it with dropout") needs fewer examples; the held-out set stays the same, so the runs compare with every other.
 *
 * The order's seed is fixed, not the run's: a run on 1,000 digits trains on the same 1,000 whatever its own seed, so
 * two runs differ only by what the learner changed (dropout, weight decay, the seed's weights), and the page and the
 * CLI train on the same examples. The first 500 are the first 500 of those 1,000. An IDX folder's training file may be
 * stored grouped by class: its first N in file order could be all zeros, hence the shuffle for every image source.
 */
import { Rng } from '../rng'
import { epochOrder, subset, type Dataset } from './dataset'
import type { TrainData } from '../train/data'
import { DataMismatchError } from '../train/checks'

/** The seed of the order a training set is cut from (never the run's seed; see above). */
export const TRAIN_SIZE_SEED = 20261127

/** The indices of the `n` examples of a training set of `available` that a run on `n` trains on, in that order. */
export function trainSizeRows(available: number, n: number): Uint32Array {
  return epochOrder(available, new Rng(TRAIN_SIZE_SEED)).slice(0, n)
}

/**
 * Why a training-set size cannot be used with `available` training examples and mini-batches of `batch`, in English
 * with what to change (the CLI's words, and the message beside the page's facts); null when it can.
 */
export function trainSizeProblem(size: number, available: number, batch: number): string | null {
  if (!(Number.isInteger(size) && size >= 1)) return `the training-set size must be a whole number of examples, 1 or more, got ${size}`
  if (size > available) return `the training-set size is ${size} but the data has ${available} training examples; use ${available} or fewer (or leave it out to train on all)`
  if (batch > size) return `a mini-batch of ${batch} is more than the ${size} training examples; use a batch of ${size} or fewer, or train on ${batch} examples or more`
  return null
}

/**
 * `data` training on `size` of its training examples (absent: all of them, unchanged). Image data only: a text's
 * windows follow each other, and a language model has no examples to count out. Refused with a DataMismatchError
 * (case 'train-size' or 'train-size-batch', whose facts the page words) when the size is above the examples there are or below the batch.
 */
export function withTrainSize(data: TrainData, size: number | undefined, batch: number): TrainData {
  if (size === undefined) return data
  const train = data.train as Dataset
  if (!('labels' in train)) throw new Error('a training-set size is for image data: a text trains on all of its windows; leave the size out')
  const problem = trainSizeProblem(size, train.n, batch)
  if (problem) throw new DataMismatchError(problem, { case: size > train.n ? 'train-size' : 'train-size-batch', size, available: train.n, batch })
  if (size === train.n) return data
  return { ...data, train: subset(train, trainSizeRows(train.n, size)), description: `${data.description}; training on ${size} of the ${train.n}` }
}
