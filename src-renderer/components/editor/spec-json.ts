/**
 * Reading an architecture file the learner picked. Checks the structure (JSON, input shape, known layer
 * types, each setting of the right kind) before anything touches the open project; the shape rules are
 * validateSpec's job afterwards. Failures carry an i18n key and values, never a throw.
 */
import type { NetSpec } from '../../../src-engine/spec-types'
import { layerDef } from './catalog'

export type ParseResult =
  | { ok: true; spec: NetSpec }
  | { ok: false; key: string; values: Record<string, string | number> }

const TASKS = ['classify', 'reconstruct', 'language-model']

function fail(key: string, values: Record<string, string | number> = {}): ParseResult {
  return { ok: false, key, values }
}

const isPosInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0

/** Parse and structurally check a spec file's text. */
export function parseSpecJson(text: string): ParseResult {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (e) {
    return fail('import.notJson', { detail: e instanceof Error ? e.message : String(e) })
  }
  return checkSpec(raw)
}

/** Check an already parsed value; returns a fresh plain copy on success. */
export function checkSpec(raw: unknown): ParseResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('import.notObject')
  const o = raw as Record<string, unknown>
  if (!Array.isArray(o.input) || o.input.length < 1 || o.input.length > 3 || !o.input.every(isPosInt)) {
    return fail('import.badInput')
  }
  if (o.vocab !== undefined && !isPosInt(o.vocab)) return fail('import.badVocab')
  if (o.task !== undefined && !TASKS.includes(o.task as string)) return fail('import.badTask', { task: String(o.task) })
  if (o.name !== undefined && typeof o.name !== 'string') return fail('import.badName')
  if (!Array.isArray(o.layers)) return fail('import.noLayers')

  const layers: Record<string, unknown>[] = []
  for (let i = 0; i < o.layers.length; i++) {
    const l = o.layers[i] as unknown
    const n = i + 1
    if (typeof l !== 'object' || l === null || Array.isArray(l)) return fail('import.layerNotObject', { n })
    const lo = l as Record<string, unknown>
    const def = layerDef(String(lo.type))
    if (!def) return fail('import.unknownType', { n, type: String(lo.type) })
    const out: Record<string, unknown> = { type: def.type }
    if (lo.name !== undefined) {
      if (typeof lo.name !== 'string') return fail('import.badLayerName', { n })
      out.name = lo.name
    }
    for (const key of Object.keys(lo)) {
      if (key !== 'type' && key !== 'name' && !def.fields.some((f) => f.key === key)) {
        return fail('import.unknownField', { n, type: def.type, field: key })
      }
    }
    for (const f of def.fields) {
      const v = lo[f.key]
      if (v === undefined) {
        if (f.fallback === undefined) return fail('import.missingField', { n, type: def.type, field: f.key })
        continue
      }
      const good =
        f.kind === 'int' ? typeof v === 'number' && Number.isInteger(v) :
        f.kind === 'number' ? typeof v === 'number' && Number.isFinite(v) :
        f.kind === 'bool' ? typeof v === 'boolean' :
        f.kind === 'select' ? typeof v === 'string' && (f.options ?? []).includes(v) :
        f.kind === 'units' ? v === 'vocab' || (typeof v === 'number' && Number.isInteger(v)) :
        Array.isArray(v) && v.length > 0 && v.every(isPosInt)
      if (!good) return fail('import.badField', { n, type: def.type, field: f.key, value: JSON.stringify(v) })
      out[f.key] = Array.isArray(v) ? [...v] : v
    }
    layers.push(out)
  }
  const spec: NetSpec = { input: [...(o.input as number[])], layers: layers as unknown as NetSpec['layers'] }
  if (typeof o.name === 'string') spec.name = o.name
  if (o.vocab !== undefined) spec.vocab = o.vocab as number
  if (o.task !== undefined) spec.task = o.task as NetSpec['task']
  return { ok: true, spec }
}
