/** Checks made before a run starts: its settings, and whether the data fits the network. */
import type { NetSpec, SpecReport } from '../spec-types'
import { validateSpec } from '../spec'
import { scoresLayer } from '../spec-lint'
import type { DataMismatchFacts } from '../protocol'
import type { Examples } from './examples'
import type { TrainerSettings } from './trainer'

/** Settings a run cannot start with, as messages that say what to change. */
export function checkSettings(s: TrainerSettings): void {
  const bad = (what: string): never => {
    throw new Error(what)
  }
  if (!(Number.isInteger(s.batchSize) && s.batchSize > 0)) bad(`the batch size must be a positive whole number, got ${s.batchSize}`)
  if (!(Number.isInteger(s.epochs) && s.epochs > 0)) bad(`the number of epochs must be a positive whole number, got ${s.epochs}`)
  if (!(s.lr > 0 && Number.isFinite(s.lr))) bad(`the learning rate must be a positive number, got ${s.lr}`)
  if (!Number.isInteger(s.seed)) bad(`the seed must be a whole number, got ${s.seed}`)
  if (s.weightDecay !== undefined && !(s.weightDecay >= 0)) bad(`weight decay must be 0 or more, got ${s.weightDecay}`)
}

/** A run the data does not fit: the English message (CLI, logs) and its facts, which the page words (the session passes them on as the 'train-failed' event's params). */
export class DataMismatchError extends Error {
  constructor(message: string, readonly facts: DataMismatchFacts) {
    super(message)
    this.name = 'DataMismatchError'
  }
}

/**
 * The data's examples must have as many values as the network's input, and a classifier of labelled
 * images one score per class of the data (100 scores for the 10 digits would train a 100-way softmax; fewer
 * would stop at the first label without a score). An IDX folder declares 10 classes but its labels may use
 * fewer: from its largest label + 1 up to 10 scores are taken.
 */
export function checkData(spec: NetSpec, data: { train: Examples; test: Examples }): void {
  // one validation for both sets (the trainer checks both before its first batch)
  const report = validateSpec(spec)
  checkExamples(spec, report, data.train, 'training')
  checkExamples(spec, report, data.test, 'held-out')
}

/** The losses a classifier of labelled images may end with. */
const CLASS_LOSSES: ReadonlySet<string> = new Set(['SoftmaxWithLoss', 'MSE', 'SigmoidWithLoss'])

function checkExamples(spec: NetSpec, report: SpecReport, ex: Examples, which: 'training' | 'held-out'): void {
  if (!takesShape(spec, ex)) {
    const want = spec.input.join(', ')
    const got = ex.xShape.join(', ')
    throw new DataMismatchError(`the network expects inputs of (${want}) but the ${which} data has examples of (${got}); change the input shape or use other data`,
      { case: 'input', want: `(${want})`, got: `(${got})`, which })
  }
  if (ex.kind === 'tokens') {
    checkVocab(report, ex, which)
    return
  }
  if (ex.kind !== 'image' || spec.task === 'reconstruct') return
  // MSE and SigmoidWithLoss take a label as its one-hot row (layers/label-targets.ts), so they need one output per
  // class as softmax does; a single output is compared with the label itself: a yes/no, for labels 0 and 1 only (a
  // label of 9 is no sigmoid's target, and the accuracy of one score's argmax says nothing)
  const lossIdx = report.layers.findIndex((l) => CLASS_LOSSES.has(l.type))
  const scores = lossIdx >= 0 ? report.layers[lossIdx].inShape : null
  const yesNo = (ex.labelsUsed ?? ex.classes) <= 2
  if (scores && yesNo && report.layers[lossIdx].type !== 'SoftmaxWithLoss' && scores.length === 1 && scores[0] === 1) return
  // more scores than classes, or fewer than a label needs (an IDX folder says 10 classes but may use fewer)
  if (!scores || scores.length !== 1 || (scores[0] <= ex.classes && scores[0] >= (ex.labelsUsed ?? ex.classes))) return
  const out = report.layers[scoresLayer(report.layers, lossIdx)]
  const affine = out.type === 'Affine' ? 1 : 0
  const fix = affine ? `set the units of ${out.name} to ${ex.classes}` : `end with an Affine of ${ex.classes} units before ${report.layers[lossIdx].name}`
  throw new DataMismatchError(
    `${out.name} gives ${scores[0]} class scores but the ${which} data has ${ex.classes} classes; ${fix}`,
    { case: 'classes', layer: out.name, outputs: scores[0], classes: ex.classes, affine })
}

/**
 * Whether the network's input takes the examples' shape, not only their count of values: 56 × 14 images have the 784
 * values of a (1, 28, 28) input, and were fed to it as if they were 28 × 28 (Q4 B5) when a caller skipped the folder's
 * shape check (data/idx-folder.ts idxShapeProblem). Images (C, H, W) go to an input of images as they are, to a row
 * model's (T, D) as their rows (H, W) when they have one channel, to a flat input as C·H·W values (data/idx-problem.ts
 * inputForImages, the rule the host and the page judge a folder by); token windows (T) by their count of values.
 */
function takesShape(spec: NetSpec, ex: Examples): boolean {
  const input = spec.input
  const x = ex.xShape
  const same = (a: readonly number[]): boolean => a.length === input.length && a.every((v, i) => v === input[i])
  if (ex.kind === 'image' && x.length === 3) {
    if (input.length === 3) return same(x)
    if (input.length === 2) return x[0] === 1 && same([x[1], x[2]])
    if (input.length === 1) return input[0] === x[0] * x[1] * x[2]
    return false
  }
  // token windows and any other examples: as many values as the input (the ids of a window, one per step)
  return input.reduce((a, b) => a * b, 1) === x.reduce((a, b) => a * b, 1)
}

/**
 * A language model scores one token of the text's vocabulary at each step: a Time affine whose units were fixed for
 * another text (65 for Pride and Prejudice) would train a softmax over characters this text lacks (more) or stop at
 * the first character id without a score (fewer). The units "vocab" follow the text; a number must equal its size.
 */
function checkVocab(report: SpecReport, ex: Examples, which: 'training' | 'held-out'): void {
  const lossIdx = report.layers.findIndex((l) => l.type === 'TimeSoftmaxWithLoss')
  const scores = lossIdx >= 0 ? report.layers[lossIdx].inShape : null
  if (!scores || scores.length !== 2 || scores[1] === ex.classes) return
  const out = report.layers[scoresLayer(report.layers, lossIdx)]
  const affine = out.type === 'TimeAffine' ? 1 : 0
  const fix = affine ? `set the units of ${out.name} to "vocab"` : `end with a TimeAffine of units "vocab" before ${report.layers[lossIdx].name}`
  throw new DataMismatchError(
    `${out.name} scores ${scores[1]} characters at each step but the ${which} text has ${ex.classes} distinct characters; ${fix}`,
    { case: 'vocab', layer: out.name, outputs: scores[1], vocab: ex.classes, affine })
}
