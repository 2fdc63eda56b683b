/**
 * Trainer: epochs of seeded, shuffled mini-batches, a held-out evaluation after each epoch, and
 * events for every batch and epoch. The work is a generator that yields after every unit (a
 * training batch or an evaluation chunk); run() drives it and awaits the event loop in between,
 * so pause / resume / stop / step / set-lr sent meanwhile are honoured within one batch.
 * The same seed, data and thread count give the same numbers, bit for bit.
 */
import { Rng } from '../rng'
import { tensor, type Tensor } from '../tensor'
import type { NetSpec } from '../spec-types'
import type { BatchPoint, EpochReport, OptimizerName, RunState, Snapshot } from '../protocol'
import { EpochRates } from './epoch-lr'
import { epochOrder, makeBatches, type Dataset } from '../data/dataset'
import { asExamples, type Examples } from './examples'
import { Sequential, type WeightValue } from '../models/sequential'
import type { Layer } from '../layers/layer'
import { makeOptimizer, type Optimizer } from '../optimizers'
import { clipGrads } from '../optimizers/clip-grads'
import { DivergenceWatch, describeDivergence, divergenceFacts, type DivergenceFacts } from './divergence'
import { LastGood, type KeptAt } from './last-good'
import { takeSnapshot } from './probes'
import { AutoencoderProbe, findBottleneck } from '../models/autoencoder'
import { releaseBlocks } from '../models/release'
import { evaluate } from './evaluate'
import { correctCounter } from './metrics'
import { checkData, checkSettings } from './checks'
import { TRAIN_SAMPLE, sampleRows, subsetExamples } from './train-sample'
import { aside } from '../models/recurrent-state'
import type { DataParallel } from './data-parallel'

export { countCorrect } from './metrics'

interface Recurrent extends Layer { stateful: boolean; resetState(): void }
const isRecurrent = (l: Layer): l is Recurrent => 'stateful' in l && typeof (l as Partial<Recurrent>).resetState === 'function'

export interface TrainerSettings {
  optimizer: OptimizerName
  lr: number
  batchSize: number
  epochs: number
  weightDecay?: number
  seed: number
  /** Gradient clipping by global norm (0 or absent = off). */
  clip?: number
  /**
   * Language models: truncated backpropagation through time with carried state (book 2). The text is
   * read in order, in batchSize lanes, and the recurrent layers carry h (and c) from one batch to the
   * next; gradients stop at the batch boundary. The state is reset at every epoch, and held-out
   * evaluation runs stateless. Runs on one thread. Default false: shuffled, independent windows.
   */
  stateful?: boolean
}

export interface TrainerOptions {
  spec: NetSpec
  settings: TrainerSettings
  /** Labelled images (Datasets) or any Examples (text windows for language models). */
  data: { train: Dataset | Examples; test: Dataset | Examples }
  /** Start from these weights instead of a fresh initialisation. */
  weights?: Record<string, WeightValue>
  /** Minimum time between snapshots during training (0 = none between epochs). Default 250 ms. */
  snapshotEveryMs?: number
  /**
   * Examples per evaluation chunk. Default: as many as this thread trains of a batch (the batch size; on several
   * threads, its own slice), so that evaluation reuses the training's engine-memory blocks (evalChunk).
   */
  evalBatch?: number
  /** Clock in ms (tests may inject one). */
  now?: () => number
  /**
   * Keep the run's last good weights, copied at most this often (ms), and put them back if the run diverges
   * (last-good.ts; the worker's session). Absent: nothing is kept (the CLI writes no weights after a divergence).
   */
  keepEveryMs?: number
}

export type TrainerEvent =
  | { type: 'batch'; point: BatchPoint }
  | { type: 'epoch'; report: EpochReport }
  | { type: 'snapshot'; snapshot: Snapshot }
  | { type: 'state'; state: RunState; message?: string }
  /** `kept`: where the weights the model holds now come from (they were put back), or null (it holds the diverged ones). */
  | { type: 'diverged'; message: string; facts: DivergenceFacts; kept: KeptAt | null }

