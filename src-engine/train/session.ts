/**
 * The training worker's brain, as a plain class so tests can drive it without a thread:
 * `handle(message)` takes a WorkerCommand (untrusted: checked first), `post` sends WorkerEvents.
 * Batch points are coalesced (one `batches` event per ~100 ms) and snapshots throttled (≤ 4/s).
 */
import { Rng } from '../rng'
import type { NetSpec } from '../spec-types'
import type { Tensor } from '../tensor'
import type { BatchPoint, Checkpoint, DataSource, KeptModel, Snapshot, StartStage, TrainSettings, WorkerCommand, WorkerEvent } from '../protocol'
import { specForData, type TrainData } from './data'
import { Sequential } from '../models/sequential'
import { Trainer, type TrainerEvent } from './trainer'
import { KEEP_EVERY_MS, type KeptAt } from './last-good'
import { describeKept } from './divergence'
import { checkCommand } from './commands'
import { errorMessage, memoryFacts } from './errors'
import { DataMismatchError } from './checks'
import { withTrainSize } from '../data/train-size'
import { InferenceFeed, predictValue, type FeedPort } from './inference'
import { withExtra } from './extra-examples'
import { AutoencoderProbe, decode, findBottleneck } from '../models/autoencoder'
import { asExamples } from './examples'
import { generateText } from '../models/generate'
import { UnknownCharError, vocabFromChars, type CharVocab } from '../data/text'
import { startThreads } from './threads'
import { writeProjectFileSync } from './autosave'
import type { DataParallel } from './data-parallel'
import { engineMemory } from '../kernels/gemm'
import { heldBytes } from './retire'

export interface SessionOptions {
  /** Loads the data of a run (the worker passes loadTrainData). */
  loadData: (source: DataSource, testFraction: number | undefined, spec: NetSpec) => TrainData
  /** A worker file that runs data-parallel replicas (workerData.role 'replica'); without it runs use 1 thread. */
  replicaEntry?: string
  /** Gradient check of a whole network (train/gradient-check.ts). */
  gradcheck?: (spec: NetSpec, seed: number, explain?: Extract<WorkerCommand, { type: 'gradcheck' }>['explain']) => unknown
  /**
   * Post the 'memory' event after each run (what the thread's engine memory keeps, what its model needs: the host
   * retires a thread that keeps far more, lab-host.ts retireIfSpare). The worker does; a caller without a host need not.
   */
  reportMemory?: boolean
  batchFlushMs?: number
  snapshotMinMs?: number
  /** How often a run may copy its last good weights (last-good.ts; default KEEP_EVERY_MS). */
  keepEveryMs?: number
  now?: () => number
}

type Post = (event: WorkerEvent, transfer?: ArrayBuffer[]) => void

export class WorkerSession {
  private trainer: Trainer | null = null
  private runId: string | null = null
  /** Between `start` and the trainer existing (data loading, threads starting): controls wait here. */
  private starting: { pause: boolean; stop: boolean; lr: number | null } | null = null
  /** The learner's probe example; kept across runs and applied to each new trainer. */
  private probe: Float32Array | null = null
  private model: Sequential | null = null
  /** The inference thread's feed (copies of `model` for predictions during training), once the host starts one. */
  private feed: InferenceFeed | null = null
  /** The characters of the text `model` was trained on (language models), for generation; null otherwise. */
  private vocab: CharVocab | null = null
  /** The trainer whose optimizer state belongs to `model` (null once a model is loaded instead). */
  private modelTrainer: Trainer | null = null
  /** The current run asked for a checkpoint after every epoch. */
  private checkpoints = false
  /** The weights and optimizer state after a run's latest epoch, kept for the host's 'autosave' (checkpoints). */
  private kept: { runId: string; epoch: number; checkpoint: Checkpoint } | null = null
  /** Optimizer state that came with a loaded model (a project), for a run that continues from it. */
  private loadedOptimizer: Checkpoint['optimizer'] | null = null
  /**
   * The model held before the current run (a copy: dropModel), put back if the run diverges before it has weights
   * of its own worth keeping (last-good.ts); dropped once it has them, or when the run ends otherwise.
   */
  private heldBefore: { runId: string; backup: Backup } | null = null
  /** A diverged run's trainer whose model the session no longer holds: its blocks go back once its threads have stopped. */
  private orphan: Trainer | null = null
  /**
   * While a start has dropped the old model and waits for its replica threads (50-200 ms): the requests that read or
   * replace the model, answered once the run's model is in place (or the old one put back), as with one thread, where
   * no message comes in between. Before, they answered 'no-model' (a save then had no weights).
   */
  private awaitingModel: unknown[] | null = null
  private points: BatchPoint[] = []
  private lastFlush = 0
  private lastSnapshot = -Infinity
  private pendingSnapshot: Snapshot | null = null
  private flushTimer: ReturnType<typeof setTimeout> | null = null
  private readonly flushMs: number
  private readonly snapMs: number
  private readonly now: () => number
  /** Resolves when the current run has ended (tests await it). */
  running: Promise<void> = Promise.resolve()

