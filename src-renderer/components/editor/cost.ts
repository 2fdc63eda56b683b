/**
 * How long a design will take to train, and how much memory it needs, from the engine's counts (multiply-adds
 * per example, the memory estimate) against the rate the lab was measured to train at: so a learner who builds a
 * 67-million-parameter LSTM hears before pressing Train that one epoch takes hours, and which layer to shrink.
 * The rate is this computer's once a run measured it (lib/speed.svelte.ts), else the benchmark figure below.
 * Pure: CostNote.svelte words the result (cost.*, en and ko), in the editor and on the training page.
 */
import type { NetSpec, SpecReport } from '../../../src-engine/spec-types'

/**
 * Multiply-adds of the forward pass per second the lab trains at, on one thread of the 2-core machine its
 * benchmarks ran on (README "Benchmarks", 26 November 14:28Z, `lab 1t`): a workload's training rate times its
 * preset's multiply-adds per example (the editor's count), which folds in the backward pass (about twice the
 * forward work) and the optimizer. W1 SimpleConvNet 3,598 images/s × 865,000 = 3.11 G; W2 Keras CNN 518 ×
 * 7,059,968 = 3.66 G; W3 row LSTM 1,674 × 2,237,696 = 3.75 G; W4 character LSTM 195 × 22,036,480 = 4.30 G.
 * The slowest of the four, so the estimate does not promise more than the lab gave there.
 */
export const MEASURED_MACS_PER_SECOND = 3.1e9

/** Training examples in one epoch of the built-in data: the 10,000 digits with a fifth held out. */
export const BUILTIN_DIGITS_TRAIN = 8000
/** Characters of the built-in text (Pride and Prejudice, chapters 1–28, after NFC), of which a tenth is held out. */
export const BUILTIN_TEXT_CHARS = 278_848

/** An epoch longer than this gets the note (the char-lstm preset takes ~30 s, Keras CNN ~18 s by the same rate). */
export const SLOW_EPOCH_SECONDS = 120
/** A memory estimate above this gets the note (the editor refuses above 2 GiB: spec-lint.ts MEMORY_LIMIT_BYTES). */
export const HUNGRY_BYTES = 2 ** 30

/** What to make smaller, by the type of the layer doing most of the work. */
export type CostFix = 'hidden' | 'filters' | 'units' | 'before' | 'dim' | 'layers'

export interface CostNote {
  /** Seconds per epoch of the built-in data, and that epoch's examples (digits, or windows of the built-in text). */
  epochSeconds: number
  examples: number
  kind: 'digits' | 'windows'
  /** Seconds per example (forward and backward). */
  exampleSeconds: number
  slow: boolean
  /** The memory estimate (spec-lint.ts: weights, two optimizer moments, layer outputs for a batch of 100). */
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
 * computer's rate when a run measured one (lib/speed.svelte.ts), else the benchmark figure.
 */
export function costNote(spec: NetSpec, report: SpecReport, macsPerSecond = MEASURED_MACS_PER_SECOND): CostNote | null {
  if (!report.ok || report.layers.length === 0) return null
  const rate = Number.isFinite(macsPerSecond) && macsPerSecond > 0 ? macsPerSecond : MEASURED_MACS_PER_SECOND
  const exampleSeconds = report.totalMacs / rate
  const text = spec.task === 'language-model'
  const T = spec.input[0] ?? 1
  const examples = text ? Math.max(1, Math.floor((BUILTIN_TEXT_CHARS * 0.9 - 1) / T)) : BUILTIN_DIGITS_TRAIN
  const epochSeconds = examples * exampleSeconds
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
  return { epochSeconds, examples, kind: text ? 'windows' : 'digits', exampleSeconds, slow, memoryBytes, hungry, layer, fix }
}

/** A duration to read at a glance: seconds under two minutes, minutes under two hours, then hours (one decimal under 10). */
export function roughDuration(seconds: number): { n: number; unit: 's' | 'min' | 'h' } {
  if (seconds < 120) return { n: Math.max(1, Math.round(seconds)), unit: 's' }
  if (seconds < 7200) return { n: Math.round(seconds / 60), unit: 'min' }
  const h = seconds / 3600
  return { n: h < 10 ? Math.round(h * 10) / 10 : Math.round(h), unit: 'h' }
}