export interface TrainOutcome { state: 'done' | 'stopped' | 'failed'; reports: EpochReport[]; message?: string }

type Unit = 'batch' | 'eval'

export class Trainer {
  readonly model: Sequential
  readonly optimizer: Optimizer
  readonly settings: TrainerSettings
  state: RunState = 'idle'
  readonly reports: EpochReport[] = []

  readonly data: { train: Examples; test: Examples }
  private readonly shuffleRng: Rng
  private readonly now: () => number
  private readonly snapshotEveryMs: number
  private readonly evalBatch: number | undefined
  private readonly watch = new DivergenceWatch()
  /** The run's last good weights (keepEveryMs), or null. */
  private readonly lastGood: LastGood | null
  private firstLoss: number | null = null
  private probe: Float32Array | null
  private lastSnapshot = -Infinity
  private wake: (() => void) | null = null
  private stepsLeft = 0
  private stopRequested = false
  private failure: string | null = null
  /**
   * Wall seconds per training example, smoothed (Q2's G6): from one batch event to the next, so the gathering, the
   * snapshots, the yields and waits for a free core count, which the learner's clock counts too; paused time does
   * not, nor the held-out evaluation (timed on its own: evalSeconds). Shown inverted as examples per second.
   */
  private secondsPerExample = 0
  /** Wall seconds of the last held-out evaluation, null before the first. */
  private evalSeconds: number | null = null
  private pausedMs = 0
  private pausedAt: number | null = null
  private parallel: DataParallel | null = null
  /** Autoencoders: the reconstruction row and code plane of each snapshot (null for other tasks). */
  private aeProbe: AutoencoderProbe | null = null
  private lastCodes = -Infinity
  /** Each recurrent layer's own stateful flag (from its spec), restored after stateful training. */
  private specModes: Map<Layer, boolean> | null = null
  /** Counts a batch's right answers by the loss layer's rule (a yes/no classifier's one output by its threshold: metrics.ts). */
  private readonly countCorrect: (scores: Tensor, t: Tensor) => number
  /** The training examples measured after every epoch as the held-out ones are (train-sample.ts), or null (autoencoders). */
  private readonly trainSample: Examples | null

  constructor(opts: TrainerOptions, private readonly emit: (e: TrainerEvent) => void = () => {}) {
    const s = opts.settings
    checkSettings(s)
    const rng = new Rng(s.seed)
    // One stream per purpose, so adding a consumer of randomness in one place does not shift the others.
    const initRng = rng.fork()
    this.shuffleRng = rng.fork()
    const sampleRng = rng.fork()
    this.model = Sequential.fromSpec(opts.spec, initRng)
    if (!this.model.lossLayer) throw new Error('this network has no loss layer, so it cannot be trained: end it with SoftmaxWithLoss, MSE or SigmoidWithLoss')
    if (opts.weights) this.model.loadWeights(opts.weights)
    this.optimizer = makeOptimizer(s.optimizer, s.lr, { weightDecay: s.weightDecay ?? 0 })
    this.settings = { ...s }
    this.data = { train: asExamples(opts.data.train), test: asExamples(opts.data.test) }
    checkData(opts.spec, this.data)
    this.now = opts.now ?? (() => performance.now())
    this.snapshotEveryMs = opts.snapshotEveryMs ?? 250
    this.lastGood = opts.keepEveryMs === undefined ? null : new LastGood(this.model, this.now, opts.keepEveryMs)
    this.evalBatch = opts.evalBatch
    this.countCorrect = correctCounter(opts.spec.layers.at(-1)?.type)
    if (s.stateful) {
      if (!this.data.train.lanes) throw new Error('stateful training reads a text in order: it is for language models trained on a text')
      if (!this.model.layers.some(isRecurrent)) throw new Error('stateful training carries the state of recurrent layers, but this network has no TimeRNN or TimeLSTM')
    }
    // the same rows every epoch, chosen by the seed
    const { train } = this.data
    this.trainSample = this.hasClasses() && train.n > 0 ? subsetExamples(train, sampleRows(train.n, TRAIN_SAMPLE, sampleRng)) : null
    this.probe = this.data.test.n > 0 ? this.data.test.input(0) : null
    if (findBottleneck(this.model) && this.data.test.n > 0) this.aeProbe = new AutoencoderProbe(this.model, this.data.test)
  }