  private readonly post: Post

  constructor(post: Post, private readonly opts: SessionOptions) {
    // Before each event (batch points go out between batches, about every 100 ms, while a run trains), the
    // inference thread's weights are written if it asked for them (inference.ts).
    this.post = (event, transfer) => {
      this.feed?.poll()
      post(event, transfer)
    }
    this.flushMs = opts.batchFlushMs ?? 100
    this.snapMs = opts.snapshotMinMs ?? 250
    this.now = opts.now ?? (() => performance.now())
  }

  /** Handles one message; never throws (every failure becomes an event or a reply). */
  handle(message: unknown): void {
    const checked = checkCommand(message)
    if (!checked.ok) {
      // A request (it has a reqId) gets its failure as the reply the host is waiting for.
      const reqId = (message as { reqId?: unknown } | null)?.reqId
      if (Number.isInteger(reqId)) this.post({ type: 'reply', reqId: reqId as number, ok: false, code: checked.code, message: checked.message })
      else this.post({ type: 'error', runId: this.runId, code: checked.code, message: checked.message })
      return
    }
    const cmd = checked.command
    try {
      this.dispatch(cmd)
    } catch (e) {
      if ('reqId' in cmd) this.post({ type: 'reply', reqId: cmd.reqId, ok: false, code: 'failed', message: errorMessage(e) })
      else this.post({ type: 'error', runId: this.runId, code: 'failed', message: errorMessage(e) })
    }
  }

