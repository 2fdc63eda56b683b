/**
 * Runs a lesson's experiment: several training runs one after another (the host trains one run at a
 * time), each put in the editor first so the training page shows the network it trains, and all
 * overlaid on the training page's charts, alone: the finished runs of before are cleared once the first one
 * starts, and the training form holds the settings of the run in progress (so Start after it trains what the
 * charts show). Used by the optimizer race and the overfitting experiment.
 * Uses the training page's own state (trainLab.start) and the editor's change path.
 */
import type { NetSpec } from '../../../src-engine/spec-types'
import type { TrainSettings } from '../../../src-engine/protocol'
import { trainLab, type Run, type TrainForm } from '../train.svelte'
import { editor } from '../editor.svelte'
import { project } from '../project.svelte'
import { getLab } from '../lab'
import { sameSpec } from '../same-spec'

export interface QueuedRun {
  /** The network to train: a preset id (loaded as the editor loads it) or a spec. */
  net: { preset: string } | { spec: NetSpec }
  settings: TrainSettings
}

/**
 * The training form holding a run's own settings: its optimizer, learning rate, mini-batch, epochs, weight decay, seed,
 * clipping and statefulness, and its data when that is the built-in digits (an experiment's); the threads and the
 * priority stay the learner's (the machine's). A held-out share other than the form's (the overfitting experiment's
 * 1,000 digits) has no field: Start trains on the usual split, and the experiment says so; Continue keeps the run's own
 * (train-form.ts continueSettings).
 */
export function formOfRun(form: TrainForm, s: TrainSettings): TrainForm {
  return {
    ...form, optimizer: s.optimizer, lr: s.lr, batchSize: s.batchSize, epochs: s.epochs, weightDecay: s.weightDecay, seed: s.seed,
    clip: s.clip ?? 0, stateful: s.stateful ?? false, trainSize: s.trainSize ?? null,
    ...(s.data.kind === 'mnist' ? { dataKind: 'mnist' as const, imageKind: 'mnist' as const } : {})
  }
}

export class RunQueue {
  /** Index of the run in progress, or null when the queue is idle. */
  at = $state<number | null>(null)
  /** The experiment waits for the learner's go-ahead: it would replace the model they trained (go() or cancel()). */
  asking = $state(false)
  /** The runs this queue started, in order (for a summary once they finish). */
  started = $state.raw<Run[]>([])
  private runs: readonly QueuedRun[] = []
  /** Stops watching the run in progress. */
  private unwatch: (() => void) | null = null

  get running(): boolean {
    return this.at !== null
  }

  /** The finished runs on the training page that the experiment clears when its first run starts. */
  get clears(): number {
    return trainLab.runs.filter((r) => !r.active).length
  }

  /**
   * Start the runs from the first; returns false while the learner is asked first. A model the learner trained would
   * be replaced by the experiment's runs, which all start from the seed's weights (that is what they compare), and
   * the finished runs on the training page would be cleared: the experiment asks, in place (asking; go() starts it,
   * cancel() drops it). Before, it loaded its network into the editor, whose keep-or-fresh question for an edited
   * network then waited on the editor page, and once answered nothing started; "keep" would have started the first
   * run, alone, from the weights trained before.
   */
  async start(runs: readonly QueuedRun[]): Promise<boolean> {
    if (this.running || runs.length === 0) return false
    this.runs = runs
    if (project.trained || this.clears > 0) {
      this.asking = true
      return false
    }
    return this.begin()
  }

  /** The learner's go-ahead: the experiment starts, from fresh weights. */
  async go(): Promise<boolean> {
    if (!this.asking || this.running) return false
    return this.begin()
  }

  /** The learner keeps their model: the experiment does not start. */
  cancel(): void {
    this.asking = false
  }

  private async begin(): Promise<boolean> {
    this.asking = false
    this.started = []
    // the learner agreed to replace their model (or has none): its weights are not carried into the first run
    if (!this.load(this.runs[0])) editor.resolvePending('fresh')
    if (project.weightsChoice === 'keep') project.weightsChoice = 'fresh'
    trainLab.ensureConnected(getLab())
    project.page = 'train'
    this.at = 0
    await this.runNext()
    return true
  }

  stop(): void {
    this.at = null
    this.asking = false
    this.stopWatching()
  }

  private stopWatching(): void {
    this.unwatch?.()
    this.unwatch = null
  }

  /** Put the run's network in the editor; false if the editor holds it back behind its keep-or-fresh question. */
  private load(q: QueuedRun): boolean {
    if ('preset' in q.net) editor.loadPreset(q.net.preset)
    else {
      editor.selected = null
      editor.commit(structuredClone(q.net.spec), null, null)
    }
    return editor.pending === null
  }

  /** Is this run's network already the one in the editor (the same preset or spec as the run before)? */
  private same(a: QueuedRun, b: QueuedRun): boolean {
    const x = a.net
    const y = b.net
    if ('preset' in x || 'preset' in y) return 'preset' in x && 'preset' in y && x.preset === y.preset
    return sameSpec(x.spec, y.spec)
  }

  private async runNext(): Promise<void> {
    const i = this.at
    if (i === null || i >= this.runs.length) return this.stop()
    if (i > 0 && !this.same(this.runs[i], this.runs[i - 1]) && !this.load(this.runs[i])) {
      // the model in the host is the previous run of this experiment: the next one starts fresh
      editor.resolvePending('fresh')
    }
    const settings = this.runs[i].settings
    // The first run clears the runs of before (another experiment's, the learner's), so the charts the lesson points
    // to show this experiment's alone, numbered from #1; only once the host took it: a refused start (a run still
    // training) clears nothing. Before, they were overlaid on what was left (MAX_RUNS keeps six).
    const nextIndex = trainLab.nextIndex
    if (i === 0) trainLab.nextIndex = 1
    const run = await trainLab.start(project.spec, settings)
    if (!run) {
      if (i === 0) trainLab.nextIndex = nextIndex
      return this.stop()
    }
    if (i === 0) {
      // on the host too: a reload or a second window brought them back, mixed with these and renumbered (Q5's F4)
      trainLab.forget(trainLab.runs.filter((r) => r !== run && !r.active).map((r) => r.id))
      trainLab.runs = trainLab.runs.filter((r) => r === run || r.active)
    }
    // the form holds this run's settings, filled for its network first so that the training page's own fill leaves them
    const spec = trainLab.specToTrain(project.spec)
    trainLab.prepareForm(spec, trainLab.presetFor(spec, project.presetId))
    trainLab.form = formOfRun(trainLab.form, settings)
    this.started = [...this.started, run]
    this.watch(run)
  }

  /**
   * Go on when the run ends. Its state is written by the lab's state (and error) events, including ones
   * that came before the start reply (trainLab replays them), and by trainLab itself when a run is stopped
   * for another: watching it misses none of them, so nothing polls as a fallback.
   */
  private watch(run: Run): void {
    this.stopWatching()
    const root = $effect.root(() => {
      $effect(() => {
        const state = run.state
        // act outside the effect: the next run reads and writes state this effect must not track
        if (state === 'done' || state === 'stopped' || state === 'failed') queueMicrotask(() => this.ended(root, state))
      })
    })
    this.unwatch = root
  }

  private ended(root: () => void, state: Run['state']): void {
    if (this.unwatch !== root) return
    this.stopWatching()
    if (state === 'done') {
      this.at = (this.at ?? 0) + 1
      void this.runNext()
    } else {
      // the learner stopped it (or it broke): the experiment ends here
      this.stop()
    }
  }
}
