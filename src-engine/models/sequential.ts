/**
 * Sequential: a network built from a NetSpec — layers in order, then an optional loss layer.
 * As in the book's MultiLayerNet: forward runs the layers, loss adds the loss layer, backward walks
 * them in reverse, and `params` / `grads` are the uniform lists the optimizer updates.
 */
import type { Tensor } from '../tensor'
import { clone, shapeText, sameShape, sizeOf, tensor } from '../tensor'
import type { Rng } from '../rng'
import type { NetSpec } from '../spec-types'
import type { Layer, LossLayer } from '../layers/layer'
import { buildNetwork } from '../layers/build'
import { Convolution } from '../layers/convolution'
import { TimeLSTM } from '../layers/time-lstm'
import { releaseBlocks } from './release'

/** One layer's output for a probe input (feature maps), copied so later passes cannot overwrite it. */
export interface Activation { name: string; type: string; shape: number[]; data: Float32Array }

/** A weight as it arrives from a file (with shape) or over the worker boundary (flat data only). */
export type WeightValue = Tensor | Float32Array

/** Thrown by loadWeights: `problems` lists every mismatch, `message` says what is wrong and what to do. */
export class WeightsError extends Error {
  readonly code = 'weights-mismatch'
  constructor(readonly problems: string[]) {
    super(
      `these weights do not fit this network: ${problems.slice(0, 6).join('; ')}` +
        (problems.length > 6 ? `; and ${problems.length - 6} more` : '') +
        '. Load weights saved from the same architecture, or train this one from scratch.'
    )
    this.name = 'WeightsError'
  }
}

export class Sequential {
  readonly spec: NetSpec
  readonly layers: Layer[]
  readonly lossLayer: LossLayer | null
  /** `<layer>.<param>` for every learnable parameter, in the order of `params`. */
  readonly paramKeys: string[]
  readonly params: Tensor[]
  /** Set by release(): the buffers are given back, and the model refuses to run or hand out its weights. */
  private gone = false

  constructor(spec: NetSpec, layers: Layer[], lossLayer: LossLayer | null) {
    this.spec = spec
    this.layers = layers
    this.lossLayer = lossLayer
    this.paramKeys = []
    this.params = []
    for (const layer of layers) {
      layer.params.forEach((p, i) => {
        this.paramKeys.push(`${layer.name}.${layer.paramNames[i]}`)
        this.params.push(p)
      })
    }
  }

  /** Builds the layers of `spec` with weights drawn from `rng` (He/Xavier as the spec says). */
  static fromSpec(spec: NetSpec, rng: Rng): Sequential {
    const { layers, loss } = buildNetwork(spec, rng)
    return new Sequential(spec, layers, loss)
  }

  /** Gradients in the order of `params`, as left by the last backward(). Read fresh each step. */
  get grads(): Tensor[] {
    const out: Tensor[] = []
    for (const layer of this.layers) for (const g of layer.grads) out.push(g)
    return out
  }

  /** Total number of learnable values. */
  get paramCount(): number {
    let n = 0
    for (const p of this.params) n += p.data.length
    return n
  }

  /**
   * Gives every engine-memory block of this model back at once: parameters, gradients and each layer's
   * workspaces (models/release.ts). For the training thread when it drops the model (a new run's or an opened
   * project's model replaces it), so the next model's buffers reuse these blocks instead of landing outside engine
   * memory while the garbage collector has not yet noticed. Afterwards the model must not be used: forward,
   * weights and loadWeights throw, rather than read blocks another model may own by then.
   */
  release(): void {
    if (this.gone) return
    this.gone = true
    for (const layer of this.layers) releaseBlocks(layer)
    if (this.lossLayer) releaseBlocks(this.lossLayer)
  }

  /** Whether release() has run. */
  get released(): boolean {
    return this.gone
  }

  /** The scores (the input of the loss layer). x (N, ...input). */
  forward(x: Tensor, train: boolean): Tensor {
    this.alive()
    let out = x
    for (const layer of this.layers) out = layer.forward(out, train)
    return out
  }

  /** Forward in training mode plus the loss layer; returns the mean loss and keeps the scores. */
  loss(x: Tensor, t: Tensor, train = true): { loss: number; scores: Tensor } {
    const loss = this.requireLoss()
    const scores = this.forward(x, train)
    return { loss: loss.forward(scores, t), scores }
  }

  /**
   * Backpropagates the last loss(); afterwards `grads` hold dL/dparams. `batch`: average over that many
   * examples instead of this batch's own (a slice of a larger batch: LossLayer.backward).
   */
  backward(batch?: number): void {
    this.alive()
    let dout = this.requireLoss().backward(batch)
    for (let i = this.layers.length - 1; i > 0; i--) dout = this.layers[i].backward(dout)
    const first = this.layers[0]
    if (first === undefined) return
    // Nobody reads the input's gradient here: a first Convolution skips it (its dcolᵀ GEMM and col2imT),
    // a first TimeLSTM its dA·Wxᵀ product.
    if (first instanceof Convolution || first instanceof TimeLSTM) {
      first.needsDx = false
      try { first.backward(dout) } finally { first.needsDx = true }
    } else {
      first.backward(dout)
    }
  }