  private dispatch(cmd: WorkerCommand): void {
    if (this.awaitingModel !== null && MODEL_REQUESTS.has(cmd.type)) {
      this.awaitingModel.push(cmd)
      return
    }
    switch (cmd.type) {
      case 'start':
        this.checkpoints = cmd.checkpoints === true
        this.start(cmd.runId, cmd.spec, cmd.settings, cmd.weights, cmd.fromModel === true ? this.continuation() : null)
        return
      case 'pause':
        if (this.starting) this.starting.pause = true
        else this.active(cmd.type)?.pause()
        return
      case 'resume':
        if (this.starting) this.starting.pause = false
        else this.active(cmd.type)?.resume()
        return
      case 'stop':
        // Stopping when nothing runs is harmless (the host may race a run's end): no error.
        if (this.starting) this.starting.stop = true
        else if (this.isRunning()) this.trainer?.stop()
        return
      case 'step':
        this.active(cmd.type)?.step()
        return
      case 'set-lr':
        // Without a run there is nothing to change (the next start carries its own lr): no error.
        if (this.starting) this.starting.lr = cmd.lr
        else if (this.isRunning()) this.trainer?.setLr(cmd.lr)
        return
      case 'set-probe':
        // Accepted at any time: the probe is kept and shown by this and later runs.
        this.probe = cmd.input.slice()
        if (this.trainer && this.isRunning()) {
          this.trainer.setProbe(this.probe)
          this.lastSnapshot = -Infinity
        }
        return
      case 'predict': {
        const model = this.model
        if (!model) {
          this.post({ type: 'reply', reqId: cmd.reqId, ok: false, code: 'no-model', message: 'there is no model yet: train one or load weights first' })
          return
        }
        // Flat (count·classes) arrays: with count 1 they are the one example's probabilities.
        const value = predictValue(model, cmd, this.now)
        this.post({ type: 'reply', reqId: cmd.reqId, ok: true, value })
        return
      }
      case 'drop-model':
        // the host holds no model any more: its engine memory comes back now, not when the next run or load replaces it
        if (!this.isRunning() && this.starting === null) this.dropModel(false)
        return
      case 'infer-port':
        // The host's inference thread: it gets this thread's model now and whenever it changes.
        this.feed?.close()
        this.feed = new InferenceFeed(cmd.port as unknown as FeedPort, () => this.model)
        return
      case 'decode': {
        const model = this.autoencoder(cmd.reqId, 'can decode a code')
        if (!model) return
        const [C, H, W] = model.spec.input.length === 3 ? model.spec.input : [1, 1, model.spec.input.reduce((a, b) => a * b, 1)]
        const images = decode(model, cmd.code, cmd.count)
        this.post({ type: 'reply', reqId: cmd.reqId, ok: true, value: { count: cmd.count, c: C, h: H, w: W, images } }, [images.buffer as ArrayBuffer])
        return
      }
      case 'ae-views': {
        const model = this.autoencoder(cmd.reqId, 'has a code to show')
        if (!model) return
        const test = asExamples(this.opts.loadData(cmd.data, cmd.testFraction, model.spec).test)
        if (test.n === 0) {
          this.post({ type: 'reply', reqId: cmd.reqId, ok: true, value: {} })
          return
        }
        // the same held-out examples a run's snapshots show (AutoencoderProbe), encoded by this model
        const value = new AutoencoderProbe(model, test).take(true)
        const transfer: ArrayBuffer[] = []
        if (value.reconstructions) transfer.push(value.reconstructions.inputs.data.buffer as ArrayBuffer, value.reconstructions.outputs.data.buffer as ArrayBuffer)
        if (value.codes) transfer.push(value.codes.points.buffer as ArrayBuffer, value.codes.labels.buffer as ArrayBuffer)
        this.post({ type: 'reply', reqId: cmd.reqId, ok: true, value }, transfer)
        return
      }
      case 'generate': {
        const model = this.model
        if (!model) {
          this.post({ type: 'reply', reqId: cmd.reqId, ok: false, code: 'no-model', message: 'there is no model yet: train a language model first' })
          return
        }
        if (model.spec.task !== 'language-model') {
          this.post({ type: 'reply', reqId: cmd.reqId, ok: false, code: 'not-language-model', message: 'this model is not a language model: only a network with task "language-model" (such as char-lstm) writes text' })
          return
        }
        if (!this.vocab) {
          this.post({ type: 'reply', reqId: cmd.reqId, ok: false, code: 'no-vocab', message: 'the characters of this model\'s text are unknown: train it on a text, or open a project or weights file saved with its vocabulary' })
          return
        }
        try {
          const out = generateText(model, this.vocab, { prompt: cmd.prompt, length: cmd.length, temperature: cmd.temperature, seed: cmd.seed })
          this.post({ type: 'reply', reqId: cmd.reqId, ok: true, value: { prompt: out.prompt, text: out.text } })
        } catch (e) {
          // a prompt character the text never had is the learner's to fix; anything else is the engine's
          // failure, which handle() replies to as 'failed'
          if (!(e instanceof UnknownCharError)) throw e
          this.post({ type: 'reply', reqId: cmd.reqId, ok: false, code: 'bad-prompt', message: e.message, params: { case: 'char', char: e.char, position: e.position } })
        }
        return
      }
      case 'get-weights': {
        const model = this.model
        if (!model) {
          this.post({ type: 'reply', reqId: cmd.reqId, ok: false, code: 'no-model', message: 'there is no model yet: train one or load weights first' })
          return
        }
        const { value, transfer } = this.checkpoint(model)
        this.post({ type: 'reply', reqId: cmd.reqId, ok: true, value }, transfer)
        return
      }
      case 'load-model': {
        if (this.isRunning()) {
          this.post({ type: 'reply', reqId: cmd.reqId, ok: false, code: 'busy', message: 'a training run is in progress: stop it before loading another model' })
          return
        }
        // the old model's engine memory goes first, so this one's buffers reuse its blocks; on a refusal it comes back
        const backup = this.dropModel()
        let model: Sequential | null = null
        try {
          model = Sequential.fromSpec(cmd.spec, new Rng(0))
          model.loadWeights(cmd.weights)
        } catch (e) {
          model?.release()
          if (backup) this.restore(backup)
          throw e
        }
        this.model = model
        this.feed?.modelChanged()
        this.modelTrainer = null
        this.vocab = cmd.vocab ? vocabFromChars(cmd.vocab) : null
        this.loadedOptimizer = cmd.optimizer ?? null
        this.post({ type: 'reply', reqId: cmd.reqId, ok: true, value: { params: model.paramCount } })
        return
      }
      case 'autosave': {
        const kept = this.kept
        if (!kept || kept.runId !== cmd.runId || kept.epoch !== cmd.epoch) {
          this.post({ type: 'reply', reqId: cmd.reqId, ok: true, value: { written: false } })
          return
        }
        this.kept = null
        const { spec, weights, optimizer, vocab } = kept.checkpoint
        const bytes = writeProjectFileSync(cmd.path, { ...cmd.project, spec, weights, ...(optimizer ? { optimizer } : {}), ...(vocab ? { vocab } : {}) })
        this.post({ type: 'reply', reqId: cmd.reqId, ok: true, value: { written: true, bytes } })
        return
      }
      case 'gradcheck': {
        if (!this.opts.gradcheck) {
          this.post({ type: 'reply', reqId: cmd.reqId, ok: false, code: 'unavailable', message: 'gradient checking is not available in this build' })
          return
        }
        this.post({ type: 'reply', reqId: cmd.reqId, ok: true, value: this.opts.gradcheck(cmd.spec, cmd.seed, cmd.explain) })
        return
      }
      default: {
        const never: never = cmd
        throw new Error(`unhandled command ${JSON.stringify(never)}`)
      }
    }
  }

