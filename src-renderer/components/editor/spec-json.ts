/**
 * Reading an architecture file the learner picked. Checks the structure (JSON, input shape, known layer
 * types, each setting of the right kind) before anything touches the open project; the shape rules are
 * validateSpec's job afterwards. Failures carry an i18n key and values, never a throw.
 */
import type { NetSpec } from '../../../src-engine/spec-types'
import { LAYER_FIELDS, suggestType } from '../../../src-engine/spec-fields'
import { MAX_LAYERS } from '../../../src-engine/spec-limits'
import { LAYER_DEFS, layerDef, type LayerDef } from './catalog'

/** One thing wrong with a file: an i18n key under editor. and its values. */
export interface ImportProblem { key: string; values: Record<string, string | number> }

/**
 * A refusal names its first problem (key, values); the layers' other problems come in `more`, up to MORE_SHOWN of them,
 * with `rest` the count beyond (Q7's F10: a file with several mistakes took one import per mistake).
 */
export type ParseResult =
  | { ok: true; spec: NetSpec }
  | { ok: false; key: string; values: Record<string, string | number>; more?: ImportProblem[]; rest?: number }

/** The layers' problems said after the first; the rest only counted. */
export const MORE_SHOWN = 3

const TASKS = ['classify', 'reconstruct', 'language-model']

function fail(key: string, values: Record<string, string | number> = {}): ParseResult {
  return { ok: false, key, values }
}

const isPosInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0
// a Reshape size may also be -1 ("work it out from the others"), as the validator, the engine and the host's
// payload check take it; whether there is at most one -1 and the sizes multiply out is the validator's to say
const isShapeSize = (v: unknown): boolean => v === -1 || isPosInt(v)

/**
 * The largest file Import JSON reads (Q7 F5). The lab's largest network, MAX_LAYERS layers with 64-character names, is
 * well under 100 KB as the editor saves it; a larger file is something else (a dataset, a 420,000-layer network), and
 * reading it took the page down. Checked on the file's size before its text is read (EditorPage onFile).
 */
export const MAX_FILE_BYTES = 1_000_000

/** A file too large to be a network's, refused by its size before it is read; null when it may be read. */
export function fileTooLarge(bytes: number): ParseResult | null {
  return bytes > MAX_FILE_BYTES ? fail('import.fileTooLarge', { size: megabytes(bytes), max: megabytes(MAX_FILE_BYTES) }) : null
}

const megabytes = (bytes: number): string => `${(bytes / 1e6).toFixed(bytes < 10e6 ? 1 : 0)} MB`

/** Parse and structurally check a spec file's text. */
export function parseSpecJson(text: string): ParseResult {
  const big = fileTooLarge(text.length)
  if (big) return big
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (e) {
    return notJson(text, e instanceof Error ? e.message : String(e))
  }
  return checkSpec(raw)
}

/**
 * Where a file stops being JSON, in the learner's language rather than the parser's English: the file
 * is empty, ends too early (an unclosed bracket or quote), or the line and column of the problem. The parser's
 * words remain only when neither can be told.
 */
function notJson(text: string, message: string): ParseResult {
  if (text.trim() === '') return fail('import.emptyFile')
  const at = jsonErrorAt(text)
  if (at < 0) return fail('import.notJson', { detail: message })
  if (at >= text.trimEnd().length) return fail('import.notJsonEnd')
  const before = text.slice(0, at).split('\n')
  return fail('import.notJsonAt', { line: before.length, column: before[before.length - 1].length + 1 })
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y

/** The offset of the first character that cannot continue valid JSON (the text's length when it ends
 * too early), or -1 when the text is valid. The engines' parsers word this differently (V8 in Node gives
 * no position); a small scanner of its own gives the same answer everywhere. */
export function jsonErrorAt(s: string): number {
  let i = 0
  const stop = (): never => { throw i }
  const ws = (): void => { while (i < s.length && ' \t\n\r'.includes(s[i])) i++ }
  const word = (w: string): void => { for (const c of w) { if (s[i] !== c) stop(); i++ } }
  const string = (): void => {
    i++
    for (;;) {
      if (i >= s.length) stop()
      const c = s[i]
      if (c === '"') { i++; return }
      if (c < ' ') stop()
      if (c === '\\') {
        i++
        if (s[i] === 'u') { for (let k = 1; k <= 4; k++) if (!/[0-9a-fA-F]/.test(s[i + k] ?? '')) { i += k; stop() } i += 5 }
        else if (i < s.length && '"\\/bfnrt'.includes(s[i])) i++
        else stop()
      } else i++
    }
  }
  const value = (): void => {
    ws()
    const c = s[i]
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']'
      i++; ws()
      if (s[i] === close) { i++; return }
      for (;;) {
        if (c === '{') { ws(); if (s[i] !== '"') stop(); string(); ws(); if (s[i] !== ':') stop(); i++ }
        value(); ws()
        if (s[i] === ',') { i++; continue }
        if (s[i] === close) { i++; return }
        stop()
      }
    }
    if (c === '"') return string()
    if (c === 't') return word('true')
    if (c === 'f') return word('false')
    if (c === 'n') return word('null')
    NUMBER.lastIndex = i
    if (!NUMBER.test(s)) stop()
    i = NUMBER.lastIndex
  }
  try {
    value(); ws()
    return i < s.length ? i : -1
  } catch (at) {
    return Math.min(at as number, s.length)
  }
}

