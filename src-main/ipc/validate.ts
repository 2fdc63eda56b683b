/**
 * One valibot schema per request channel. Everything that arrives from a renderer (or a browser over
 * the web shell) is untrusted: it is checked here before LabHost sees it, and a failure becomes
 * `{ ok: false, error: { code: 'bad-payload', message, path } }` whose message names the field, says
 * what is allowed and what arrived, so the editor can highlight the field and the learner can fix it.
 */
import * as v from 'valibot'
import { VALUE_TYPES, type Channel, type ErrorParams, type FileSource, type LabError, type PAYLOAD_RULES, type Requests, type ValueType } from './contract'
import { TRAINING_PRIORITIES, type DivergenceFacts } from '../../src-engine/protocol'
import {
  MAX_CHANNELS, MAX_INPUT_SIZE, MAX_LAYER_NAME, MAX_LAYERS, MAX_SIZE, MAX_TITLE, MAX_UNITS, MAX_UPSAMPLE, MAX_VOCAB, MAX_WINDOW
} from '../../src-engine/spec-limits'
import { BATCH_MAX, EPOCH_OFFSET_MAX, EPOCHS_MAX, LR_MAX } from '../../src-engine/settings-limits'
import { fileSourceSchema, fileTargetSchema, MAX_BASE64, MAX_UPLOAD_BYTES, noNul, OPTIMIZERS, savedHistorySchema } from './project-schemas'
import { refuse } from './refuse'

// ── building blocks with messages that say what to change ────────────────────

const got = (issue: v.BaseIssue<unknown>): string => `got ${issue.received}`

/** A whole number in [lo, hi]. */
function int(lo: number, hi: number) {
  return v.pipe(
    v.number((i) => `must be a whole number from ${lo} to ${hi} (${got(i)})`),
    v.finite((i) => `must be a finite number (${got(i)})`),
    v.integer((i) => `must be a whole number, not a fraction (${got(i)})`),
    v.minValue(lo, (i) => `must be at least ${lo} (${got(i)})`),
    v.maxValue(hi, (i) => `must be at most ${hi} (${got(i)})`)
  )
}

/** A real number in [lo, hi], or (lo, hi] when `openLow`. */
function num(lo: number, hi: number, openLow = false) {
  const range = openLow ? `greater than ${lo} and at most ${hi}` : `from ${lo} to ${hi}`
  return v.pipe(
    v.number((i) => `must be a number ${range} (${got(i)})`),
    v.finite((i) => `must be a finite number ${range} (${got(i)})`),
    openLow
      ? v.gtValue(lo, (i) => `must be greater than ${lo} (${got(i)})`)
      : v.minValue(lo, (i) => `must be at least ${lo} (${got(i)})`),
    v.maxValue(hi, (i) => `must be at most ${hi} (${got(i)})`)
  )
}

function str(max: number, what = 'text') {
  return v.pipe(
    v.string((i) => `must be ${what} (${got(i)})`),
    v.maxLength(max, (i) => `must be at most ${max} characters (${got(i)})`)
  )
}

const bool = v.boolean((i) => `must be true or false (${got(i)})`)

function oneOf<const T extends readonly string[]>(options: T) {
  return v.picklist(options, (i) => `must be one of ${options.map((o) => `"${o}"`).join(', ')} (${got(i)})`)
}

/** A 28×28 image: 784 finite grey levels in 0..1. */
const image784 = v.pipe(
  v.array(
    v.pipe(
      v.number((i) => `must be a grey level from 0 to 1 (${got(i)})`),
      v.finite((i) => `must be a finite grey level from 0 to 1 (${got(i)})`),
      v.minValue(0, (i) => `must be at least 0 (${got(i)})`),
      v.maxValue(1, (i) => `must be at most 1 (${got(i)})`)
    ),
    (i) => `must be an array of 784 numbers (28×28 grey levels) (${got(i)})`
  ),
  v.length(784, (i) => `must hold exactly 784 values (28×28), ${got(i)}`)
)

