/**
 * The IPC network schema (src-main/ipc/validate.ts) keeps a layer's own fields only (69aaa03): a key it does not
 * declare is dropped on the way to the host. So every field the engine's own rules know (spec-fields.ts
 * LAYER_FIELDS) must be declared there too, or a learner's setting would vanish at Save or Start without a word.
 * Each layer type is sent with every one of its fields set to a value its rule takes.
 */
import { expect, it } from 'vitest'
import * as v from 'valibot'
import { LAYER_FIELDS } from '../../src-engine/spec-fields'
import { netSpecSchema } from '../../src-main/ipc/validate'

interface Rule { kind: string; max?: number; min?: number; example?: number; values?: readonly string[]; minOpen?: boolean }

function valueFor(r: Rule): unknown {
  if (r.kind === 'enum') return r.values![0]
  if (r.kind === 'bool') return true
  if (r.kind === 'shape') return [1, 28, 28]
  if (r.kind === 'number') return r.example ?? (r.minOpen ? (r.min! + (r.max ?? r.min! + 1)) / 2 : r.min)
  return r.example ?? 1
}

it('every field of every layer type the engine knows reaches the host through the IPC schema', () => {
  const rules = LAYER_FIELDS as unknown as Record<string, Record<string, { rule: Rule }>>
  const lost: string[] = []
  for (const [type, fields] of Object.entries(rules)) {
    const layer: Record<string, unknown> = { type, name: `${type.toLowerCase()}9` }
    for (const [key, f] of Object.entries(fields)) layer[key] = valueFor(f.rule)
    const r = v.safeParse(netSpecSchema, { input: [1, 28, 28], layers: [layer] })
    expect(r.success, `${type} ${JSON.stringify(layer)}: ${r.issues?.map((i) => i.message).join('; ')}`).toBe(true)
    const kept = (r.output as { layers: Record<string, unknown>[] }).layers[0]
    for (const key of Object.keys(layer)) if (JSON.stringify(kept[key]) !== JSON.stringify(layer[key])) lost.push(`${type}.${key}`)
  }
  expect(Object.keys(rules).length).toBeGreaterThanOrEqual(15)
  expect(lost).toEqual([])
})
