/**
 * The training form's data choice: what a run trains on (the built-in digits, an IDX folder, a text) and how that
 * choice is carried across edits of the architecture (carryData), sent to the host (dataSourceOf), and joined by the
 * learner's drawings (withDrawings). Split out of lib/train.svelte.ts, which keeps the form, the runs and the held
 * model; no Svelte state here.
 */
import type { DataSource, TrainSettings } from '../../src-engine/protocol'
import type { NetSpec } from '../../src-engine/spec-types'
import { drawings } from './drawings.svelte'
import { fmtInt, msg, type Msg } from '../i18n/index.svelte'
import { statefulLanesShort } from '../../src-engine/data/text-lanes'
import { BUILTIN_DIGITS } from '../../src-engine/data/mnist-builtin'
import { heldOutCount, IMAGE_TEST_FRACTION } from '../../src-engine/data/dataset'

export type DataKind = DataSource['kind']

/** The image data a network that is not a language model trains on: the built-in digits or an IDX folder. */
export type ImageKind = Exclude<DataKind, 'text'>

/** The data part of the form, carried whole across architecture edits (carryData): what to train on and the paths. */
export interface DataChoice {
  dataKind: DataKind
  idxDir: string
  textFile: string
  /**
   * The image data the learner chose last: the digits, or 'idx' their folder. It follows dataKind while that is
   * images and stays while a language model trains on a text, so a network that takes images again goes back to it
   * (carryData).
   */
  imageKind: ImageKind
}

/**
 * Data the learner chose that an edited network can no longer use, so the form went back to the network's own
 * ('data-folder': their folder again, for the text the network no longer takes). FormDrop adds the form's own.
 */
export type DataDrop = 'data-text' | 'data-images' | 'data-folder'

/**
 * The data choice after the architecture was edited (`keep`, the form's; `was`, the defaults it was filled with; `d`,
 * the edited network's defaults), carried whole: the kind, both paths and the image data chosen last are the learner's.
 * Only a kind that no longer fits goes back to the network's own: a language model trains on a text, anything else on
 * images, the learner's IDX folder when they had chosen it before the text and its path is still there, else the
 * digits. The change is named (`dropped`) when it leaves data the learner chose (a folder, an uploaded text, a kind
 * picked in the form) or goes back to their folder; the built-in data following the network is not worth a word.
 */
export function carryData(keep: DataChoice, was: DataKind, d: DataChoice): { data: DataChoice; dropped: DataDrop | null } {
  const imageKind = keep.dataKind === 'text' ? keep.imageKind : keep.dataKind
  const data: DataChoice = { dataKind: keep.dataKind, idxDir: keep.idxDir || d.idxDir, textFile: keep.textFile || d.textFile, imageKind }
  const text = d.dataKind === 'text'
  if ((keep.dataKind === 'text') === text) return { data, dropped: null }
  const folder = !text && imageKind === 'idx' && data.idxDir.trim() !== ''
  data.dataKind = text ? 'text' : folder ? 'idx' : d.dataKind
  const own = keep.dataKind === 'idx' || (keep.dataKind === 'text' && keep.textFile.trim() !== 'builtin') || keep.dataKind !== was
  return { data, dropped: text ? (own ? 'data-text' : null) : folder ? 'data-folder' : own ? 'data-images' : null }
}

/** The data the host gets from the form: the folder's path and the text's name trimmed, an empty text the built-in one. */
export function dataSourceOf(f: DataChoice): DataSource {
  return f.dataKind === 'idx' ? { kind: 'idx', dir: f.idxDir.trim() }
    : f.dataKind === 'text' ? { kind: 'text', file: f.textFile.trim() || 'builtin' }
      : { kind: 'mnist' }
}

/**
 * The learner's labelled drawings (draw page) join the training set of a digit classifier trained on
 * the built-in digits; other runs are left as they are.
 */
export function withDrawings(s: TrainSettings, spec: NetSpec): TrainSettings {
  const list = drawings.list
  const digits = spec.input.length === 3 && spec.input[0] === 1 && spec.input[1] === 28 && spec.input[2] === 28
  if (list.length === 0 || s.data.kind !== 'mnist' || !digits || (spec.task ?? 'classify') !== 'classify' || s.extra) return s
  return { ...s, extra: { images: list.flatMap((d) => d.image), labels: list.map((d) => d.label) } }
}

/** The built-in digits' training examples: what the engine's split leaves of the 10,000 (train/data.ts): 8,000. */
export const DIGITS_TRAINING = BUILTIN_DIGITS - heldOutCount(BUILTIN_DIGITS, IMAGE_TEST_FRACTION)