/** model:predict's image: the same 784 grey levels, also as a Float32Array (what the draw page sends; the
 * WebSocket carries it as base64, Electron IPC by structured clone). Checked as a plain array. */
const predictImage = v.pipe(
  v.unknown(),
  v.transform((x) => (x instanceof Float32Array ? Array.from(x) : x)),
  image784
)

const noPayload = v.optional(v.null((i) => `this request takes no payload (${got(i)})`))

// ── the architecture spec (structure and sane sizes; shapes are checked by the engine) ────
// The sizes are the engine's (spec-limits.ts): validateSpec names each one first, as a problem in the editor, the
// project reader and the CLI, so these refusals are a defence that a learner's network never meets.

const name = v.optional(str(MAX_LAYER_NAME, 'a layer name'))
const init = v.optional(oneOf(['he', 'xavier', 'std'] as const))
// A layer keeps its own fields only (spec-types.ts; a field the engine adds is added here too): a key of no layer's,
// which may hold anything (an object with a "__proto__" key, ±Infinity), is dropped, not passed on (the fuzz's seed 16
// carried one to the host inside layers.N.hasOwnProperty). The engine ignores such a key anyway ('unknown-field'),
// and the editor warns about it from its own check.
const layer = <const T extends string, E extends v.ObjectEntries>(type: T, entries: E) =>
  v.object({ type: v.literal(type), name, ...entries })

const convLike = {
  filters: int(1, MAX_CHANNELS), kernel: int(1, MAX_WINDOW), stride: v.optional(int(1, MAX_WINDOW)), pad: v.optional(int(0, MAX_WINDOW)), init, bias: v.optional(bool)
}
/** A Reshape's size: 1 to MAX_SIZE, or -1 ("work it out from the others", as the engine and the editor allow; refused here before). */
const reshapeSize = v.union([int(1, MAX_SIZE), v.literal(-1)], (i) => `must be a whole number from 1 to ${MAX_SIZE}, or -1 (${got(i)})`)

export const LAYER_TYPES = [
  'Convolution', 'Deconvolution', 'Pooling', 'Upsample', 'Affine', 'Relu', 'LeakyRelu', 'Sigmoid', 'Tanh', 'Dropout',
  'Flatten', 'Reshape', 'BatchNormalization', 'SoftmaxWithLoss', 'SigmoidWithLoss', 'MSE', 'TimeEmbedding', 'TimeRNN',
  'TimeLSTM', 'TimeAffine', 'LastTimeStep', 'TimeSoftmaxWithLoss'
] as const

const layerSchema = v.variant('type', [
  layer('Convolution', convLike),
  layer('Deconvolution', convLike),
  layer('Pooling', { mode: v.optional(oneOf(['max', 'avg'] as const)), size: int(1, MAX_WINDOW), stride: v.optional(int(1, MAX_WINDOW)), pad: v.optional(int(0, MAX_WINDOW)) }),
  layer('Upsample', { scale: int(1, MAX_UPSAMPLE), mode: v.optional(oneOf(['nearest', 'bilinear'] as const)) }),
  layer('Affine', { units: int(1, MAX_UNITS), init, bias: v.optional(bool) }),
  layer('Relu', {}),
  layer('LeakyRelu', { alpha: v.optional(num(0, 1)) }),
  layer('Sigmoid', {}),
  layer('Tanh', {}),
  layer('Dropout', { rate: v.pipe(num(0, 1), v.ltValue(1, (i) => `must be below 1 (${got(i)})`)) }),
  layer('Flatten', {}),
  layer('Reshape', { shape: v.pipe(v.array(reshapeSize, (i) => `must be an array of sizes (${got(i)})`), v.minLength(1, 'must list at least one size'), v.maxLength(3, (i) => `must list at most 3 sizes (${got(i)})`)) }),
  layer('BatchNormalization', { momentum: v.optional(num(0, 1)), eps: v.optional(num(0, 1, true)) }),
  layer('SoftmaxWithLoss', {}),
  layer('SigmoidWithLoss', {}),
  layer('MSE', {}),
  layer('TimeEmbedding', { dim: int(1, MAX_CHANNELS) }),
  layer('TimeRNN', { hidden: int(1, MAX_CHANNELS), stateful: v.optional(bool) }),
  layer('TimeLSTM', { hidden: int(1, MAX_CHANNELS), stateful: v.optional(bool) }),
  // "vocab" means "the vocabulary size", known once the text is loaded.
  layer('TimeAffine', { units: v.union([int(1, MAX_UNITS), v.literal('vocab')], (i) => `must be a whole number from 1 to ${MAX_UNITS}, or "vocab" (${got(i)})`) }),
  layer('LastTimeStep', {}),
  layer('TimeSoftmaxWithLoss', {})
], (i) => `must be a layer object whose "type" is one of ${LAYER_TYPES.join(', ')} (${got(i)})`)

