/**
 * buildNetwork: a NetSpec → layers with initialised weights. THE one switch over spec.type.
 * Sizes are inferred by walking the per-example shape forward (each layer's outShape), so a
 * Convolution learns its input channels and an Affine its input features from what precedes it.
 * Errors name the layer (`Convolution "conv2": input has 3 channels but W expects 1`).
 */
import { shapeText, sizeOf } from '../tensor'
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
    const made = buildLayer(ls, name, shape, initRng, dropoutRng)
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
export function buildLayer(ls: LayerSpec, name: string, inShape: readonly number[], initRng: Rng, dropoutRng: Rng): Layer | LossLayer {
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
      return recurrentLayer(ls, name, inShape, initRng)
    default: {
      const unknown: never = ls
      throw new Error(`unknown layer type "${String((unknown as { type?: unknown }).type)}" for layer "${name}"`)
    }
  }
}

type RecurrentSpec = Extract<LayerSpec, { type: 'TimeEmbedding' | 'TimeRNN' | 'TimeLSTM' | 'TimeAffine' | 'LastTimeStep' | 'TimeSoftmaxWithLoss' }>

/** The place where the recurrent layers (H = hidden size there) are built once they are wired in. */
function recurrentLayer(ls: RecurrentSpec, name: string, _inShape: readonly number[], _initRng: Rng): Layer | LossLayer {
  throw new Error(`${where(ls.type, name)}: recurrent layers are not available yet in buildNetwork`)
}