  /** Whether the run has kept weights of its own to put back if it diverges (last-good.ts). */
  get hasKept(): boolean {
    return this.lastGood?.at != null
  }

  /**
   * Splits every training batch across `dp`'s threads from now on (data-parallel; see
   * data-parallel.ts). Results are reproducible for a given seed and thread count.
   */
  useParallel(dp: DataParallel | null): void {
    // replicas keep no carried state of their own: stateful training stays on one thread
    this.parallel = this.settings.stateful ? null : dp
  }

  /**
   * Gives the engine-memory blocks of this trainer's model, optimizer state and data-parallel buffers back at
   * once, for a session that drops the model (session.ts). Only after the run has ended and its pool is closed;
   * the trainer, its model and its optimizer must not be used afterwards (the model refuses: Sequential.release).
   */
  release(): void {
    this.model.release()
    releaseBlocks(this.optimizer)
    this.parallel?.releaseBuffers()
  }

  /**
   * Runs to the end (or until stopped / diverged). Resolves with every epoch report; rejects with what a batch
   * threw (out of engine memory, a kernel thread's failure), which the caller words (session.ts). The trainer is
   * then over ('failed', without an event of its own: the caller says it): left 'running', the session would
   * refuse to load a model ('busy') and take pause or step for a run that no longer exists.
   */
  async run(): Promise<TrainOutcome> {
    try {
      return await this.loop()
    } catch (e) {
      this.state = 'failed'
      throw e
    } finally {
      // the copy is for a divergence during the run; once it has ended it is only memory
      this.lastGood?.drop()
    }
  }

  private async loop(): Promise<TrainOutcome> {
    const work = this.work()
    this.setState('running')
    this.snapshot(true)
    for (;;) {
      await this.gate()
      if (this.stopRequested) {
        this.setState('stopped')
        return { state: 'stopped', reports: this.reports }
      }
      const unit = work.next()
      if (unit.done) break
      if (this.failure !== null) {
        this.setState('failed', this.failure)
        return { state: 'failed', reports: this.reports, message: this.failure }
      }
      if (unit.value === 'batch') {
        this.snapshot(false)
        if (this.stepsLeft > 0 && --this.stepsLeft === 0) {
          if (this.state === 'paused') this.pausedAt = this.now()
          else this.pause()
        }
      }
    }
    this.snapshot(true)
    this.setState('done')
    return { state: 'done', reports: this.reports }
  }

  pause(): void {
    if (this.state !== 'running') return
    this.pausedAt = this.now()
    this.setState('paused')
  }

  resume(): void {
    if (this.state !== 'paused') return
    this.stepsLeft = 0
    this.unpause()
    this.setState('running')
  }

  /** Trains exactly one more batch, then pauses (from running: pauses after the current batch). */
  step(): void {
    if (this.state === 'paused') {
      // The state stays 'paused': the driver runs one batch and waits again.
      this.stepsLeft = 1
      this.unpause()
    } else if (this.state === 'running') {
      this.stepsLeft = 1
    }
  }

  stop(): void {
    this.stopRequested = true
    this.unpause()
  }

  /** Changes the learning rate from the next batch on. */
  setLr(lr: number): void {
    if (!(lr > 0 && Number.isFinite(lr))) throw new Error(`the learning rate must be a positive number, got ${lr}`)
    this.optimizer.lr = lr
    this.settings.lr = lr
  }

