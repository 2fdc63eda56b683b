/**
 * Data layer of the shape-flow explainer: what validateSpec (the editor's own check) infers for a
 * network — each layer's input and output shape and its parameters — plus the course's examples of
 * why a fully connected layer on a full-HD image explodes and how a convolution cuts it.
 */
import { validateSpec } from '../../../src-engine/spec'
import { presetById } from '../../../src-engine/models/presets'
import type { NetSpec } from '../../../src-engine/spec-types'

export interface FlowRow {
  name: string
  type: string
  inShape: number[] | null
  outShape: number[] | null
  params: number
  paramShapes: Record<string, number[]>
}

export interface Flow { input: number[]; rows: FlowRow[]; total: number; ok: boolean }

export function shapeFlow(spec: NetSpec): Flow {
  const r = validateSpec(spec)
  return {
    input: spec.input,
    rows: r.layers.map((l) => ({ name: l.name, type: l.type, inShape: l.inShape, outShape: l.outShape, params: l.params, paramShapes: l.paramShapes })),
    total: r.totalParams,
    ok: r.ok
  }
}

const FULL_HD = [3, 1080, 1920]

/** The examples the explainer offers: presets by id, and the course's full-HD networks. */
export const FLOW_EXAMPLES = ['simple-convnet', 'keras-cnn', 'mlp', 'hd-affine', 'hd-conv'] as const
export type FlowExample = (typeof FLOW_EXAMPLES)[number]

export function exampleSpec(id: FlowExample): NetSpec {
  if (id === 'hd-affine') return { input: FULL_HD, layers: [{ type: 'Affine', units: 1, bias: false }] }
  if (id === 'hd-conv') {
    return {
      input: FULL_HD,
      layers: [{ type: 'Convolution', filters: 16, kernel: 5, stride: 5, pad: 0, bias: false }, { type: 'Affine', units: 1, bias: false }]
    }
  }
  const p = presetById(id)
  if (!p) throw new Error(`shape flow: no preset "${id}"`)
  return structuredClone(p.spec)
}

/** Parameters of one linear map in → out (with or without bias), as validateSpec counts them. */
export function linearParams(inputs: number, outputs: number, bias: boolean): number {
  return validateSpec({ input: [inputs], layers: [{ type: 'Affine', units: outputs, bias }] }).totalParams
}
