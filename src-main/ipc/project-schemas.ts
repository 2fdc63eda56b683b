/**
 * valibot schemas for the project channels (issue 8): the page's project state, file sources and
 * training history. The history is checked both when the page sends it and when a project file
 * brings it, since either may be hostile or damaged.
 */
import * as v from 'valibot'
import { BATCH_MAX, EPOCH_OFFSET_MAX, EPOCHS_MAX, LR_MAX } from '../../src-engine/settings-limits'
import { LR_KEPT, TRAINING_PRIORITIES } from '../../src-engine/protocol'
import { LAYER_FIELDS } from '../../src-engine/spec-fields'
import type { LayerType } from '../../src-engine/spec-types'

const got = (issue: v.BaseIssue<unknown>): string => `got ${issue.received}`

/** A path without NUL characters (a refusal names this rule 'no-nul'). */
export const noNul = (s: string): boolean => !s.includes('\0')

/** JSON turns NaN (a diverged loss) into null; both are accepted as "no value". */
const maybeNumber = v.union([v.number(), v.null()], (i) => `must be a number (${got(i)})`)
/** ±Infinity (a structured clone carries it, where JSON has null) is no value too; one pass over the array, not a
 * transform per value (a saved curve holds up to two million). */
const noInfinity = (xs: (number | null)[]): (number | null)[] => (xs.every((x) => x === null || Number.isFinite(x)) ? xs : xs.map((x) => (x !== null && !Number.isFinite(x) ? null : x)))
const numbers = (max: number) => v.pipe(v.array(maybeNumber, (i) => `must be an array of numbers (${got(i)})`), v.maxLength(max, (i) => `must have at most ${max} values (${got(i)})`), v.transform(noInfinity))

/**
 * A value no run can have (an accuracy of 500 %, −300 %, an epoch of 1e308 seconds: Q4's B8, a damaged or hand-edited
 * file) becomes "no value", as a diverged loss is, rather than shown as it is or costing the whole history (what is
 * not a number at all still refuses it).
 */
const within = (lo: number, hi: number) => v.pipe(maybeNumber, v.transform((x) => (x !== null && (x < lo || x > hi) ? null : x)))
const fraction = within(0, 1)
/** A confusion matrix whose counts are not classes × classes cannot be drawn: left out, the epoch kept. */
const confusion = v.fallback(v.optional(v.pipe(
  v.object({ classes: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000)), counts: numbers(1_000_000) }),
  v.check((c) => c.counts.length === c.classes * c.classes && c.counts.every((n) => n === null || Number.isFinite(n)))
)), undefined)

/** The highest epoch number a run can reach: a continuation's offset plus one Start's epochs. */
const EPOCH_NUMBER_MAX = EPOCH_OFFSET_MAX + EPOCHS_MAX

/**
 * The learning rates an epoch trained with (EpochReport.lr): 1 to LR_KEPT rates each one a live change could set, (0,
 * LR_MAX]. Anything else (a string, a rate of −5 or 1e308, a thousand rates) is dropped, the epoch kept: its table then
 * says the rate was not recorded, as for an epoch saved before it was. `lrLeftOut` (changes not kept) goes with them:
 * a whole count, kept only beside a full `lr`.
 */
const epochLr = v.fallback(v.optional(v.pipe(
  v.array(v.pipe(v.number(), v.finite(), v.gtValue(0), v.maxValue(LR_MAX))), v.minLength(1), v.maxLength(LR_KEPT)
)), undefined)
const lrLeftOut = v.fallback(v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(Number.MAX_SAFE_INTEGER))), undefined)

/** A loss: ±Infinity (a structured clone carries it, where JSON has null) is no value too. */
const loss = v.pipe(maybeNumber, v.transform((x) => (x !== null && !Number.isFinite(x) ? null : x)))

/**
 * An epoch's report, its fields only (EpochReport without its images): a key of no report's, which may hold anything
 * (an object with a "__proto__" key, ±Infinity), is not passed on.
 */
