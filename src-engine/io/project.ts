/**
 * Project files (`.bplab`): one zip holding everything a learner's work needs to continue —
 *   project.json          format, version, spec, settings, training history, vocabulary, epoch
 *   weights.safetensors   the model's weights (and batch-norm statistics), names `<layer>.<param>`
 *   optimizer.safetensors the optimizer's state (moments, step count), when trained
 *   text.txt              a language model's uploaded text (UTF-8 as uploaded), described by project.json's
 *                         "text" (its name, bytes, CRC-32): the project then trains on another computer too.
 *                         An older lab skips the part (it reads only the three above) and asks for the text.
 * Reading validates everything before anything is returned: a corrupt zip, a missing part, a spec that
 * does not validate, weights that do not fit the spec, or NaN values each give a message that says what
 * is wrong, so the open project is never touched by a bad file. A bad text.txt alone refuses nothing: the
 * project opens without it and `textProblem` says why (the learner uploads the text again).
 */
import { strToU8 } from 'fflate'
import type { NetSpec, SpecIssue, SpecReport } from '../spec-types'
import { TRAINING_PRIORITIES, type OptimizerName, type TrainSettings } from '../protocol'
import { validateSpec } from '../spec'
import { LAYER_FIELDS } from '../spec-fields'
import { decodeTextFile, textCounts, vocabFromChars } from '../data/text'
import { chunksLength, joinChunks } from './chunks'
import { checkWeightsAgainst, decodeSafetensors, describeWeightProblem, SafetensorsError, safetensorsChunks, type NamedTensor, type SafetensorsFile, type WeightProblem } from './safetensors'
import { printable, readZip, ZipError } from './zip'

export const PROJECT_FORMAT = 'backprop-lab-project'
export const PROJECT_VERSION = 1
export const PROJECT_EXTENSION = 'bplab'
/** Parts larger than this are refused before they are inflated (a real project is megabytes). */
const MAX_PART_BYTES = 1024 * 1024 * 1024
/** The zip part holding a language model's text. */
export const TEXT_PART = 'text.txt'
/**
 * A carried text larger than this is not read: the lab takes uploads up to 300 MB (src-main/ipc/project-schemas.ts
 * MAX_BASE64, 400 MB of base64), so no kept text is larger, and a bigger one is a damaged or hostile file's.
 */
export const MAX_TEXT_BYTES = 300 * 1024 * 1024

/** A language model's text carried in a project: its name when uploaded, its bytes (UTF-8), and when read back its counts. */
export interface ProjectText { fileName: string; bytes: Uint8Array; chars?: number; vocab?: number }

/**
 * Why a project's text could not be taken back (the rest of the project opens): 'damaged' (the part is missing,
 * or its size or CRC-32 is not the one project.json gives), 'too-large' (over MAX_TEXT_BYTES), 'encoding' (not
 * UTF-8), 'empty'. `fileName` when project.json named it.
 */
export interface ProjectTextProblem { case: 'damaged' | 'too-large' | 'encoding' | 'empty'; fileName?: string }

export interface ProjectData {
  spec: NetSpec
  presetId?: string | null
  settings?: Partial<TrainSettings>
  /** Training history as the app keeps it (runs, epoch reports); plain JSON, passed through. */
  history?: unknown
  /** Characters of a language model's vocabulary, in id order. */
  vocab?: string[]
  /** Epochs completed when saved (autosave). */
  epoch?: number
  weights?: Record<string, NamedTensor>
  optimizer?: { name: OptimizerName; state: Record<string, Float32Array> }
  /** The uploaded text the project trains on (settings.data is { kind: 'text' }), carried as text.txt. */
  text?: ProjectText
  /** Read only: the project named a text that could not be taken back. */
  textProblem?: ProjectTextProblem
  savedAt?: string
}

/** project.json's description of text.txt. */
interface TextJson { fileName: string; bytes: number; crc32: number }

interface ProjectJson {
  format: string
  version: number
  savedAt: string
  spec: NetSpec
  presetId?: string | null
  settings?: Partial<TrainSettings>
  history?: unknown
  vocab?: string[]
  epoch?: number
  optimizer?: OptimizerName
  text?: TextJson
}