/** The largest vocabulary size a network may have (a spec's "vocab"; a weights file's, projects.ts): the engine's. */
export { MAX_VOCAB }

/** A network keeps its own fields only, as its layers do. */
export const netSpecSchema = v.object({
  name: v.optional(str(MAX_TITLE, 'a title')),
  input: v.pipe(
    v.array(int(1, MAX_INPUT_SIZE), (i) => `must be the input shape as an array of sizes, e.g. [1, 28, 28] (${got(i)})`),
    v.minLength(1, 'must list at least one size, e.g. [1, 28, 28]'),
    v.maxLength(3, (i) => `must have at most 3 sizes: (C, H, W), (T, D) or (T) (${got(i)})`)
  ),
  vocab: v.optional(int(1, MAX_VOCAB)),
  task: v.optional(oneOf(['classify', 'reconstruct', 'language-model'] as const)),
  layers: v.pipe(
    v.array(layerSchema, (i) => `must be an array of layers (${got(i)})`),
    v.maxLength(MAX_LAYERS, (i) => `must have at most ${MAX_LAYERS} layers (${got(i)})`)
  )
}, (i) => `must be an architecture object with "input" and "layers" (${got(i)})`)

// ── training settings ───────────────────────────────────────────────────────

const path = v.pipe(
  str(4096, 'a file or folder path'),
  v.minLength(1, 'must not be empty: choose a file or folder'),
  v.check(noNul, 'must not contain NUL characters')
)

const dataSource = v.variant('kind', [
  v.object({ kind: v.literal('mnist') }),
  v.object({ kind: v.literal('idx'), dir: path }),
  v.object({ kind: v.literal('text'), file: path })
], (i) => `must be { kind: "mnist" }, { kind: "idx", dir } or { kind: "text", file } (${got(i)})`)

const pixelsPerLabel = (e: { images: number[]; labels: number[] }): boolean => e.images.length === e.labels.length * 784

export const trainSettingsSchema = v.object({
  data: dataSource,
  optimizer: oneOf(OPTIMIZERS),
  lr: num(0, LR_MAX, true),
  batchSize: int(1, BATCH_MAX),
  epochs: int(1, EPOCHS_MAX),
  weightDecay: num(0, 1),
  seed: int(0, 0xffffffff),
  threads: int(1, 64),
  clip: v.optional(num(0, 1e6)),
  stateful: v.optional(bool),
  priority: v.optional(oneOf(TRAINING_PRIORITIES)),
  testFraction: v.optional(v.pipe(num(0, 0.9, true))),
  // "Training examples" (the engine refuses a size above the data's examples, with the count: data/train-size.ts)
  trainSize: v.optional(int(1, 100_000_000)),
  extra: v.optional(v.pipe(
    v.object({
      images: v.pipe(v.array(num(0, 1)), v.maxLength(500 * 784, 'holds at most 500 drawings')),
      labels: v.pipe(v.array(int(0, 9)), v.maxLength(500, 'holds at most 500 drawings'))
    }),
    v.check(pixelsPerLabel, 'must hold 784 pixels (28×28) for every label')
  ))
}, (i) => `must be the training settings object (${got(i)})`)