  /** The model if it is an autoencoder; otherwise answers request `reqId` with why not (`only … {can}`) and gives null. */
  private autoencoder(reqId: number, can: string): Sequential | null {
    const model = this.model
    if (!model) {
      this.post({ type: 'reply', reqId, ok: false, code: 'no-model', message: 'there is no model yet: train one or load weights first' })
      return null
    }
    if (!findBottleneck(model)) {
      this.post({ type: 'reply', reqId, ok: false, code: 'not-autoencoder', message: `this model is not an autoencoder: only a network with task "reconstruct" ${can}` })
      return null
    }
    return model
  }

  /** Copies of the model's weights (and its trainer's optimizer state), with the buffers to transfer. */
  private checkpoint(model: Sequential): { value: Checkpoint; transfer: ArrayBuffer[] } {
    const weights = model.weights()
    const value: Checkpoint = { spec: model.spec, weights: Object.fromEntries(Object.entries(weights).map(([k, t]) => [k, { shape: [...t.shape], data: t.data }])) }
    const transfer = Object.values(weights).map((t) => t.data.buffer as ArrayBuffer)
    if (this.vocab) value.vocab = [...this.vocab.chars]
    const trainer = this.modelTrainer
    if (trainer && trainer.model === model) {
      const state = trainer.optimizer.state()
      value.optimizer = { name: trainer.optimizer.name, state }
      for (const a of Object.values(state)) transfer.push(a.buffer as ArrayBuffer)
    } else if (this.loadedOptimizer) {
      // the optimizer state that came with a loaded model (a project; a model the host moved to a thread of
      // another priority), copied: a run from the model still starts from it
      const { name, state } = this.loadedOptimizer
      const copy = Object.fromEntries(Object.entries(state).map(([k, a]) => [k, a.slice()]))
      value.optimizer = { name, state: copy }
      for (const a of Object.values(copy)) transfer.push(a.buffer as ArrayBuffer)
    }
    return { value, transfer }
  }

  /**
   * Drops the current model before another replaces it and gives its engine memory back at once: its parameters,
   * gradients and layers' workspaces, and the optimizer state and data-parallel buffers of the run that trained it
   * (Trainer.release). Otherwise those blocks stay taken until the garbage collector notices, which it may not
   * before the next model is built: after a big run the next model's weights landed outside engine memory and a
   * two-thread run after it had to copy them. Returns a copy to put it back with (restore) if the next model never
   * comes (`keepCopy` false: none, the model is meant to go). Nothing reads the released buffers afterwards: the session forgets the model and its trainer, the
   * inference feed writes only the current model's weights (InferenceFeed.poll), and a released model refuses to run.
   */
  private dropModel(keepCopy = true): Backup | null {
    const model = this.model
    let backup: Backup | null = null
    if (model && keepCopy) {
      const trainer = this.modelTrainer
      const optimizer = trainer && trainer.model === model ? { name: trainer.optimizer.name, state: trainer.optimizer.state() } : this.loadedOptimizer
      backup = { spec: model.spec, weights: model.weights(), optimizer, vocab: this.vocab }
    }
    const trainer = this.trainer !== null && !this.isRunning() ? this.trainer : null
    if (trainer) this.trainer = null
    this.model = null
    this.modelTrainer = null
    this.loadedOptimizer = null
    trainer?.release()
    model?.release()
    return backup
  }