/** Encode a project as zip bytes. */
export function encodeProject(p: ProjectData): Uint8Array {
  const parts = projectParts(p).map((part) => ({ ...part, crc: part.chunks.reduce((c, b) => crc32(b, c), 0) }))
  return joinChunks(zipChunks(parts))
}

/** One file inside a project's zip: its name and its bytes as consecutive chunks. */
export interface ProjectPart { name: string; chunks: Uint8Array[] }

/**
 * The files a project's zip holds (project.json, weights.safetensors, optimizer.safetensors), with
 * the tensors' bytes as views of the arrays in `p`, not copies. encodeProject zips them at once; the
 * main process's autosave computes their CRCs a slice at a time and streams them to disk
 * (src-main/project-writer.ts). Throws, naming the tensor, on wrong sizes, and on NaN or ±Infinity
 * unless the caller has checked (`finiteChecked`).
 */
export function projectParts(p: ProjectData, opts: { finiteChecked?: boolean } = {}): ProjectPart[] {
  const json: ProjectJson = {
    format: PROJECT_FORMAT,
    version: PROJECT_VERSION,
    savedAt: p.savedAt ?? new Date().toISOString(),
    spec: p.spec
  }
  if (p.presetId !== undefined) json.presetId = p.presetId
  if (p.settings) json.settings = p.settings
  if (p.history !== undefined) json.history = p.history
  if (p.vocab) json.vocab = p.vocab
  if (p.epoch !== undefined) json.epoch = p.epoch
  if (p.optimizer) json.optimizer = p.optimizer.name
  if (p.text) json.text = { fileName: p.text.fileName, bytes: p.text.bytes.length, crc32: crc32(p.text.bytes) }
  const parts: ProjectPart[] = [{ name: 'project.json', chunks: [strToU8(JSON.stringify(json, null, 1))] }]
  if (p.weights) parts.push({ name: 'weights.safetensors', chunks: safetensorsChunks(p.weights, { spec: JSON.stringify(p.spec) }, opts) })
  if (p.optimizer) {
    const state: Record<string, NamedTensor> = {}
    for (const [k, v] of Object.entries(p.optimizer.state)) state[k] = { shape: [v.length], data: v }
    parts.push({ name: 'optimizer.safetensors', chunks: safetensorsChunks(state, { optimizer: p.optimizer.name }, opts) })
  }
  if (p.text) parts.push({ name: TEXT_PART, chunks: [p.text.bytes] })
  return parts
}

const CRC_TABLE = (() => {
  // Slicing-by-8 tables: table k maps a byte to its CRC contribution k bytes further on.
  const t = new Int32Array(8 * 256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    t[n] = c
  }
  for (let n = 0; n < 256; n++) for (let k = 1; k < 8; k++) t[k * 256 + n] = t[t[(k - 1) * 256 + n] & 0xff] ^ (t[(k - 1) * 256 + n] >>> 8)
  return t
})()

/** CRC-32 (zip's, IEEE) of `bytes`, continuing from `crc` (the CRC of the bytes before them; 0 to start). */
export function crc32(bytes: Uint8Array, crc = 0): number {
  const t = CRC_TABLE
  let c = ~crc
  let i = 0
  const end = bytes.length - (bytes.length % 8)
  for (; i < end; i += 8) {
    const a = (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24)) ^ c
    c = t[1792 + (a & 0xff)] ^ t[1536 + ((a >>> 8) & 0xff)] ^ t[1280 + ((a >>> 16) & 0xff)] ^ t[1024 + (a >>> 24)] ^
      t[768 + bytes[i + 4]] ^ t[512 + bytes[i + 5]] ^ t[256 + bytes[i + 6]] ^ t[bytes[i + 7]]
  }
  for (; i < bytes.length; i++) c = t[(c ^ bytes[i]) & 0xff] ^ (c >>> 8)
  return ~c >>> 0
}

/** 2026-01-01 00:00:00 in MS-DOS date and time: every part gets it, so the same project gives the same bytes. */
const DOS_DATE = ((2026 - 1980) << 9) | (1 << 5) | 1
const DOS_TIME = 0

/**
 * A zip of `parts` stored without compression (weights compress poorly), as the chunks to write one
 * after another: each part's local header and bytes, then the central directory. The CRCs are the
 * caller's (crc32 over each part's chunks in order), so they can be computed a slice at a time.
 */
