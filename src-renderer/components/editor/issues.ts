/**
 * Issue messages in the learner's language: the validator's stable code picks `editor.issue.<code>`,
 * filled with the issue's values; a code the editor has no words for shows the engine's English message.
 */
import type { LayerType, NetSpec, SpecIssue } from '../../../src-engine/spec-types'
import type { DataSource } from '../../../src-engine/protocol'
import { LAYER_FIELDS } from '../../../src-engine/spec-fields'
import { catalogues, fmtInt, i18n, t, tr } from '../../i18n/index.svelte'
import { carryData, dataProblem, type DataChoice } from '../../lib/train-data'
import { defaultsFor } from '../../lib/train-form'

type Values = Record<string, string | number>

/** "1, 2" → "1 or 2" in the current language. */
function orJoin(items: string[]): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} ${t('editor.or')} ${items[items.length - 1]}`
}

const listOf = (v: string | number | undefined): string[] =>
  String(v ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '')

/** The fix for a window whose output size is fractional, from the strides/pads/sizes the validator found. */
function windowFix(v: Values): string {
  const strides = listOf(v.strides), pads = listOf(v.pads), sizes = listOf(v.sizes)
  const parts: string[] = []
  if (strides.length) parts.push(t('editor.fix.stride', { list: orJoin(strides) }))
  if (pads.length) parts.push(t('editor.fix.pad', { list: orJoin(pads) }))
  if (!parts.length && sizes.length) parts.push(t('editor.fix.size', { list: orJoin(sizes.map((s) => `${s}×${s}`)) }))
  return parts.length ? t('editor.fix.window', { options: parts.join(`, ${t('editor.or')} `) }) : t('editor.fix.any')
}

/**
 * A window too large for its input with a stride other than 1 (spec-window.ts tooLargeFixes): the window sizes, pads and
 * stride-with-pad that give a whole size with it, as the validator found them (a smaller window or a larger pad is not
 * always whole then: Q7's F3).
 */
function tooLargeFix(v: Values, kernel: boolean): string {
  const sizes = listOf(v.sizes), pads = listOf(v.pads), sp = listOf(v.stridePad)
  const parts: string[] = []
  if (sizes.length) parts.push(t(kernel ? 'editor.fix.kernelSize' : 'editor.fix.size', { list: orJoin(sizes.map((s) => `${s}×${s}`)) }))
  if (pads.length) parts.push(t('editor.fix.pad', { list: orJoin(pads) }))
  if (sp.length === 2) parts.push(t('editor.fix.stridePad', { stride: sp[0], pad: sp[1] }))
  const options = parts.join(`, ${t('editor.or')} `)
  // a pooling whose only whole-size window is a 1×1 that passes its input on unchanged: the layer is better removed
  if (v.remove) return parts.length ? t('editor.fix.removeOr', { options }) : t('editor.fix.remove')
  return parts.length ? t('editor.fix.window', { options }) : t('editor.fix.any')
}

/** The too-large codes with a stride other than 1 take the stride-aware wording (their "at most / or more" held for stride 1 only). */
const TOO_LARGE = new Set(['conv-kernel-too-large', 'pool-window-too-large'])
const strided = (issue: SpecIssue): boolean => TOO_LARGE.has(issue.code) &&
  ((issue.values?.stride !== undefined && Number(issue.values.stride) !== 1) || issue.values?.remove !== undefined)

/**
 * The fractional output size as the validator writes it ("height (28 + 2·0 − 3) / 2 + 1 = 13.50", "… and width …",
 * or the bare formula for a square input), with the sides named in the page's language: the Korean message said
 * "height" in English, on the padding-and-stride lesson's calculator too.
 */
function sideFormula(f: string | number | undefined): string {
  const s = String(f ?? '')
  const both = /^height (.+) and width (.+)$/.exec(s)
  if (both) return t('editor.sides.both', { h: both[1], w: both[2] })
  const one = /^(height|width) (.+)$/.exec(s)
  return one ? t(`editor.sides.${one[1]}`, { f: one[2] }) : s
}

/**
 * What a layer's setting accepts, in words ("a whole number of at least 1"), from the validator's own rule; '' when
 * it has none to word. A TimeAffine's units may also be “= vocab”: the vocabulary size, `vocab` when the network knows it.
 */
function allowed(type: LayerType, field: string, vocab: string | number | undefined): string {
  const rule = LAYER_FIELDS[type]?.[field]?.rule
  switch (rule?.kind) {
    case 'units':
      if (!rule.vocab) return t('editor.range.atLeast', { min: 1 })
      return vocab === undefined ? t('editor.range.unitsOrVocabPending', { min: 1 }) : t('editor.range.unitsOrVocab', { min: 1, vocab: fmtInt(Number(vocab)) })
    case 'posInt': return t('editor.range.atLeast', { min: 1 })
    case 'nonNegInt': return t('editor.range.atLeast', { min: 0 })
    case 'enum': return t('editor.range.oneOf', { list: orJoin(rule.values.map((v) => `“${v}”`)) })
    case 'number': {
      const key = rule.maxOpen ? 'editor.range.belowMax' : rule.minOpen ? 'editor.range.aboveMin' : 'editor.range.between'
      return t(key, { min: rule.min, max: rule.max })
    }
    default: return ''
  }
}

const gib = (bytes: string | number | undefined): string => `${(Number(String(bytes).replace(/\D/g, '')) / 2 ** 30).toFixed(2)} GiB`

/**
 * What a classifier whose outputs are not the classes should change: its units, or the layers before the loss; for an
 * IDX folder (data 'folder') the number is the folder's own class count, which only bounds are known of.
 */
const classesFix = (v: Values): string => {
  const folder = v.data === 'folder' ? 'Folder' : ''
  return v.affine ? t(`editor.fix.classesUnits${folder}`, { classes: v.classes }) : t(`editor.fix.classesAffine${folder}`, { classes: v.classes, loss: String(v.loss ?? '') })
}

const CLASS_CODES: ReadonlySet<string> = new Set(['outputs-more-than-classes', 'outputs-fewer-than-classes'])

/**
 * The validator's class-count warnings as the data chosen on the training page allows them. The validator
 * compares a 28×28 classifier with the digits' 10 classes. The built-in digits have exactly those; an IDX folder's
 * labels are 0 to 9 (its reader declares 10 classes) but may use fewer: a run takes from its largest label + 1 up to
 * 10 scores. So more than 10 scores are wrong for any folder, fewer only below the classes its training labels use
 * (`used`, when the host has read them: folder-classes.svelte.ts); a text trains no image classifier. Where nothing is
 * known to be wrong the warning goes; the ones kept say which data they mean (values.data: 'digits', 'folder', or
 * 'folder-labels' with `classes` the folder's own).
 */
export function forData(issues: SpecIssue[], data: DataSource['kind'], used: number | null = null): SpecIssue[] {
  const out: SpecIssue[] = []
  for (const i of issues) {
    if (!CLASS_CODES.has(i.code)) out.push(i)
    else if (data === 'mnist') out.push({ ...i, values: { ...i.values, data: 'digits' } })
    else if (data !== 'idx') continue
    else if (i.code === 'outputs-more-than-classes') out.push({ ...i, values: { ...i.values, data: 'folder' } })
    else if (used !== null && used <= 10 && Number(i.values?.outputs) < used) out.push({ ...i, values: { ...i.values, classes: used, data: 'folder-labels' } })
  }
  return out
}

/**
 * The training page's refusal of its data for `spec` (lib/train-data.ts dataProblem: an input of (3, 32, 32) for the
 * 28 × 28 digits, a language model on images, a text for an image network) as a network warning, so the editor does
 * not say "Ready to train" for a network Start is disabled for. Its code is the message's key in kebab case
 * (train.dataInputDigits → data-input-digits), worded for the editor as editor.issue.<code> with the same values; a
 * warning, not an error: the network is sound, and the data may be the thing to change. The data is the form's as the
 * training page carries it to this network (carryData, as prepareForm does for a new spec): picking the char-LSTM here
 * with the digits chosen there is no problem, as the page then trains it on its text.
 */
export function dataIssue(spec: NetSpec | null, data: DataChoice): SpecIssue | null {
  const m = dataProblem(spec, spec ? carryData(data, data.dataKind, defaultsFor(spec, 1)).data : data)
  if (!m) return null
  const code = m.key.replace(/^train\./, '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
  const values: Record<string, string | number> = {}
  for (const [k, v] of Object.entries(m.values ?? {})) values[k] = typeof v === 'function' ? v() : typeof v === 'object' ? tr(v) : v
  return { severity: 'warning', layer: -1, layerName: '', code, message: tr(m), values }
}

/**
 * Whether `i` is dataIssue's warning: its codes are the training page's data messages (data-…), which no validator
 * code starts with. Start is refused for it there, so the editor's status does not call the network trainable with a tick.
 */
export const isDataIssue = (i: SpecIssue): boolean =>
  (i.layer < 0 && i.code.startsWith('data-')) ||
  // a class-count warning forData kept for the data chosen (values.data): Start refuses it too (train/checks.ts
  // checkExamples 'classes'), so it is no "✓ Trainable · 1 warning" (Q7's F7)
  (CLASS_CODES.has(i.code) && i.values?.data !== undefined)

/** The setting that sizes a layer of each type, for "too large": what to lower. */
const SIZE_FIELD: Partial<Record<LayerType, string>> = {
  Affine: 'units', TimeAffine: 'units', Convolution: 'filters', Deconvolution: 'filters', TimeLSTM: 'hidden', TimeRNN: 'hidden', TimeEmbedding: 'dim'
}

/** What makes a network too large to train, and what to change (spec-lint.ts lintMemory). */
function tooLargeHint(v: Values, type: LayerType | undefined): string {
  if (v.input) return t('editor.hint.smallerInput', { input: v.input })
  if (v.count !== undefined) return t('editor.hint.fewerLayers', { count: fmtInt(Number(v.count)), before: v.before, least: gib(v.least) })
  if (v.kernel !== undefined) return t('editor.hint.smallerKernel', { kernel: v.kernel, outH: v.outH, outW: v.outW, least: gib(v.least) })
  return lowerSize(type)
}

/** "Too large"'s fix: lower the setting that sizes the layer when its type is known (the layer cards), else make it smaller. */
function lowerSize(type: LayerType | undefined): string {
  const size = type && SIZE_FIELD[type]
  return size ? t('editor.hint.lowerField', { field: t(`editor.field.${size}`) }) : t('editor.hint.smaller')
}

/**
 * What to do when a layer that needs a sequence gets the vector an earlier layer `by` made of one (spec-infer.ts
 * collapsedAdvice): say what `by` did, then undo it (delete it, or make the Affines Time affines) or move it after
 * this layer; a per-step loss may instead be a Softmax + loss over the whole sequence. A Reshape cannot be the fix.
 */
function collapsedHint(v: Values, layer: string): string {
  const what = t(v.byType === 'LastTimeStep' ? 'editor.hint.seqLastStep' : 'editor.hint.seqFlattened', { by: v.by })
  const affines = (v.byType === 'Affine' ? [String(v.by), ...listOf(v.affines)] : listOf(v.affines)).join(', ')
  const loss = v.type === 'TimeSoftmaxWithLoss'
  const fix = v.byType === 'Affine' ? t('editor.hint.seqTimeAffine', { affines })
    : affines ? t('editor.hint.seqRemoveAffines', { by: v.by, affines })
      : loss || v.type === 'LastTimeStep' ? t('editor.hint.seqRemove', { by: v.by }) : t('editor.hint.seqRemoveOrMove', { by: v.by, layer })
  return [what, fix, loss ? t('editor.hint.seqOrSoftmax') : ''].filter((s) => s).join(' ')
}

/** How many axes the validator's shape text "(4, 26, 26)" has. */
const axes = (shape: string | number | undefined): number => listOf(String(shape ?? '').replace(/[()]/g, '')).length

/**
 * needs-sequence's fix: undo a collapse; change the shape of the Reshape right above (not add another); a per-step
 * loss on a vector is Softmax + loss's place, on an image a language model's layers' or (to classify images) Softmax
 * + loss's; else reshape to (T, D).
 */
function sequenceHint(v: Values, layer: string): string {
  if (v.by) return collapsedHint(v, layer)
  if (v.reshape) return v.target ? t('editor.hint.setReshapeTo', { reshape: v.reshape, target: v.target }) : t('editor.hint.setReshapeSeq', { reshape: v.reshape })
  if (v.type === 'TimeSoftmaxWithLoss' && axes(v.got) === 1) return t('editor.hint.softmaxOnePerExample')
  if (v.type === 'TimeSoftmaxWithLoss' && axes(v.got) === 3) {
    const layers = (['TimeEmbedding', 'TimeLSTM', 'TimeAffine'] as const).map((x) => typeName(x) ?? x).join(', ')
    return t('editor.hint.perStepImage', { layers, softmax: typeName('SoftmaxWithLoss') ?? 'SoftmaxWithLoss' })
  }
  return v.target ? t('editor.hint.reshapeTo', { target: v.target }) : t('editor.hint.reshapeSeq')
}

/** needs-image right after a Reshape (editor.issue.needs-image-reshape): change that Reshape's shape, as for a sequence. */
function imageHint(v: Values): string {
  return v.target ? t('editor.hint.setReshapeTo', { reshape: v.reshape, target: v.target }) : t('editor.hint.setReshapeImage', { reshape: v.reshape })
}

/**
 * A layer type as its card and the palette name it (LSTM, 합성곱), not as the engine does (TimeLSTM, Convolution), in
 * the current language; null for a type the lab does not have (an unknown type stays as the learner wrote it).
 */
export function typeName(type: unknown): string | null {
  const key = `editor.type.${String(type ?? '')}`
  return key in catalogues.en ? t(key) : null
}

/** Extra values some messages need, worked out from the ones the validator gives (and the layer's type, when known). */
const EXTRA: Record<string, (v: Values, type: LayerType | undefined) => Values> = {
  'conv-size-not-integer': (v) => ({ fix: windowFix(v), formula: sideFormula(v.formula) }),
  'pool-size-not-integer': (v) => ({ fix: windowFix(v), formula: sideFormula(v.formula) }),
  'conv-kernel-too-large': (v) => ({ fix: tooLargeFix(v, true) }),
  'pool-window-too-large': (v) => ({ fix: tooLargeFix(v, false) }),
  'needs-sequence': (v) => ({ hint: sequenceHint(v, String(v.layer ?? '')) }),
  'needs-image': (v): Values => (v.reshape ? { hint: imageHint(v) } : {}),
  'softmax-needs-vector': (v) => ({
    hint: String(v.got ?? '').split(',').length === 2 ? t('editor.hint.softmaxSeq') : t('editor.hint.softmaxImage')
  }),
  'dropout-after-output': (v) => ({ hint: v.output ? t('editor.hint.moveBefore', { output: v.output }) : t('editor.hint.moveEarlier') }),
  // the network's, on the input (spec-lint.ts lintMemory): the input's size makes the largest part, not a layer's setting
  // or, when no size setting helps and the input is not the cause (Q7 F6), the layers before the first Affine or
  // Convolution (values.count, .before) or that convolution's kernel and padding (values.kernel, .outH, .outW)
  'too-large': (v, type) => ({ size: gib(v.bytes), limitSize: gib(v.limit), fix: tooLargeHint(v, type) }),
  // the task as words, not its id (classify → classification, 분류)
  'loss-task-mismatch': (v): Values => (`editor.task.${v.task}` in catalogues.en ? { task: t(`editor.task.${v.task}`) } : {}),
  'no-activation-between': (v) => ({ one: t(v.kind === 'conv' ? 'editor.what.oneConv' : 'editor.what.oneAffine') }),
  'outputs-more-than-classes': (v) => ({ extra: Number(v.outputs) - Number(v.classes), fix: classesFix(v) }),
  'outputs-fewer-than-classes': (v) => ({ fix: classesFix(v), top: Number(v.classes) - 1 }),
  'pad-not-smaller-than-kernel': (v) => {
    const k = Number(v.kernel)
    return {
      what: t(v.window ? 'editor.what.window' : 'editor.what.kernel'),
      fix: k % 2 === 1 ? t('editor.fix.padKeepsSize', { maxPad: v.maxPad, same: (k - 1) / 2 }) : t('editor.fix.padAtMost', { maxPad: v.maxPad })
    }
  }
}


export function issueText(issue: SpecIssue, type?: LayerType): string {
  // a setting out of range says which values it takes when the layer's type is known (the layer cards)
  const range = type && issue.code === 'field-out-of-range' && issue.field ? allowed(type, issue.field, issue.values?.vocab) : ''
  const key = range ? 'editor.issue.field-out-of-range-allowed'
    : issue.code === 'loss-not-last' && issue.values?.second !== undefined ? 'editor.issue.loss-not-last-second'
      : issue.code === 'needs-image' && issue.values?.reshape ? 'editor.issue.needs-image-reshape'
      : issue.code === 'embedding-needs-tokens' && issue.values?.first ? 'editor.issue.embedding-needs-tokens-first'
      : issue.code === 'too-large' && issue.values?.count !== undefined ? 'editor.issue.too-large-network'
      : issue.code === 'needs-image' && !issue.values?.target ? 'editor.issue.needs-image-move'
        : strided(issue) ? `editor.issue.${issue.code}-stride`
        : String(issue.values?.data ?? '').startsWith('folder') && CLASS_CODES.has(issue.code) ? `editor.issue.${issue.code}-folder` : `editor.issue.${issue.code}`
  if (!(key in catalogues[i18n.lang]) && !(key in catalogues.en)) return issue.message
  const v: Values = {}
  // numbers with the locale's grouping (3,136 weights), except those inside formulas
  for (const [k, x] of Object.entries(issue.values ?? {})) v[k] = typeof x === 'number' ? fmtInt(x) : x
  Object.assign(v, EXTRA[issue.code]?.(issue.values ?? {}, type) ?? {})
  // 'too-large' on the input (lintMemory): said of the Input, whose shape is what to change
  v.layer = issue.layer >= 0 ? issue.layerName : t(issue.code === 'too-large' && issue.field === 'input' ? 'editor.input' : 'editor.network')
  if (range) v.range = range
  const card = typeName(issue.values?.type) // the card's name (typeName), not the engine's
  if (card !== null) v.type = card
  const field = String(v.field ?? issue.field ?? '')
  if (field) {
    const label = `editor.field.${field}`
    v.field = label in catalogues[i18n.lang] ? t(label) : field
  }
  return t(key, v)
}

/**
 * A file import's refusal (spec-json.ts: an i18n key under editor. and its values) in the page's language, the layer's
 * type named as its card does: "Layer 2 (Convolution)" read as the engine's word, now 'Layer 2 (Transposed conv)',
 * '2번째 계층(합성곱)'. The type a file wrote that the lab does not know stays as written (typeName gives null).
 */
export function importText(error: { key: string; values: Values }): string {
  const card = typeName(error.values.type)
  // numbers with the locale's grouping: "420,000 layers"
  const v: Values = {}
  for (const [k, x] of Object.entries(error.values)) v[k] = typeof x === 'number' ? fmtInt(x) : x
  return t(`editor.${error.key}`, card === null ? v : { ...v, type: card })
}

/** Issues of one layer, errors first. */
export function layerIssues(issues: readonly SpecIssue[], layer: number): SpecIssue[] {
  return issues
    .filter((i) => i.layer === layer)
    .sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1))
}
