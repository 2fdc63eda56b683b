/**
 * safetensors (Hugging Face's weight format): an 8-byte little-endian header length N, N bytes of JSON
 *   {"<name>": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, ..., "__metadata__": {...}}
 * then one data section; offsets are relative to its start, and the tensors must tile it exactly.
 * We write F32 only and read F32 only. A file may come from anywhere, so reading validates everything
 * before a single value is trusted. The model's spec travels as JSON in metadata key "spec".
 */
import { joinChunks } from './chunks'

export interface NamedTensor {
  readonly shape: readonly number[]
  readonly data: Float32Array
}

export interface SafetensorsFile {
  /** Tensors in the order of the file's data section. */
  readonly tensors: Record<string, { shape: number[]; data: Float32Array }>
  readonly metadata: Record<string, string>
}

const LITTLE_ENDIAN = new Uint8Array(Float32Array.of(1).buffer)[3] === 0x3f

/** Headers larger than this are refused before any allocation (real weight headers are kilobytes). */
export const MAX_HEADER_BYTES = 100 * 1024 * 1024

const fmt = (n: number): string => n.toLocaleString('en-US')
const dims = (shape: readonly number[]): string => `[${shape.join(', ')}]`
/**
 * A value from the file as a message quotes it: JSON, at most 60 characters (a hostile header's are megabytes). A
 * list nested some thousands deep, which JSON.parse reads, overflows JSON.stringify's recursion: it is described.
 */
const shown = (x: unknown): string => {
  let s: string
  try {
    s = JSON.stringify(x) ?? String(x)
  } catch {
    return Array.isArray(x) ? 'a list nested too deep to show' : 'a value too deep to show'
  }
  return s.length > 60 ? `${s.slice(0, 57)}...` : s
}

/**
 * Encode float32 tensors (in the given order) and string metadata. Refuses NaN/Inf values, naming the
 * tensor, because such a file could not be loaded back. The data section starts 8-byte aligned.
 */
export function encodeSafetensors(tensors: Record<string, NamedTensor>, metadata: Record<string, string> = {}): Uint8Array {
  return joinChunks(safetensorsChunks(tensors, metadata))
}

/**
 * encodeSafetensors' bytes as consecutive chunks, without copying the data: the header (length,
 * JSON, padding), then each tensor's bytes as a view of its own array (a copy only on big-endian
 * machines). For writers that stream a file; the arrays must not change until it is written.
 */
export function safetensorsChunks(tensors: Record<string, NamedTensor>, metadata: Record<string, string> = {}, opts: { finiteChecked?: boolean } = {}): Uint8Array[] {
  const header: Record<string, unknown> = {}
  if (Object.keys(metadata).length > 0) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') throw new Error(`encodeSafetensors: metadata "${k}" must be a string`)
    }
    header.__metadata__ = metadata
  }
  let offset = 0
  for (const [name, t] of Object.entries(tensors)) {
    if (name === '__metadata__') throw new Error('encodeSafetensors: "__metadata__" cannot be a tensor name')
    const n = t.shape.reduce((p, d) => p * d, 1)
    if (t.data.length !== n) {
      throw new Error(`encodeSafetensors: tensor "${name}" has shape ${dims(t.shape)} (${n} values) but ${t.data.length} values`)
    }
    if (!opts.finiteChecked) checkFinite(name, t.data)
    header[name] = { dtype: 'F32', shape: [...t.shape], data_offsets: [offset, offset + 4 * n] }
    offset += 4 * n
  }
  const jsonBytes = new TextEncoder().encode(JSON.stringify(header))
  const pad = (8 - (jsonBytes.length % 8)) % 8
  const headerLen = jsonBytes.length + pad
  const head = new Uint8Array(8 + headerLen)
  new DataView(head.buffer).setBigUint64(0, BigInt(headerLen), true)
  head.set(jsonBytes, 8)
  head.fill(0x20, 8 + jsonBytes.length) // spaces, as the reference writer pads
  return [head, ...Object.values(tensors).map((t) => littleEndianBytes(t.data))]
}

/** A float32 array's bytes in little-endian order: a view of it on little-endian machines (all the lab runs on). */
function littleEndianBytes(a: Float32Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(a.buffer, a.byteOffset, a.byteLength)
  const out = new Uint8Array(a.byteLength)
  const view = new DataView(out.buffer)
  for (let i = 0; i < a.length; i++) view.setFloat32(4 * i, a[i], true)
  return out
}