/** An autoencoder's code: 1 to 4096 finite values (the worker checks it fits the bottleneck). */
const codeSchema = v.pipe(
  v.array(
    v.pipe(
      v.number((i) => `must be a number (${got(i)})`),
      v.finite((i) => `must be a finite number (${got(i)})`),
      v.minValue(-1e6, (i) => `must be at least -1000000 (${got(i)})`),
      v.maxValue(1e6, (i) => `must be at most 1000000 (${got(i)})`)
    ),
    (i) => `must be a list of numbers, one per unit of the bottleneck (${got(i)})`
  ),
  v.minLength(1, (i) => `must hold at least one value (${got(i)})`),
  v.maxLength(4096, (i) => `must hold at most 4096 values (${got(i)})`)
)

// ── per channel ─────────────────────────────────────────────────────────────

const obj = <E extends v.ObjectEntries>(entries: E) => v.object(entries, (i) => `must be an object (${got(i)})`)

export const schemas = {
  'app:info': noPayload,
  'preset:list': noPayload,
  'spec:validate': netSpecSchema,
  'train:start': obj({ spec: netSpecSchema, settings: trainSettingsSchema, from: v.optional(oneOf(['model'] as const)), epochOffset: v.optional(int(0, EPOCH_OFFSET_MAX)), xOffset: v.optional(num(0, 1_000_000)) }),
  'train:pause': noPayload,
  'train:resume': noPayload,
  'train:stop': noPayload,
  'train:step': noPayload,
  'train:set-lr': obj({ lr: num(0, LR_MAX, true) }),
  'train:set-probe': obj({ input: image784 }),
  'model:predict': obj({ input: predictImage, maps: v.optional(bool) }),
  'data:samples': obj({ count: int(1, 256), seed: v.optional(int(0, 0xffffffff)), data: v.optional(dataSource) }),
  'model:export': obj({ format: oneOf(['safetensors', 'onnx', 'npz'] as const) }),
  'project:save': obj({
    project: obj({
      spec: netSpecSchema,
      presetId: v.optional(v.nullable(str(100, 'a preset id'))),
      settings: v.optional(trainSettingsSchema),
      history: v.optional(savedHistorySchema),
      vocab: v.optional(v.pipe(v.array(str(8, 'a character')), v.maxLength(100_000)))
    }),
    to: fileTargetSchema
  }),
  'project:open': fileSourceSchema,
  'project:recent': noPayload,
  'project:recovery': noPayload,
  'project:discard-recovery': noPayload,
  'model:import-weights': obj({ spec: netSpecSchema, source: fileSourceSchema }),
  'model:save-export': obj({ format: oneOf(['safetensors', 'onnx', 'npz'] as const) }),
  'model:decode': obj({ code: codeSchema }),
  'model:ae-views': obj({ data: dataSource, testFraction: v.optional(num(0, 0.9, true)) }),
  'model:generate': obj({ prompt: v.string((i) => `must be text (${got(i)})`), length: int(0, 2000), temperature: num(0, 10), seed: v.optional(int(0, 0xffffffff)) }),
  'model:gradcheck-cancel': noPayload,
  'data:text-upload': v.pipe(fileSourceSchema, v.check((f) => f.from === 'upload', 'must be an uploaded file { from: "upload", fileName, base64 }')) as v.GenericSchema<unknown, Extract<FileSource, { from: 'upload' }>>,
  'data:texts': noPayload,
  'model:held': noPayload,
  'train:current': noPayload,
  'data:idx-classes': obj({ dir: str(4096, 'a path') }),
  'train:forget-runs': obj({ ids: v.pipe(v.array(str(200, 'a run id'), (i) => `must be a list of run ids (${got(i)})`), v.maxLength(100, (i) => `must hold at most 100 run ids (${got(i)})`)) }),
  'data:text-remove': obj({ file: str(4096, 'a path') }),
  'model:gradcheck': obj({ spec: netSpecSchema, seed: v.optional(int(0, 0xffffffff)), samples: v.optional(int(1, 50)), bug: v.optional(bool) })
} satisfies Record<Channel, v.GenericSchema>

