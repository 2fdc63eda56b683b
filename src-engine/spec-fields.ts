/**
 * Structural checks of one untrusted layer object: known type, every setting present and of the right
 * kind. Returns a clean LayerSpec (only known fields, copied) or null when the layer cannot be used.
 * Shape rules come afterwards (spec-infer.ts).
 */
import type { LayerSpec, LayerType } from './spec-types'
import { Issues, num, shown } from './spec-issues'
import { MAX_CHANNELS, MAX_LAYER_NAME, MAX_SIZE, MAX_UNITS, MAX_UPSAMPLE, MAX_WINDOW } from './spec-limits'

// `max` on the whole-number rules: the largest value the lab takes (spec-limits.ts), what the host's payload check
// refuses above (src-main/ipc/validate.ts); said here first, as a setting to lower (field-too-large)
type Rule =
  | { kind: 'posInt'; max: number; example?: number }  // whole number from 1 to max
  | { kind: 'nonNegInt'; max: number }                 // whole number from 0 to max
  | { kind: 'units'; max: number; example: number; vocab: boolean } // whole number from 1 to max, or 'vocab' where allowed
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'bool' }
  | { kind: 'number'; min: number; max: number; minOpen?: boolean; maxOpen?: boolean; example?: number }
  | { kind: 'shape'; max: number }                     // whole numbers from 1 to max, at most one -1

interface Field { rule: Rule; required: boolean }

const req = (rule: Rule): Field => ({ rule, required: true })
const opt = (rule: Rule): Field => ({ rule, required: false })
const INIT = opt({ kind: 'enum', values: ['he', 'xavier', 'std'] })
const BOOL = opt({ kind: 'bool' })

const CONV: Record<string, Field> = {
  filters: req({ kind: 'posInt', max: MAX_CHANNELS, example: 16 }), kernel: req({ kind: 'posInt', max: MAX_WINDOW, example: 3 }),
  stride: opt({ kind: 'posInt', max: MAX_WINDOW }), pad: opt({ kind: 'nonNegInt', max: MAX_WINDOW }), init: INIT, bias: BOOL
}
const NONE: Record<string, Field> = {}

/** Every layer type and its settings (besides `type` and `name`). */
export const LAYER_FIELDS: Record<LayerType, Record<string, Field>> = {
  Convolution: CONV,
  Deconvolution: CONV,
  Pooling: {
    mode: opt({ kind: 'enum', values: ['max', 'avg'] }), size: req({ kind: 'posInt', max: MAX_WINDOW, example: 2 }),
    stride: opt({ kind: 'posInt', max: MAX_WINDOW }), pad: opt({ kind: 'nonNegInt', max: MAX_WINDOW })
  },
  Upsample: { scale: req({ kind: 'posInt', max: MAX_UPSAMPLE, example: 2 }), mode: opt({ kind: 'enum', values: ['nearest', 'bilinear'] }) },
  Affine: { units: req({ kind: 'units', max: MAX_UNITS, example: 10, vocab: false }), init: INIT, bias: BOOL },
  Relu: NONE,
  LeakyRelu: { alpha: opt({ kind: 'number', min: 0, max: 1, example: 0.01 }) },
  Sigmoid: NONE,
  Tanh: NONE,
  Dropout: { rate: req({ kind: 'number', min: 0, max: 1, maxOpen: true, example: 0.5 }) },
  Flatten: NONE,
  Reshape: { shape: req({ kind: 'shape', max: MAX_SIZE }) },
  BatchNormalization: {
    momentum: opt({ kind: 'number', min: 0, max: 1, example: 0.9 }),
    eps: opt({ kind: 'number', min: 0, max: 1, minOpen: true, example: 1e-5 })
  },
  SoftmaxWithLoss: NONE,
  SigmoidWithLoss: NONE,
  MSE: NONE,
  TimeEmbedding: { dim: req({ kind: 'posInt', max: MAX_CHANNELS, example: 64 }) },
  TimeRNN: { hidden: req({ kind: 'posInt', max: MAX_CHANNELS, example: 128 }), stateful: BOOL },
  TimeLSTM: { hidden: req({ kind: 'posInt', max: MAX_CHANNELS, example: 128 }), stateful: BOOL },
  TimeAffine: { units: req({ kind: 'units', max: MAX_UNITS, example: 10, vocab: true }) },
  LastTimeStep: NONE,
  TimeSoftmaxWithLoss: NONE
}

const TYPES = Object.keys(LAYER_FIELDS) as LayerType[]

/**
 * Settings that change no shape and no count (a rate, ε, an initializer, max or avg): a value of theirs the layer cannot
 * take is an error at the field, but the layer's shapes are still worked out, so the cards after it keep theirs (Q7's
 * F4: a BatchNorm ε of 0 turned every shape after it into "?").
 */
const SHAPE_FREE: ReadonlySet<string> = new Set(['momentum', 'eps', 'rate', 'alpha', 'init', 'mode', 'stateful'])

/** The numbers a setting takes, as its rule says them: an open end is not itself taken (ε above 0; a rate below 1). */
export interface FieldBounds { min: number; max: number; minOpen?: boolean; maxOpen?: boolean }

