/**
 * Weights files: safetensors with the architecture beside the tensors (metadata key `spec`, the
 * spec as JSON), so a file says which network it fits. A language model also carries its
 * vocabulary (metadata key `vocab`: a JSON array of one-character strings, id order), which
 * `generate` needs to turn ids back into text. Format details live in io/safetensors.ts.
 */
import type { Tensor } from '../tensor'
import type { Sequential } from '../models/sequential'
import { decodeSafetensors, encodeModelWeights, specFromMetadata } from '../io/safetensors'
import { vocabFromChars, type CharVocab } from '../data/text'

/** The model's weights and spec (and a language model's vocabulary) as safetensors bytes. */
export function encodeWeightsFile(model: Sequential, vocab?: CharVocab): Uint8Array {
  const extra: Record<string, string> = { format: 'backprop-lab' }
  if (vocab) extra.vocab = JSON.stringify(vocab.chars)
  return encodeModelWeights(model.spec, model.weights(), extra)
}

/**
 * Parses (and strictly validates) a safetensors file; `spec` is null when the file carries none,
 * `vocab` null when it has no vocabulary (a malformed one is an error).
 */
export function decodeWeightsFile(bytes: Uint8Array, name: string): { tensors: Record<string, Tensor>; spec: unknown; vocab: CharVocab | null } {
  const file = decodeSafetensors(bytes, name)
  return { tensors: file.tensors, spec: specFromMetadata(file, name), vocab: vocabFromMetadata(file.metadata.vocab, name) }
}

/** metadata "vocab" (JSON array of characters) → a checked vocabulary, or null when absent. */
export function vocabFromMetadata(text: string | undefined, name: string): CharVocab | null {
  if (text === undefined) return null
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (e) {
    throw new Error(`${name}: metadata "vocab" is not valid JSON (${(e as Error).message})`)
  }
  if (!Array.isArray(raw) || raw.length === 0) throw new Error(`${name}: metadata "vocab" should be a non-empty JSON array of characters`)
  try {
    return vocabFromChars(raw as string[])
  } catch (e) {
    throw new Error(`${name}: metadata "vocab": ${(e as Error).message}`)
  }
}