/**
 * Why decodeSafetensors refused a file, when a page words it apart: `kind` 'format' when the bytes are not a
 * safetensors file at all (too short, a header length or header that cannot be one), 'dtype' for a tensor that
 * is not float32 (`dtype` names its type), 'value' for a tensor holding a NaN or ±Infinity (`value` names the tensor,
 * the number as text and its index: a project whose weights hold one said only "damaged", Q4 B7). Its other refusals
 * (a tensor's shape or offsets) are Errors.
 */
export class SafetensorsError extends Error {
  constructor(message: string, readonly kind: 'format' | 'dtype' | 'value', readonly dtype?: string, readonly value?: { tensor: string; value: string; index: number }) {
    super(message)
    this.name = 'SafetensorsError'
  }
}

/** Decode and validate a safetensors file. Every problem is an Error whose message names the tensor (SafetensorsError: see its kind). */
export function decodeSafetensors(bytes: Uint8Array, name = 'weights.safetensors'): SafetensorsFile {
  if (bytes.length < 8) throw new SafetensorsError(`${name} is not a safetensors file: it has only ${bytes.length} bytes`, 'format')
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const declared = view.getBigUint64(0, true)
  if (declared > BigInt(MAX_HEADER_BYTES)) {
    throw new SafetensorsError(`${name} declares a header of ${fmt(Number(declared))} bytes, more than the ${fmt(MAX_HEADER_BYTES)}-byte limit; it is not a weights file`, 'format')
  }
  const headerLen = Number(declared)
  if (8 + headerLen > bytes.length) {
    throw new SafetensorsError(`${name}: the header length ${fmt(headerLen)} runs past the end of the file (${fmt(bytes.length - 8)} bytes after the length)`, 'format')
  }
  let header: unknown
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLen))
    header = JSON.parse(text)
  } catch (e) {
    throw new SafetensorsError(`${name}: the header is not valid JSON (${(e as Error).message})`, 'format')
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new SafetensorsError(`${name}: the header should be a JSON object of tensors`, 'format')
  }
  const dataStart = 8 + headerLen
  const dataLen = bytes.length - dataStart
  const metadata: Record<string, string> = {}
  const entries: { name: string; shape: number[]; begin: number; end: number }[] = []

  for (const [key, raw] of Object.entries(header as Record<string, unknown>)) {
    // JSON.parse keeps "__proto__" as an own key; assigning it to a plain object would swap its prototype.
    if (key === '__proto__') throw new Error(`${name}: "__proto__" is not an acceptable tensor name`)
    if (key === '__metadata__') {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error(`${name}: __metadata__ should be an object of strings`)
      for (const [mk, mv] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof mv !== 'string') throw new Error(`${name}: __metadata__ "${mk}" should be a string, not ${typeof mv}`)
        if (mk === '__proto__') throw new Error(`${name}: "__proto__" is not an acceptable metadata key`)
        metadata[mk] = mv
      }
      continue
    }
    const where = `${name}: tensor ${shown(key)}`
    if (typeof raw !== 'object' || raw === null) throw new Error(`${where} should be an object with dtype, shape and data_offsets`)
    const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>
    if (typeof dtype !== 'string') throw new Error(`${where} has no dtype`)
    if (dtype !== 'F32') throw new SafetensorsError(`${where} has dtype ${/^[\w.]{1,24}$/.test(dtype) ? dtype : shown(dtype)}; Backprop Lab reads only F32 (float32) tensors`, 'dtype', dtype.slice(0, 40))
    if (shape === undefined) throw new Error(`${where} has no shape; expected a list of non-negative integers`)
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) {
      throw new Error(`${where} has an invalid shape ${shown(shape)}; expected a list of non-negative integers`)
    }
    if (offsets === undefined) throw new Error(`${where} has no data_offsets; expected [begin, end]`)
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && (o as number) >= 0)) {
      throw new Error(`${where} has invalid data_offsets ${shown(offsets)}; expected [begin, end]`)
    }
    const [begin, end] = offsets as number[]
    if (end < begin) throw new Error(`${where} has data_offsets [${begin}, ${end}] that end before they begin`)
    if (end > dataLen) {
      throw new Error(`${where} has data_offsets [${begin}, ${end}] past the end of the data section (${fmt(dataLen)} bytes)`)
    }
    const n = (shape as number[]).reduce((p, d) => p * d, 1)
    if (n * 4 !== end - begin) {
      throw new Error(`${where} has shape ${dims(shape as number[])} (${fmt(n)} float32 = ${fmt(n * 4)} bytes) but its data_offsets span ${fmt(end - begin)} bytes`)
    }
    entries.push({ name: key, shape: shape as number[], begin, end })
  }

  entries.sort((a, b) => a.begin - b.begin || a.end - b.end)
  let covered = 0
  for (let k = 0; k < entries.length; k++) {
    const e = entries[k]
    if (e.begin < covered) {
      throw new Error(`${name}: tensors "${entries[k - 1].name}" and "${e.name}" overlap (bytes ${e.begin}..${covered} of the data section)`)
    }
    if (e.begin > covered) throw new Error(`${name}: bytes ${covered}..${e.begin} of the data section belong to no tensor`)
    covered = e.end
  }
  if (covered !== dataLen) throw new Error(`${name}: the last ${fmt(dataLen - covered)} bytes of the data section belong to no tensor`)

  const tensors: Record<string, { shape: number[]; data: Float32Array }> = {}
  for (const e of entries) {
    const n = (e.end - e.begin) / 4
    const data = new Float32Array(n)
    const base = dataStart + e.begin
    for (let i = 0; i < n; i++) data[i] = view.getFloat32(base + 4 * i, true)
    const bad = firstNonFinite(data)
    if (bad >= 0) {
      throw new SafetensorsError(`${name}: tensor "${e.name}" contains ${data[bad]} at index ${bad}; weights must be finite numbers`, 'value', undefined,
        { tensor: e.name.slice(0, 100), value: String(data[bad]), index: bad })
    }
    tensors[e.name] = { shape: e.shape, data }
  }
  return { tensors, metadata }
}

