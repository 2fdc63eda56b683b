/**
 * The lab's refusals in the learner's language. A LabError's `code` (and `params.case`) picks
 * `errors.<code>.<case>` or `errors.<code>` (i18n/<lang>/errors.ts), filled from its params when it is drawn,
 * so it follows a language switch. An unknown or malformed code, or params missing a value the wording
 * needs, gives the host's English message instead (it always says what to change).
 */
import { VALUE_TYPES, type LabError } from '../../src-main/ipc/contract'
import type { RunState } from '../../src-engine/protocol'
import { catalogues, fmtInt, msg, t, type Msg } from '../i18n/index.svelte'
import { issueText } from '../components/editor/issues'
import { isLayerType } from '../../src-engine/spec-fields'

/**
 * Where a run is, as a sentence the refusal starts with ("The run has not started yet."): the state's label in
 * quotes ('The run is "Ready": only a running run can be paused.') named the page's word for a run not yet begun.
 */
const STATE_KEYS: Record<RunState, string> = {
  idle: 'train.runNow.idle', running: 'train.runNow.running', paused: 'train.runNow.paused',
  stopped: 'train.runNow.stopped', done: 'train.runNow.done', failed: 'train.runNow.failed'
}

const VALUE_CODES = new Set<string>(VALUE_TYPES)

/** A kind of value named by code (a payload's `expected`, `received`) in the page's words; a literal as written. */
function valueWords(text: string): Msg | string | (() => string) {
  if (VALUE_CODES.has(text)) return msg(`errors.value.${text}`)
  if (!text.includes(' | ')) return text
  // a union (number | "vocab"): each kind worded and joined by the page's "or" when drawn
  return () => text.split(' | ').map((x) => (VALUE_CODES.has(x) ? t(`errors.value.${x}`) : x)).join(t('errors.value.or'))
}

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1])

/** The catalogue key that words `e` (a case's own wording when it has one), or null when the page has none. */
export function refusalKey(e: Pick<LabError, 'code' | 'params'>): string | null {
  if (typeof e.code !== 'string') return null
  const base = `errors.${e.code}`
  const c = isRecord(e.params) ? e.params.case : undefined
  if (typeof c === 'string' && typeof catalogues.en[`${base}.${c}`] === 'string') return `${base}.${c}`
  return typeof catalogues.en[base] === 'string' ? base : null
}

/** A refusal as a message translated when drawn, or the host's English message when it cannot be worded. */
export function refusal(e: LabError): Msg | string {
  const key = refusalKey(e)
  const english = typeof e.message === 'string' ? e.message : String(e.code)
  if (!key) return english
  const values: NonNullable<Msg['values']> = {}
  if (isRecord(e.params)) {
    for (const [k, v] of Object.entries(e.params)) {
      if (k !== 'case' && k !== 'type' && (typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))) values[k] = v
    }
  }
  const state = values.state
  if (typeof state === 'string' && state in STATE_KEYS) values.state = msg(STATE_KEYS[state as RunState])
  if (e.code === 'bad-payload') {
    for (const name of ['expected', 'received'] as const) {
      const v = values[name]
      if (typeof v !== 'string') continue
      values[name] = valueWords(v)
      // a function does not compare; the code does (two refusals expecting different kinds are different toasts)
      if (typeof values[name] === 'function') values[`${name}Codes`] = v
    }
  }
  if (e.code === 'train-failed' && isRecord(e.params)) {
    const fixes = Object.hasOwn(SCORE_FIXES, String(e.params.case)) ? SCORE_FIXES[String(e.params.case)] : null
    if (fixes) values.fix = scoresFix(fixes, e.params, values)
    // a run that fits on one thread only: "1 or fewer" would offer zero threads too, so it names the one count there is
    if (e.params.case === 'threads' && values.fits !== undefined) values.fix = threadsFix(values.fits as number | string)
    // sizes in MB run to thousands ("7638 MB" read as a code): grouped as the page's other numbers, in the page's
    // language when drawn; the plain figures stay beside them, as a function does not compare
    if (e.params.case === 'threads' || e.params.case === 'memory') groupCounts(values, ['needs', 'limit'], 'MB')
    // a text's characters too ("1,234 characters"), as the text's facts beside the upload say them
    if (e.params.case === 'text') groupCounts(values, ['chars', 'needs'], 'Count')
    // a training-set size's counts of examples ("8,000"), as the form beside it says them
    if (e.params.case === 'train-size' || e.params.case === 'train-size-batch') groupCounts(values, ['size', 'available', 'batch'], 'Count')
    // a damaged IDX file's byte counts run to millions ("6,272,000 bytes"), as the folder note beside the box says them
    if (IDX_COUNTED.has(String(e.params.case))) groupCounts(values, ['declared', 'size', 'images', 'labels'], 'Count')
  }
  const issue = e.issue
  if (isRecord(issue) && typeof issue.code === 'string' && typeof issue.message === 'string') {
    // the layer's type (params.type, when the host sends it) lets the issue say which values a setting takes
    const type = isRecord(e.params) && isLayerType(e.params.type) ? e.params.type : undefined
    values.issue = () => issueText(issue, type)
    // the function does not compare; these do (two refusals naming different issues are different toasts)
    values.issueAt = `${issue.code}@${String(issue.layer)}`
  }
  if (!placeholders(catalogues.en[key]).every((name) => name in values)) return english
  return msg(key, values)
}