  /** The network's output for inference: softmax probabilities (or sigmoid / raw for other losses). */
  predict(x: Tensor): { probs: Tensor; logits: Tensor } {
    const logits = this.forward(x, false)
    const probs = this.lossLayer ? this.lossLayer.predict(logits) : logits
    return { probs: clone(probs), logits: clone(logits) }
  }

  /** Every layer's output for x in inference mode (feature-map probes), in layer order. */
  activations(x: Tensor): Activation[] {
    this.alive()
    const out: Activation[] = []
    let h = x
    for (const layer of this.layers) {
      h = layer.forward(h, false)
      out.push({ name: layer.name, type: layer.type, shape: [...h.shape], data: h.data.slice() })
    }
    return out
  }

  /** Copies of all parameters and saved buffers, keyed `conv1.W`, `bn1.running_mean`… */
  weights(): Record<string, Tensor> {
    this.alive()
    const out: Record<string, Tensor> = {}
    for (const [key, t] of this.entries()) out[key] = clone(t)
    return out
  }

  /** The expected shape of every weight, keyed like weights(). */
  weightShapes(): Record<string, number[]> {
    const out: Record<string, number[]> = {}
    for (const [key, t] of this.entries()) out[key] = [...t.shape]
    return out
  }

  /**
   * Copies `record` into the network after checking every name, shape and value; on any problem
   * nothing is changed and a WeightsError lists what does not fit.
   */
  loadWeights(record: Record<string, WeightValue>): void {
    this.alive()
    const problems: string[] = []
    const entries = this.entries()
    const expected = new Set(entries.map(([k]) => k))
    for (const [key, t] of entries) {
      const v = record[key]
      if (v === undefined) {
        problems.push(`${key} is missing (expected shape ${shapeText(t.shape)})`)
        continue
      }
      const data = v instanceof Float32Array ? v : v.data
      if (!(v instanceof Float32Array) && !sameShape(v.shape, t.shape)) {
        problems.push(`${key} has shape ${shapeText(v.shape)} but this network expects ${shapeText(t.shape)}`)
      } else if (!(data instanceof Float32Array) || data.length !== t.data.length) {
        problems.push(`${key} holds ${data?.length ?? 0} values but this network expects ${t.data.length} ${shapeText(t.shape)}`)
      } else {
        const bad = firstNonFinite(data)
        if (bad >= 0) problems.push(`${key} contains ${data[bad]} at index ${bad}`)
      }
    }
    for (const key of Object.keys(record)) {
      if (!expected.has(key)) problems.push(`${key} is not a weight of this network`)
    }
    if (problems.length > 0) throw new WeightsError(problems)
    for (const [key, t] of entries) {
      const v = record[key]
      t.data.set(v instanceof Float32Array ? v : v.data)
    }
  }

  /** First Convolution layer's W (FN, C, FH, FW), or null when the network has none. */
  firstConvWeights(): Tensor | null {
    for (const layer of this.layers) {
      if (layer.type === 'Convolution') {
        const i = layer.paramNames.indexOf('W')
        if (i >= 0) return layer.params[i]
      }
    }
    return null
  }

  /** A batch tensor (N, ...spec.input) viewing `data` (no copy). */
  inputTensor(data: Float32Array, n: number): Tensor {
    const shape = [n, ...this.spec.input]
    if (data.length !== n * sizeOf(this.spec.input)) {
      throw new Error(`the network expects inputs of ${shapeText(this.spec.input)} per example: ${n} examples need ${n * sizeOf(this.spec.input)} values, got ${data.length}`)
    }
    return tensor(shape, data)
  }

  private entries(): [string, Tensor][] {
    const out: [string, Tensor][] = []
    for (const layer of this.layers) {
      layer.params.forEach((p, i) => out.push([`${layer.name}.${layer.paramNames[i]}`, p]))
      for (const b of layer.buffers ?? []) out.push([`${layer.name}.${b.name}`, b.tensor])
    }
    return out
  }

  private alive(): void {
    if (this.gone) throw new Error('this model was released (a newer model replaced it): its buffers may belong to another model now')
  }

  private requireLoss(): LossLayer {
    if (!this.lossLayer) throw new Error('this network has no loss layer: end it with SoftmaxWithLoss, MSE or SigmoidWithLoss to train it')
    return this.lossLayer
  }
}

function firstNonFinite(a: Float32Array): number {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return i
  return -1
}