const quoted = (words: readonly string[]): string => words.map((w) => `"${w}"`).join(', ')

/**
 * An unknown type says what to write (Q3's F19): the type the engine's validator would suggest (suggestType: "Conv2D",
 * "Dense", "convolution" from Keras, PyTorch or a lower-case slip), else the types there are.
 */
function unknownType(n: number, type: string): ParseResult {
  const guess = suggestType(type)
  if (guess && layerDef(guess)) return fail('import.unknownTypeSuggest', { n, type, suggestion: guess })
  return fail('import.unknownTypeList', { n, type, types: quoted(LAYER_DEFS.map((d) => d.type)) })
}

/**
 * An unknown setting says what to write: the setting of this type it is near to ("filter" → "filters", "kernel_size" →
 * "kernel", "Stride" → "stride"; the engine's near-field hint, spec-fields.ts), else the type's settings.
 */
function unknownField(n: number, def: LayerDef, field: string, layer: Record<string, unknown>): ParseResult {
  const k = field.toLowerCase()
  const near = k.length < 3 ? undefined : def.fields.find((f) => {
    const key = f.key.toLowerCase()
    return layer[f.key] === undefined && (k.startsWith(key.slice(0, 4)) || key.startsWith(k))
  })
  const values = { n, type: def.type, field }
  if (near) return fail('import.unknownFieldNear', { ...values, near: near.key })
  if (def.fields.length === 0) return fail('import.unknownFieldNone', values)
  return fail('import.unknownFieldList', { ...values, fields: quoted(def.fields.map((f) => f.key)) })
}

/**
 * Check an already parsed value; returns a fresh plain copy on success. More than `maxLayers` layers (the lab's
 * MAX_LAYERS for a file) is refused before any layer is read (Q7 F5: 5,000 imported layers took 46 s to draw as cards,
 * 420,000 crashed the tab); a stored draft allows more (draft-store.svelte.ts), as the editor lets a learner add layers
 * past the limit and says how many to remove.
 */
export function checkSpec(raw: unknown, maxLayers = MAX_LAYERS): ParseResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('import.notObject')
  const o = raw as Record<string, unknown>
  if (!Array.isArray(o.input) || o.input.length < 1 || o.input.length > 3 || !o.input.every(isPosInt)) {
    return fail('import.badInput')
  }
  if (o.vocab !== undefined && !isPosInt(o.vocab)) return fail('import.badVocab')
  if (o.task !== undefined && !TASKS.includes(o.task as string)) return fail('import.badTask', { task: String(o.task) })
  if (o.name !== undefined && typeof o.name !== 'string') return fail('import.badName')
  if (!Array.isArray(o.layers)) return fail('import.noLayers')
  if (o.layers.length > maxLayers) return fail('import.tooManyLayers', { count: o.layers.length, max: maxLayers })

  const layers: Record<string, unknown>[] = []
  const problems: ImportProblem[] = []
  for (let i = 0; i < o.layers.length; i++) {
    const out = readLayer(o.layers[i] as unknown, i + 1, problems)
    if (out) layers.push(out)
  }
  if (problems.length) {
    const [first, ...others] = problems
    const more = others.slice(0, MORE_SHOWN)
    return { ok: false, ...first, ...(more.length ? { more } : {}), ...(others.length > MORE_SHOWN ? { rest: others.length - MORE_SHOWN } : {}) }
  }
  const spec: NetSpec = { input: [...(o.input as number[])], layers: layers as unknown as NetSpec['layers'] }
  if (typeof o.name === 'string') spec.name = o.name
  if (o.vocab !== undefined) spec.vocab = o.vocab as number
  if (o.task !== undefined) spec.task = o.task as NetSpec['task']
  return { ok: true, spec }
}