const epochReport = v.pipe(v.object({
  epoch: v.pipe(v.number(), v.integer(), v.minValue(1)),
  trainLoss: loss,
  trainAcc: fraction,
  trainEvalAcc: v.optional(fraction),
  testLoss: loss,
  testAcc: fraction,
  // a week for one epoch is far beyond any run here
  seconds: within(0, 7 * 24 * 3600),
  perplexity: v.optional(loss),
  confusion,
  reconstructionLoss: v.optional(loss),
  reconstructionMse: v.optional(loss),
  lr: epochLr,
  lrLeftOut
}, (i) => `must be an epoch report (${got(i)})`), v.transform((e) => {
  if (e.lrLeftOut === undefined || e.lr?.length === LR_KEPT) return e
  const out = { ...e }
  delete out.lrLeftOut
  return out
}))

/** The optimizers a run can use (training settings, saved runs, divergence facts). */
export const OPTIMIZERS = ['SGD', 'Momentum', 'Nesterov', 'AdaGrad', 'RMSProp', 'Adam'] as const

const RUN_STATES = ['idle', 'running', 'paused', 'stopped', 'done', 'failed'] as const

/** A setting a file may have in any form (an older or newer lab, a hand edit): kept when it is well-formed, else dropped. */
const maybe = <S extends v.GenericSchema>(schema: S) => v.fallback(v.optional(schema), undefined)
const finiteNumber = v.pipe(v.number(), v.finite())

/**
 * Settings are checked loosely here (a file from an older lab may lack a field; train:start checks them fully), but
 * only their own fields are kept (TrainSettings): a key of no setting's, which may hold anything (an object with a
 * "__proto__" key), is dropped, and so is an optional one not of its kind, the run kept.
 */
const savedSettings = v.object({
  data: v.variant('kind', [
    v.object({ kind: v.literal('mnist') }),
    v.object({ kind: v.literal('idx'), dir: maybe(v.pipe(v.string(), v.maxLength(4096))) }),
    v.object({ kind: v.literal('text'), file: maybe(v.pipe(v.string(), v.maxLength(4096))) })
  ]),
  optimizer: v.picklist(OPTIMIZERS),
  lr: finiteNumber,
  batchSize: finiteNumber,
  epochs: finiteNumber,
  weightDecay: finiteNumber,
  seed: finiteNumber,
  threads: finiteNumber,
  clip: maybe(finiteNumber),
  stateful: maybe(v.boolean()),
  priority: maybe(v.picklist(TRAINING_PRIORITIES)),
  testFraction: maybe(finiteNumber),
  trainSize: maybe(finiteNumber),
  extra: maybe(v.pipe(
    v.object({ images: v.pipe(v.array(finiteNumber), v.maxLength(500 * 784)), labels: v.pipe(v.array(finiteNumber), v.maxLength(500)) }),
    v.check((e) => e.images.length === e.labels.length * 784)
  ))
}, (i) => `must be training settings (${got(i)})`)

/** A continued run's link (Continue training). Optional, and a malformed one is dropped (the run then
 * shows as a run of its own) rather than costing the whole history. */
const savedContinuation = v.fallback(v.optional(v.object({
  runId: v.pipe(v.string(), v.maxLength(200)),
  epochOffset: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(EPOCH_OFFSET_MAX)),
  xOffset: v.optional(v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(1_000_000))),
  optimizerFresh: v.optional(v.object({ from: v.picklist(OPTIMIZERS), to: v.picklist(OPTIMIZERS) }))
})), undefined)

/** A layer's own fields (spec-fields.ts), by its type; a type the lab does not know keeps none (the page then refuses it). */
function knownLayer(raw: { type: string } & Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { type: raw.type }
  const fields = Object.hasOwn(LAYER_FIELDS, raw.type) ? Object.keys(LAYER_FIELDS[raw.type as LayerType]) : []
  for (const key of ['name', ...fields]) {
    if (!Object.hasOwn(raw, key)) continue
    const x = raw[key]
    // a field holds a number, a name, true/false or a list of sizes (Reshape's shape); the page checks which
    if ((typeof x === 'number' && Number.isFinite(x)) || typeof x === 'string' || typeof x === 'boolean') out[key] = x
    else if (Array.isArray(x) && x.length <= 8 && x.every((n) => typeof n === 'number' && Number.isFinite(n))) out[key] = x.slice()
  }
  return out
}