  /** Puts back a model dropModel dropped (from its copy), when the model meant to replace it did not come. */
  private restore(b: Backup): void {
    if (this.model !== null) return
    const model = Sequential.fromSpec(b.spec, new Rng(0))
    model.loadWeights(b.weights)
    this.model = model
    this.loadedOptimizer = b.optimizer
    this.vocab = b.vocab
    this.feed?.modelChanged()
  }

  /** Answers the requests that waited while a start swapped the model (awaitingModel), with the model now in place. */
  private answerWaiting(): void {
    const waiting = this.awaitingModel
    this.awaitingModel = null
    for (const m of waiting ?? []) this.handle(m)
  }

  private isRunning(): boolean {
    return this.trainer !== null && (this.trainer.state === 'running' || this.trainer.state === 'paused')
  }

  private active(what: string): Trainer | null {
    if (this.trainer && this.isRunning()) return this.trainer
    this.post({ type: 'error', runId: this.runId, code: 'no-run', message: `"${what}" needs a training run in progress; start one first` })
    return null
  }

  /** What a run continuing from the current model starts with (copies, taken before anything changes). */
  private continuation(): Continuation | null {
    const model = this.model
    if (!model) return null
    const weights: Record<string, Float32Array> = {}
    for (const [k, t] of Object.entries(model.weights())) weights[k] = t.data
    const optimizer = this.modelTrainer && this.modelTrainer.model === model
      ? { name: this.modelTrainer.optimizer.name, state: this.modelTrainer.optimizer.state() }
      : this.loadedOptimizer
    return { weights, optimizer: optimizer ?? null }
  }