/**
 * A numeric setting's bounds from its validator rule, for the editor's boxes (catalog.ts), so a box takes what the
 * validator takes and no more (Q7's F4: ε 0 was taken by the box and refused by the validator; kernels capped at 31
 * against 64). undefined for settings that are no number.
 */
export function fieldBounds(type: LayerType, key: string): FieldBounds | undefined {
  const rule = hasOwn(LAYER_FIELDS, type) && hasOwn(LAYER_FIELDS[type], key) ? LAYER_FIELDS[type][key].rule : undefined
  switch (rule?.kind) {
    case 'posInt': case 'units': return { min: 1, max: rule.max }
    case 'nonNegInt': return { min: 0, max: rule.max }
    case 'number': {
      const b: FieldBounds = { min: rule.min, max: rule.max }
      if (rule.minOpen) b.minOpen = true
      if (rule.maxOpen) b.maxOpen = true
      return b
    }
    default: return undefined
  }
}

/** Names learners bring from Keras, PyTorch or the book's prose, mapped to ours. */
const ALIASES: Record<string, LayerType> = {
  conv: 'Convolution', conv2d: 'Convolution', convolution2d: 'Convolution',
  deconv: 'Deconvolution', conv2dtranspose: 'Deconvolution', convtranspose2d: 'Deconvolution', convtranspose: 'Deconvolution',
  pool: 'Pooling', maxpool: 'Pooling', maxpool2d: 'Pooling', maxpooling2d: 'Pooling', avgpool2d: 'Pooling',
  averagepooling2d: 'Pooling', upsampling2d: 'Upsample', dense: 'Affine', linear: 'Affine', fc: 'Affine',
  softmax: 'SoftmaxWithLoss', crossentropy: 'SoftmaxWithLoss', sigmoidloss: 'SigmoidWithLoss',
  bce: 'SigmoidWithLoss', mseloss: 'MSE', batchnorm: 'BatchNormalization', batchnorm2d: 'BatchNormalization',
  batchnorm1d: 'BatchNormalization', embedding: 'TimeEmbedding', lstm: 'TimeLSTM', rnn: 'TimeRNN',
  simplernn: 'TimeRNN', leakyrelu: 'LeakyRelu'
}

/** The layer type a learner most likely meant by an unknown `type`, if any. */
export function suggestType(type: string): LayerType | undefined {
  const key = type.toLowerCase().replace(/[^a-z0-9]/g, '')
  for (const t of TYPES) if (t.toLowerCase() === key) return t
  return hasOwn(ALIASES, key) ? ALIASES[key] : undefined
}

/** Own keys only: untrusted JSON may say "constructor" or "__proto__". */
const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k)

export function isLayerType(t: unknown): t is LayerType {
  return typeof t === 'string' && hasOwn(LAYER_FIELDS, t)
}

/** `vocab`: the network's vocabulary size, when known (what "vocab" stands for). */
function ruleText(rule: Rule, vocab?: number): string {
  switch (rule.kind) {
    case 'posInt': return 'a whole number ≥ 1'
    case 'nonNegInt': return 'a whole number ≥ 0'
    case 'units':
      if (!rule.vocab) return 'a whole number ≥ 1'
      return `a whole number ≥ 1 or "vocab" (the vocabulary size, ${vocab === undefined ? 'set when the text is loaded' : num(vocab)})`
    case 'enum': return `one of ${rule.values.map((v) => `"${v}"`).join(', ')}`
    case 'bool': return 'true or false'
    case 'number':
      return `a number from ${rule.min}${rule.minOpen ? ' (exclusive)' : ''} to ${rule.max}${rule.maxOpen ? ' (exclusive)' : ''}`
    case 'shape': return 'a list of whole numbers ≥ 1 (one of them may be -1)'
  }
}

function example(rule: Rule): string {
  if (rule.kind === 'posInt' || rule.kind === 'units' || rule.kind === 'number') {
    return rule.example !== undefined ? ` (for example ${rule.example})` : ''
  }
  return rule.kind === 'shape' ? ' (for example [28, 28])' : ''
}

/**
 * '' when v fits the rule; otherwise the issue code ('field-wrong-type', 'field-not-integer', 'field-out-of-range', or
 * 'field-too-large' for a whole number above the rule's max: a size to lower, worded with the max).
 */
