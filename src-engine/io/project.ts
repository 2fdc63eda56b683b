/**
 * Project files (`.bplab`): one zip holding everything a learner's work needs to continue —
 *   project.json          format, version, spec, settings, training history, vocabulary, epoch
 *   weights.safetensors   the model's weights (and batch-norm statistics), names `<layer>.<param>`
 *   optimizer.safetensors the optimizer's state (moments, step count), when trained
 * Reading validates everything before anything is returned: a corrupt zip, a missing part, a spec that
 * does not validate, weights that do not fit the spec, or NaN values each give a message that says what
 * is wrong, so the open project is never touched by a bad file.
 */
import { strToU8, strFromU8, unzipSync, zipSync } from 'fflate'
import type { NetSpec } from '../spec-types'
import type { OptimizerName, TrainSettings } from '../protocol'
import { validateSpec } from '../spec'
import { checkWeightsAgainst, decodeSafetensors, encodeSafetensors, type NamedTensor } from './safetensors'

export const PROJECT_FORMAT = 'backprop-lab-project'
export const PROJECT_VERSION = 1
export const PROJECT_EXTENSION = 'bplab'
/** Parts larger than this are refused before they are inflated (a real project is megabytes). */
const MAX_PART_BYTES = 1024 * 1024 * 1024

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
  savedAt?: string
}

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
}

/** Encode a project as zip bytes. */
export function encodeProject(p: ProjectData): Uint8Array {
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
  const files: Record<string, Uint8Array> = { 'project.json': strToU8(JSON.stringify(json, null, 1)) }
  if (p.weights) files['weights.safetensors'] = encodeSafetensors(p.weights, { spec: JSON.stringify(p.spec) })
  if (p.optimizer) {
    const state: Record<string, NamedTensor> = {}
    for (const [k, v] of Object.entries(p.optimizer.state)) state[k] = { shape: [v.length], data: v }
    files['optimizer.safetensors'] = encodeSafetensors(state, { optimizer: p.optimizer.name })
  }
  // Weights compress poorly; store them, deflate only the JSON.
  return zipSync(files, { level: 0, mtime: new Date('2026-01-01T00:00:00Z') })
}

/** A project file that cannot be opened; `message` says what is wrong and what to do. */
export class ProjectError extends Error {
  constructor(message: string, readonly code = 'bad-project') {
    super(message)
    this.name = 'ProjectError'
  }
}

/** Decode and validate a project file. Throws ProjectError naming the problem. */
export function decodeProject(bytes: Uint8Array, name = 'project.bplab'): ProjectData {
  let files: Record<string, Uint8Array>
  try {
    files = unzipSync(bytes, {
      filter: (f) => {
        if (f.originalSize > MAX_PART_BYTES) throw new ProjectError(`${name}: part "${f.name}" claims ${f.originalSize} bytes, more than a project can hold; the file is damaged or not a project`)
        return f.name === 'project.json' || f.name === 'weights.safetensors' || f.name === 'optimizer.safetensors'
      }
    })
  } catch (e) {
    if (e instanceof ProjectError) throw e
    throw new ProjectError(`${name} is not a Backprop Lab project, or it is damaged (${(e as Error).message}); open a .${PROJECT_EXTENSION} file saved by the lab`)
  }
  const jsonBytes = files['project.json']
  if (!jsonBytes) throw new ProjectError(`${name} has no project.json; it is not a Backprop Lab project`)
  let json: ProjectJson
  try {
    json = JSON.parse(strFromU8(jsonBytes)) as ProjectJson
  } catch (e) {
    throw new ProjectError(`${name}: project.json is not valid JSON (${(e as Error).message})`)
  }
  if (typeof json !== 'object' || json === null || json.format !== PROJECT_FORMAT) {
    throw new ProjectError(`${name} is not a Backprop Lab project (its project.json has no "format": "${PROJECT_FORMAT}")`)
  }
  if (typeof json.version !== 'number' || json.version > PROJECT_VERSION) {
    throw new ProjectError(`${name} was saved by a newer version of the lab (format ${String(json.version)}); update the lab to open it`, 'newer-project')
  }
  const report = validateSpec(json.spec)
  if (!report.ok) {
    const first = report.issues.find((i) => i.severity === 'error')
    throw new ProjectError(`${name}: its architecture is not valid — ${first?.message ?? 'unknown problem'}`, 'bad-spec')
  }
  const out: ProjectData = { spec: json.spec, savedAt: json.savedAt }
  if (json.presetId !== undefined) out.presetId = json.presetId
  if (json.settings) out.settings = json.settings
  if (json.history !== undefined) out.history = json.history
  if (Array.isArray(json.vocab) && json.vocab.every((c) => typeof c === 'string')) out.vocab = json.vocab
  if (typeof json.epoch === 'number') out.epoch = json.epoch
  const wBytes = files['weights.safetensors']
  if (wBytes) {
    const file = decodeSafetensors(wBytes, `${name} › weights.safetensors`)
    const expected: Record<string, number[]> = {}
    for (const l of report.layers) {
      for (const [p, shape] of Object.entries(l.paramShapes)) expected[`${l.name}.${p}`] = shape
      for (const [p, shape] of Object.entries(l.bufferShapes ?? {})) expected[`${l.name}.${p}`] = shape
    }
    const problems = checkWeightsAgainst(expected, file)
    if (problems.length > 0) throw new ProjectError(`${name}: the weights do not fit its architecture: ${problems.slice(0, 4).join('; ')}`, 'weights-mismatch')
    out.weights = file.tensors
  }
  const oBytes = files['optimizer.safetensors']
  if (oBytes && json.optimizer) {
    const file = decodeSafetensors(oBytes, `${name} › optimizer.safetensors`)
    const state: Record<string, Float32Array> = {}
    for (const [k, v] of Object.entries(file.tensors)) state[k] = v.data
    out.optimizer = { name: json.optimizer, state }
  }
  return out
}
