/**
 * What the page learns on connecting from the model the host holds (model:held). `project.trained` is set by this
 * page's own runs and opened projects, so a page loaded again would leave the Model menu's exports and the draw
 * page's predictions off while the host still holds the trained model. On the page's first connection, before the
 * learner has done anything (no run, no edit, nothing trained or opened, no draft of theirs restored: editor.keeps),
 * the held model's architecture becomes the page's again; on any connection a held model of the page's architecture
 * counts as trained, and none held (a host started again) as not, unless a run is under way.
 */
import type { NetSpec } from '../../src-engine/spec-types'
import { validateSpec, presetList } from '../components/editor/engine'
import { editor } from './editor.svelte'
import { project } from './project.svelte'
import { trainLab } from './train.svelte'
import { sameSpec } from './same-spec'

// by structure, not as JSON text: the host's copy has the key order it was saved in, the editor's moves a retyped
// field to the end of its layer, and either may hold a key set to undefined
const same = (a: NetSpec | null, b: NetSpec): boolean => a !== null && sameSpec(a, b)

/** The reply's architecture when it is one the editor can open, null when nothing (usable) is held. */
function heldSpec(reply: unknown): NetSpec | null {
  if (typeof reply !== 'object' || reply === null || !('spec' in reply)) return null
  const spec = (reply as { spec: unknown }).spec
  // the page's own validator, as for an opened or imported architecture: a malformed reply changes nothing
  return validateSpec(spec as NetSpec).ok ? (spec as NetSpec) : null
}

/** `fresh`: the page's first connection since it loaded. */
export function learnHeldModel(reply: unknown, fresh: boolean): void {
  const spec = heldSpec(reply)
  if (spec === null) {
    if (reply === null && project.trained && !trainLab.runs.some((r) => r.active)) project.trained = false
    return
  }
  if (same(project.spec, spec)) {
    project.trained = true
    return
  }
  const untouched = fresh && !project.trained && trainLab.runs.length === 0 && !editor.keeps(spec)
  if (!untouched) return
  editor.adopt(structuredClone(spec), presetList().find((p) => same(p.spec, spec))?.id ?? null, true, false)
}