  /** The example whose feature maps snapshots show (spec.input shaped, one example). */
  setProbe(input: Float32Array): void {
    this.model.inputTensor(input, 1)
    this.probe = input.slice()
  }

  /** The generator behind run(): yields after each training batch and each evaluation chunk. */
  *work(): Generator<Unit, void, void> {
    const { train, test } = this.data
    const B = this.settings.batchSize
    // when the replicas start the next batch during this one's update (DataParallel.startsAhead: SGD and Adam, and
    // the update on the threads), it is gathered before that update (trainBatch), into a second full-batch buffer
    const ahead = this.splitUpdate()?.startsAhead(this.optimizer) === true
    const full = ahead ? [train.alloc(B), train.alloc(B)] : [train.alloc(B)]
    for (let epoch = 1; epoch <= this.settings.epochs; epoch++) {
      const started = this.now()
      this.pausedMs = 0
      const stateful = this.settings.stateful === true && train.lanes !== undefined
      const batches = stateful ? train.lanes!(B) : makeBatches(epochOrder(train.n, this.shuffleRng), B)
      if (stateful) this.carryState(true)
      let lossSum = 0
      let correct = 0
      let seen = 0
      let targets = 0
      const rates = new EpochRates()
      /** Batch i of the epoch, gathered into its full-batch buffer (or a buffer of its own when shorter). */
      const gatherBatch = (i: number): { x: Tensor; t: Tensor } => {
        const ix = batches[i]
        const into = ix.length === B ? full[i % full.length] : train.alloc(ix.length)
        train.gather(ix, into.x, into.t)
        return into
      }
      let gathered: { x: Tensor; t: Tensor } | null = null
      // where the last batch's wall interval ended, and the paused time by then
      let since = this.now()
      let pausedSince = this.pausedMs
      for (let b = 0; b < batches.length; b++) {
        const ix = batches[b]
        const { x, t } = gathered ?? gatherBatch(b)
        // the next batch of the epoch now, when the replicas start it during this one's update
        gathered = ahead && b + 1 < batches.length ? gatherBatch(b + 1) : null
        const next = gathered === null ? undefined : { x: this.model.inputTensor(gathered.x.data, batches[b + 1].length), t: gathered.t }
        rates.use(this.optimizer.lr)
        const res = this.trainBatch(this.model.inputTensor(x.data, ix.length), t, epoch, b + 1, next)
        if (res === null) {
          yield 'batch'
          return
        }
        lossSum += res.loss * ix.length
        correct += res.correct
        seen += ix.length
        targets += t.data.length
        const at = this.now()
        const perExample = Math.max(1e-3, (at - since - (this.pausedMs - pausedSince)) / 1000) / ix.length
        since = at
        pausedSince = this.pausedMs
        // seconds are smoothed, not rates: a mean of rates leans towards the fast batches
        this.secondsPerExample = this.secondsPerExample === 0 ? perExample : 0.9 * this.secondsPerExample + 0.1 * perExample
        const examplesPerSec = 1 / this.secondsPerExample
        // before the first evaluation, an estimate: a forward pass is about a third of a training step
        const evalSeconds = this.evalSeconds ?? ((test.n + (this.trainSample?.n ?? 0)) * this.secondsPerExample) / 3
        this.emit({ type: 'batch', point: { epoch, batch: b + 1, batches: batches.length, loss: res.loss, examplesPerSec, evalSeconds } })
        yield 'batch'
      }
      if (stateful) this.carryState(false)
      // the held-out windows start from zero state, and the next epoch's batches do not go on from theirs: a layer
      // stateful by its own spec (the editor's checkbox) in a run that is not would carry h across, since the chunks
      // are of the batch's size (evalChunk)
      this.resetRecurrent()
      const evalStart = this.now()
      const pausedBeforeEval = this.pausedMs
      const chunk = this.evalChunk()
      const dp = this.evalPool(chunk)
      const ev = yield* evaluate(this.model, test, chunk, dp && ((m, x, t, n, w) => dp.evaluate(m, x, t, n, w)))
      this.resetRecurrent()
      // the training examples' accuracy measured the same way, with the same chunks (train-sample.ts)
      const trainEval = this.trainSample === null ? null : (yield* evaluate(this.model, this.trainSample, chunk, dp && ((m, x, t, n, w) => dp.evaluate(m, x, t, n, w)))).acc
      this.resetRecurrent()
      this.evalSeconds = Math.max(0, this.now() - evalStart - (this.pausedMs - pausedBeforeEval)) / 1000
      const report: EpochReport = {
        epoch,
        trainLoss: lossSum / seen,
        trainAcc: this.hasClasses() ? correct / targets : null,
        trainEvalAcc: trainEval,
        testLoss: ev.loss,
        testAcc: ev.acc,
        seconds: (this.now() - started - this.pausedMs) / 1000,
        ...rates.report()
      }
      if (this.model.spec.task === 'language-model') report.perplexity = Math.exp(ev.loss)
      if (!this.hasClasses()) {
        report.reconstructionLoss = ev.loss
        if (ev.mse !== undefined) report.reconstructionMse = ev.mse
      }
      if (ev.confusion) report.confusion = ev.confusion
      if (ev.confidentWrong) report.confidentWrong = ev.confidentWrong
      this.reports.push(report)
      this.emit({ type: 'epoch', report })
    }
  }

