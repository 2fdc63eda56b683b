/**
 * Data layer of the gradient-check explainer: the engine's check (train/gradcheck-run.ts explainGradients,
 * on checkSpecGradients) of a small example network or of the network in the editor, asked of the host
 * (model:gradcheck), which runs it on the training thread so the page stays responsive.
 * Every array (the input x, then each layer's parameters) gets a row: the relative error between
 * backpropagation and central differences, and the worst element's two values.
 * There is no in-page fallback: without a host the request fails with the connection's worded error.
 * A check under way can be cancelled (cancelCheck): a full-size network holds the training thread for seconds.
 */
import type { NetSpec } from '../../../src-engine/spec-types'
import { validateSpec, withVocab } from '../../../src-engine/spec'
import { BUILTIN_TEXT_VOCAB } from '../../../src-engine/data/text'
import type { CheckResult as EngineCheckResult } from '../../../src-engine/train/gradcheck-run'
import type { LabError } from '../../../src-main/ipc/contract'
import { getLab } from '../lab'

export { GOOD, FAIR, verdict, EXPLAIN_MAX_MACS as MAX_MACS, type Verdict, type CheckRow } from '../../../src-engine/train/gradcheck-run'

export type CheckExample = 'mlp' | 'cnn' | 'lstm'

/** Small networks, one per kind of layer the course teaches, each checked element by element. */
export const CHECK_EXAMPLES: Record<CheckExample, NetSpec> = {
  mlp: { input: [4], layers: [{ type: 'Affine', units: 5 }, { type: 'Relu' }, { type: 'Affine', units: 3 }, { type: 'SoftmaxWithLoss' }] },
  cnn: {
    input: [1, 6, 6],
    layers: [
      { type: 'Convolution', filters: 2, kernel: 3, pad: 1 }, { type: 'Relu' }, { type: 'Pooling', mode: 'max', size: 2, stride: 2 },
      { type: 'Affine', units: 3 }, { type: 'SoftmaxWithLoss' }
    ]
  },
  lstm: { input: [5, 3], layers: [{ type: 'TimeLSTM', hidden: 4 }, { type: 'LastTimeStep' }, { type: 'Affine', units: 3 }, { type: 'SoftmaxWithLoss' }] }
}

/** Time steps a language model from the editor is checked on: its arrays have the same shapes at any length. */
export const LM_CHECK_STEPS = 8

/**
 * How a language model from the editor was checked: on windows of `steps` characters (it reads `from`) and a
 * vocabulary of `vocab` characters, the text's chosen on the training page ('text'), the network's own ('own'), or the
 * built-in text's standing in for a text whose characters the page does not know ('builtin').
 */
export interface LmCheck { steps: number; from: number; vocab: number; source: 'text' | 'own' | 'builtin' }

/**
 * The spec the explainer sends for the editor's network. A language model has no vocabulary of its own (a run takes
 * its text's), which the check refused, and a preset reads 64 characters a step, about twice the work the check
 * allows (EXPLAIN_MAX_MACS): it is checked with the vocabulary the editor sizes it by (`textVocab`, the chosen
 * text's; else its own, else the built-in text's) on windows of LM_CHECK_STEPS characters, which leaves every
 * weight's shape as it is and takes an eighth of the work. A network that does not validate shortened (a Reshape
 * sized for its full length) is sent at its own length. An output fixed for another text (a warning in the editor,
 * an error to the engine's check) is checked with that many characters, the vocabulary it scores.
 */
export function editorCheck(spec: NetSpec, textVocab: number | null): { spec: NetSpec; lm: LmCheck | null } {
  if (spec.task !== 'language-model') return { spec, lm: null }
  let source: LmCheck['source'] = textVocab !== null ? 'text' : spec.vocab !== undefined ? 'own' : 'builtin'
  let vocab = textVocab ?? spec.vocab ?? BUILTIN_TEXT_VOCAB
  // scores fixed for another text (the editor warns; a run on this one is refused): checked at the size it scores
  const other = validateSpec(withVocab(spec, vocab)).issues.find((i) => i.code === 'lm-output-not-vocab')
  const scores = other?.values?.got
  if (typeof scores === 'number' && scores > 0) {
    vocab = scores
    source = 'own'
  }
  const sized = withVocab(spec, vocab)
  const from = spec.input[0]
  if (typeof from === 'number' && from > LM_CHECK_STEPS) {
    const short: NetSpec = { ...sized, input: [LM_CHECK_STEPS, ...spec.input.slice(1)] }
    if (validateSpec(short).ok) return { spec: short, lm: { steps: LM_CHECK_STEPS, from, vocab, source } }
  }
  return { spec: sized, lm: { steps: from, from, vocab, source } }
}

/** The engine's answer, or the host's refusal (busy training, disconnected…), worded by the page. */
export type CheckResult = EngineCheckResult | { ok: false; reason: 'refused'; error: LabError }

/**
 * Asks the host to check `spec` with a fixed seed: every element of every array when `samples` is
 * omitted (the small examples), otherwise that many per array (a full-size network has too many weights).
 * With `bug`, ReLU's backward is broken for the duration of the check.
 */
export async function checkGradients(spec: NetSpec, samples?: number, bug = false): Promise<CheckResult> {
  const r = await getLab().request('model:gradcheck', { spec, seed: 1, ...(samples !== undefined ? { samples } : {}), bug })
  if (!r.ok) return { ok: false, reason: 'refused', error: r.error }
  const { ms: _ms, ...result } = r.value
  return result
}

/**
 * Stops the host's gradient checks under way (model:gradcheck-cancel): the training thread leaves the check at its
 * next forward pass and answers reason 'cancelled'. True when one was under way.
 */
export async function cancelCheck(): Promise<boolean> {
  const r = await getLab().request('model:gradcheck-cancel', undefined)
  return r.ok && r.value.cancelled
}