export type Checked<C extends Channel> = { ok: true; value: Requests[C][0] } | { ok: false; error: LabError }

/** Checks a payload for `channel`; the first problem becomes a 'bad-payload' error with its path and the rule it broke. */
export function validatePayload<C extends Channel>(channel: C, payload: unknown): Checked<C> {
  const r = v.safeParse(schemas[channel] as v.GenericSchema, payload, { abortPipeEarly: true })
  if (r.success) return { ok: true, value: r.output as Requests[C][0] }
  const issue = r.issues[0]
  const at = v.getDotPath(issue) ?? deepestPath(issue)
  const field = at ? `"${at}"` : 'the payload'
  // a key the payload lacks: its object's message is about the object ("must be an architecture object…"), or valibot's
  // own English ("Invalid key: …"); the field itself is what to add
  const words = isMissingKey(issue) ? 'is missing: add it' : labWords(issue)
  return refuse('bad-payload', `${channel}: ${field} ${words}.`, { channel, field: at ?? 'payload', ...payloadRule(issue, at) }, at ?? undefined)
}

/**
 * An upload whose bytes are over the lab's limit, refused before they are all sent (the web shell's binary frames,
 * binary-request.ts): the same refusal as validatePayload's for a file sent whole.
 */
export function fileTooBig(channel: string, size: number): { ok: false; error: LabError } {
  const limit = Math.round(MAX_UPLOAD_BYTES / 2 ** 20)
  return refuse('bad-payload', `${channel}: the file (${Math.ceil(size / 2 ** 20)} MB) is larger than the ${limit} MB the lab accepts.`, { channel, field: 'payload', case: 'file-too-big', limit })
}

type PayloadRule = (typeof PAYLOAD_RULES)[number]

/** The rule behind a check (v.check keeps its function as the issue's requirement). */
const CHECK_RULES = new Map<unknown, PayloadRule>([[noNul, 'no-nul'], [pixelsPerLabel, 'pixels-per-label']])

const LIMIT_RULES: Partial<Record<string, PayloadRule>> = {
  min_value: 'min', max_value: 'max', gt_value: 'gt', lt_value: 'lt', length: 'length', min_length: 'min-length', max_length: 'max-length'
}

/** valibot's names for kinds of value → the codes the page words (contract.ts VALUE_TYPES). */
const TYPE_CODES: Partial<Record<string, ValueType>> = {
  number: 'number', string: 'string', boolean: 'boolean', Array: 'array', Object: 'object', null: 'null',
  undefined: 'undefined', Function: 'function', bigint: 'bigint', symbol: 'symbol'
}

/** valibot's `expected` ("number", "Object", '("a" | "b")', '(number | "vocab")') as its parts, kinds of value by code. */
function expectedParts(expected: string | null): string[] {
  return (expected ?? '').replace(/^\(|\)$/g, '').split(' | ').filter((x) => x !== '').map((x) => TYPE_CODES[x] ?? x)
}

const VALUE_CODES: ReadonlySet<string> = new Set(VALUE_TYPES)
const OBJECT_TYPES = new Set(['object', 'loose_object', 'strict_object', 'object_with_rest'])

/**
 * A rule's message in the lab's words: the schemas' own ("must be …"), or for a rule written without one (the saved
 * history's, a path's length) what valibot knows, worded the same way instead of its "Invalid type: Expected …".
 */
function labWords(issue: v.BaseIssue<unknown>): string {
  if (!/^Invalid [\w ]+: /.test(issue.message)) return issue.message
  const received = TYPE_CODES[issue.received] ?? issue.received
  const expected = expectedParts(issue.expected).join(' or ')
  if (issue.type === 'min_length' || issue.type === 'max_length' || issue.type === 'length') return `must have a length ${expected} (got ${received})`
  if (expected) return `must be ${expected} (got ${received})`
  return `is not allowed here (got ${received})`
}

