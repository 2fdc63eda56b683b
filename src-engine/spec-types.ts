/**
 * Architecture specs: plain JSON describing a network. Shared by the engine, the editor,
 * export and the project file. Types only; validation lives in spec.ts.
 *
 * Input shapes: images (C, H, W); sequences of vectors (T, D); token sequences (T) with a vocabulary.
 * Layer names are optional; a missing name becomes `<type in lower case><index among that type, from 1>`,
 * e.g. `convolution1`, `affine2` (see defaultLayerName in spec.ts).
 */

export type Init = 'he' | 'xavier' | 'std'

/** `bias: false` drops b (default true). */
export interface ConvolutionSpec { type: 'Convolution'; name?: string; filters: number; kernel: number; stride?: number; pad?: number; init?: Init; bias?: boolean }
export interface DeconvolutionSpec { type: 'Deconvolution'; name?: string; filters: number; kernel: number; stride?: number; pad?: number; init?: Init; bias?: boolean }
export interface PoolingSpec { type: 'Pooling'; name?: string; mode?: 'max' | 'avg'; size: number; stride?: number; pad?: number }
export interface UpsampleSpec { type: 'Upsample'; name?: string; scale: number; mode?: 'nearest' | 'bilinear' }
export interface AffineSpec { type: 'Affine'; name?: string; units: number; init?: Init; bias?: boolean }
export interface ReluSpec { type: 'Relu'; name?: string }
export interface LeakyReluSpec { type: 'LeakyRelu'; name?: string; alpha?: number }
export interface SigmoidSpec { type: 'Sigmoid'; name?: string }
export interface TanhSpec { type: 'Tanh'; name?: string }
export interface DropoutSpec { type: 'Dropout'; name?: string; rate: number }
export interface FlattenSpec { type: 'Flatten'; name?: string }
export interface ReshapeSpec { type: 'Reshape'; name?: string; shape: number[] }
export interface BatchNormalizationSpec { type: 'BatchNormalization'; name?: string; momentum?: number; eps?: number }
export interface SoftmaxWithLossSpec { type: 'SoftmaxWithLoss'; name?: string }
export interface SigmoidWithLossSpec { type: 'SigmoidWithLoss'; name?: string }
export interface MSESpec { type: 'MSE'; name?: string }
/** Recurrent layers. In these, H is the hidden size. */
export interface TimeEmbeddingSpec { type: 'TimeEmbedding'; name?: string; dim: number }
export interface TimeRNNSpec { type: 'TimeRNN'; name?: string; hidden: number; stateful?: boolean }
export interface TimeLSTMSpec { type: 'TimeLSTM'; name?: string; hidden: number; stateful?: boolean }
/** units: a number, or 'vocab' for "the vocabulary size" (NetSpec.vocab, known once the text is loaded). */
export interface TimeAffineSpec { type: 'TimeAffine'; name?: string; units: number | 'vocab' }
export interface LastTimeStepSpec { type: 'LastTimeStep'; name?: string }
export interface TimeSoftmaxWithLossSpec { type: 'TimeSoftmaxWithLoss'; name?: string }

export type LayerSpec =
  | ConvolutionSpec | DeconvolutionSpec | PoolingSpec | UpsampleSpec | AffineSpec
  | ReluSpec | LeakyReluSpec | SigmoidSpec | TanhSpec | DropoutSpec | FlattenSpec | ReshapeSpec
  | BatchNormalizationSpec | SoftmaxWithLossSpec | SigmoidWithLossSpec | MSESpec
  | TimeEmbeddingSpec | TimeRNNSpec | TimeLSTMSpec | TimeAffineSpec | LastTimeStepSpec | TimeSoftmaxWithLossSpec

export type LayerType = LayerSpec['type']

/** Which dataset family a network is built for; decides how inputs and targets are fed. */
export type TaskKind = 'classify' | 'reconstruct' | 'language-model'

export interface NetSpec {
  /** Free-form title shown in the editor. */
  name?: string
  /** (C, H, W) for images, (T, D) for vector sequences, (T) for token sequences. */
  input: number[]
  /** Vocabulary size for token inputs (language models); absent otherwise. */
  vocab?: number
  task?: TaskKind
  layers: LayerSpec[]
}

/** One problem found by validateSpec. `layer` is the index into spec.layers (-1 for the whole net). */
export interface SpecIssue {
  severity: 'error' | 'warning'
  layer: number
  /** The layer's resolved name, e.g. "conv2". */
  layerName: string
  /** The field the issue concerns (e.g. "stride"), so the editor can highlight it. */
  field?: string
  /** Stable code for tests and translations, e.g. "conv-size-not-integer". */
  code: string
  /** English message naming the layer and what to change. */
  message: string
  /** Values for translating the message (numbers, names). */
  values?: Record<string, string | number>
}

export interface LayerInfo {
  index: number
  name: string
  type: LayerType
  inShape: number[] | null
  outShape: number[] | null
  /** Parameter count of this layer (0 for layers without parameters). */
  params: number
  /** Per-parameter shapes, by parameter name (W, b, gamma, beta, Wx, Wh...). */
  paramShapes: Record<string, number[]>
  /** Multiply-adds for one example through this layer. */
  macs: number
  /** Receptive field on the input image (square side) after this layer, for conv/pool stacks. */
  receptiveField?: number
  /** Output-size formula with numbers filled in, for conv/pool/deconv layers. */
  formula?: string
  /** Saved non-learnable state by name (BatchNormalization running_mean, running_var); not in params. */
  bufferShapes?: Record<string, number[]>
  /**
   * Set when this layer's parameter count cannot be known: it holds weights, but a shape they follow is not known (an
   * error at or before it). `params` is then 0, not a count. A convolution's weights follow only from its input's C, its
   * kernel and filters, so one whose output does not fit still has its count.
   */
  paramsUnknown?: true
  /** Set when this layer's multiply-adds cannot be known (it has some, but its input or output shape is not known). */
  macsUnknown?: true
}

export interface SpecReport {
  ok: boolean
  layers: LayerInfo[]
  totalParams: number
  totalMacs: number
  outputShape: number[] | null
  issues: SpecIssue[]
  /** Set when some layer's count is unknown (LayerInfo.paramsUnknown): totalParams counts only the known ones. */
  paramsUnknown?: true
  /** Set when some layer's multiply-adds are unknown: totalMacs counts only the known ones. */
  macsUnknown?: true
  /** Estimated training memory: params·4 B·4 (weights, 2 optimizer moments, the last-good copy) + layer outputs·4 B for a batch of 100. */
  memoryBytes?: number
}
