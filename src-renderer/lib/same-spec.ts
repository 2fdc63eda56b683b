/**
 * Whether two architectures are the same network, compared field by field. The editor writes a field back at the end
 * of its layer's keys when the learner clears and retypes it (editor.svelte.ts setField), and an imported file has its
 * own key order, so comparing the two as JSON text called a preset nobody changed "edited"; it also built two strings
 * of the whole spec on every derive. Here key order does not matter, and a key holding undefined counts as absent (as
 * in the JSON a spec is saved as).
 */
import type { NetSpec } from '../../src-engine/spec-types'

export function sameSpec(a: NetSpec, b: NetSpec): boolean {
  return sameValue(a, b)
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false
    return a.every((x, i) => sameValue(x, b[i]))
  }
  const x = a as Record<string, unknown>
  const y = b as Record<string, unknown>
  const keys = definedKeys(x)
  return keys.length === definedKeys(y).length && keys.every((k) => sameValue(x[k], y[k]))
}

function definedKeys(o: Record<string, unknown>): string[] {
  return Object.keys(o).filter((k) => o[k] !== undefined)
}
