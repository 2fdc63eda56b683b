/**
 * buildNetwork: a NetSpec → layers with initialised weights. THE one switch over spec.type.
 * Sizes are inferred by walking the per-example shape forward (each layer's outShape), so a
 * Convolution learns its input channels and an Affine its input features from what precedes it.
 * Errors name the layer (`Convolution "conv2": input has 3 channels but W expects 1`).
 */
import { shapeText, sizeOf, tensor } from '../tensor'
import type { Rng } from '../rng'
import type { Init, LayerSpec, NetSpec } from '../spec-types'
import { layerNames } from '../spec-names'
import { initBias, initWeights } from '../init'
import type { Layer, LossLayer } from './layer'
import { where } from './common'
import { Convolution } from './convolution'
import { Pooling } from './pooling'
import { Deconvolution } from './deconvolution'
import { Upsample } from './upsample'
import { Affine } from './affine'
import { Relu } from './relu'
import { LeakyRelu } from './leaky-relu'
import { Sigmoid } from './sigmoid'
import { Tanh } from './tanh'
import { Dropout } from './dropout'
import { Flatten } from './flatten'
import { Reshape } from './reshape'
import { BatchNormalization } from './batch-normalization'
import { SoftmaxWithLoss } from './softmax-with-loss'
import { MSE } from './mse'
import { SigmoidWithLoss } from './sigmoid-with-loss'
import { TimeEmbedding } from './time-embedding'
import { TimeRNN } from './time-rnn'
import { TimeLSTM } from './time-lstm'
import { gateOffset } from './lstm-gates'
import { TimeAffine } from './time-affine'
import { LastTimeStep } from './last-time-step'
import { TimeSoftmaxWithLoss } from './time-softmax-with-loss'

export interface Network {
  /** Every layer except the loss, in order. */
  layers: Layer[]
  /** The final loss layer, or null when the spec ends without one (inference-only nets). */
  loss: LossLayer | null
  /** Resolved names of all spec layers (including the loss), as spec-names.ts layerNames gives them. */
  names: string[]
}

/** Default initialisation when a spec does not say: He, since most lab networks use ReLU. */
export const DEFAULT_INIT: Init = 'he'

/**
 * Builds the layers of `spec`. Weights come from a generator forked off `rng` for initialisation;
 * each Dropout gets its own fork of a second generator, so the same seed gives the same network
 * and the same masks.
 */
export function buildNetwork(spec: NetSpec, rng: Rng): Network {
  const names = layerNames(spec.layers)
  const initRng = rng.fork()
  const dropoutRng = rng.fork()
  if (!Array.isArray(spec.input) || spec.input.length === 0 || spec.input.some((d) => !(Number.isInteger(d) && d > 0))) {
    throw new Error(`network input ${shapeText(spec.input ?? [])} must be a list of positive whole sizes`)
  }
  let shape: number[] = [...spec.input]
  const layers: Layer[] = []
  let loss: LossLayer | null = null
  spec.layers.forEach((ls, i) => {
    const name = names[i]
    if (loss !== null) {
      // validateSpec accepts (with a warning) Dropout and activations after the loss: prediction ends at the loss
      if (AFTER_LOSS_IGNORED.has(ls.type)) return
      throw new Error(`${where(ls.type, name)}: comes after the loss layer "${loss.name}"; the loss layer must be last`)
    }
    const made = buildLayer(ls, name, shape, initRng, dropoutRng, spec.vocab)
    if (LOSS_TYPES.has(ls.type)) {
      loss = made as LossLayer
    } else {
      const layer = made as Layer
      layers.push(layer)
      shape = layer.outShape !== undefined ? layer.outShape(shape) : shape
    }
  })
  return { layers, loss, names }
}

/** Layers that do nothing after the loss layer; validateSpec warns about them ('dropout-after-output', 'layers-after-softmax'). */
const AFTER_LOSS_IGNORED: ReadonlySet<LayerSpec['type']> = new Set(['Dropout', 'Relu', 'LeakyRelu', 'Sigmoid', 'Tanh'])

/** Spec types that build a LossLayer (they end the network). */
export const LOSS_TYPES: ReadonlySet<LayerSpec['type']> = new Set(['SoftmaxWithLoss', 'MSE', 'SigmoidWithLoss', 'TimeSoftmaxWithLoss'])

function positiveInt(type: string, name: string, field: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new Error(`${where(type, name)}: ${field} must be a whole number ≥ 1, got ${String(v)}`)
  }
  return v
}

function needImage(type: string, name: string, shape: readonly number[]): [number, number, number] {
  if (shape.length !== 3) throw new Error(`${where(type, name)}: expects an image (C, H, W) but gets ${shapeText(shape)}`)
  return [shape[0], shape[1], shape[2]]
}