  private start(runId: string, spec: NetSpec, settings: TrainSettings, weights?: Record<string, Float32Array>, from: Continuation | null = null): void {
    // A new run replaces the old one: stop it first so only one trainer ever touches the kernels.
    const previous = this.isRunning() ? this.trainer : null
    previous?.stop()
    const before = this.running
    const starting = { pause: false, stop: false, lr: null as number | null }
    this.starting = starting
    this.runId = runId
    this.running = (async () => {
      await before
      if (this.starting !== starting) return // replaced by a newer start before it began
      let pool: DataParallel | null = null
      this.points = []
      this.lastSnapshot = -Infinity
      // how far the run got: a failure says which step it was, so the page can say what to change
      let stage: StartStage = 'data'
      // the model this run replaces, put back if the run fails before its own model takes over; and that model
      let backup: Backup | null = null
      let built: Trainer | null = null
      const putBack = (): void => {
        const b = backup
        backup = null
        if (!b) return
        try {
          this.restore(b)
        } catch {
          // no room even for the old model (a start that failed for want of memory): the session then holds none,
          // as after a refused load, and the run's own failure is still said below rather than lost in this one
        }
      }
      try {
        // the learner's drawings join the training examples the size kept (data/train-size.ts), not the other way round
        const data = withExtra(withTrainSize(this.opts.loadData(settings.data, settings.testFraction, spec), settings.trainSize, settings.batchSize), settings.extra)
        stage = 'setup'
        // the old model's engine memory goes before the new model is built, so the new one's buffers reuse its blocks
        backup = this.dropModel()
        this.awaitingModel = []
        const trainer = new Trainer({ spec: specForData(spec, data), settings, data, weights, keepEveryMs: this.opts.keepEveryMs ?? KEEP_EVERY_MS }, (e) => this.onTrainerEvent(runId, e))
        if (from) continueFrom(trainer, from)
        if (this.probe) {
          try {
            trainer.setProbe(this.probe)
          } catch {
            // A probe drawn for another input shape: this run shows its first held-out example instead.
          }
        }
        // stateful training carries the state on one thread (the trainer would leave replicas idle)
        const threads = this.opts.replicaEntry && settings.stateful !== true ? settings.threads : 1
        stage = 'threads'
        built = trainer
        pool = await startThreads(trainer, threads, this.opts.replicaEntry ?? '')
        stage = 'training'
        if (this.starting !== starting) {
          putBack()
          this.answerWaiting()
          return
        }
        built = null
        this.heldBefore = backup ? { runId, backup } : null
        backup = null
        this.trainer = trainer
        this.model = trainer.model
        this.feed?.modelChanged()
        this.modelTrainer = trainer
        this.vocab = data.chars ? vocabFromChars(data.chars) : null
        this.starting = null
        if (starting.lr !== null) trainer.setLr(starting.lr)
        const done = trainer.run()
        if (starting.stop) trainer.stop()
        else if (starting.pause) trainer.pause()
        // only now, with the run under way (run() is 'running' before its first await): a load-model or drop-model
        // that waited is then refused or ignored as during any run, where before the run it released this trainer
        this.answerWaiting()
        await done
        this.flush(runId)
        this.flushSnapshot(runId)
      } catch (e) {
        if (this.starting === starting) this.starting = null
        putBack()
        this.answerWaiting()
        this.flush(runId)
        // a refusal of the data, or a run out of engine memory, names its facts (the page words them); anything else its text
        const facts = e instanceof DataMismatchError ? e.facts : memoryFacts(e) ?? {}
        this.post({ type: 'error', runId, code: 'train-failed', message: errorMessage(e), params: { detail: errorMessage(e), stage, ...facts } })
        this.post({ type: 'state', runId, state: 'failed', message: errorMessage(e) })
      } finally {
        if (this.heldBefore?.runId === runId) this.heldBefore = null
        await pool?.close()
        // a trainer built but never run (the start failed or was replaced): its blocks too, once its pool is closed
        built?.release()
        // a diverged run whose model was not kept (the one before it, or none, is held): the same
        const orphan = this.orphan
        if (orphan) {
          this.orphan = null
          if (this.trainer === orphan) this.trainer = null
          orphan.release()
        }
        // what this thread's memory keeps now that the run's threads have stopped, for the host to judge whether a
        // fresh thread should take the model (train/retire.ts); not when another start has begun meanwhile
        if (this.opts.reportMemory === true && this.starting === null && !this.isRunning()) this.tellMemory(runId)
      }
    })()
  }

  /** The 'memory' event after run `runId`: the engine memory this thread keeps and what its model needs of it. */
  private tellMemory(runId: string): void {
    const mem = engineMemory()
    if (mem === null) return
    this.post({ type: 'memory', runId, touched: mem.touchedBytes, held: this.heldBytes() })
  }

  /**
   * The engine memory the held model needs (train/retire.ts heldBytes), asked of the model and of the optimizer state
   * that goes with it (its trainer's, or the state loaded with it): what a fresh thread taking it would touch again.
   */
  private heldBytes(): number {
    const model = this.model
    if (!model) return 0
    let grads = 0
    for (const g of model.grads) grads += g.data.length
    let optimizer = 0
    if (this.modelTrainer && this.modelTrainer.model === model) optimizer = this.modelTrainer.optimizer.stateValues()
    else if (this.loadedOptimizer) for (const [k, a] of Object.entries(this.loadedOptimizer.state)) if (k.includes('.')) optimizer += a.length
    return heldBytes({ params: model.paramCount, grads, optimizer })
  }

  private onTrainerEvent(runId: string, e: TrainerEvent): void {
    switch (e.type) {
      case 'batch':
        // the run has weights of its own worth keeping: the copy of the model before it is no longer needed
        if (this.heldBefore && this.trainer?.hasKept) this.heldBefore = null
        this.points.push(e.point)
        if (this.now() - this.lastFlush >= this.flushMs) this.flush(runId)
        else this.armFlush(runId)
        return
      case 'epoch':
        this.flush(runId)
        this.post({ type: 'epoch', runId, report: e.report })
        // Kept between batches, so the weights are exactly those at the end of this epoch; the host's
        // 'autosave' writes them from this thread (train/autosave.ts).
        if (this.checkpoints && this.model) {
          this.kept = { runId, epoch: e.report.epoch, checkpoint: this.checkpoint(this.model).value }
          this.post({ type: 'checkpoint', runId, epoch: e.report.epoch })
        }
        return
      case 'snapshot':
        this.pendingSnapshot = e.snapshot
        if (this.now() - this.lastSnapshot >= this.snapMs) this.flushSnapshot(runId)
        return
      case 'state':
        this.flush(runId)
        if (e.state !== 'running') this.flushSnapshot(runId)
        this.post(e.message === undefined ? { type: 'state', runId, state: e.state } : { type: 'state', runId, state: e.state, message: e.message })
        return
      case 'diverged': {
        this.flush(runId)
        const kept = this.afterDivergence(runId, e.kept)
        this.post({ type: 'error', runId, code: 'diverged', message: `${e.message}; ${describeKept(kept)}`, divergence: { ...e.facts, kept } })
        return
      }
      default: {
        const never: never = e
        throw new Error(`unhandled trainer event ${JSON.stringify(never)}`)
      }
    }
  }

