/**
 * How long a design will take to train, and how much memory it needs, from the engine's counts (multiply-adds
 * per example, the memory estimate) against the rate the lab was measured to train at: so a learner who builds a
 * 67-million-parameter LSTM hears before pressing Train that one epoch takes hours, and which layer to shrink.
 * The rate is this computer's once a run measured it (lib/speed.svelte.ts), else the benchmark figure below.
 * Pure: CostNote.svelte words the result (cost.*, en and ko), in the editor and on the training page.
 */
import type { NetSpec, SpecReport } from '../../../src-engine/spec-types'
import { heldOutCount, IMAGE_TEST_FRACTION } from '../../../src-engine/data/dataset'
import { BUILTIN_DIGITS } from '../../../src-engine/data/mnist-builtin'
import { BUILTIN_TEXT_CHARS, textTrainLength, windowCount } from '../../../src-engine/data/text'

/**
 * Multiply-adds of the forward pass per second the lab trains at, on one thread of the 2-core machine its
 * benchmarks ran on (README "Benchmarks", 26 November 14:28Z, `lab 1t`): a workload's training rate times its
 * preset's multiply-adds per example (the editor's count), which folds in the backward pass (about twice the
 * forward work) and the optimizer. W1 SimpleConvNet 3,598 images/s × 865,000 = 3.11 G; W2 Keras CNN 518 ×
 * 7,059,968 = 3.66 G; W3 row LSTM 1,674 × 2,237,696 = 3.75 G; W4 character LSTM 195 × 22,036,480 = 4.30 G.
 * The slowest of the four, so the estimate does not promise more than the lab gave there.
 */
export const MEASURED_MACS_PER_SECOND = 3.1e9

/**
 * The data an epoch is timed on. The built-in data unless the page knows the size of the learner's own: an IDX
 * folder's training examples (data:idx-classes counts its labels), an uploaded text's characters (data:texts).
 * `instead`: the name of data the learner chose whose size the page does not know, for which the built-in stands in.
 */
export type EpochData =
  | { kind: 'builtin'; instead?: string }
  | { kind: 'folder'; name: string; examples: number }
  | { kind: 'text'; name: string; chars: number }

/** One epoch's examples and what they are: the built-in digits or text, or the learner's folder or text (`name`). */
export interface EpochSize {
  examples: number
  unit: 'digits' | 'images' | 'windows'
  of: 'builtin' | 'folder' | 'text'
  name: string
  /** The learner's data the built-in stands in for (its size unknown), else ''. */
  instead: string
}

/**
 * The examples of one epoch of `data` for `spec`, as the engine cuts them (train/data.ts): the built-in digits less the
 * fifth held out; a folder's own training files; a text's head before its held-out tenth, in windows of the network's
 * T characters. Data of the wrong kind for the network (images for a language model) times the built-in data of its kind.
 */
export function epochSize(spec: NetSpec, data: EpochData = { kind: 'builtin' }): EpochSize {
  const instead = data.kind === 'builtin' ? (data.instead ?? '') : ''
  if (spec.task === 'language-model') {
    const T = spec.input[0] ?? 1
    const own = data.kind === 'text'
    const chars = own ? data.chars : BUILTIN_TEXT_CHARS
    return { examples: windowCount(textTrainLength(chars), T), unit: 'windows', of: own ? 'text' : 'builtin', name: own ? data.name : '', instead }
  }
  if (data.kind === 'folder') return { examples: data.examples, unit: 'images', of: 'folder', name: data.name, instead }
  return { examples: BUILTIN_DIGITS - heldOutCount(BUILTIN_DIGITS, IMAGE_TEST_FRACTION), unit: 'digits', of: 'builtin', name: '', instead }
}

/** The training form's data choice with what the page knows of its size (null: not known). */
export interface ChosenData {
  kind: 'mnist' | 'idx' | 'text'
  /** The IDX folder's path, and its training examples when the host counted them (data:idx-classes). */
  folder: string
  folderExamples: number | null
  /** The text as the form shows it ("builtin", an uploaded text's name, a path), and its characters when known. */
  text: string
  textChars: number | null
}

/** The last part of a folder's path, as the note names it ("/data/fashion-mnist/" → "fashion-mnist"). */
export function folderName(dir: string): string {
  const parts = dir.trim().split(/[\\/]+/).filter((p) => p !== '')
  return parts.at(-1) ?? dir.trim()
}

