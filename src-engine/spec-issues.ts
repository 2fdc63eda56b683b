/**
 * The issue list validateSpec fills, and the few text helpers its messages share. Messages are
 * English and always start with the layer's name; `code` and `values` are what translations use.
 */
import type { SpecIssue } from './spec-types'

type Values = Record<string, string | number>

export class Issues {
  readonly list: SpecIssue[] = []
  errors = 0

  error(layer: number, layerName: string, code: string, message: string, field?: string, values?: Values): void {
    this.errors++
    this.push('error', layer, layerName, code, message, field, values)
  }

  warn(layer: number, layerName: string, code: string, message: string, field?: string, values?: Values): void {
    this.push('warning', layer, layerName, code, message, field, values)
  }

  private push(
    severity: SpecIssue['severity'], layer: number, layerName: string, code: string, message: string,
    field: string | undefined, values: Values | undefined
  ): void {
    const issue: SpecIssue = { severity, layer, layerName, code, message: `${layerName}: ${message}` }
    if (field !== undefined) issue.field = field
    issue.values = values === undefined ? { layer: layerName } : { layer: layerName, ...values }
    this.list.push(issue)
  }
}

/** 1234567 → "1,234,567" (fixed, locale-independent, so messages and tests agree everywhere). */
export function num(n: number): string {
  if (!Number.isFinite(n)) return String(n)
  const neg = n < 0
  let s = String(Math.abs(Math.round(n)))
  let out = ''
  while (s.length > 3) {
    out = ',' + s.slice(-3) + out
    s = s.slice(0, -3)
  }
  return (neg ? '-' : '') + s + out
}

/** [30, 12, 12] → "(30, 12, 12)". */
export function shapeText(shape: readonly number[]): string {
  return `(${shape.join(', ')})`
}

/** [1, 2, 4] → "1, 2 or 4". */
export function orList(items: readonly (string | number)[]): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`
}

/** Bytes as GiB with two decimals. */
export function gib(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(2)} GiB`
}

export function product(shape: readonly number[]): number {
  let n = 1
  for (let i = 0; i < shape.length; i++) n *= shape[i]
  return n
}

/** A short JSON rendering of a bad value for a message ("\"3\"", "[1,2]", "undefined"). */
export function shown(v: unknown): string {
  if (v === undefined) return 'nothing'
  let s: string
  try {
    s = JSON.stringify(v) ?? String(v)
  } catch {
    // a BigInt, or a list nested some thousands deep (a file's): String() would recurse as JSON.stringify did
    s = Array.isArray(v) ? 'a list nested too deep to show' : typeof v === 'object' && v !== null ? 'an object nested too deep to show' : String(v)
  }
  return s.length > 40 ? s.slice(0, 37) + '...' : s
}
