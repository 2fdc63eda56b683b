/**
 * The learner's own drawings as extra training examples: appended to a labelled image training set
 * of 28×28 single-channel digits (the built-in digits, or IDX files of that size). Held-out data is
 * never changed, so accuracy stays comparable between runs with and without drawings.
 */
import type { Dataset } from '../data/dataset'
import type { TrainSettings } from '../protocol'
import type { TrainData } from './data'

export function withExtra(data: TrainData, extra: TrainSettings['extra']): TrainData {
  if (!extra || extra.labels.length === 0) return data
  const train = data.train as Dataset
  if (!('labels' in train) || train.shape[0] !== 1 || train.shape[1] !== 28 || train.shape[2] !== 28) {
    throw new Error('your drawings are 28×28 digits: they can join the built-in digits or 28×28 IDX data, not this dataset')
  }
  const n = extra.labels.length
  if (extra.images.length !== n * 784) throw new Error(`drawings: expected ${n * 784} pixels for ${n} labels, got ${extra.images.length}`)
  const images = new Float32Array(train.images.length + n * 784)
  images.set(train.images)
  images.set(extra.images, train.images.length)
  const labels = new Uint8Array(train.n + n)
  labels.set(train.labels)
  for (let i = 0; i < n; i++) {
    const k = extra.labels[i]
    if (!(Number.isInteger(k) && k >= 0 && k < train.classes)) throw new Error(`drawing ${i + 1} has label ${k}, not a class 0…${train.classes - 1}`)
    labels[train.n + i] = k
  }
  const merged: Dataset = { ...train, images, labels, n: train.n + n }
  return { ...data, train: merged, description: `${data.description} + ${n} of your drawings` }
}
