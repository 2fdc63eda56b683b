/**
 * The editor's window onto the engine's pure spec functions (validation, presets, empty networks).
 * One place adapts their shapes to what the editor needs, so the rest of the editor does not care.
 */
import type { NetSpec, SpecReport } from '../../../src-engine/spec-types'
import { validateSpec as engineValidate } from '../../../src-engine/spec'
import { PRESETS, emptySpec } from '../../../src-engine/models/presets'

export type EmptyKind = 'digits' | 'text'
export interface EditorPreset {
  id: string
  title: { en: string; ko: string }
  note?: { en: string; ko: string }
  spec: NetSpec
}

export function validateSpec(spec: NetSpec): SpecReport {
  return engineValidate(spec)
}

export function presetList(): EditorPreset[] {
  return PRESETS.map((p) => ({ id: p.id, title: p.title, note: p.note, spec: p.spec }))
}

/** A network with only its input and the dataset's loss layer, for building by hand. */
export function emptyNet(kind: EmptyKind): NetSpec {
  return structuredClone(emptySpec(kind))
}