/**
 * The training examples a Continue of a run with settings `prev` trains on, when they are not the form's: the digits
 * split as that run split them (the overfitting experiment holds out 9,000 and trains on 1,000), which Continue keeps
 * (train-form.ts continueSettings) while Start takes the usual 8,000. Null when Continue trains on what Start would.
 */
export function continueExamples(prev: TrainSettings, dataKind: DataKind): number | null {
  if (prev.testFraction === undefined || prev.data.kind !== 'mnist' || dataKind !== 'mnist') return null
  const n = BUILTIN_DIGITS - heldOutCount(BUILTIN_DIGITS, prev.testFraction)
  return n === DIGITS_TRAINING ? null : n
}

/**
 * Why the form's "Training examples" cannot be used, said beside the box before Start, which it disables; null when it
 * can, or the box is empty (all), or the data is a text (no such box). The engine's rules (data/train-size.ts): a whole
 * number from 1 to the training examples there are (`available`: the digits' 8,000, an IDX folder's count once the
 * host has said it, else null and only the host can tell), and no smaller than the mini-batch.
 */
export function trainSizeProblem(f: { trainSize: number | null; batchSize: number; dataKind: DataKind }, available: number | null): Msg | null {
  const n = f.trainSize
  if (n === null || f.dataKind === 'text') return null
  const all: NonNullable<Msg['values']> = available === null ? {} : { available: () => fmtInt(available), availableCount: available }
  if (!(Number.isInteger(n) && n >= 1)) return msg(available === null ? 'train.trainSizeWhole' : 'train.trainSizeRange', all)
  if (available !== null && n > available) return msg('train.trainSizeOver', { size: () => fmtInt(n), sizeCount: n, ...all })
  const batch = f.batchSize
  if (Number.isInteger(batch) && batch > n) return msg('train.trainSizeBatch', { size: () => fmtInt(n), sizeCount: n, batch })
  return null
}

/** The built-in digits' examples: one channel of 28 × 28 pixels (the engine's data/mnist-builtin.ts). */
export const DIGITS_SHAPE: readonly number[] = [1, 28, 28]

/**
 * Why the data chosen cannot feed `spec`, said beside the data before Start, which it disables; null when it can, or
 * when the page cannot tell (an IDX folder's images are first read at Start). The engine's own rules, which refused
 * the run only after Start (a "failed" run in the list): a language model trains on a text and anything else on images
 * (train/data.ts), and the data's examples hold as many values as the network's input (train/checks.ts), which the
 * page knows for the built-in digits: 784. An input of (3, 32, 32) passed the editor and Start (Q1's F10).
 */
export function dataProblem(spec: NetSpec | null, data: DataChoice): Msg | null {
  if (!spec) return null
  const lm = spec.task === 'language-model'
  if (data.dataKind === 'text') return lm ? null : msg('train.dataTextNotLm')
  if (lm) return msg('train.dataImagesLm')
  if (data.dataKind !== 'mnist') return null
  const values = spec.input.reduce((a, b) => a * b, 1)
  const digits = DIGITS_SHAPE.reduce((a, b) => a * b, 1)
  // the counts in the page's language when drawn (3,072)
  return values === digits ? null : msg('train.dataInputDigits', { input: spec.input.join(', '), values: () => fmtInt(values), digits: () => fmtInt(digits) })
}

/**
 * A stateful run whose text is too short for its mini-batch size: the run cuts the part of the text it trains on into
 * as many lanes as the batch size, each at least one window of T (data/text-lanes.ts, the function the host's Start
 * refuses it by); with the numbers and the three ways out. Null when the run is not stateful, the text fits, or its
 * length is not known here (`chars` undefined: a path on the host). Before, Start was taken and the run failed with the
 * engine's English sentence ("stateful training cuts the text into 20 lanes…").
 */
export function statefulProblem(spec: NetSpec | null, form: { stateful: boolean; batchSize: number }, chars: number | undefined): Msg | null {
  if (!form.stateful || chars === undefined || spec?.task !== 'language-model' || spec.input.length !== 1) return null
  const short = statefulLanesShort(chars, spec.input[0], Math.round(form.batchSize))
  if (!short) return null
  const { windows, B, T, needs } = short
  // the counts grouped in the page's language when drawn; the plain ones beside them, as a function does not compare
  return msg('train.textLanes', { B, T, windows, needs: () => fmtInt(needs), needsCount: needs })
}
