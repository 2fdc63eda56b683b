/**
 * Image classification data as the trainer sees it, plus the seeded split and the batcher.
 * Pure TypeScript (no node:*), so the renderer may import it too.
 */
import type { Rng } from '../rng'
import type { Tensor } from '../tensor'
import { shapeText } from '../tensor'

/** N images of shape (C, H, W) with values in 0..1, and one class index per image. */
export interface Dataset {
  /** (N, C, H, W), row-major, 0..1. */
  readonly images: Float32Array
  /** (N), each in 0..classes-1. */
  readonly labels: Uint8Array
  readonly n: number
  readonly shape: readonly [C: number, H: number, W: number]
  readonly classes: number
  /** Human names of the classes when known (Fashion-MNIST: "T-shirt/top", ...). */
  readonly classNames?: readonly string[]
}

/** A Dataset from uint8 pixels (0..255 → 0..1). pixels (N, C, H, W); labels (N). */
export function datasetFromBytes(
  pixels: Uint8Array,
  labels: Uint8Array,
  shape: readonly [number, number, number],
  classes: number,
  classNames?: readonly string[]
): Dataset {
  const per = shape[0] * shape[1] * shape[2]
  const n = labels.length
  if (pixels.length !== n * per) {
    throw new Error(`dataset: ${n} labels need ${n * per} pixels of ${shapeText(shape)} but got ${pixels.length}`)
  }
  const images = new Float32Array(pixels.length)
  const scale = 1 / 255
  for (let i = 0; i < pixels.length; i++) images[i] = pixels[i] * scale
  for (let i = 0; i < n; i++) {
    if (labels[i] >= classes) throw new Error(`dataset: label #${i} is ${labels[i]} but there are only ${classes} classes`)
  }
  return { images, labels, n, shape: [shape[0], shape[1], shape[2]], classes, classNames }
}

/** The examples at `indices`, copied, in that order. */
export function subset(ds: Dataset, indices: ArrayLike<number>): Dataset {
  const per = ds.shape[0] * ds.shape[1] * ds.shape[2]
  const images = new Float32Array(indices.length * per)
  const labels = new Uint8Array(indices.length)
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k]
    if (!(i >= 0 && i < ds.n)) throw new Error(`subset: index ${i} is outside 0..${ds.n - 1}`)
    images.set(ds.images.subarray(i * per, (i + 1) * per), k * per)
    labels[k] = ds.labels[i]
  }
  return { images, labels, n: indices.length, shape: ds.shape, classes: ds.classes, classNames: ds.classNames }
}

/** How many examples each class has. */
export function classCounts(ds: Pick<Dataset, 'labels' | 'classes'>): number[] {
  const counts = new Array<number>(ds.classes).fill(0)
  for (const t of ds.labels) counts[t]++
  return counts
}

/** The share of the built-in digits (or an image set without its own test files) a run holds out: train/data.ts. */
export const IMAGE_TEST_FRACTION = 0.2

/** How many of `n` examples stratifiedSplit holds out for testing. */
export function heldOutCount(n: number, testFraction: number): number {
  return Math.round(n * testFraction)
}

/**
 * Split into train and test keeping every class in the same proportion (seeded).
 * The test set gets round(N·testFraction) examples, shared among classes by largest remainder,
 * so the built-in 10,000 digits with 0.2 give exactly 8,000 / 2,000. Both halves come out shuffled
 * (the built-in digits are stored grouped by class).
 */
export function stratifiedSplit(ds: Dataset, testFraction: number, rng: Rng): { train: Dataset; test: Dataset } {
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new Error(`stratifiedSplit: testFraction must be between 0 and 1 (exclusive), got ${testFraction}`)
  }
  const byClass: number[][] = Array.from({ length: ds.classes }, () => [])
  for (let i = 0; i < ds.n; i++) byClass[ds.labels[i]].push(i)

  const wanted = heldOutCount(ds.n, testFraction)
  const exact = byClass.map((ix) => ix.length * testFraction)
  const take = exact.map(Math.floor)
  let missing = wanted - take.reduce((s, k) => s + k, 0)
  // Largest remainders first; ties go to the lower class index so the result does not depend on sort stability.
  const order = exact.map((e, c) => c).sort((a, b) => exact[b] - take[b] - (exact[a] - take[a]) || a - b)
  for (const c of order) {
    if (missing <= 0) break
    if (take[c] < byClass[c].length) {
      take[c]++
      missing--
    }
  }

  const trainIx: number[] = []
  const testIx: number[] = []
  byClass.forEach((ix, c) => {
    rng.shuffle(ix)
    for (let k = 0; k < ix.length; k++) (k < take[c] ? testIx : trainIx).push(ix[k])
  })
  rng.shuffle(trainIx)
  rng.shuffle(testIx)
  return { train: subset(ds, trainIx), test: subset(ds, testIx) }
}

/** 0..n-1, shuffled by the seeded generator when one is given (one epoch's visiting order). */
export function epochOrder(n: number, rng?: Rng): Uint32Array {
  const order = new Uint32Array(n)
  for (let i = 0; i < n; i++) order[i] = i
  return rng ? rng.shuffle(order) : order
}

/** Consecutive slices of `order` of batchSize examples (views, no copy); the last one may be shorter. */
export function makeBatches(order: Uint32Array, batchSize: number): Uint32Array[] {
  if (!(Number.isInteger(batchSize) && batchSize > 0)) {
    throw new Error(`makeBatches: batch size must be a positive integer, got ${batchSize}`)
  }
  const batches: Uint32Array[] = []
  for (let s = 0; s < order.length; s += batchSize) batches.push(order.subarray(s, Math.min(s + batchSize, order.length)))
  return batches
}

/** Preallocated input and target tensors for batches of `batchSize`: x (N, C, H, W), t (N) of class indices. */
export function allocBatch(ds: Pick<Dataset, 'shape'>, batchSize: number): { x: Tensor; t: Tensor } {
  const [C, H, W] = ds.shape
  return {
    x: { shape: [batchSize, C, H, W], data: new Float32Array(batchSize * C * H * W) },
    t: { shape: [batchSize], data: new Float32Array(batchSize) }
  }
}

/**
 * Copy the examples at `indices` into outX (N, C, H, W) and outT: either (N) class indices or
 * (N, classes) one-hot rows (for MSE). N must equal indices.length; nothing is allocated.
 */
export function gatherBatch(ds: Dataset, indices: ArrayLike<number>, outX: Tensor, outT: Tensor): void {
  const N = indices.length
  const per = ds.shape[0] * ds.shape[1] * ds.shape[2]
  if (outX.shape[0] !== N || outX.data.length !== N * per) {
    throw new Error(`gatherBatch: outX is ${shapeText(outX.shape)} but the batch needs (${N}, ${ds.shape.join(', ')})`)
  }
  const oneHot = outT.shape.length === 2
  if (outT.shape[0] !== N || (oneHot ? outT.shape[1] !== ds.classes : outT.shape.length !== 1)) {
    throw new Error(`gatherBatch: outT is ${shapeText(outT.shape)} but the batch needs (${N}) or (${N}, ${ds.classes})`)
  }
  if (oneHot) outT.data.fill(0)
  for (let k = 0; k < N; k++) {
    const i = indices[k]
    if (!(i >= 0 && i < ds.n)) throw new Error(`gatherBatch: index ${i} is outside 0..${ds.n - 1}`)
    outX.data.set(ds.images.subarray(i * per, (i + 1) * per), k * per)
    if (oneHot) outT.data[k * ds.classes + ds.labels[i]] = 1
    else outT.data[k] = ds.labels[i]
  }
}