/**
 * The network a run trained (M32): a network's outline, checked in full by the page (validateSpec) before it is used;
 * anything else is dropped, the run kept (older projects have none: the page falls back on the run's name). Its own
 * fields only, as train:start's network (validate.ts): a key of no network's or no layer's is dropped.
 */
const savedSpec = v.fallback(v.optional(v.object({
  name: v.optional(v.pipe(v.string(), v.maxLength(200))),
  input: v.pipe(v.array(v.pipe(v.number(), v.integer(), v.minValue(0))), v.maxLength(8)),
  vocab: maybe(v.pipe(v.number(), v.integer(), v.minValue(1))),
  task: maybe(v.picklist(['classify', 'reconstruct', 'language-model'] as const)),
  layers: v.pipe(v.array(v.pipe(v.looseObject({ type: v.pipe(v.string(), v.maxLength(100)) }), v.transform(knownLayer))), v.maxLength(1000))
})), undefined)

/** A run's chart colour, "#rrggbb"; anything else is dropped (the page picks the colour). */
const savedColor = v.fallback(v.optional(v.pipe(v.string(), v.regex(/^#[0-9a-fA-F]{6}$/))), undefined)

export const savedRunSchema = v.object({
  id: v.pipe(v.string(), v.maxLength(200)),
  specName: v.pipe(v.string(), v.maxLength(200)),
  settings: savedSettings,
  state: v.picklist(RUN_STATES, (i) => `must be a run state (${got(i)})`),
  batchX: numbers(2_000_000),
  batchLoss: numbers(2_000_000),
  // an epoch numbered past any run (1e15 stretched the chart's axis to 8e14 epochs: Q4's B8) is left out, the others kept
  epochs: v.pipe(v.array(epochReport), v.maxLength(10_000), v.transform((es) => es.filter((e) => e.epoch <= EPOCH_NUMBER_MAX))),
  continues: savedContinuation,
  color: savedColor,
  spec: savedSpec
}, (i) => `must be a saved run (${got(i)})`)

export const savedHistorySchema = v.pipe(v.object({
  runs: v.pipe(v.array(savedRunSchema, (i) => `must be an array of runs (${got(i)})`), v.maxLength(50, (i) => `must hold at most 50 runs (${got(i)})`)),
  currentId: v.nullable(v.pipe(v.string(), v.maxLength(200)))
}, (i) => `must be the training history { runs, currentId } (${got(i)})`), v.transform(possibleRuns), v.transform(uniqueRunIds))

/** Settings Start would have taken (the form's ranges, settings-limits.ts): lr in (0, LR_MAX], whole mini-batch and epochs. */
function possibleSettings(s: { lr: number; batchSize: number; epochs: number }): boolean {
  return s.lr > 0 && s.lr <= LR_MAX &&
    Number.isInteger(s.batchSize) && s.batchSize >= 1 && s.batchSize <= BATCH_MAX &&
    Number.isInteger(s.epochs) && s.epochs >= 1 && s.epochs <= EPOCHS_MAX
}

/**
 * A run whose settings no Start could have had (lr −5, a mini-batch of 1e12: Q4's B8, a damaged or hand-edited file)
 * is left out, the other runs kept: its name would say "lr -5.0e+0 · mini-batch 1000000000000" and Continue would
 * start from them. A current run left out leaves no current run.
 */
function possibleRuns<H extends { runs: { id: string; settings: { lr: number; batchSize: number; epochs: number } }[]; currentId: string | null }>(h: H): H {
  const runs = h.runs.filter((r) => possibleSettings(r.settings))
  if (runs.length === h.runs.length) return h
  const currentId = h.currentId !== null && runs.some((r) => r.id === h.currentId) ? h.currentId : null
  return { ...h, runs, currentId }
}

/**
 * A history whose runs each have an id of their own. The page lists runs by id (RunLegend's keyed list, Remove,
 * the current run, a continuation's link), and a file naming one id twice (damaged, or edited by hand) stopped the
 * training page from rendering at all (Q4's B2: Svelte's each_key_duplicate); the page's own saves never repeat one.
 * Nothing is dropped: a later run with an id already used gets the next free "<id>-2", "<id>-3"…; the first keeps
 * it, so the current run and continuations that name it mean the first, as a reader going down the list would.
 */
function uniqueRunIds<H extends { runs: { id: string }[] }>(h: H): H {
  const seen = new Set<string>()
  const taken = new Set(h.runs.map((r) => r.id))
  let renamed = false
  const runs = h.runs.map((r) => {
    if (!seen.has(r.id)) {
      seen.add(r.id)
      return r
    }
    let n = 2
    const base = r.id.slice(0, 190) // room for the suffix within the 200 characters an id may have
    while (taken.has(`${base}-${n}`)) n++
    const id = `${base}-${n}`
    taken.add(id)
    seen.add(id)
    renamed = true
    return { ...r, id }
  })
  return renamed ? { ...h, runs } : h
}

/** Uploaded files travel as base64; 400 MB of text is far beyond any real project or weights file. */
export const MAX_BASE64 = 400 * 1024 * 1024
/** The same limit for an upload's bytes as they are (300 MB). */
export const MAX_UPLOAD_BYTES = (MAX_BASE64 * 3) / 4

const uploadName = v.pipe(v.string(), v.maxLength(255, (i) => `must be a file name of at most 255 characters (${got(i)})`))

/**
 * An upload carries its file once: as base64 (scripts, older pages) or as the bytes themselves (the page's own uploads:
 * only their type and size to check, no 50 MB regex on the main thread). One branch with both fields optional, so a
 * `bytes` that is not bytes is refused in words about bytes (two 'upload' branches gave the first one's: base64).
 */
const uploadSource = v.object({
  from: v.literal('upload'),
  fileName: uploadName,
  base64: v.optional(v.pipe(
    v.string((i) => `must be the file's bytes as base64 (${got(i)})`),
    v.maxLength(MAX_BASE64, () => 'is larger than the 300 MB the lab accepts'),
    v.regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64 (letters, digits, + and /)')
  )),
  bytes: v.optional(v.pipe(
    v.instance(Uint8Array, (i) => `must be the file's bytes (${got(i)})`),
    v.maxLength(MAX_UPLOAD_BYTES, () => 'is larger than the 300 MB the lab accepts')
  ))
})

/** An upload with its file once, as `bytes` or as `base64` (a v.check rule the refusal names 'format'). */
const oneUploadBody = (f: { from: string; base64?: unknown; bytes?: unknown }): boolean => f.from !== 'upload' || (f.base64 === undefined) !== (f.bytes === undefined)

export const fileSourceSchema = v.pipe(
  v.variant('from', [
    uploadSource,
    v.object({ from: v.literal('dialog') }),
    v.object({ from: v.literal('recent'), path: v.pipe(v.string(), v.minLength(1), v.maxLength(4096), v.check(noNul, 'must not contain NUL characters')) }),
    v.object({ from: v.literal('recovery') })
  ], (i) => `must say where the file comes from: { from: "upload", fileName, base64 }, { from: "dialog" }, { from: "recent", path } or { from: "recovery" } (${got(i)})`),
  v.check((f) => oneUploadBody(f), 'must carry the file once: as its bytes, or as base64'),
  // the other key left out, not kept as undefined: the readers ask `'bytes' in source` (project-read.ts uploaded), and
  // { base64, bytes: undefined } (Electron's IPC keeps an undefined key) was read as bytes that were not there
  v.transform((f) => (f.from !== 'upload' ? f : f.bytes !== undefined ? { from: f.from, fileName: f.fileName, bytes: f.bytes } : { from: f.from, fileName: f.fileName, base64: f.base64 }))
) as v.GenericSchema<unknown, FileSourceOut>

/** What fileSourceSchema gives (contract.ts FileSource). */
type FileSourceOut =
  | { from: 'upload'; fileName: string; bytes: Uint8Array }
  | { from: 'upload'; fileName: string; base64: string }
  | { from: 'dialog' }
  | { from: 'recent'; path: string }
  | { from: 'recovery' }

export const fileTargetSchema = v.picklist(['download', 'save', 'save-as'] as const, (i) => `must be "download", "save" or "save-as" (${got(i)})`)

/** Keeps a history only if it is well-formed; a damaged one is dropped rather than shown wrong. */
export function cleanHistory(raw: unknown): v.InferOutput<typeof savedHistorySchema> | null {
  const r = v.safeParse(savedHistorySchema, raw)
  return r.success ? r.output : null
}
