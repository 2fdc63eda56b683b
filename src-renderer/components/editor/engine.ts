/**
 * The editor's window onto the engine's pure spec functions (validation, presets, empty networks).
 * One place adapts their shapes to what the editor needs, so the rest of the editor does not care.
 */
import type { NetSpec, SpecReport } from '../../../src-engine/spec-types'
import { validateSpec as engineValidate } from '../../../src-engine/spec'
import { PRESETS, emptySpec } from '../../../src-engine/models/presets'
import { t } from '../../i18n/index.svelte'
import { sameSpec } from '../../lib/same-spec'

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

/**
 * A network with only its input and the dataset's loss layer, for building by hand, named in the page's language: its
 * name is the training page's title for it, the recovery banner's and the saved file's ("내-신경망.bplab"; the host's
 * fileStem keeps Hangul). The engine's own name is English ("My network"), which a Korean page showed as it was.
 */
export function emptyNet(kind: EmptyKind): NetSpec {
  return { ...structuredClone(emptySpec(kind)), name: t(`editor.emptyName.${kind}`) }
}

/**
 * Whether `spec` is the empty network of `kind` as it came, whatever its name's language (one built on a Korean page
 * and looked at in English, or a draft restored after the language changed).
 */
export function isEmptyNet(spec: NetSpec, kind: EmptyKind): boolean {
  const empty = emptyNet(kind)
  return sameSpec(empty, { ...spec, name: empty.name })
}