export function zipChunks(parts: (ProjectPart & { crc: number })[]): Uint8Array[] {
  const out: Uint8Array[] = []
  const central: Uint8Array[] = []
  let offset = 0
  for (const part of parts) {
    const name = strToU8(part.name)
    const size = chunksLength(part.chunks)
    if (size > 0xffffffff || offset + size > 0xffffffff) throw new Error(`${part.name} is too large for a project file (4 GB)`)
    const local = new Uint8Array(30 + name.length)
    const lv = new DataView(local.buffer)
    lv.setUint32(0, 0x04034b50, true) // local file header
    lv.setUint16(4, 20, true) // version needed: 2.0
    lv.setUint16(8, 0, true) // stored
    lv.setUint16(10, DOS_TIME, true)
    lv.setUint16(12, DOS_DATE, true)
    lv.setUint32(14, part.crc >>> 0, true)
    lv.setUint32(18, size, true)
    lv.setUint32(22, size, true)
    lv.setUint16(26, name.length, true)
    local.set(name, 30)
    const entry = new Uint8Array(46 + name.length)
    const cv = new DataView(entry.buffer)
    cv.setUint32(0, 0x02014b50, true) // central directory header
    cv.setUint16(4, 20, true) // made by: 2.0
    cv.setUint16(6, 20, true)
    cv.setUint16(10, 0, true)
    cv.setUint16(12, DOS_TIME, true)
    cv.setUint16(14, DOS_DATE, true)
    cv.setUint32(16, part.crc >>> 0, true)
    cv.setUint32(20, size, true)
    cv.setUint32(24, size, true)
    cv.setUint16(28, name.length, true)
    cv.setUint32(42, offset, true)
    entry.set(name, 46)
    out.push(local, ...part.chunks)
    central.push(entry)
    offset += local.length + size
  }
  const dirSize = chunksLength(central)
  const end = new Uint8Array(22)
  const ev = new DataView(end.buffer)
  ev.setUint32(0, 0x06054b50, true) // end of central directory
  ev.setUint16(8, parts.length, true)
  ev.setUint16(10, parts.length, true)
  ev.setUint32(12, dirSize, true)
  ev.setUint32(16, offset, true)
  out.push(...central, end)
  return out
}

/** Why a project file cannot be opened (each is one of the host's LAB_ERRORS codes). */
export type ProjectErrorCode = 'bad-project' | 'newer-project' | 'bad-spec' | 'weights-mismatch'

/**
 * The facts behind a ProjectError, as data for the learner's language: 'bad-spec' has the architecture's
 * first issue (as the editor words it), 'weights-mismatch' the tensors that do not fit.
 */
export interface ProjectErrorFacts { issue?: SpecIssue; problems?: WeightProblem[]; part?: ProjectPartProblem }

/**
 * A 'bad-project' whose weights or optimizer part was refused (readPart): `part` the part's name in the zip; a NaN or
 * ±Infinity in one of its tensors ('value', named as a weights import names it), or any other damage ('damaged').
 * The page said only "not a project, or damaged" for both (Q4 B7).
 */
export type ProjectPartProblem =
  | { case: 'part-value'; part: string; tensor: string; value: string; index: number }
  | { case: 'part-damaged'; part: string }

/** A project file that cannot be opened; `message` says what is wrong and what to do (in English). */
export class ProjectError extends Error {
  readonly issue?: SpecIssue
  readonly problems?: WeightProblem[]
  readonly part?: ProjectPartProblem
  constructor(message: string, readonly code: ProjectErrorCode = 'bad-project', facts: ProjectErrorFacts = {}) {
    super(message)
    this.name = 'ProjectError'
    if (facts.issue) this.issue = facts.issue
    if (facts.problems) this.problems = facts.problems
    if (facts.part) this.part = facts.part
  }
}

