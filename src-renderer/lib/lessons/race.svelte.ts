/**
 * The optimizer race: the same network (the two-layer MLP preset), the same seed and so the same
 * initial weights, trained on the built-in digits once per optimizer, one run after another (the host
 * trains one run at a time, RunQueue); the training page overlays their loss curves.
 */
import type { OptimizerName, TrainSettings } from '../../../src-engine/protocol'
import { presetById } from '../../../src-engine/models/presets'
import { trainLab } from '../train.svelte'
import { RunQueue, type QueuedRun } from './run-queue.svelte'

/** Learning rates that suit each optimizer on MNIST (the course's contour settings would diverge here). */
export const RACE: readonly { optimizer: OptimizerName; lr: number }[] = [
  { optimizer: 'SGD', lr: 0.1 }, { optimizer: 'Momentum', lr: 0.05 }, { optimizer: 'Nesterov', lr: 0.05 },
  { optimizer: 'AdaGrad', lr: 0.01 }, { optimizer: 'RMSProp', lr: 0.001 }, { optimizer: 'Adam', lr: 0.001 }
]
export const RACE_PRESET = 'mlp'
export const RACE_SEED = 7
export const RACE_EPOCHS = 2

/** The settings of one racer: everything equal except the optimizer and its learning rate. */
export function raceSettings(optimizer: OptimizerName, lr: number, threads: number): TrainSettings {
  const d = presetById(RACE_PRESET)?.defaults
  return {
    data: { kind: 'mnist' }, optimizer, lr, batchSize: d?.batchSize ?? 100, epochs: RACE_EPOCHS,
    weightDecay: 0, seed: RACE_SEED, threads: Math.max(1, threads)
  }
}

/** The race: one run per optimizer, the same preset, seed and epochs. */
export function raceRuns(threads: number): QueuedRun[] {
  return RACE.map((r) => ({ net: { preset: RACE_PRESET }, settings: raceSettings(r.optimizer, r.lr, threads) }))
}

class Race extends RunQueue {
  /** Load the race network in the editor, open the training page and start the first runner. */
  async run(): Promise<void> {
    await this.start(raceRuns(trainLab.threads))
  }
}

export const race = new Race()