  /** One forward/backward/update; null when the loss diverged (this.failure says why). */
  private trainBatch(x: Tensor, t: Tensor, epoch: number, batch: number, next?: { x: Tensor; t: Tensor }): { loss: number; correct: number } | null {
    const lossLayer = this.model.lossLayer
    if (!lossLayer) throw new Error('this network has no loss layer: end it with SoftmaxWithLoss, MSE or SigmoidWithLoss to train it')
    const classify = this.hasClasses()
    const countCorrect = this.countCorrect
    let loss: number
    let correct: number
    if (this.parallel) {
      // the gradients stay with the threads until the update below combines them
      const r = this.parallel.forwardBackward(this.model, x, t, (sc, xx, tt) => (classify ? tt : tensor(sc.shape, xx.data)), classify ? countCorrect : () => 0)
      loss = r.loss
      correct = r.correct
    } else {
      const scores = this.model.forward(x, true)
      loss = lossLayer.forward(scores, classify ? t : tensor(scores.shape, x.data))
      correct = classify ? countCorrect(scores, t) : 0
    }
    const d = this.watch.check(loss)
    if (this.firstLoss === null && Number.isFinite(loss)) this.firstLoss = loss
    if (d) {
      const s = this.settings
      const facts = divergenceFacts(d, epoch, batch, s.optimizer, s.lr, this.firstLoss)
      this.failure = describeDivergence(facts)
      // the weights the diverging steps left are NaN or garbage: the last good ones go back in their place (the
      // threads are between steps: no replica reads the parameters now, and the update below never runs)
      const kept = this.lastGood?.restore() ?? null
      this.lastGood?.drop()
      this.emit({ type: 'diverged', message: this.failure, facts, kept })
      return null
    }
    // these weights gave a finite loss the watch let pass, before this batch's update changes them
    this.lastGood?.offer(epoch, batch, loss, this.firstLoss)
    const split = this.splitUpdate()
    if (split !== null) {
      // combining and the optimizer's update split across the threads, by parameter range
      split.update(this.model, this.optimizer, next)
      return { loss, correct }
    }
    const clip = this.settings.clip ?? 0
    if (this.parallel) this.parallel.combine(this.model)
    else this.model.backward()
    const grads = this.model.grads
    if (clip > 0) clipGrads(grads, clip)
    this.optimizer.update(this.model.params, grads)
    return { loss, correct }
  }