/** Decode and validate a project file. Throws ProjectError naming the problem. */
export function decodeProject(bytes: Uint8Array, name = 'project.bplab'): ProjectData {
  let files: Record<string, Uint8Array>
  let textTooLarge = false
  try {
    files = readZip(bytes, {
      // a text too large is left packed: the project opens without it
      want: (f) => (f.name === TEXT_PART && f.originalSize > MAX_TEXT_BYTES ? !(textTooLarge = true) : PARTS.has(f.name)),
      maxEntryBytes: MAX_PART_BYTES,
      // a text whose header cannot be true is left packed too: the project opens without it ('damaged')
      lenient: (part) => part === TEXT_PART,
      onSkip: (f) => {
        if (f.originalSize > MAX_TEXT_BYTES) textTooLarge = true
      },
      // a flipped byte in the weights would open as other weights: the parts are checked against the zip's CRC-32s
      // (text.txt against project.json's, below: a bad text alone refuses nothing)
      verify: { names: (part) => part !== TEXT_PART, crc32: (b) => crc32(b) }
    })
  } catch (e) {
    if (e instanceof ZipError && e.entry !== undefined) throw new ProjectError(`${name}: ${e.message}; the file is damaged or not a project`)
    throw new ProjectError(`${name} is not a Backprop Lab project, or it is damaged (${(e as Error).message}); open a .${PROJECT_EXTENSION} file saved by the lab`)
  }
  const jsonBytes = files['project.json']
  if (!jsonBytes) throw new ProjectError(`${name} has no project.json; it is not a Backprop Lab project`)
  let json: ProjectJson
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(jsonBytes)) as ProjectJson
  } catch (e) {
    throw new ProjectError(`${name}: project.json is not valid JSON (${(e as Error).message})`)
  }
  if (typeof json !== 'object' || json === null || !Object.hasOwn(json, 'format') || json.format !== PROJECT_FORMAT) {
    throw new ProjectError(`${name} is not a Backprop Lab project (its project.json has no "format": "${PROJECT_FORMAT}")`)
  }
  if (typeof json.version !== 'number' || !Number.isSafeInteger(json.version) || json.version < 1) {
    throw new ProjectError(`${name}: project.json has no format version (it should be a whole number such as ${PROJECT_VERSION}); the file is damaged`)
  }
  if (json.version > PROJECT_VERSION) {
    throw new ProjectError(`${name} was saved by a newer version of the lab (format ${printable(String(json.version))}); update the lab to open it`, 'newer-project')
  }
  const report = checkSpec(json.spec, name)
  if (!report.ok) {
    const first = report.issues.find((i) => i.severity === 'error')
    throw new ProjectError(`${name}: its architecture is not valid — ${first?.message ?? 'unknown problem'}`, 'bad-spec', first ? { issue: first } : {})
  }
  const out: ProjectData = { spec: ownSpecFields(json.spec as NetSpec) }
  // the rest of project.json is the page's and the host's to use as it is: what is not what a saved project holds is
  // left out (the page keeps its own), never passed on to break them
  if (typeof json.savedAt === 'string') out.savedAt = json.savedAt
  if (json.presetId === null || (typeof json.presetId === 'string' && json.presetId.length <= 100)) out.presetId = json.presetId
  const settings = cleanSettings(json.settings)
  if (settings) out.settings = settings
  // the host checks a history's runs (cleanHistory); one nested deeper than any history is not passed on to be copied
  if (json.history !== undefined && depthWithin(json.history, HISTORY_DEPTH)) out.history = json.history
  const vocab = cleanVocab(json.vocab)
  if (vocab) out.vocab = vocab
  if (Number.isSafeInteger(json.epoch) && (json.epoch as number) >= 0) out.epoch = json.epoch
  const wBytes = files['weights.safetensors']
  if (wBytes) {
    const file = readPart(wBytes, name, 'weights.safetensors')
    const expected: Record<string, number[]> = {}
    for (const l of report.layers) {
      for (const [p, shape] of Object.entries(l.paramShapes)) expected[`${l.name}.${p}`] = shape
      for (const [p, shape] of Object.entries(l.bufferShapes ?? {})) expected[`${l.name}.${p}`] = shape
    }
    const problems = checkWeightsAgainst(expected, file)
    if (problems.length > 0) {
      throw new ProjectError(`${name}: the weights do not fit its architecture: ${problems.slice(0, 4).map(describeWeightProblem).join('; ')}`, 'weights-mismatch', { problems })
    }
    out.weights = file.tensors
  }
  const oBytes = files['optimizer.safetensors']
  // state of an optimizer the lab does not have cannot be used: the project opens without it (the optimizer starts afresh)
  if (oBytes && OPTIMIZER_NAMES.has(json.optimizer as string)) {
    const file = readPart(oBytes, name, 'optimizer.safetensors')
    const state: Record<string, Float32Array> = {}
    for (const [k, v] of Object.entries(file.tensors)) state[k] = v.data
    out.optimizer = { name: json.optimizer as OptimizerName, state }
  }
  if (json.text !== undefined) {
    const text = projectText(json.text, files[TEXT_PART], textTooLarge)
    if ('case' in text) out.textProblem = text
    else out.text = text
  }
  return out
}