function misfit(rule: Rule, v: unknown): string {
  switch (rule.kind) {
    case 'posInt':
    case 'nonNegInt':
    case 'units':
      if (rule.kind === 'units' && rule.vocab && v === 'vocab') return ''
      if (typeof v !== 'number' || !Number.isFinite(v)) return 'field-wrong-type'
      if (!Number.isInteger(v)) return 'field-not-integer'
      if (v < (rule.kind === 'nonNegInt' ? 0 : 1)) return 'field-out-of-range'
      return v > rule.max ? 'field-too-large' : ''
    case 'enum':
      if (typeof v !== 'string') return 'field-wrong-type'
      return rule.values.includes(v) ? '' : 'field-out-of-range'
    case 'bool':
      return typeof v === 'boolean' ? '' : 'field-wrong-type'
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v)) return 'field-wrong-type'
      if (v < rule.min || (rule.minOpen && v === rule.min)) return 'field-out-of-range'
      if (v > rule.max || (rule.maxOpen && v === rule.max)) return 'field-out-of-range'
      return ''
    case 'shape': {
      if (!Array.isArray(v) || v.length === 0 || v.length > 3) return 'field-wrong-type'
      let wild = 0
      for (const d of v) {
        if (typeof d !== 'number' || !Number.isFinite(d)) return 'field-wrong-type'
        if (!Number.isInteger(d)) return 'field-not-integer'
        if (d === -1) wild++
        else if (d < 1) return 'field-out-of-range'
        else if (d > rule.max) return 'field-too-large'
      }
      return wild > 1 ? 'field-out-of-range' : ''
    }
  }
}

/**
 * Checks one raw layer. `name` is its resolved name (for messages). Unknown settings get a warning
 * (likely typos: "filter" for "filters"); anything unusable gets an error and returns null.
 */
export function checkLayerFields(raw: unknown, index: number, name: string, issues: Issues, vocab?: number): LayerSpec | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    issues.error(index, name, 'layer-not-object', `layer ${index + 1} must be an object like {"type": "Relu"}, not ${shown(raw)}`)
    return null
  }
  const o = raw as Record<string, unknown>
  if (!isLayerType(o.type)) {
    const guess = typeof o.type === 'string' ? suggestType(o.type) : undefined
    const what = o.type === undefined ? 'has no "type"' : `has unknown type ${shown(o.type)}`
    issues.error(index, name, 'unknown-layer-type',
      `layer ${index + 1} ${what}; ${guess ? `did you mean "${guess}"?` : `use one of ${TYPES.join(', ')}`}`,
      'type', { type: shown(o.type), suggestion: guess ?? '' })
    return null
  }
  const fields = LAYER_FIELDS[o.type]
  const out: Record<string, unknown> = { type: o.type }
  let ok = true
  if (o.name !== undefined) {
    if (typeof o.name !== 'string') {
      issues.error(index, name, 'field-wrong-type', `"name" must be text, not ${shown(o.name)}`, 'name', { field: 'name' })
      ok = false
    } else {
      // a name longer than the host takes (src-main/ipc/validate.ts) is an error; the layer itself is still read
      if (o.name.length > MAX_LAYER_NAME) {
        issues.error(index, name, 'name-too-long', `its name has ${num(o.name.length)} characters; shorten it to at most ${MAX_LAYER_NAME}`,
          'name', { field: 'name', length: o.name.length, max: MAX_LAYER_NAME })
      }
      if (o.name.trim() !== '') out.name = o.name.trim()
    }
  }
  for (const key in fields) {
    const f = fields[key]
    const v = o[key]
    if (v === undefined) {
      if (f.required) {
        if (!SHAPE_FREE.has(key)) ok = false
        const near = Object.keys(o).find((k) => !hasOwn(fields, k) && k !== 'type' && k !== 'name' &&
          (k.toLowerCase().startsWith(key.slice(0, 4)) || key.startsWith(k.toLowerCase())))
        issues.error(index, name, 'field-missing',
          `"${key}" is missing; set it to ${ruleText(f.rule, vocab)}${example(f.rule)}` +
            (near ? ` (found "${near}" — did you mean "${key}"?)` : ''),
          key, { field: key })
      }
      continue
    }
    const code = misfit(f.rule, v)
    if (code !== '') {
      // the layer is still inferred without it (its default, or none: no shape reads it)
      if (!SHAPE_FREE.has(key)) ok = false
      if (code === 'field-too-large' && 'max' in f.rule) {
        // a size over the lab's limit: the max, and the value as a number (the editor groups both: 4,096)
        const big = Array.isArray(v) ? Math.max(...(v as number[])) : (v as number)
        issues.error(index, name, code, `"${key}" must be at most ${num(f.rule.max)}, not ${num(big)}; lower it`, key,
          { field: key, value: big, max: f.rule.max })
        continue
      }
      // a TimeAffine's units may be "vocab": the message (and the editor's) says what that size is
      const vocabNote: Record<string, number> = f.rule.kind === 'units' && f.rule.vocab && vocab !== undefined ? { vocab } : {}
      issues.error(index, name, code, `"${key}" must be ${ruleText(f.rule, vocab)}, not ${shown(v)}`, key,
        { field: key, value: shown(v), ...vocabNote })
      continue
    }
    out[key] = Array.isArray(v) ? v.slice() : v
  }
  for (const key of Object.keys(o)) {
    if (key === 'type' || key === 'name' || hasOwn(fields, key)) continue
    const known = Object.keys(fields)
    issues.warn(index, name, 'unknown-field',
      `"${key}" is not a setting of ${o.type} and is ignored` +
        (known.length ? `; its settings are ${known.join(', ')}` : ''), key, { field: key })
  }
  return ok ? (out as unknown as LayerSpec) : null
}