  /**
   * Examples per held-out evaluation chunk: evalBatch; on several threads a batch, which each thread evaluates its
   * slice of (evalPool); or as many as this thread's layers train of a batch. The engine
   * memory's free lists are by block size, so a chunk of another size (it was 500) cut blocks of its own beside the
   * batch's and kept them: most of the conv presets' memory (H9). A chunk of the batch's size reuses the batch's
   * blocks. The results do not depend on it: every example's scores are its own (inference-mode BatchNormalization
   * uses its running statistics, Dropout passes through), only the loss's chunk means are summed in other groups.
   * A batch size above the training examples trains batches of them all, so the chunk is of that many: one of the
   * batch size would cut blocks larger than any batch's (~100 MB more for the test's small ConvNet at 1,000 over 600).
   */
  private evalChunk(): number {
    const B = Math.min(this.settings.batchSize, Math.max(1, this.data.train.n))
    if (this.evalBatch === undefined && this.parallel?.evaluates(this.model, B)) return B
    return Math.max(1, this.evalBatch ?? this.parallel?.ownSlice(this.model, B) ?? B)
  }

  /** The pool that runs held-out chunks of `chunk` split across its threads as a batch of that many is (DataParallel.evaluate), or null. */
  private evalPool(chunk: number): DataParallel | null {
    return this.evalBatch === undefined && this.parallel?.evaluates(this.model, chunk) ? this.parallel : null
  }

  /** The pool that combines the gradients and updates (DataParallel.update), or null: one thread, or clipping, which needs the whole gradient first. */
  private splitUpdate(): DataParallel | null {
    return this.parallel !== null && !((this.settings.clip ?? 0) > 0) ? this.parallel : null
  }

  /** Forgets the state the recurrent layers carry (their mode unchanged). */
  private resetRecurrent(): void {
    for (const l of this.model.layers) if (isRecurrent(l)) l.resetState()
  }

  /** Stateful training: the recurrent layers carry state (on) or go back to their spec's mode (off); state is reset either way. */
  private carryState(on: boolean): void {
    for (const l of this.model.layers) {
      if (!isRecurrent(l)) continue
      this.specModes ??= new Map()
      if (!this.specModes.has(l)) this.specModes.set(l, l.stateful)
      l.stateful = on || this.specModes.get(l)!
      l.resetState()
    }
  }

  /** Classifiers and language models predict classes (labels, next tokens); autoencoders reconstruct x. */
  private hasClasses(): boolean {
    return this.model.spec.task !== 'reconstruct'
  }

  private snapshot(force: boolean): void {
    const t = this.now()
    if (!force && (this.snapshotEveryMs <= 0 || t - this.lastSnapshot < this.snapshotEveryMs)) return
    this.lastSnapshot = t
    const snapshot = takeSnapshot(this.model, this.probe)
    if (this.aeProbe) {
      // the code plane costs a forward pass over 1,000 digits: at most once a second, and always at the ends
      const withCodes = force || t - this.lastCodes >= 1000
      if (withCodes) this.lastCodes = t
      Object.assign(snapshot, aside(this.model, () => this.aeProbe!.take(withCodes)))
    }
    this.emit({ type: 'snapshot', snapshot })
  }

  private setState(state: RunState, message?: string): void {
    this.state = state
    this.emit(message === undefined ? { type: 'state', state } : { type: 'state', state, message })
  }

  /** Lets queued messages run, then waits while paused. */
  private async gate(): Promise<void> {
    await new Promise<void>((r) => setImmediate(r))
    while (this.state === 'paused' && this.stepsLeft === 0 && !this.stopRequested) {
      await new Promise<void>((r) => (this.wake = r))
    }
  }

  private unpause(): void {
    if (this.pausedAt !== null) this.pausedMs += this.now() - this.pausedAt
    this.pausedAt = null
    const w = this.wake
    this.wake = null
    w?.()
  }
}