/**
 * One layer of a file, copied, or null after adding what is wrong with it to `problems`: every unknown, missing or
 * badly written setting of it (an unknown type or a layer that is no object: that alone).
 */
function readLayer(l: unknown, n: number, problems: ImportProblem[]): Record<string, unknown> | null {
  const say = (r: ParseResult): null => {
    if (!r.ok) problems.push({ key: r.key, values: r.values })
    return null
  }
  if (typeof l !== 'object' || l === null || Array.isArray(l)) return say(fail('import.layerNotObject', { n }))
  const lo = l as Record<string, unknown>
  // no "type" at all is said as such, with what to write: it read 'unknown type "undefined"' (Q7's F10)
  if (lo.type === undefined) return say(fail('import.noType', { n, types: quoted(LAYER_DEFS.map((d) => d.type)) }))
  const def = layerDef(String(lo.type))
  if (!def) return say(unknownType(n, typeof lo.type === 'string' ? lo.type : JSON.stringify(lo.type)))
  const before = problems.length
  const out: Record<string, unknown> = { type: def.type }
  if (lo.name !== undefined) {
    if (typeof lo.name !== 'string') say(fail('import.badLayerName', { n }))
    else out.name = lo.name
  }
  for (const key of Object.keys(lo)) {
    if (key !== 'type' && key !== 'name' && !def.fields.some((f) => f.key === key)) say(unknownField(n, def, key, lo))
  }
  for (const f of def.fields) {
    const v = lo[f.key]
    if (v === undefined) {
      if (f.fallback === undefined) say(fail('import.missingField', { n, type: def.type, field: f.key }))
      continue
    }
    const good =
      f.kind === 'int' ? typeof v === 'number' && Number.isInteger(v) :
      f.kind === 'number' ? typeof v === 'number' && Number.isFinite(v) :
      f.kind === 'bool' ? typeof v === 'boolean' :
      f.kind === 'select' ? typeof v === 'string' && (f.options ?? []).includes(v) :
      f.kind === 'units' ? v === 'vocab' || (typeof v === 'number' && Number.isInteger(v)) :
      Array.isArray(v) && v.length > 0 && v.every(isShapeSize)
    if (!good) say(badField(n, def, f, v))
    else out[f.key] = Array.isArray(v) ? [...v] : v
  }
  return problems.length === before ? out : null
}

/**
 * A setting of the wrong kind says what to write (Q7's F10: '"filters" = "8", which is not allowed' said nothing of
 * quotes): a number in quotes that the setting would take is told to lose them; else what the setting takes, with an
 * example (the validator's, spec-fields.ts, else a new layer's value).
 */
function badField(n: number, def: LayerDef, f: LayerDef['fields'][number], v: unknown): ParseResult {
  const values = { n, type: def.type, field: f.key, value: JSON.stringify(v) ?? String(v) }
  const text = typeof v === 'string' ? v.trim() : ''
  const num = text === '' ? NaN : Number(text)
  const whole = f.kind === 'int' || f.kind === 'units'
  if ((f.kind === 'number' && Number.isFinite(num)) || (whole && Number.isInteger(num))) {
    return fail('import.quotedNumber', { ...values, text: String(num) })
  }
  if ((f.kind === 'bool') && (text === 'true' || text === 'false')) return fail('import.quotedBool', { ...values, text })
  const rule = LAYER_FIELDS[def.type]?.[f.key]?.rule
  const made = (def.make() as unknown as Record<string, unknown>)[f.key]
  const example = String(rule && 'example' in rule && rule.example !== undefined ? rule.example : typeof made === 'number' ? made : 1)
  switch (f.kind) {
    case 'int': return fail('import.badFieldWhole', { ...values, example })
    case 'units': return fail('import.badFieldUnits', { ...values, example })
    case 'number': return fail('import.badFieldNumber', { ...values, example })
    case 'bool': return fail('import.badFieldBool', values)
    case 'select': return fail('import.badFieldOption', { ...values, options: quoted(f.options ?? []) })
    default: return fail('import.badFieldList', values)
  }
}