/** An object's issue for a key it needs and the payload lacks (valibot names the key as what it expected). */
const isMissingKey = (issue: v.BaseIssue<unknown>): boolean => OBJECT_TYPES.has(issue.type) && issue.received === 'undefined' && issue.expected?.startsWith('"') === true

/** A broken rule as params the page words: which rule, its limit and what arrived (valibot's own words for values,
 * kinds of value by code: "Object" arrives as "object"). */
function payloadRule(issue: v.BaseIssue<unknown>, at: string | null): ErrorParams & { case: PayloadRule } {
  const received = TYPE_CODES[issue.received] ?? issue.received
  const limit = typeof issue.requirement === 'number' ? issue.requirement : undefined
  if (issue.type === 'max_length' && (at?.endsWith('base64') || at?.endsWith('bytes'))) return { case: 'file-too-big', limit: Math.round((MAX_BASE64 * 3) / 4 / 2 ** 20) }
  if (issue.type === 'min_length' && limit === 1) return { case: 'not-empty', received }
  const rule = LIMIT_RULES[issue.type]
  if (rule && limit !== undefined) return { case: rule, limit, received }
  if (issue.type === 'integer') return { case: 'integer', received }
  if (issue.type === 'finite') return { case: 'finite', received }
  // valibot writes the options as ("a" | "b"); the page lists them as "a", "b"
  if (issue.type === 'picklist') return { case: 'one-of', options: expectedParts(issue.expected).join(', '), received }
  if (issue.type === 'check') return { case: CHECK_RULES.get(issue.requirement) ?? 'format', received }
  // an object without a key it needs: valibot names the key as what it expected
  if (isMissingKey(issue)) return { case: 'missing' }
  if (issue.kind === 'schema') {
    const parts = expectedParts(issue.expected)
    // only literals (a variant's "kind"): the values allowed
    if (parts.length > 0 && parts.every((x) => !VALUE_CODES.has(x))) return { case: 'one-of', options: parts.join(', '), received }
    return { case: 'type', expected: parts.join(' | '), received }
  }
  return { case: 'format', received }
}

/** Unions and variants nest issues; follow the first branch down to where the value went wrong. */
function deepestPath(issue: v.BaseIssue<unknown>): string | null {
  let cur: v.BaseIssue<unknown> | undefined = issue
  while (cur?.issues && cur.issues.length > 0) {
    cur = cur.issues[0]
    const p = v.getDotPath(cur)
    if (p) return p
  }
  return null
}

// ── the training thread's divergence facts ───────────────────────────────────

const finite = v.pipe(v.number(), v.finite())
const divergenceWhere = {
  epoch: v.pipe(finite, v.integer(), v.minValue(0)),
  batch: v.pipe(finite, v.integer(), v.minValue(0)),
  optimizer: v.picklist(OPTIMIZERS),
  lr: finite,
  suggestedLr: finite
}
const divergenceSchema = v.variant('reason', [
  v.object({ reason: v.literal('not-finite'), loss: v.picklist(['NaN', 'Infinity', '-Infinity'] as const), ...divergenceWhere }),
  v.object({ reason: v.literal('exploded'), loss: finite, firstLoss: v.nullable(finite), ...divergenceWhere })
])

const keptSchema = v.variant('from', [
  v.object({ from: v.literal('run'), epoch: v.pipe(finite, v.integer(), v.minValue(1)), batch: v.pipe(finite, v.integer(), v.minValue(1)), loss: finite }),
  v.object({ from: v.literal('before') }),
  v.object({ from: v.literal('none') })
])

/**
 * A diverged run's facts if well-formed, else undefined: the page then shows the English message alone. Which model
 * is held now (`kept`) goes with them when it is well-formed; a malformed one is dropped alone (the page then says
 * nothing about it, as for an older host).
 */
export function cleanDivergence(raw: unknown): DivergenceFacts | undefined {
  const r = v.safeParse(divergenceSchema, raw)
  if (!r.success) return undefined
  const kept = v.safeParse(keptSchema, (raw as { kept?: unknown }).kept)
  return kept.success ? { ...r.output, kept: kept.output } : r.output
}