/** Index of the first NaN or ±Infinity in a[from, to), or -1. */
function firstNonFinite(a: Float32Array, from = 0, to = a.length): number {
  for (let i = from; i < to; i++) if (!Number.isFinite(a[i])) return i
  return -1
}

/**
 * Throws, naming the tensor and the value, if a[from, to) holds a NaN or ±Infinity: such a file could
 * not be loaded back. (Writers that check a slice at a time call it themselves, then encode with
 * `finiteChecked`.)
 */
export function checkFinite(name: string, a: Float32Array, from = 0, to = a.length): void {
  const bad = firstNonFinite(a, from, to)
  if (bad >= 0) throw new Error(`cannot save tensor "${name}": value #${bad} is ${a[bad]} (did training diverge?)`)
}

/** A model's weights with its spec stored as JSON in metadata "spec" (plus any other metadata). */
export function encodeModelWeights(spec: unknown, tensors: Record<string, NamedTensor>, extra: Record<string, string> = {}): Uint8Array {
  return encodeSafetensors(tensors, { ...extra, spec: JSON.stringify(spec) })
}

/** The spec stored in metadata "spec", parsed but not validated (pass it to the spec validator), or null. */
export function specFromMetadata(file: SafetensorsFile, name = 'weights.safetensors'): unknown {
  const text = file.metadata.spec
  if (text === undefined) return null
  try {
    return JSON.parse(text)
  } catch (e) {
    throw new Error(`${name}: metadata "spec" is not valid JSON (${(e as Error).message})`)
  }
}

/**
 * A tensor that does not fit: `expected` is the model's shape (null: the model has no parameter of that
 * name), `got` the file's (null: the file lacks it). Data, so a host can word it in the learner's language.
 */
export interface WeightProblem { tensor: string; expected: number[] | null; got: number[] | null }

/**
 * Compare a file's tensors with the shapes a model expects. Returns one problem per tensor that does not fit
 * (missing, misshaped, then extra tensors); an empty list means the weights fit.
 */
export function checkWeightsAgainst(
  expected: Record<string, readonly number[]>,
  file: Pick<SafetensorsFile, 'tensors'>
): WeightProblem[] {
  const problems: WeightProblem[] = []
  for (const [key, shape] of Object.entries(expected)) {
    const got = Object.hasOwn(file.tensors, key) ? file.tensors[key] : undefined
    if (!got) problems.push({ tensor: key, expected: [...shape], got: null })
    else if (got.shape.length !== shape.length || got.shape.some((d, i) => d !== shape[i])) {
      problems.push({ tensor: key, expected: [...shape], got: [...got.shape] })
    }
  }
  for (const [key, got] of Object.entries(file.tensors)) {
    if (!Object.hasOwn(expected, key)) problems.push({ tensor: key, expected: null, got: [...got.shape] })
  }
  return problems
}

/** A weight problem in English (logs, the CLI, and the host's message). */
export function describeWeightProblem(p: WeightProblem): string {
  if (p.got === null) return `missing tensor "${p.tensor}": the model expects shape ${dims(p.expected ?? [])}`
  if (p.expected === null) return `unexpected tensor "${p.tensor}" (shape ${dims(p.got)}): the model has no parameter of that name`
  return `tensor "${p.tensor}" has shape ${dims(p.got)} but the model expects ${dims(p.expected)}`
}