/**
 * A refusal as the page shows it on its own line: one the page words (refusal() gave a message) already says what
 * happened and what to change ("Training did not start: …"), and a lead before it said the failure twice
 * ("실험실이 요청을 처리하지 못했습니다: 학습을 시작하지 않았습니다. …"); the host's own English words, which the page
 * could not word, come after the page's translated lead (`lead`, its {detail} the words), so the learner knows what failed.
 */
export function refusalShown(e: LabError, lead: string): Msg {
  const r = refusal(e)
  return typeof r === 'string' ? msg(lead, { detail: r }) : r
}

/** What a threads refusal asks for: a run that fits on one thread only is told that one count ("1 or fewer" would offer zero too). */
export function threadsFix(fits: number | string): Msg {
  return Number(fits) === 1 ? msg('train.threadsFixOne') : msg('train.threadsFix', { fits })
}

/** The fixes of a run refused for its scores, for its scoring layer: units to set, a layer to add, either. */
const SCORE_FIXES: Record<string, readonly [units: string, add: string, either: string]> = {
  classes: ['train.classesFixUnits', 'train.classesFixAffine', 'train.classesFixOutputs'],
  vocab: ['train.vocabFixUnits', 'train.vocabFixAffine', 'train.vocabFixOutputs']
}

/**
 * What a run refused because its scores are not the data's classes (or the text's vocabulary) should change: the
 * scoring layer's units when it is an Affine or Time affine (params.affine 1, a number or, through the event's strings,
 * '1'), such a layer to add when it is not (0); a host that sends no flag gets the wording that fits both.
 */
function scoresFix(keys: readonly [string, string, string], params: Record<string, unknown>, values: NonNullable<Msg['values']>): Msg {
  const v = { layer: values.layer ?? '', classes: values.classes ?? '', vocab: values.vocab ?? '' }
  const affine = params.affine === undefined ? null : Number(params.affine)
  return msg(affine === 1 ? keys[0] : affine === 0 ? keys[1] : keys[2], v)
}

/** `names` among `values` grouped in the page's language when drawn; the plain figures stay beside them as `<name><suffix>`. */
/** The train-failed cases of a damaged IDX folder whose counts are grouped (folder-classes.svelte.ts folderNote too). */
export const IDX_COUNTED: ReadonlySet<string> = new Set(['idx-truncated', 'idx-extra', 'idx-count-mismatch'])

function groupCounts(values: NonNullable<Msg['values']>, names: readonly string[], suffix: string): void {
  for (const name of names) {
    const n = Number(values[name])
    if (values[name] === undefined || !Number.isFinite(n)) continue
    values[`${name}${suffix}`] = n
    values[name] = () => fmtInt(n)
  }
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x)
}
