/**
 * Weights files: safetensors with the architecture beside the tensors (metadata key `spec`, the
 * spec as JSON), so a file says which network it fits. A language model also carries its
 * vocabulary (metadata key `vocab`: a JSON array of one-character strings, id order), which
 * `generate` needs to turn ids back into text. Format details live in io/safetensors.ts.
 */
import type { Tensor } from '../tensor'
import type { Sequential } from '../models/sequential'
import { decodeSafetensors, encodeModelWeights, SafetensorsError, specFromMetadata } from '../io/safetensors'
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

/**
 * What a file given as --weights is instead, when its first bytes (or its name, for ONNX, whose protobuf has no magic
 * number) say it is another of the lab's formats; null when they do not. Asked only after decodeSafetensors refused
 * the file as no safetensors at all: it read an .npz's "PK\x03\x04…" as a header length of 85,966,670,672 bytes,
 * a number that told a learner nothing (Q2's G3).
 */
export function otherFormat(bytes: Uint8Array, name: string): string | null {
  const ext = /\.([^./\\]+)$/.exec(name)?.[1]?.toLowerCase() ?? ''
  const starts = (...b: number[]): boolean => b.every((v, i) => bytes[i] === v)
  if (starts(0x50, 0x4b, 0x03, 0x04) || starts(0x50, 0x4b, 0x05, 0x06)) {
    // a .bplab is read as a project before this is asked (model-file.ts): one that is not is a zip of something else
    if (ext === 'bplab') return 'a zip archive named .bplab, but not a Backprop Lab project (it has no project.json)'
    return ext === 'npz' ? 'a NumPy .npz (zip) archive' : 'a zip archive (a NumPy .npz or a project?)'
  }
  if (starts(0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59)) return 'a NumPy .npy array (the form --input takes)'
  // ONNX: a ModelProto, whose first field is ir_version (tag 0x08, a small varint), then producer_name (tag 0x12)
  if (ext === 'onnx' || (starts(0x08) && bytes[1] < 0x80 && bytes[2] === 0x12)) return 'an ONNX model'
  const first = bytes.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09 && b !== 0xef && b !== 0xbb && b !== 0xbf)
  if (first === 0x7b || first === 0x5b) return 'a JSON file (a network spec goes to --spec)'
  return null
}

/** decodeSafetensors' refusal of a file that is no safetensors file at all (not one with a bad tensor). */
export function notSafetensors(e: unknown): boolean {
  return e instanceof SafetensorsError && e.kind === 'format'
}
