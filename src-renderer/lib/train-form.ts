/**
 * The training form: its settings (TrainForm), the defaults a network gets (defaultsFor), what an edit of the
 * architecture keeps of the learner's choices (carryForm), the settings sent to the host (settingsFromForm) and the
 * form's problems (formProblems); with what kind of network it is for (netKind, isLanguageModel). Split out of
 * lib/train.svelte.ts, which keeps the runs and the held model; the data choice is lib/train-data.ts. No Svelte state.
 */
import type { PresetInfo } from '../../src-main/ipc/contract'
import type { OptimizerName, TrainingPriority, TrainSettings } from '../../src-engine/protocol'
import type { NetSpec } from '../../src-engine/spec-types'
import { BATCH_MAX, EPOCHS_MAX, LR_MAX } from '../../src-engine/settings-limits'
import { sameSpec } from './same-spec'
import { carryData, dataSourceOf, type DataChoice, type DataDrop } from './train-data'

export const OPTIMIZERS: readonly OptimizerName[] = ['SGD', 'Momentum', 'Nesterov', 'AdaGrad', 'RMSProp', 'Adam']

/** The training page's words for each priority (protocol.ts TRAINING_PRIORITIES; a new one is a type error here until worded). */
export const PRIORITY_TEXT: Record<TrainingPriority, { label: string; help: string }> = {
  low: { label: 'train.priorityLow', help: 'train.priorityLowHelp' },
  normal: { label: 'train.priorityNormal', help: 'train.priorityNormalHelp' }
}

/**
 * The settings the host takes that have no field on the form: the data (the form holds the learner's choice,
 * DataChoice, sent as dataSourceOf), the held-out fraction (the CLI's) and the learner's drawings (added at Start);
 * and the training-set size, whose field may be empty (all), held as TrainForm.trainSize below.
 */
type NotOnForm = 'data' | 'testFraction' | 'extra' | 'trainSize'

/**
 * Every other setting of a run (protocol.ts TrainSettings, whose comments say what each does), each one held by the
 * form: an option the host may go without is a plain value here (clip 0 = off, stateful false, the priority chosen).
 * Derived rather than copied, so a setting added to TrainSettings is a field of the form at once, and defaultsFor and
 * settingsFromForm do not typecheck until they give it a default and send it.
 */
export type FormSettings = Required<Omit<TrainSettings, NotOnForm>>

/** The hyperparameter form, bound to the inputs. */
export interface TrainForm extends DataChoice, FormSettings {
  /**
   * "Training examples": train on this many of the image data's training examples (protocol.ts trainSize, the CLI's
   * --train-size); null, the box left empty, trains on all of them. Not sent for a text.
   */
  trainSize: number | null
}

/**
 * Is this spec a language model (perplexity instead of accuracy, text data)? Said so, or an Embedding on a sequence
 * input (T), as the validator reads token ids (spec.ts). An Embedding put on an image input is a mistake the editor
 * points at, not a language model: it switched the training page's data to a text by itself, then warned about "the
 * data chosen" (Q7 F8).
 */
export function isLanguageModel(spec: NetSpec | null): boolean {
  if (!spec) return false
  return spec.task === 'language-model' || (spec.input.length === 1 && spec.layers.some((l) => l.type === 'TimeEmbedding'))
}

/** Is `spec` a preset's own network as it came (a preset chosen and not edited since), rather than one built from it? */
export function isPresetAsIs(spec: NetSpec | null, preset: { spec: NetSpec } | null): boolean {
  return !!spec && !!preset && sameSpec(spec, preset.spec)
}

/** What a network reports after each epoch: accuracy (a classifier), perplexity (a language model) or the
 * held-out reconstruction error (an autoencoder, task "reconstruct"). */
export type NetKind = 'classifier' | 'language-model' | 'autoencoder'

export function netKind(spec: NetSpec | null): NetKind {
  return isLanguageModel(spec) ? 'language-model' : spec?.task === 'reconstruct' ? 'autoencoder' : 'classifier'
}

/** Can this network train statefully (a language model with a TimeLSTM or TimeRNN to carry the state)? */
export function canTrainStateful(spec: NetSpec | null): boolean {
  return isLanguageModel(spec) && !!spec?.layers.some((l) => l.type === 'TimeLSTM' || l.type === 'TimeRNN')
}

/** One-click defaults for a network: its preset's training settings when it came from one, else the
 * settings the course uses for its kind, kept short enough to watch. */
export function defaultsFor(spec: NetSpec | null, threads: number, preset?: PresetInfo | null): TrainForm {
  const base: TrainForm = {
    dataKind: 'mnist', idxDir: '/usr/share/datasets/fashion-mnist', textFile: 'builtin',
    optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 5, weightDecay: 0, seed: 42, threads: Math.max(1, threads), clip: 0,
    stateful: false, priority: 'low', imageKind: 'mnist', trainSize: null
  }
  let f = base
  if (spec && isLanguageModel(spec)) f = { ...base, dataKind: 'text', lr: 0.005, batchSize: 20, epochs: 10, clip: 5 }
  else if (spec?.layers.some((l) => l.type === 'TimeLSTM' || l.type === 'TimeRNN')) f = { ...base, batchSize: 64, epochs: 3, clip: 5 }
  else if (spec?.task === 'reconstruct') f = { ...base, batchSize: 64 }
  const d = preset?.defaults
  if (d) f = { ...f, optimizer: d.optimizer, lr: d.lr, batchSize: d.batchSize, epochs: d.epochs, clip: d.clip ?? f.clip }
  return f
}

