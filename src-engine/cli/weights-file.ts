/**
 * Weights files: safetensors with the architecture beside the tensors (metadata key `spec`, the
 * spec as JSON), so a file says which network it fits.
 */
import type { NetSpec } from '../spec-types'
import type { Tensor } from '../tensor'
import type { Sequential } from '../models/sequential'
import { readSafetensors, writeSafetensors } from '../io/safetensors'

/** The model's weights and spec as safetensors bytes. */
export function encodeWeightsFile(model: Sequential): Uint8Array {
  return writeSafetensors(model.weights(), { spec: JSON.stringify(model.spec), format: 'backprop-lab' })
}

/** Parses (and strictly validates) a safetensors file; `spec` is null when the file carries none. */
export function decodeWeightsFile(bytes: Uint8Array): { tensors: Record<string, Tensor>; spec: NetSpec | null } {
  const file = readSafetensors(bytes)
  const text = file.metadata?.spec
  let spec: NetSpec | null = null
  if (typeof text === 'string') {
    try {
      spec = JSON.parse(text) as NetSpec
    } catch {
      throw new Error('its metadata key "spec" is not valid JSON')
    }
  }
  return { tensors: file.tensors, spec }
}