/**
 * What an epoch of `spec` is timed on for the form's choice: the learner's folder or text when its size is known,
 * else the built-in data, naming the learner's it stands in for. A choice of the wrong kind for the network (the
 * form not yet filled for it) is not the learner's data for it: the built-in data, with nothing named.
 */
export function chosenData(spec: NetSpec, c: ChosenData): EpochData {
  const text = spec.task === 'language-model'
  if (text && c.kind === 'text' && c.text.trim() !== 'builtin' && c.text.trim() !== '') {
    return c.textChars !== null && c.textChars > 0 ? { kind: 'text', name: c.text, chars: c.textChars } : { kind: 'builtin', instead: c.text }
  }
  if (!text && c.kind === 'idx' && c.folder.trim() !== '') {
    const name = folderName(c.folder)
    return c.folderExamples !== null && c.folderExamples > 0 ? { kind: 'folder', name, examples: c.folderExamples } : { kind: 'builtin', instead: name }
  }
  return { kind: 'builtin' }
}

/** An epoch longer than this gets the note (the char-lstm preset takes ~30 s, Keras CNN ~18 s by the same rate). */
export const SLOW_EPOCH_SECONDS = 120
/** A memory estimate above this gets the note (the editor refuses above 2 GiB: spec-lint.ts MEMORY_LIMIT_BYTES). */
export const HUNGRY_BYTES = 2 ** 30

/** What to make smaller, by the type of the layer doing most of the work. */
export type CostFix = 'hidden' | 'filters' | 'units' | 'before' | 'dim' | 'layers'

export interface CostNote {
  /** Seconds per epoch of the data (epochSize), and that epoch's size. */
  epochSeconds: number
  epoch: EpochSize
  /** Seconds per example (forward and backward). */
  exampleSeconds: number
  slow: boolean
  /** The memory estimate (spec-lint.ts: weights, their gradients, two optimizer moments, the copy kept against a divergence, layer outputs for a batch of 100). */
  memoryBytes: number
  hungry: boolean
  /** The layer doing the most multiply-adds (slow) or holding the most memory (only hungry), and what to change on it. */
  layer: number
  fix: CostFix
}

const FIX: Record<string, CostFix> = {
  TimeLSTM: 'hidden', TimeRNN: 'hidden', TimeGRU: 'hidden', Convolution: 'filters', Deconvolution: 'filters',
  Affine: 'units', TimeAffine: 'before', TimeEmbedding: 'dim'
}

/**
 * The note for a valid design that will be slow or memory-hungry to train, else null. `macsPerSecond`: this
 * computer's rate when a run measured one (lib/speed.svelte.ts), else the benchmark figure. `data`: what an epoch
 * is timed on (epochSize), the built-in data unless the page knows the size of the learner's.
 */
export function costNote(spec: NetSpec, report: SpecReport, macsPerSecond = MEASURED_MACS_PER_SECOND, data?: EpochData): CostNote | null {
  if (!report.ok || report.layers.length === 0) return null
  const rate = Number.isFinite(macsPerSecond) && macsPerSecond > 0 ? macsPerSecond : MEASURED_MACS_PER_SECOND
  const exampleSeconds = report.totalMacs / rate
  const epoch = epochSize(spec, data)
  const epochSeconds = epoch.examples * exampleSeconds
  const memoryBytes = report.memoryBytes ?? 0
  const slow = epochSeconds >= SLOW_EPOCH_SECONDS
  const hungry = memoryBytes >= HUNGRY_BYTES
  if (!slow && !hungry) return null
  const weight = (i: number): number => (slow ? report.layers[i].macs : report.layers[i].params)
  let layer = 0
  for (let i = 1; i < report.layers.length; i++) if (weight(i) > weight(layer)) layer = i
  const type = spec.layers[layer]?.type ?? ''
  // a time affine's cost is hidden × vocabulary: the vocabulary is the text's, the hidden size the layer's before it
  const fix = FIX[type] ?? 'layers'
  return { epochSeconds, epoch, exampleSeconds, slow, memoryBytes, hungry, layer, fix }
}

/** A duration to read at a glance: seconds under two minutes, minutes under two hours, then hours (one decimal under 10). */
export function roughDuration(seconds: number): { n: number; unit: 's' | 'min' | 'h' } {
  if (seconds < 120) return { n: Math.max(1, Math.round(seconds)), unit: 's' }
  if (seconds < 7200) return { n: Math.round(seconds / 60), unit: 'min' }
  const h = seconds / 3600
  return { n: h < 10 ? Math.round(h * 10) / 10 : Math.round(h), unit: 'h' }
}
