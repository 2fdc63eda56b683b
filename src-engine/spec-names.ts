import type { LayerSpec, LayerType } from './spec-types'

/** Short prefixes for default layer names: `conv1`, `pool1`, `affine2`, `lstm1`… */
export const NAME_PREFIX: Record<LayerType, string> = {
  Convolution: 'conv', Deconvolution: 'deconv', Pooling: 'pool', Upsample: 'upsample', Affine: 'affine',
  Relu: 'relu', LeakyRelu: 'lrelu', Sigmoid: 'sigmoid', Tanh: 'tanh', Dropout: 'dropout', Flatten: 'flatten',
  Reshape: 'reshape', BatchNormalization: 'bn', SoftmaxWithLoss: 'softmax', SigmoidWithLoss: 'sigmoidloss',
  MSE: 'mse', TimeEmbedding: 'embed', TimeRNN: 'rnn', TimeLSTM: 'lstm', TimeAffine: 'taffine',
  LastTimeStep: 'last', TimeSoftmaxWithLoss: 'tsoftmax'
}

/**
 * Resolved names of a spec's layers: the spec's own name, or prefix + index among layers of that
 * type (from 1). These names key the weights (`conv1.W`), the editor and the feature maps.
 */
export function layerNames(layers: readonly LayerSpec[]): string[] {
  const counts = new Map<string, number>()
  return layers.map((l) => {
    const k = (counts.get(l.type) ?? 0) + 1
    counts.set(l.type, k)
    const own = typeof l.name === 'string' ? l.name.trim() : ''
    return own !== '' ? own : `${NAME_PREFIX[l.type] ?? String(l.type).toLowerCase()}${k}`
  })
}