/** The zip parts a project is read from; any other is skipped. */
const PARTS: ReadonlySet<string> = new Set(['project.json', 'weights.safetensors', 'optimizer.safetensors', TEXT_PART])
const OPTIMIZER_NAMES: ReadonlySet<string> = new Set(['SGD', 'Momentum', 'Nesterov', 'AdaGrad', 'RMSProp', 'Adam'] satisfies OptimizerName[])

/** A safetensors part, its refusal (a tensor's offsets, a NaN…) as the project's, with its facts for the page. */
function readPart(bytes: Uint8Array, name: string, part: string): SafetensorsFile {
  try {
    return decodeSafetensors(bytes, `${name} › ${part}`)
  } catch (e) {
    const facts: ProjectPartProblem = e instanceof SafetensorsError && e.value ? { case: 'part-value', part, ...e.value } : { case: 'part-damaged', part }
    throw new ProjectError(`${(e as Error).message}; the file is damaged`, 'bad-project', { part: facts })
  }
}

/** The spec's report; a spec the validator cannot even walk (layers that are not objects…) is an invalid one, not a crash. */
function checkSpec(spec: unknown, name: string): SpecReport {
  // the page words it as the editor words a spec that is not a network (an issue's code, not an error code)
  const notNetwork = (why: string): ProjectError => {
    const message = `a network must be an object with "input" and "layers"; this one ${why}`
    return new ProjectError(`${name}: its architecture is not valid — ${message}; the file is damaged`, 'bad-spec', { issue: { severity: 'error', layer: -1, layerName: 'network', code: NOT_A_NETWORK, message } })
  }
  // an architecture is an object of layer objects of sizes: nested deeper than this, it is not one (and walking it would overflow the stack)
  if (!depthWithin(spec, SPEC_DEPTH)) throw notNetwork(`nests more than ${SPEC_DEPTH} levels deep`)
  try {
    return validateSpec(spec as NetSpec)
  } catch (e) {
    throw notNetwork(`cannot be read (${(e as Error).message})`)
  }
}

/** spec.ts's issue for a spec that is not a network, which the editor words in both languages. */
const NOT_A_NETWORK = 'spec-not-object'
/** An architecture is spec › layers › layer › shape: far less deep than this. */
const SPEC_DEPTH = 8
/** A saved history is runs › run › epochs › report › confusion › counts: far less deep than this. */
const HISTORY_DEPTH = 12

/** Whether a JSON value nests at most `max` arrays or objects deep (walked without recursion: a hostile one is deep). */
function depthWithin(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]]
  while (stack.length > 0) {
    const [v, d] = stack.pop()!
    if (typeof v !== 'object' || v === null) continue
    if (d >= max) return false
    for (const x of Array.isArray(v) ? v : Object.values(v)) if (typeof x === 'object' && x !== null) stack.push([x, d + 1])
  }
  return true
}

/**
 * A valid network with its own fields only (spec-types.ts): a key of no network's or no layer's (one from a newer lab, a
 * hand edit; it may hold anything, an object with a "__proto__" key) is dropped, not passed on to the host and the
 * page. validateSpec has checked every field kept (it only warned about the others, 'unknown-field').
 */
function ownSpecFields(spec: NetSpec): NetSpec {
  const out: Record<string, unknown> = { input: spec.input.slice() }
  for (const key of ['name', 'vocab', 'task'] as const) if (Object.hasOwn(spec, key) && spec[key] !== undefined) out[key] = spec[key]
  out.layers = spec.layers.map((layer) => {
    const raw = layer as unknown as Record<string, unknown>
    const kept: Record<string, unknown> = { type: layer.type }
    for (const key of ['name', ...Object.keys(LAYER_FIELDS[layer.type])]) {
      const x = raw[key]
      if (Object.hasOwn(raw, key) && x !== undefined) kept[key] = Array.isArray(x) ? x.slice() : x
    }
    return kept
  })
  return out as unknown as NetSpec
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x)
const finiteAtLeast = (x: unknown, lo: number): boolean => typeof x === 'number' && Number.isFinite(x) && x >= lo
const wholeAtLeast = (x: unknown, lo: number): boolean => Number.isSafeInteger(x) && (x as number) >= lo