/** One layer from its spec, given the per-example shape arriving at it. */
export function buildLayer(ls: LayerSpec, name: string, inShape: readonly number[], initRng: Rng, dropoutRng: Rng, vocab?: number): Layer | LossLayer {
  switch (ls.type) {
    case 'Convolution': {
      const [C] = needImage(ls.type, name, inShape)
      const FN = positiveInt(ls.type, name, 'filters', ls.filters)
      const k = positiveInt(ls.type, name, 'kernel', ls.kernel)
      const W = initWeights([FN, C, k, k], ls.init ?? DEFAULT_INIT, C * k * k, initRng)
      return new Convolution(W, ls.bias === false ? null : initBias(FN), ls.stride ?? 1, ls.pad ?? 0, name)
    }
    case 'Pooling': {
      needImage(ls.type, name, inShape)
      const size = positiveInt(ls.type, name, 'size', ls.size)
      return new Pooling(size, size, ls.stride ?? size, ls.pad ?? 0, ls.mode ?? 'max', name)
    }
    case 'Affine': {
      const D = sizeOf(inShape)
      const M = positiveInt(ls.type, name, 'units', ls.units)
      const W = initWeights([D, M], ls.init ?? DEFAULT_INIT, D, initRng)
      return new Affine(W, ls.bias === false ? null : initBias(M), name)
    }
    case 'Relu': return new Relu(name)
    case 'LeakyRelu': return new LeakyRelu(ls.alpha ?? 0.01, name)
    case 'Sigmoid': return new Sigmoid(name)
    case 'Tanh': return new Tanh(name)
    case 'Dropout': return new Dropout(ls.rate, dropoutRng.fork(), name)
    case 'Flatten': return new Flatten(name)
    case 'Reshape': return new Reshape(ls.shape, name)
    case 'BatchNormalization': return new BatchNormalization(inShape[0], ls.momentum ?? 0.9, ls.eps ?? 1e-5, name)
    case 'SoftmaxWithLoss': return new SoftmaxWithLoss(name)
    case 'MSE': return new MSE(name)
    case 'SigmoidWithLoss': return new SigmoidWithLoss(name)
    case 'Deconvolution': {
      const [C] = needImage(ls.type, name, inShape)
      const FN = positiveInt(ls.type, name, 'filters', ls.filters)
      const k = positiveInt(ls.type, name, 'kernel', ls.kernel)
      const S = ls.stride ?? 1
      // each output pixel gathers about C·k·k / S² inputs, which is its fan-in
      const W = initWeights([C, FN, k, k], ls.init ?? DEFAULT_INIT, Math.max(1, Math.round((C * k * k) / (S * S))), initRng)
      return new Deconvolution(W, ls.bias === false ? null : initBias(FN), S, ls.pad ?? 0, name)
    }
    case 'Upsample':
      needImage(ls.type, name, inShape)
      return new Upsample(ls.scale, ls.mode ?? 'nearest', name)
    case 'TimeEmbedding':
    case 'TimeRNN':
    case 'TimeLSTM':
    case 'TimeAffine':
    case 'LastTimeStep':
    case 'TimeSoftmaxWithLoss':
      return recurrentLayer(ls, name, inShape, initRng, vocab)
    default: {
      const unknown: never = ls
      throw new Error(`unknown layer type "${String((unknown as { type?: unknown }).type)}" for layer "${name}"`)
    }
  }
}

type RecurrentSpec = Extract<LayerSpec, { type: 'TimeEmbedding' | 'TimeRNN' | 'TimeLSTM' | 'TimeAffine' | 'LastTimeStep' | 'TimeSoftmaxWithLoss' }>

/**
 * The recurrent layers (in them H is the hidden size). Embeddings start small (std 0.01, as the
 * course); the recurrent and time-affine weights use Xavier (std 1/√fan-in); biases start at zero,
 * except the LSTM's forget gate.
 * `vocab` is the spec's vocabulary size, known once a text is loaded.
 */
function recurrentLayer(ls: RecurrentSpec, name: string, inShape: readonly number[], initRng: Rng, vocab?: number): Layer | LossLayer {
  const needSeq = (): [number, number] => {
    if (inShape.length !== 2) {
      throw new Error(`${where(ls.type, name)}: expects a sequence (T, D) but gets ${shapeText(inShape)}; add a Reshape to (T, D) before it (an MNIST digit read row by row is (28, 28))`)
    }
    return [inShape[0], inShape[1]]
  }
  const needVocab = (): number => {
    if (vocab === undefined || !Number.isInteger(vocab) || vocab < 1) {
      throw new Error(`${where(ls.type, name)}: needs the vocabulary size; load a text first (the spec's vocab is set from it)`)
    }
    return vocab
  }
  switch (ls.type) {
    case 'TimeEmbedding': {
      if (inShape.length !== 1) throw new Error(`${where(ls.type, name)}: expects token ids (T) but gets ${shapeText(inShape)}`)
      const V = needVocab()
      const D = positiveInt(ls.type, name, 'dim', ls.dim)
      const W = tensor([V, D])
      for (let i = 0; i < W.data.length; i++) W.data[i] = initRng.normal() * 0.01
      return new TimeEmbedding(W, name)
    }
    case 'TimeRNN': {
      const [, D] = needSeq()
      const H = positiveInt(ls.type, name, 'hidden', ls.hidden)
      return new TimeRNN(initWeights([D, H], 'xavier', D, initRng), initWeights([H, H], 'xavier', H, initRng), initBias(H), name, ls.stateful ?? false)
    }
    case 'TimeLSTM': {
      const [, D] = needSeq()
      const H = positiveInt(ls.type, name, 'hidden', ls.hidden)
      // The forget gate's bias starts at 1 (as Keras's unit_forget_bias): f ≈ 0.73, so the cell keeps
      // its memory and gradients reach early steps from the first batch (see models/gradient-flow.ts).
      const b = initBias(4 * H)
      b.data.fill(1, gateOffset('f', H), gateOffset('f', H) + H)
      return new TimeLSTM(initWeights([D, 4 * H], 'xavier', D, initRng), initWeights([H, 4 * H], 'xavier', H, initRng), b, name, ls.stateful ?? false)
    }
    case 'TimeAffine': {
      const [, D] = needSeq()
      const M = ls.units === 'vocab' ? needVocab() : positiveInt(ls.type, name, 'units', ls.units)
      return new TimeAffine(initWeights([D, M], 'xavier', D, initRng), initBias(M), name)
    }
    case 'LastTimeStep':
      needSeq()
      return new LastTimeStep(name)
    case 'TimeSoftmaxWithLoss':
      return new TimeSoftmaxWithLoss(name)
  }
}