  /**
   * Which model the session holds after run `runId` diverged: the run's last good weights when it kept some (the
   * trainer has put them back into its model), else the model held before the run, else none. The optimizer state
   * of the diverging steps goes with neither: export, save and a run from the model see no optimizer state (a
   * model put back has its own, from its copy). A diverged model that is not kept is given back once the run's
   * threads have stopped (start()); until then nothing reads it, as the session no longer names it.
   */
  private afterDivergence(runId: string, runKept: KeptAt | null): KeptModel {
    const trainer = this.trainer
    const before = this.heldBefore?.runId === runId ? this.heldBefore.backup : null
    this.heldBefore = null
    this.modelTrainer = null
    this.loadedOptimizer = null
    if (runKept) {
      // the same model object, its weights written back: the inference thread gets them afresh
      this.feed?.modelChanged()
      return { from: 'run', ...runKept }
    }
    if (trainer && this.model === trainer.model) {
      this.model = null
      this.vocab = null
      this.orphan = trainer
    }
    if (before) {
      try {
        this.restore(before)
        return { from: 'before' }
      } catch {
        // no room for it beside the diverged run's blocks: nothing is held rather than the diverged weights
      }
    }
    this.feed?.modelChanged()
    return { from: 'none' }
  }

  /** A timer so the last points of a burst are not held back until the next batch. */
  private armFlush(runId: string): void {
    if (this.flushTimer !== null) return
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null
      this.flush(runId)
    }, this.flushMs)
  }

  private flush(runId: string): void {
    if (this.flushTimer !== null) {
      clearTimeout(this.flushTimer)
      this.flushTimer = null
    }
    this.lastFlush = this.now()
    if (this.points.length === 0) return
    const points = this.points
    this.points = []
    this.post({ type: 'batches', runId, points })
  }

  private flushSnapshot(runId: string): void {
    const s = this.pendingSnapshot
    if (!s) return
    this.pendingSnapshot = null
    this.lastSnapshot = this.now()
    this.post({ type: 'snapshot', runId, snapshot: s })
  }
}

/** The commands that wait while a start swaps the model (WorkerSession.awaitingModel). */
const MODEL_REQUESTS: ReadonlySet<WorkerCommand['type']> = new Set(['predict', 'get-weights', 'decode', 'ae-views', 'generate', 'load-model', 'drop-model'])

/** A dropped model's copy (session dropModel / restore): its weights, optimizer state and text's characters. */
interface Backup { spec: NetSpec; weights: Record<string, Tensor>; optimizer: Checkpoint['optimizer'] | null; vocab: CharVocab | null }

interface Continuation { weights: Record<string, Float32Array>; optimizer: Checkpoint['optimizer'] | null }

/**
 * Starts `trainer` from a previous model: each weight whose name and size still fit is copied (the
 * rest keep their fresh initialisation); the optimizer's moments carry over only when every weight
 * fit and the optimizer is the same, since they are stored per parameter position.
 */
function continueFrom(trainer: Trainer, from: Continuation): void {
  const fresh = trainer.model.weights()
  let all = true
  for (const [k, t] of Object.entries(fresh)) {
    const old = from.weights[k]
    if (old && old.length === t.data.length) t.data.set(old)
    else all = false
  }
  if (Object.keys(from.weights).length !== Object.keys(fresh).length) all = false
  trainer.model.loadWeights(fresh)
  if (all && from.optimizer && from.optimizer.name === trainer.optimizer.name) trainer.optimizer.loadState(from.optimizer.state)
}