/** Which saved settings fields hold what: one of the wrong kind is left out (the page keeps its own value). */
const SETTING_CHECKS: Record<Exclude<keyof TrainSettings, 'data' | 'extra'>, (x: unknown) => boolean> = {
  optimizer: (x) => OPTIMIZER_NAMES.has(x as string),
  lr: (x) => finiteAtLeast(x, 0) && (x as number) > 0,
  batchSize: (x) => wholeAtLeast(x, 1),
  epochs: (x) => wholeAtLeast(x, 1),
  weightDecay: (x) => finiteAtLeast(x, 0),
  seed: (x) => wholeAtLeast(x, 0),
  threads: (x) => wholeAtLeast(x, 1),
  clip: (x) => finiteAtLeast(x, 0),
  stateful: (x) => typeof x === 'boolean',
  testFraction: (x) => finiteAtLeast(x, 0) && (x as number) < 1,
  trainSize: (x) => wholeAtLeast(x, 1),
  priority: (x) => TRAINING_PRIORITIES.some((p) => p === x)
}

/**
 * A project's training settings as the page and the host read them: `data` a data source (without one the settings
 * are left out: both read `settings.data.kind`), each other field of its kind or left out, the drawings only whole.
 */
function cleanSettings(raw: unknown): Partial<TrainSettings> | undefined {
  if (!isRecord(raw)) return undefined
  const d = raw.data
  if (!isRecord(d)) return undefined
  const data = d.kind === 'mnist' ? { kind: 'mnist' as const } : d.kind === 'idx' && typeof d.dir === 'string' ? { kind: 'idx' as const, dir: d.dir } : d.kind === 'text' && typeof d.file === 'string' ? { kind: 'text' as const, file: d.file } : null
  if (!data) return undefined
  const out: Record<string, unknown> = { data }
  for (const [k, ok] of Object.entries(SETTING_CHECKS)) if (Object.hasOwn(raw, k) && ok(raw[k])) out[k] = raw[k]
  const extra = raw.extra
  if (isRecord(extra) && Array.isArray(extra.images) && Array.isArray(extra.labels) && extra.images.length === extra.labels.length * 784 &&
    extra.images.every((x) => finiteAtLeast(x, 0) && (x as number) <= 1) && extra.labels.every((x) => Number.isInteger(x) && (x as number) >= 0 && (x as number) <= 9)) {
    out.extra = { images: extra.images, labels: extra.labels }
  }
  return out as Partial<TrainSettings>
}

/** A language model's vocabulary if it is one (one character each, none twice), else left out: the worker would refuse it. */
function cleanVocab(raw: unknown): string[] | undefined {
  if (!Array.isArray(raw)) return undefined
  try {
    return [...vocabFromChars(raw as string[]).chars]
  } catch {
    return undefined
  }
}

/**
 * text.txt checked against project.json's description of it (zip readers do not check CRCs, so a flipped
 * byte would otherwise give another text) and read by a text file's rules (UTF-8, not empty).
 */
function projectText(desc: unknown, bytes: Uint8Array | undefined, tooLarge: boolean): ProjectText | ProjectTextProblem {
  const d = (typeof desc === 'object' && desc !== null ? desc : {}) as Partial<Record<keyof TextJson, unknown>>
  // only a name: no folders, no control characters, as a kept text's name is shown
  const named = typeof d.fileName === 'string' && d.fileName.length > 0 && d.fileName.length <= 255 && !/[\/\\\u0000-\u001f]/.test(d.fileName)
  const fileName = named ? (d.fileName as string) : undefined
  const problem = (c: ProjectTextProblem['case']): ProjectTextProblem => (fileName ? { case: c, fileName } : { case: c })
  if (tooLarge) return problem('too-large')
  if (!bytes || !fileName || d.bytes !== bytes.length || d.crc32 !== crc32(bytes)) return problem('damaged')
  let text: string
  try {
    text = decodeTextFile(bytes, fileName)
  } catch {
    return problem('encoding')
  }
  if (text.length === 0) return problem('empty')
  return { fileName, bytes, ...textCounts(text) }
}
