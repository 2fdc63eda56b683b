/**
 * Examples: what the trainer batches, whatever the data — labelled images (one class per example)
 * or windows of a text (T token ids in, the T next ids out). The trainer and the evaluation only
 * see this interface, so image classifiers, autoencoders and language models share one loop.
 */
import { tensor, type Tensor } from '../tensor'
import type { ImageStack } from '../protocol'
import { allocBatch, gatherBatch, type Dataset } from '../data/dataset'
import { gatherWindows, makeWindows } from '../data/text'

export interface Examples {
  readonly n: number
  /** One example's input shape: (C, H, W) for images, (T) for token windows. */
  readonly xShape: readonly number[]
  /** Number of classes of the targets (digits 10, a vocabulary's size for a language model). */
  readonly classes: number
  /** Image examples: one more than their largest label (an IDX folder's labels may use fewer than its `classes`). */
  readonly labelsUsed?: number
  /** 'image' examples have one label each; 'tokens' examples have T next-token targets. */
  readonly kind: 'image' | 'tokens'
  /** A batch's input (B, ...xShape) and targets (B) or (B, T). */
  alloc(B: number): { x: Tensor; t: Tensor }
  /** Copies the examples at `indices` into x and t (allocated by alloc(indices.length)). */
  gather(indices: ArrayLike<number>, x: Tensor, t: Tensor): void
  /** Example i's input, copied (the probe of feature maps). */
  input(i: number): Float32Array
  /** Example i as one image (channel mean), or null for non-image examples. */
  image(i: number): ImageStack | null
  /**
   * Token windows only: batches of B example indices in book 2's truncated-BPTT order — the text cut
   * into B lanes, batch k taking window k of every lane, so row n of batch k+1 continues row n of
   * batch k exactly (stateful training carries h and c across them).
   */
  lanes?(B: number): number[][]
}

/** Labelled images (a Dataset) as Examples. */
export function imageExamples(ds: Dataset): Examples {
  const [C, H, W] = ds.shape
  const per = C * H * W
  return {
    n: ds.n,
    xShape: ds.shape,
    classes: ds.classes,
    labelsUsed: ds.labels.reduce((m, l) => Math.max(m, l + 1), 0),
    kind: 'image',
    alloc: (B) => allocBatch(ds, B),
    gather: (indices, x, t) => gatherBatch(ds, indices, x, t),
    input: (i) => ds.images.slice(i * per, (i + 1) * per),
    image: (i) => {
      const hw = H * W
      const data = new Float32Array(hw)
      for (let c = 0; c < C; c++) for (let k = 0; k < hw; k++) data[k] += ds.images[i * per + c * hw + k] / C
      return { count: 1, h: H, w: W, data }
    }
  }
}

/** Windows of T ids (stride T) of a tokenised text: input ids[s..s+T), targets ids[s+1..s+T]. */
export function textExamples(ids: Int32Array, T: number, vocabSize: number): Examples {
  const starts = makeWindows(ids, T)
  return {
    n: starts.length,
    xShape: [T],
    classes: vocabSize,
    kind: 'tokens',
    alloc: (B) => ({ x: tensor([B, T]), t: tensor([B, T]) }),
    gather: (indices, x, t) => {
      const s = new Uint32Array(indices.length)
      for (let k = 0; k < indices.length; k++) s[k] = starts[indices[k]]
      gatherWindows(ids, s, T, x, t)
    },
    input: (i) => Float32Array.from(ids.subarray(starts[i], starts[i] + T)),
    image: () => null,
    lanes: (B) => {
      // windows have stride T and share one id, so consecutive windows continue each other
      const lane = Math.floor(starts.length / B)
      // the page and the host refuse this before Start when they know the text's length (data/text-lanes.ts)
      if (lane < 1) throw new Error(`stateful training cuts the text into ${B} lanes (the batch size), but the part it trains on has only ${starts.length} windows of ${T} characters: lower the batch size to ${starts.length} or fewer, turn stateful training off, or use a longer text`)
      const batches: number[][] = []
      for (let k = 0; k < lane; k++) batches.push(Array.from({ length: B }, (_, n) => n * lane + k))
      return batches
    }
  }
}

/** A Dataset is wrapped; Examples pass through. */
export function asExamples(d: Dataset | Examples): Examples {
  return 'gather' in d ? d : imageExamples(d)
}
