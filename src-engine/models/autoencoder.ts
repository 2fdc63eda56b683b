/**
 * Autoencoder helpers: where a reconstruct network keeps its code (the bottleneck), the encoder
 * half (input → code) and the decoder half (code → image), and the pictures a learner watches:
 * a row of held-out digits beside their reconstructions, and the held-out digits' 2-D codes.
 *
 * The bottleneck is the layer whose output is smallest per example (the first such layer, the last
 * layer excluded): for ae-2d the 2-unit Affine, for conv-autoencoder the second Pooling (8, 7, 7).
 */
import { tensor, sizeOf, type Tensor } from '../tensor'
import type { ImageStack, Snapshot } from '../protocol'
import type { Sequential } from './sequential'
import type { Examples } from '../train/examples'

export interface Bottleneck {
  /** Index into model.layers of the layer whose output is the code. */
  index: number
  /** That layer's name (affine3, pool2…). */
  layer: string
  /** One example's code shape, without N: (2) or (8, 7, 7). */
  shape: number[]
  /** Values per example. */
  size: number
}

/** Per-model memo: the geometry never changes once a Sequential is built. */
const memo = new WeakMap<Sequential, Bottleneck | null>()

/** The bottleneck of a reconstruct network, or null for other tasks (or a network of one layer). */
export function findBottleneck(model: Sequential): Bottleneck | null {
  if (memo.has(model)) return memo.get(model) ?? null
  let found: Bottleneck | null = null
  if (model.spec.task === 'reconstruct' && model.layers.length >= 2) {
    // One example of zeros through the layers gives every output shape without a second formula.
    const acts = model.activations(model.inputTensor(new Float32Array(sizeOf(model.spec.input)), 1))
    for (let i = 0; i < acts.length - 1; i++) {
      const shape = acts[i].shape.slice(1)
      const size = sizeOf(shape)
      if (found === null || size < found.size) found = { index: i, layer: acts[i].name, shape, size }
    }
  }
  memo.set(model, found)
  return found
}

function requireBottleneck(model: Sequential): Bottleneck {
  const b = findBottleneck(model)
  if (!b) throw new Error('this network is not an autoencoder (task "reconstruct"), so it has no code to encode or decode')
  return b
}

/** The codes of `n` examples x (n·input values): the bottleneck's output, (n·size) values. */
export function encode(model: Sequential, x: Float32Array, n: number): Float32Array {
  const b = requireBottleneck(model)
  let h: Tensor = model.inputTensor(x, n)
  for (let i = 0; i <= b.index; i++) h = model.layers[i].forward(h, false)
  return h.data.slice()
}

/**
 * The images `n` codes decode to: the layers after the bottleneck, then the output activation
 * (the loss layer's predict: sigmoid for SigmoidWithLoss). code holds n·size values.
 */
export function decode(model: Sequential, code: Float32Array, n: number): Float32Array {
  const b = requireBottleneck(model)
  if (!Number.isInteger(n) || n < 1) throw new Error(`decode needs a positive whole number of codes, got ${n}`)
  if (code.length !== n * b.size) {
    throw new Error(`the code of ${b.layer} has ${b.size} values per example: ${n} codes need ${n * b.size} values, got ${code.length}`)
  }
  for (let i = 0; i < code.length; i++) {
    if (!Number.isFinite(code[i])) throw new Error(`code value ${i} is ${code[i]}; codes must be finite numbers`)
  }
  let h: Tensor = tensor([n, ...b.shape], code.slice())
  for (let i = b.index + 1; i < model.layers.length; i++) h = model.layers[i].forward(h, false)
  const out = model.lossLayer ? model.lossLayer.predict(h) : h
  return out.data.slice()
}

/** The whole network's output for n examples, as images (what the learner sees as the reconstruction). */
export function reconstruct(model: Sequential, x: Float32Array, n: number): Float32Array {
  return model.predict(model.inputTensor(x, n)).probs.data
}

/** Channel-mean images of n examples laid out (n, C, H, W) → an ImageStack of n H×W images. */
export function asImages(data: Float32Array, n: number, shape: readonly number[]): ImageStack {
  const [C, H, W] = shape.length === 3 ? shape : [1, 1, sizeOf(shape)]
  const hw = H * W
  const out = new Float32Array(n * hw)
  for (let k = 0; k < n; k++) {
    for (let c = 0; c < C; c++) for (let j = 0; j < hw; j++) out[k * hw + j] += data[(k * C + c) * hw + j] / C
  }
  return { count: n, h: H, w: W, data: out }
}

/** The examples' labels (targets) for image examples, read through gather. */
export function labelsOf(ex: Examples, indices: Uint32Array): Float32Array {
  const { x, t } = ex.alloc(indices.length)
  ex.gather(indices, x, t)
  return Float32Array.from(t.data)
}

/**
 * The row shown beside its reconstructions: one held-out example of each class in turn (0, 1, … 9),
 * the first of each; classes that do not occur are skipped. At most `count` examples.
 */
export function rowIndices(ex: Examples, count: number): Uint32Array {
  const scan = Math.min(ex.n, 2000)
  const all = new Uint32Array(scan)
  for (let i = 0; i < scan; i++) all[i] = i
  const labels = labelsOf(ex, all)
  const picked: number[] = []
  for (let c = 0; c < ex.classes && picked.length < count; c++) {
    const i = labels.indexOf(c)
    if (i >= 0) picked.push(i)
  }
  for (let i = 0; i < scan && picked.length < count; i++) if (!picked.includes(i)) picked.push(i)
  return Uint32Array.from(picked.sort((a, b) => labels[a] - labels[b] || a - b))
}

/** Everything an autoencoder snapshot adds, for a fixed set of held-out examples. */
export class AutoencoderProbe {
  private readonly row: Float32Array
  private readonly rowN: number
  private readonly plane: { x: Float32Array; n: number; labels: Float32Array } | null

  /** rowCount examples for the reconstruction row; up to planeCount for the code plane (2-D codes only). */
  constructor(readonly model: Sequential, test: Examples, rowCount = 10, planeCount = 1000) {
    const b = requireBottleneck(model)
    const per = sizeOf(model.spec.input)
    const ix = rowIndices(test, rowCount)
    this.rowN = ix.length
    this.row = new Float32Array(this.rowN * per)
    for (let k = 0; k < ix.length; k++) this.row.set(test.input(ix[k]), k * per)
    if (b.size === 2 && test.kind === 'image' && test.n > 0) {
      const n = Math.min(planeCount, test.n)
      const all = new Uint32Array(n)
      for (let i = 0; i < n; i++) all[i] = i
      const { x } = test.alloc(n)
      const labels = labelsOf(test, all)
      test.gather(all, x, test.alloc(n).t)
      this.plane = { x: x.data, n, labels }
    } else {
      this.plane = null
    }
  }

  /** The inputs and reconstructions of the row, and (with `withCodes`, 2-D bottlenecks) the code plane. */
  take(withCodes: boolean): Pick<Snapshot, 'reconstructions' | 'codes'> {
    const out: Pick<Snapshot, 'reconstructions' | 'codes'> = {}
    const shape = this.model.spec.input
    if (this.rowN > 0) {
      out.reconstructions = {
        inputs: asImages(this.row, this.rowN, shape),
        outputs: asImages(reconstruct(this.model, this.row, this.rowN), this.rowN, shape)
      }
    }
    if (withCodes && this.plane) {
      const b = requireBottleneck(this.model)
      out.codes = { layer: b.layer, dims: 2, count: this.plane.n, points: encode(this.model, this.plane.x, this.plane.n), labels: this.plane.labels.slice() }
    }
    return out
  }
}
