/**
 * The overfitting experiment: a wide two-hidden-layer MLP trained on only 1,000 of the built-in digits
 * (the other 9,000 held out) three times from the same seed: as it is, with dropout after each hidden
 * layer, and with weight decay. The training page overlays the three runs' training and held-out
 * accuracy, so the gap between them, and how much each remedy narrows it, can be seen.
 */
import type { NetSpec } from '../../../src-engine/spec-types'
import type { TrainSettings } from '../../../src-engine/protocol'
import { trainLab, type Run } from '../train.svelte'
import { RunQueue, type QueuedRun } from './run-queue.svelte'
import { trainAccuracy } from '../train-accuracy'

export type OverfitKind = 'plain' | 'dropout' | 'decay'
export const OVERFIT_KINDS: readonly OverfitKind[] = ['plain', 'dropout', 'decay']

/** Held-out share of the 10,000 built-in digits: 1,000 left to train on. */
export const OVERFIT_TEST_FRACTION = 0.9
export const OVERFIT_EPOCHS = 15
export const OVERFIT_DROPOUT = 0.5
export const OVERFIT_DECAY = 0.01
export const OVERFIT_HIDDEN = 200

/** The network of one run; `name` tells the runs apart in the training page's legend. */
export function overfitSpec(kind: OverfitKind, name: string): NetSpec {
  const drop = kind === 'dropout' ? [{ type: 'Dropout' as const, rate: OVERFIT_DROPOUT }] : []
  return {
    name,
    input: [1, 28, 28],
    layers: [
      { type: 'Affine', units: OVERFIT_HIDDEN }, { type: 'Relu' }, ...drop,
      { type: 'Affine', units: OVERFIT_HIDDEN }, { type: 'Relu' }, ...drop,
      { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }
    ]
  }
}

/** Everything equal but the weight decay (on for 'decay' only). */
export function overfitSettings(kind: OverfitKind, threads: number): TrainSettings {
  return {
    data: { kind: 'mnist' }, testFraction: OVERFIT_TEST_FRACTION, optimizer: 'Adam', lr: 0.001, batchSize: 50,
    epochs: OVERFIT_EPOCHS, weightDecay: kind === 'decay' ? OVERFIT_DECAY : 0, seed: 7, threads: Math.max(1, threads)
  }
}

/** The three runs; `names` gives each network its legend name in the learner's language. */
export function overfitRuns(names: Record<OverfitKind, string>, threads: number): QueuedRun[] {
  return OVERFIT_KINDS.map((k) => ({ net: { spec: overfitSpec(k, names[k]) }, settings: overfitSettings(k, threads) }))
}

export interface OverfitRow { kind: OverfitKind; epochs: number; trainAcc: number | null; testAcc: number | null; gap: number | null; testLoss: number | null }

/** The last epoch of each run the experiment started: training and held-out accuracy, the gap between them, the held-out loss. */
export function overfitSummary(runs: readonly Run[]): OverfitRow[] {
  return runs.slice(0, OVERFIT_KINDS.length).map((r, i) => {
    const last = r.epochs[r.epochs.length - 1]
    const trainAcc = last ? trainAccuracy(last) : null
    const testAcc = last?.testAcc ?? null
    const gap = trainAcc !== null && testAcc !== null ? trainAcc - testAcc : null
    return { kind: OVERFIT_KINDS[i], epochs: r.epochs.length, trainAcc, testAcc, gap, testLoss: last?.testLoss ?? null }
  })
}

class OverfitExperiment extends RunQueue {
  async run(names: Record<OverfitKind, string>): Promise<void> {
    await this.start(overfitRuns(names, trainLab.threads))
  }
}

export const overfit = new OverfitExperiment()