/**
 * A setting the learner chose that an edited network can no longer use, so the form went back to the network's own
 * ('data-folder': their text, for the IDX folder they had chosen before the network became a language model).
 */
export type FormDrop = DataDrop | 'stateful'

/**
 * The form after the architecture was edited: every setting the learner chose (it differs from the defaults the
 * form was filled with, `was`) is kept, the rest take the edited network's defaults `d` (a network that became a
 * language model gets its lr, batch and clipping). The data choice is carried whole (carryData) and the priority is
 * always the learner's. What no longer fits goes back to the network's own and is named in `dropped`: data of the
 * wrong kind and stateful training without a TimeLSTM/TimeRNN to carry.
 */
export function carryForm(keep: TrainForm, was: TrainForm, d: TrainForm, spec: NetSpec | null): { form: TrainForm; dropped: FormDrop[] } {
  const form = { ...d }
  const out = form as unknown as Record<string, unknown>
  const kept = keep as unknown as Record<string, unknown>
  const old = was as unknown as Record<string, unknown>
  for (const k of Object.keys(form)) if (kept[k] !== old[k]) out[k] = kept[k]
  form.priority = keep.priority
  const { data, dropped: lost } = carryData(keep, was.dataKind, d)
  Object.assign(form, data)
  const dropped: FormDrop[] = lost ? [lost] : []
  if (form.stateful && !canTrainStateful(spec)) {
    form.stateful = false
    dropped.push('stateful')
  }
  return { form, dropped }
}

/** The settings the host gets from the form. */
export function settingsFromForm(f: TrainForm): TrainSettings {
  // every form setting by name: one added to TrainSettings is a type error here until it is sent
  const sent: { [K in keyof FormSettings]: TrainSettings[K] } = {
    optimizer: f.optimizer, lr: f.lr, batchSize: Math.round(f.batchSize), epochs: Math.round(f.epochs),
    weightDecay: f.weightDecay, seed: Math.round(f.seed), threads: Math.round(f.threads),
    clip: f.clip > 0 ? f.clip : undefined,
    stateful: f.stateful && f.dataKind === 'text' ? true : undefined,
    priority: f.priority
  }
  const out: TrainSettings = { data: dataSourceOf(f), ...sent }
  // an empty box (null; a number input emptied gives null) trains on all; a text has no size to send
  if (typeof f.trainSize === 'number' && f.trainSize > 0 && f.dataKind !== 'text') out.trainSize = Math.round(f.trainSize)
  // an option left off is absent, not undefined: the saved project and the run's settings list what was set
  const loose = out as unknown as Record<string, unknown>
  for (const k of Object.keys(loose)) if (loose[k] === undefined) delete loose[k]
  return out
}

/**
 * The settings "Continue training" sends: the form's, and the held-out share of the run it continues when both train on
 * the built-in digits. The share has no field (the overfitting experiment's 1,000 / 9,000), so the form alone sent the
 * usual 8,000 / 2,000: the run went on with nine times the examples and another test set than its charts so far.
 */
export function continueSettings(f: TrainForm, prev: TrainSettings): TrainSettings {
  const s = settingsFromForm(f)
  if (prev.testFraction !== undefined && prev.data.kind === 'mnist' && s.data.kind === 'mnist') s.testFraction = prev.testFraction
  return s
}

/** Problems with the form, as i18n keys; empty when it can be sent. */
export function formProblems(f: TrainForm): string[] {
  const out: string[] = []
  if (!(f.lr > 0 && f.lr <= LR_MAX)) out.push('train.errLr')
  if (!(Number.isInteger(f.batchSize) && f.batchSize >= 1 && f.batchSize <= BATCH_MAX)) out.push('train.errBatch')
  if (!(Number.isInteger(f.epochs) && f.epochs >= 1 && f.epochs <= EPOCHS_MAX)) out.push('train.errEpochs')
  if (!(f.weightDecay >= 0 && f.weightDecay < 1)) out.push('train.errDecay')
  if (!(Number.isInteger(f.seed) && f.seed >= 0)) out.push('train.errSeed')
  if (!(Number.isInteger(f.threads) && f.threads >= 1 && f.threads <= 64)) out.push('train.errThreads')
  if (!(f.clip >= 0)) out.push('train.errClip')
  if (f.dataKind === 'idx' && !f.idxDir.trim()) out.push('train.errIdx')
  if (f.stateful && f.dataKind !== 'text') out.push('train.errStateful')
  return out
}
