/**
 * What a shape typed into the input card means: one to three sizes the network can take, or why not. The card
 * says the reason beside the box instead of putting the last shape back in silence when the box is left
 * (K4: "abc", "-3" and "1, 0, 28" vanished without a word). Pure, no Svelte.
 */

/** The most sizes an input has: an image's channels, height and width. */
export const MAX_INPUT_DIMS = 3

export type ShapeReason =
  /** nothing typed */
  | 'empty'
  /** a part that is not a whole number of 1 or more ("abc", "-3", "0", "2.5") */
  | 'part'
  /** more than three sizes */
  | 'too-many'

export type ReadShape = { ok: true; dims: number[] } | { ok: false; reason: ShapeReason; /** the offending part, or the count */ bad: string }

/** "1, 28, 28", "1×28×28", "(1, 28, 28)" or "35 64": the sizes, each a whole number ≥ 1, at most three. */
export function readInputShape(raw: string): ReadShape {
  const parts = raw.split(/[\s,×x()]+/).filter((p) => p !== '')
  if (parts.length === 0) return { ok: false, reason: 'empty', bad: '' }
  const badPart = parts.find((p) => { const n = Number(p); return !(Number.isInteger(n) && n > 0) })
  if (badPart !== undefined) return { ok: false, reason: 'part', bad: badPart }
  if (parts.length > MAX_INPUT_DIMS) return { ok: false, reason: 'too-many', bad: String(parts.length) }
  return { ok: true, dims: parts.map(Number) }
}

/**
 * Text on its way to a longer shape ("1," or "1, " before the next size): not said wrong while the learner types.
 * Left like that, the box is read as it stands.
 */
export function isShapePrefix(raw: string): boolean {
  return raw.trim() !== '' && /[\s,×x(]$/.test(raw)
}
