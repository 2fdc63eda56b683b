/**
 * Weights files: safetensors with the architecture beside the tensors (metadata key `spec`, the
 * spec as JSON), so a file says which network it fits. Format details live in io/safetensors.ts.
 */
import type { Tensor } from '../tensor'
import type { Sequential } from '../models/sequential'
import { decodeSafetensors, encodeModelWeights, specFromMetadata } from '../io/safetensors'

/** The model's weights and spec as safetensors bytes. */
export function encodeWeightsFile(model: Sequential): Uint8Array {
  return encodeModelWeights(model.spec, model.weights(), { format: 'backprop-lab' })
}

/** Parses (and strictly validates) a safetensors file; `spec` is null when the file carries none. */
export function decodeWeightsFile(bytes: Uint8Array, name: string): { tensors: Record<string, Tensor>; spec: unknown } {
  const file = decodeSafetensors(bytes, name)
  return { tensors: file.tensors, spec: specFromMetadata(file, name) }
}
