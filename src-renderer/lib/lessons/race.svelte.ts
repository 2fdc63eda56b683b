/**
 * The optimizer race: the same network (the two-layer MLP preset), the same seed and so the same
 * initial weights, trained on the built-in digits once per optimizer, one run after another (the host
 * trains one run at a time); the training page overlays their loss curves. Uses the training page's
 * own state (trainLab.start) and the editor's preset loader.
 */
import type { OptimizerName, TrainSettings } from '../../../src-engine/protocol'
import { presetById } from '../../../src-engine/models/presets'
import { trainLab } from '../train.svelte'
import { editor } from '../editor.svelte'
import { project } from '../project.svelte'
import { getLab } from '../lab'

/** Learning rates that suit each optimizer on MNIST (the course's contour settings would diverge here). */
export const RACE: readonly { optimizer: OptimizerName; lr: number }[] = [
  { optimizer: 'SGD', lr: 0.1 }, { optimizer: 'Momentum', lr: 0.05 }, { optimizer: 'AdaGrad', lr: 0.01 }, { optimizer: 'Adam', lr: 0.001 }
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

class Race {
  /** Index of the runner on the track, or null when no race is on. */
  at = $state<number | null>(null)
  private timer: ReturnType<typeof setInterval> | null = null

  get running(): boolean {
    return this.at !== null
  }

  /** Load the race network in the editor, open the training page and start the first runner. */
  async start(): Promise<void> {
    if (this.running) return
    editor.loadPreset(RACE_PRESET)
    if (editor.pending) {
      // a trained model: the editor asks first (keep or start fresh); the race waits for the learner
      project.page = 'editor'
      return
    }
    trainLab.ensureConnected(getLab())
    project.page = 'train'
    this.at = 0
    await this.runNext()
  }

  stop(): void {
    this.at = null
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }

  private async runNext(): Promise<void> {
    const i = this.at
    if (i === null || i >= RACE.length) return this.stop()
    const spec = project.spec
    const run = await trainLab.start(spec, raceSettings(RACE[i].optimizer, RACE[i].lr, trainLab.threads))
    if (!run) return this.stop()
    if (this.timer) clearInterval(this.timer)
    this.timer = setInterval(() => {
      if (run.state === 'done') {
        if (this.timer) clearInterval(this.timer)
        this.timer = null
        this.at = (this.at ?? 0) + 1
        void this.runNext()
      } else if (run.state === 'stopped' || run.state === 'failed') {
        // the learner stopped it (or it broke): the race ends here
        this.stop()
      }
    }, 400)
  }
}

export const race = new Race()
