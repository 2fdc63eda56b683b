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
 * Which other of the lab's files (or a file often taken for one) the bytes are, told by their first bytes (or the
 * name, for ONNX, whose protobuf has no magic number); null when they do not say. Asked only after decodeSafetensors
 * refused the file as no safetensors at all: it read an .npz's "PK\x03\x04…" as a header length of 85,966,670,672
 * bytes, a number that told a learner nothing (Q2's G3). The command line words it (otherFormat), and the app's weights
 * import gives it to the page as its refusal's case (src-main/project-read.ts, errors bad-weights.other-<kind>, Q4 B7).
 * 'project': a zip holding a project.json (a .bplab, renamed or not; a .npz never has one).
 */
export type OtherFormat = 'project' | 'zip-bplab' | 'npz' | 'zip' | 'npy' | 'onnx' | 'json'

export function otherFormatKind(bytes: Uint8Array, name: string): OtherFormat | null {
  const ext = /\.([^./\\]+)$/.exec(name)?.[1]?.toLowerCase() ?? ''
  const starts = (...b: number[]): boolean => b.every((v, i) => bytes[i] === v)
  if (starts(0x50, 0x4b, 0x03, 0x04) || starts(0x50, 0x4b, 0x05, 0x06)) {
    if (Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes('project.json')) return 'project'
    if (ext === 'bplab') return 'zip-bplab'
    return ext === 'npz' ? 'npz' : 'zip'
  }
  if (starts(0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59)) return 'npy'
  // ONNX: a ModelProto, whose first field is ir_version (tag 0x08, a small varint), then producer_name (tag 0x12)
  if (ext === 'onnx' || (starts(0x08) && bytes[1] < 0x80 && bytes[2] === 0x12)) return 'onnx'
  const first = bytes.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09 && b !== 0xef && b !== 0xbb && b !== 0xbf)
  if (first === 0x7b || first === 0x5b) return 'json'
  return null
}

/** What a file given as --weights is instead, in the command line's English (otherFormatKind), or null. */
export function otherFormat(bytes: Uint8Array, name: string): string | null {
  const kind = otherFormatKind(bytes, name)
  switch (kind) {
    // a .bplab is read as a project before this is asked (model-file.ts): one that is not is a zip of something else
    case 'project': return 'a Backprop Lab project (a zip holding project.json)'
    case 'zip-bplab': return 'a zip archive named .bplab, but not a Backprop Lab project (it has no project.json)'
    case 'npz': return 'a NumPy .npz (zip) archive'
    case 'zip': return 'a zip archive (a NumPy .npz or a project?)'
    case 'npy': return 'a NumPy .npy array (the form --input takes)'
    case 'onnx': return 'an ONNX model'
    case 'json': return 'a JSON file (a network spec goes to --spec)'
    case null: return null
  }
}

/** decodeSafetensors' refusal of a file that is no safetensors file at all (not one with a bad tensor). */
export function notSafetensors(e: unknown): boolean {
  return e instanceof SafetensorsError && e.kind === 'format'
}
