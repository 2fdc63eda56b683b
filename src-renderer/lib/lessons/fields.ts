/**
 * Reading the number fields a learner types into an explainer. A bad entry (empty, not a number, out
 * of range) is reported rather than silently replaced: `ok` is false and `value` is what the
 * explainer uses until the learner fixes the field, which it names beside the field.
 */
import { plainMinus } from './format'

/** One field the learner typed: the number used, and whether what was typed was allowed. */
export interface NumberField { value: number; ok: boolean }

/**
 * What a field holds as a number: NaN when it is empty or not a number (a bound number input gives null when empty).
 * A grid cell is a text box showing "−1" with a real minus sign (format.ts minusSign), read back as −1.
 */
function typed(v: unknown): number {
  return typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(plainMinus(v.trim())) : NaN
}

/** A field that must be a whole number in [lo, hi]; a bad entry uses the nearest allowed whole number. */
export function wholeField(v: unknown, lo: number, hi = Number.MAX_SAFE_INTEGER): NumberField {
  const n = typed(v)
  const ok = Number.isInteger(n) && n >= lo && n <= hi
  const value = Number.isFinite(n) ? Math.min(hi, Math.max(lo, Math.round(n))) : lo
  return { value, ok }
}

/** A field that may hold any finite number; a bad entry uses `fallback`. */
export function realField(v: unknown, fallback: number): NumberField {
  const n = typed(v)
  return Number.isFinite(n) ? { value: n, ok: true } : { value: fallback, ok: false }
}

/**
 * The largest number an explainer's grid cell takes (ConvStepper's input and filters, the pooling grid): "−99.9" is
 * the widest entry its 30-pixel cell shows whole (Grid.svelte), and a window's sum of such products stays a few digits.
 */
export const CELL_LIMIT = 99.9

/**
 * A number typed into a grid cell: from −limit to limit with at most one decimal, which the cell shows whole. 1e308
 * overflowed every sum to ∞, 1e-320 showed as 0 while the sums used it, and −99.99 was cut to "−99.9" in its cell;
 * −0 is 0. A bad entry is not used: the cell keeps `last`, the number it held.
 */
export function cellField(v: unknown, last: number, limit = CELL_LIMIT): NumberField {
  const n = typed(v)
  const ok = Number.isFinite(n) && Math.abs(n) <= limit && Math.round(n * 10) / 10 === n
  return ok ? { value: n === 0 ? 0 : n, ok } : { value: last, ok }
}

/**
 * A group of real-number fields that keeps each one's last good value: the returned reader gives, for
 * what is typed now, each field's number, or while it is bad the last number it held (at first `start`),
 * so the explainer keeps showing its last good result.
 */
export function lastGoodFields<K extends string>(start: Readonly<Record<K, number>>): (now: Readonly<Record<K, unknown>>) => Record<K, NumberField> {
  const good: Record<K, number> = { ...start }
  return (now) => {
    const out = {} as Record<K, NumberField>
    for (const k of Object.keys(start) as K[]) {
      out[k] = realField(now[k], good[k])
      good[k] = out[k].value
    }
    return out
  }
}

/** The numbers a group of fields gives, by name. */
export function valuesOf<K extends string>(fields: Readonly<Record<K, NumberField>>): Record<K, number> {
  const out = {} as Record<K, number>
  for (const k of Object.keys(fields) as K[]) out[k] = fields[k].value
  return out
}
