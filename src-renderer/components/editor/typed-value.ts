/**
 * What a value typed into one of the editor's fields means: a value the layer can take, or why it cannot
 * take it. Values refused here never reach the spec (its own checks, spec-issues, come after); the field
 * says what to type instead of going back to the old value in silence. Pure, no Svelte.
 */
import type { FieldDef } from './catalog'

export type TypedReason =
  /** a number, but not whole (int field) or outside the field's bounds */
  | 'range'
  /** the box holds something that is not a number (a number input reports it as badInput) */
  | 'not-number'
  /** the box is empty and the setting has no default to fall back to */
  | 'empty'
  /** a size list with a part that is not a whole number ≥ 1 (or -1) */
  | 'list'
  /** a size list with -1 more than once */
  | 'two-wild'

export type Typed =
  | { ok: true; value: unknown }
  | { ok: false; reason: TypedReason; /** the offending text, as typed */ bad: string }

const ok = (value: unknown): Typed => ({ ok: true, value })
const no = (reason: TypedReason, bad: string): Typed => ({ ok: false, reason, bad })

/**
 * A number field's text (`raw`) read against the field's kind and the catalog's bounds; `badInput` is the
 * input's own verdict that its text is no number ("abc", "1e"), whose value then reads as ''.
 * An empty box with a default means "use the default" (undefined).
 */
export function readNumber(def: FieldDef, raw: string, badInput = false): Typed {
  const text = raw.trim()
  if (badInput) return no('not-number', text)
  if (text === '') return def.fallback !== undefined ? ok(undefined) : no('empty', '')
  const v = Number(text)
  if (!Number.isFinite(v)) return no('not-number', text)
  if (def.kind !== 'number' && !Number.isInteger(v)) return no('range', text)
  if ((def.min !== undefined && v < def.min) || (def.max !== undefined && v > def.max)) return no('range', text)
  // an open end is the validator's too: ε must be above 0, a dropout rate below 1
  if ((def.minOpen && v === def.min) || (def.maxOpen && v === def.max)) return no('range', text)
  return ok(v)
}

/**
 * A list of sizes ("1, 28, 28", "1×28×28"): whole numbers ≥ 1, one of them may be -1 (Reshape works it out
 * from the others, as the engine's spec allows).
 */
export function readList(raw: string): Typed {
  const parts = raw.split(/[\s,×x]+/).filter((p) => p !== '')
  if (parts.length === 0) return no('empty', '')
  const badPart = parts.find((p) => { const n = Number(p); return !(Number.isInteger(n) && (n > 0 || n === -1)) })
  if (badPart !== undefined) return no('list', badPart)
  if (parts.filter((p) => Number(p) === -1).length > 1) return no('two-wild', '-1')
  return ok(parts.map(Number))
}

/**
 * The range words' key for a field: whole numbers or any number, with or without an upper bound; a number with an open
 * end has the validator's own words for it (issues.ts allowed: "a number above 0, up to 1").
 */
export function rangeKey(def: FieldDef): string {
  if (def.kind === 'int-list') return 'typed.takesList'
  const whole = def.kind !== 'number'
  if (!whole && def.maxOpen) return 'range.belowMax'
  if (!whole && def.minOpen) return 'range.aboveMin'
  return def.max === undefined ? (whole ? 'typed.takesWholeFrom' : 'typed.takesFrom') : whole ? 'typed.takesWhole' : 'typed.takesNumber'
}
