/**
 * What the editor knows about each layer type: its palette group, the settings it has (with the right
 * control for each), and the defaults a freshly added layer gets. Pure data, no Svelte.
 */
import type { LayerSpec, LayerType } from '../../../src-engine/spec-types'
import { fieldBounds } from '../../../src-engine/spec-fields'

/** 'units' is a whole number or the word 'vocab' (the vocabulary size, known once the text is loaded). */
export type FieldKind = 'int' | 'number' | 'select' | 'bool' | 'int-list' | 'units'

export interface FieldDef {
  key: string
  kind: FieldKind
  /**
   * Bounds the box takes: the validator's own (spec-fields.ts fieldBounds), so a value the box takes is one the
   * validator takes (Q7's F4); an open end (ε above 0, a rate below 1) is not itself taken.
   */
  min?: number
  max?: number
  minOpen?: boolean
  maxOpen?: boolean
  step?: number
  options?: readonly string[]
  /** Shown when the spec leaves the field out (the engine's default). */
  fallback?: string | number | boolean
}

export type PaletteGroup = 'conv' | 'dense' | 'activation' | 'recurrent' | 'loss'

export interface LayerDef {
  type: LayerType
  group: PaletteGroup
  fields: readonly FieldDef[]
  /** A new layer of this type, with sensible settings for MNIST-sized inputs. */
  make(): LayerSpec
}

const INIT = { key: 'init', kind: 'select', options: ['he', 'xavier', 'std'], fallback: 'he' } as const

const conv: FieldDef[] = [
  { key: 'filters', kind: 'int' },
  { key: 'kernel', kind: 'int' },
  { key: 'stride', kind: 'int', fallback: 1 },
  { key: 'pad', kind: 'int', fallback: 0 },
  INIT,
  { key: 'bias', kind: 'bool', fallback: true }
]

/** The layer types with their settings' bounds filled in from the validator's rules. */
const withBounds = (defs: LayerDef[]): LayerDef[] =>
  defs.map((d) => ({ ...d, fields: d.fields.map((f) => ({ ...f, ...fieldBounds(d.type, f.key) })) }))

export const LAYER_DEFS: readonly LayerDef[] = withBounds([
  { type: 'Convolution', group: 'conv', fields: conv, make: () => ({ type: 'Convolution', filters: 16, kernel: 3, stride: 1, pad: 1 }) },
  {
    type: 'Pooling', group: 'conv',
    fields: [
      { key: 'mode', kind: 'select', options: ['max', 'avg'], fallback: 'max' },
      { key: 'size', kind: 'int' },
      { key: 'stride', kind: 'int', fallback: 1 },
      { key: 'pad', kind: 'int', fallback: 0 }
    ],
    make: () => ({ type: 'Pooling', mode: 'max', size: 2, stride: 2 })
  },
  { type: 'BatchNormalization', group: 'conv',
    fields: [
      { key: 'momentum', kind: 'number', step: 0.01, fallback: 0.9 },
      { key: 'eps', kind: 'number', step: 0.00001, fallback: 0.00001 }
    ],
    make: () => ({ type: 'BatchNormalization' }) },
  { type: 'Deconvolution', group: 'conv', fields: conv, make: () => ({ type: 'Deconvolution', filters: 16, kernel: 2, stride: 2, pad: 0 }) },
  {
    type: 'Upsample', group: 'conv',
    fields: [
      { key: 'scale', kind: 'int' },
      { key: 'mode', kind: 'select', options: ['nearest', 'bilinear'], fallback: 'nearest' }
    ],
    make: () => ({ type: 'Upsample', scale: 2, mode: 'nearest' })
  },
  {
    type: 'Affine', group: 'dense',
    fields: [{ key: 'units', kind: 'int' }, INIT, { key: 'bias', kind: 'bool', fallback: true }],
    make: () => ({ type: 'Affine', units: 100 })
  },
  { type: 'Flatten', group: 'dense', fields: [], make: () => ({ type: 'Flatten' }) },
  { type: 'Dropout', group: 'dense', fields: [{ key: 'rate', kind: 'number', step: 0.05 }], make: () => ({ type: 'Dropout', rate: 0.5 }) },
  { type: 'Reshape', group: 'dense', fields: [{ key: 'shape', kind: 'int-list' }], make: () => ({ type: 'Reshape', shape: [1, 28, 28] }) },
  { type: 'Relu', group: 'activation', fields: [], make: () => ({ type: 'Relu' }) },
  { type: 'LeakyRelu', group: 'activation', fields: [{ key: 'alpha', kind: 'number', step: 0.01, fallback: 0.01 }], make: () => ({ type: 'LeakyRelu', alpha: 0.01 }) },
  { type: 'Sigmoid', group: 'activation', fields: [], make: () => ({ type: 'Sigmoid' }) },
  { type: 'Tanh', group: 'activation', fields: [], make: () => ({ type: 'Tanh' }) },
  { type: 'TimeEmbedding', group: 'recurrent', fields: [{ key: 'dim', kind: 'int' }], make: () => ({ type: 'TimeEmbedding', dim: 32 }) },
  { type: 'TimeRNN', group: 'recurrent', fields: [{ key: 'hidden', kind: 'int' }, { key: 'stateful', kind: 'bool', fallback: false }], make: () => ({ type: 'TimeRNN', hidden: 64 }) },
  { type: 'TimeLSTM', group: 'recurrent', fields: [{ key: 'hidden', kind: 'int' }, { key: 'stateful', kind: 'bool', fallback: false }], make: () => ({ type: 'TimeLSTM', hidden: 128 }) },
  { type: 'TimeAffine', group: 'recurrent', fields: [{ key: 'units', kind: 'units' }], make: () => ({ type: 'TimeAffine', units: 'vocab' }) },
  { type: 'LastTimeStep', group: 'recurrent', fields: [], make: () => ({ type: 'LastTimeStep' }) },
  { type: 'SoftmaxWithLoss', group: 'loss', fields: [], make: () => ({ type: 'SoftmaxWithLoss' }) },
  { type: 'SigmoidWithLoss', group: 'loss', fields: [], make: () => ({ type: 'SigmoidWithLoss' }) },
  { type: 'MSE', group: 'loss', fields: [], make: () => ({ type: 'MSE' }) },
  { type: 'TimeSoftmaxWithLoss', group: 'loss', fields: [], make: () => ({ type: 'TimeSoftmaxWithLoss' }) }
])

export const PALETTE_GROUPS: readonly PaletteGroup[] = ['conv', 'dense', 'activation', 'recurrent', 'loss']

const BY_TYPE = new Map<string, LayerDef>(LAYER_DEFS.map((d) => [d.type, d]))

export function layerDef(type: string): LayerDef | undefined {
  return BY_TYPE.get(type)
}

export function isLossType(type: string): boolean {
  return BY_TYPE.get(type)?.group === 'loss'
}
