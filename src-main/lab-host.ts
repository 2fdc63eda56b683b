/**
 * LabHost: the main process's side of the engine. Plain Node (no Electron), so it runs the same under
 * Electron, the web shell and Vitest.
 *
 * It owns one training worker (worker_threads), turns contract requests into protocol commands,
 * correlates replies by reqId, throttles the worker's telemetry before it reaches a renderer
 * (batch points coalesced, snapshots at most every `snapshotIntervalMs`), fans events out to
 * listeners, and survives the worker dying: the run ends with an `error` event (code
 * 'worker-crashed') and the next `train:start` spawns a fresh worker.
 *
 * Every public method returns a Result; none throws.
 */
import { MessageChannel, Worker, type WorkerOptions } from 'node:worker_threads'
import { availableParallelism } from 'node:os'
import { randomBytes } from 'node:crypto'
import { existsSync, statSync } from 'node:fs'
import type { NetSpec, SpecReport } from '../src-engine/spec-types'
import type { CheckResult } from '../src-engine/train/gradcheck-run'
import type { BatchPoint, Checkpoint, DataSource, KeptModel, RunState, Snapshot, TrainingPriority, TrainSettings, WorkerCommand, WorkerEvent } from '../src-engine/protocol'
import type { AutoencoderViews, CurrentRun, DecodedImage, ExportedFile, GeneratedText, GradcheckReply, ExportFormat, LabEvent, LabError, LabErrorCode, PresetInfo, Prediction, Requests, Result } from './ipc/contract'
import { pureEngine, type PureEngine } from './engine-pure'
import { encodeModelWeights } from '../src-engine/io/safetensors'
import { exportOnnx } from '../src-engine/io/onnx'
import { encodeNpz } from '../src-engine/io/npz'
import { ProjectService, fileStem, tensorArrays, type AutosaveJob, type FileAccess } from './projects'
import { IDLE_ENV, NICE_ENV, SCHED_IDLE, threadPolicy } from '../src-engine/train/thread-priority'
import { startTrainingWorker } from './worker-relay'
import { SPARE_BYTES_LIMIT, worthRetiring } from '../src-engine/train/retire'
import { StarvationWatch, TICK_MS, type ThreadReading } from './cpu-watch'
import { withFileBytes } from './file-base64'
import { cleanDivergence } from './ipc/validate'
import { engineRefusal, errorText, isLabErrorCode, refuse } from './ipc/refuse'
import { idxFolderMessage, idxFolderProblem, idxFolderProblemAsync, idxImageSizes, idxLabelFacts, idxShapeProblem, inflateIdxFolder, type IdxFolderProblem } from './idx-classes'
import { idxSamples } from './probe-samples'
import { threadsOver } from '../src-engine/spec-lint'
import { num } from '../src-engine/spec-issues'
import { BUILTIN_TEXT_CHARS, textMinChars } from '../src-engine/data/text'
import { statefulLanesShort } from '../src-engine/data/text-lanes'
import { countKeptText, isKeptText, keptName, keptTextKnown, textsDir } from './file-store'

export type LabListener = (event: LabEvent) => void

export interface LabHostOptions {
  /** Path (or file URL) of the worker entry: the bundled `src-engine/worker`, or a test double. */
  workerPath: string | URL
  transport: 'electron' | 'web'
  version: string
  /** Extra options for `new Worker` (execArgv, resourceLimits…). */
  workerOptions?: WorkerOptions
  /**
   * How much lower than this thread's the training threads' CPU priority is (Linux nice steps; 0 =
   * the same). On a machine with no core to spare the scheduler then runs this event loop first
   * (src-engine/train/thread-priority.ts).
   */
  trainingNice?: number
  /**
   * Linux, with `trainingNice` > 0: the training threads also ask for the SCHED_IDLE policy (default
   * true; nice stays the fallback when chrt is missing or fails), so this thread takes a core from them
   * as soon as it wakes, where a niced thread could keep it to the end of its time slice.
   */
  trainingIdle?: boolean
  /**
   * Linux, with SCHED_IDLE training: tell the page (a `cpu` event) when a running run makes no progress
   * because other programs keep every core busy (cpu-watch.ts). Default true.
   */
  watchStarvation?: boolean
  /**
   * Tests: where the starvation watch reads the training threads' CPU times (default /proc, cpu-watch.ts),
   * its clock and how often it looks.
   */
  cpuWatch?: { read?: () => ThreadReading | null; now?: () => number; tickMs?: number }
  /** How long batch points are coalesced before one `batches` event goes out. */
  batchIntervalMs?: number
  /** Minimum gap between two `snapshot` events (250 ms → at most 4 per second). */
  snapshotIntervalMs?: number
  /** Time allowed for a worker reply (predict, get-weights…). */
  replyTimeoutMs?: number
  /** The engine's pure functions and data loader (tests may swap them). */
  engine?: Partial<PureEngine>
  /** Folder of the autosave (recovery.bplab) and the recent-projects list; absent = no autosave. */
  dataDir?: string
  /** The desktop's file dialogs; absent in the web shell (the page uploads and downloads). */
  files?: FileAccess
  /** The project reader thread's entry (bundled src-main/project-reader.ts); absent: projects are read on this thread. */
  projectReader?: string | URL
  /**
   * How many bytes of engine memory the training thread may keep, after a run, beyond what its model needs before a
   * fresh thread takes the model (retireIfSpare; default train/retire.ts SPARE_BYTES_LIMIT). Tests: 0 retires it after
   * every run, Infinity never.
   */
  spareMemoryBytes?: number
}

const ACTIVE: ReadonlySet<RunState> = new Set<RunState>(['running', 'paused', 'idle'])

/** An input the draw pad and the probe use: 28×28 grey levels. */
const IMAGE_SIZE = 784

interface Pending { resolve: (r: Result<unknown>) => void; timer: ReturnType<typeof setTimeout> }

const fail = refuse

/**
 * A run on more threads than its memory estimate allows (spec-lint.ts threadsOver: on more than one thread every
 * thread keeps its own weights and gradients), refused with the count that fits rather than left to a worker that runs
 * out of memory part-way through its first step; null when it fits. A stateful run trains on one thread (session.ts).
 * The sizes are grouped ("3,868 MB") as the page's words say them, since this English text shows when they cannot.
 */
export function refuseThreads(report: SpecReport, settings: TrainSettings): { ok: false; error: LabError } | null {
  const over = threadsOver(report.memoryBytes ?? 0, report.totalParams, settings.stateful === true ? 1 : settings.threads)
  if (!over) return null
  const { threads, needs, limit, fits } = over
  return fail('train-failed', `Training did not start: on ${threads} threads the network needs about ${num(needs)} MB (every thread keeps its own copy of the weights and their gradients), more than the ${num(limit)} MB limit; set threads to ${fits === 1 ? '1' : `${fits} or fewer`}.`, { case: 'threads', threads, needs, limit, fits }, 'settings.threads')
}

export class LabHost {
  private readonly opts: Required<Omit<LabHostOptions, 'workerOptions' | 'engine' | 'dataDir' | 'files' | 'cpuWatch' | 'projectReader'>> & Pick<LabHostOptions, 'workerOptions' | 'cpuWatch'>
  private readonly engine: PureEngine
  private readonly listeners = new Set<LabListener>()

  /** The live training worker. One the host ends itself (dispose, a priority move) is taken out of here
   *  first, so its exit is not reported as a crash (onWorkerGone hears only the live one). */
  private worker: Worker | null = null
  private runId: string | null = null
  private runState: RunState = 'idle'
  private probe: Float32Array | null = null
  /** The priority the live training worker was started at (its threads lowered themselves, or not). */
  private workerPriority: TrainingPriority = 'low'
  /** The priority the learner last asked for (setPriority, a run's settings, an opened project's): a worker
   *  started for anything else (opening a project, a gradient check) starts at it, so the next run need not move. */
  private wantedPriority: TrainingPriority = 'low'
  /** While the model moves to a worker of another priority (setPriority): requests wait for it. */
  private switching: Promise<unknown> | null = null
  /** The new worker of a move while it loads the model: if it dies, the move fails quietly (no crash event). */
  private incoming: Worker | null = null

  private nextReqId = 1
  private readonly pending = new Map<number, Pending>()
  /** The inference thread (predictions during training), tied to the training thread it gets weights from. */
  private infer: { worker: Worker; trainer: Worker; asked: Set<number>; ready: boolean } | null = null

  // Telemetry throttling.
  private batchRunId: string | null = null
  private batchPoints: BatchPoint[] = []
  private batchTimer: ReturnType<typeof setTimeout> | null = null
  private snapshotPending: { runId: string; snapshot: Snapshot } | null = null
  private snapshotTimer: ReturnType<typeof setTimeout> | null = null
  private lastSnapshotAt = -Infinity

  /** While a run is running under SCHED_IDLE: notices when other programs leave it no core. */
  private starvation: { runId: string; watch: StarvationWatch; timer: ReturnType<typeof setInterval> } | null = null

  private disposed = false
  private presetCache: PresetInfo[] | null = null
  /** load-model commands whose arrays the caller handed over (loadModel's handOver): moved to the thread, not copied
   *  (40 MB of weights copied held this thread ~100 ms). */
  private readonly handedOver = new WeakSet<WorkerCommand>()
  /** The cancel flags of the gradient checks asked for and not answered yet (gradcheck-run.ts polls them). */
  private readonly gradchecks = new Set<Int32Array>()
  /** The worker holds a model loaded from a file (open project, import weights), not from a run. */
  private modelLoaded = false
  /** The architecture of the model the worker holds for predict and export (model:held), and the current run's, which
   *  becomes it at the run's first batch (before, a run refused for its data has replaced nothing). */
  private held: NetSpec | null = null
  private runSpec: { runId: string; spec: NetSpec } | null = null
  /** What `held` was when run `runId` started: the thread puts that model back if the run diverges before it has
   *  weights of its own worth keeping (DivergenceFacts.kept 'before'). */
  private heldBefore: { runId: string; spec: NetSpec | null } | null = null
  /**
   * Controls pressed while train:start waits to start its run (an open settling, the model moving to a thread of the
   * run's priority: a thread's start and the model's copy) and no run is under way: the page offers Pause and Stop once
   * Start is sent, and they were refused with the last run's state ('done') while the new run then trained on. Kept
   * here and sent once the run has started, where the thread keeps them until the run is under way (session.ts
   * `starting`), as from start() on.
   */
  private startWaiting: { pause: boolean; stop: boolean; lr: number | null } | null = null
  /** What a page that did not start the current run needs to take it over (train:current), beside the autosave's history:
   *  its network and settings, the learning rate in force, its latest batch point and the last snapshot sent. */
  private live: { runId: string; spec: NetSpec; settings: TrainSettings; lr: number; lrChanges: { x: number; lr: number }[]; last: BatchPoint | null; snapshot: Snapshot | null } | null = null
  /** The model held came from loadModel (an opened project, imported weights), not from the last run: train:current
   *  does not call that run's model held (CurrentRun.modelHeld). A run's start clears it. */
  private heldLoaded = false
  /** Project files, weights import and the autosave (src-main/projects.ts). */
  readonly projects: ProjectService
  /** Where uploaded texts are kept (file-store.ts): a run naming one is judged by its counted length (refuseData). */
  private readonly textsDir: string

  constructor(options: LabHostOptions) {
    this.opts = {
      batchIntervalMs: 100,
      snapshotIntervalMs: 250,
      replyTimeoutMs: 30_000,
      trainingNice: 10,
      trainingIdle: true,
      watchStarvation: true,
      spareMemoryBytes: SPARE_BYTES_LIMIT,
      ...options
    }
    this.engine = { ...pureEngine, ...options.engine }
    this.projects = new ProjectService(this, {
      dataDir: options.dataDir ?? null, files: options.files, reader: options.projectReader,
      onAutosave: (runId, failed) => this.emit({ type: 'autosave', runId, failed })
    })
    this.textsDir = textsDir(options.dataDir ?? null)
  }

  // ── events ──────────────────────────────────────────────────────────────

  /** Subscribe to the (throttled) event stream; returns an unsubscribe. */
  onEvent(listener: LabListener): () => void {
    this.listeners.add(listener)
    return () => { this.listeners.delete(listener) }
  }

  private emit(event: LabEvent): void {
    this.projects.track(event)
    for (const l of [...this.listeners]) {
      try { l(event) } catch { /* a broken listener must not stop the others or the host */ }
    }
  }

  // ── requests ────────────────────────────────────────────────────────────

  info(): Result<Requests['app:info'][1]> {
    return {
      ok: true,
      value: { version: this.opts.version, transport: this.opts.transport, threads: availableParallelism(), platform: process.platform, priorityChoice: this.lowersPriority() }
    }
  }

  /**
   * Whether a 'low' run's threads run otherwise than a 'normal' run's (thread-priority.ts), so that the choice
   * does something: Linux only, with a nice step to take (trainingNice > 0), this thread not under SCHED_IDLE
   * itself (a 'normal' worker inherits it, and nice means nothing there), and either room for the nice step
   * (this thread is below nice 19) or SCHED_IDLE to ask for (trainingIdle). Otherwise 'low' is 'normal'.
   */
  private lowersPriority(): boolean {
    if (process.platform !== 'linux' || !this.lowersLow()) return false
    const self = threadPolicy('thread-self')
    return self !== null && self.policy !== SCHED_IDLE && (self.nice < 19 || this.opts.trainingIdle)
  }

  /** The architecture of the model held for predict and export, or null (model:held). */
  heldModel(): Result<{ spec: NetSpec } | null> {
    return { ok: true, value: this.worker && this.held ? { spec: this.held } : null }
  }

  /**
   * The classes an IDX folder's training labels use and the examples they label (data:idx-classes), or null when it has
   * none to read; with what Start would refuse about the folder (refuseData), which the page says beside its box.
   */
  async idxClasses(dir: string): Promise<Result<{ used: number; examples?: number; problem?: { message: string; facts: IdxFolderProblem }; images?: { file: string; height: number; width: number }[] } | null>> {
    // a gzipped file inflated to its end on Node's thread pool (data/idx-facts.ts), where a damaged one shows
    const problem = await idxFolderProblemAsync(dir)
    const facts = idxLabelFacts(dir)
    // the images' sizes, which the page holds against the editor's input (Start refuses a mismatch: refuseData)
    const images = problem ? [] : idxImageSizes(dir)
    if (!problem) return { ok: true, value: facts || images.length ? { ...(facts ?? { used: 0 }), ...(images.length ? { images } : {}) } : null }
    return { ok: true, value: { ...(facts ?? { used: 0 }), problem: { message: `Training would not start: ${idxFolderMessage(problem)}`, facts: problem } } }
  }

  presets(): Result<PresetInfo[]> {
    try {
      this.presetCache ??= this.engine.presets()
      return { ok: true, value: this.presetCache }
    } catch (e) {
      return fail('engine-error', `Could not list the presets: ${errorText(e)}`, { detail: errorText(e) })
    }
  }

  validate(spec: NetSpec): Result<SpecReport> {
    try {
      return { ok: true, value: this.engine.validateSpec(spec) }
    } catch (e) {
      return fail('engine-error', `Could not check the architecture: ${errorText(e)}`, { detail: errorText(e) })
    }
  }

  /**
   * train:start: a run at the priority its settings ask for. When the live worker runs at another, the
   * model first moves to a new worker at the run's priority (setPriority), so a continued run carries on
   * from the same weights and optimizer state.
   */
  async startRun(spec: NetSpec, settings: TrainSettings, fromModel = false, epochOffset?: number, xOffset?: number): Promise<Result<{ runId: string }>> {
    // one Start at a time: a second one asked for while the first waits (another window, a page whose Start came back)
    // took the controls pressed meanwhile for itself and was then refused, so a Pause was lost and the first run trained on
    if (this.startWaiting !== null) return fail('busy', 'A run is being started; stop it before starting another.', { case: 'start', state: 'idle' })
    const waiting = { pause: false, stop: false, lr: null as number | null }
    this.startWaiting = waiting
    try {
      // an open or import applying what it read goes first: its answer must not reach the page after the run has replaced its model
      await this.projects.settled()
      const busy = this.refuseBusy()
      if (busy) return busy
      // an uploaded text whose counts are not kept yet is counted now, a slice at a time (file-store.ts countKeptText),
      // so refuseData can judge it without decoding it on this thread; meanwhile the host answers other requests
      if (settings.data.kind === 'text' && settings.data.file !== 'builtin') await countKeptText(this.textsDir, settings.data.file)
      // an IDX folder's gzipped files are inflated on Node's thread pool first (data/idx-folder.ts), so refuseData
      // names a damaged one without inflating it on this thread
      if (settings.data.kind === 'idx' && settings.data.dir.trim() !== '') await inflateIdxFolder(settings.data.dir)
      // a run start() would refuse whatever the worker (an invalid spec, too many threads) is refused before the move:
      // moving the model to a new worker for nothing costs a thread's start and the model's copy
      const judged = this.judgeRun(spec, settings)
      if (!judged.ok) return judged
      const moved = await this.setPriority(settings.priority ?? 'low')
      // another run started while this one waited for a move: refused as a second run, not with the move's words
      if (!moved.ok) return (moved.error.code === 'busy' ? this.refuseBusy() : null) ?? moved
      if (this.startWaiting === waiting) this.startWaiting = null
      const started = this.start(spec, settings, fromModel, epochOffset, xOffset)
      if (started.ok) {
        if (waiting.lr !== null) this.setLr(waiting.lr)
        if (waiting.stop) this.stop()
        else if (waiting.pause) this.pause()
      }
      return started
    } finally {
      if (this.startWaiting === waiting) this.startWaiting = null
    }
  }

  /**
   * Starts a run on the current worker (spawning one at the run's priority if needed). One run at a time;
   * refused when the live worker runs at another priority than the run's (startRun moves it first). An epochOffset,
   * even 0, makes it a continuation of the held model's run (ProjectService.runStarted).
   */
  start(spec: NetSpec, settings: TrainSettings, fromModel = false, epochOffset?: number, xOffset?: number): Result<{ runId: string }> {
    const busy = this.refuseBusy()
    if (busy) return busy
    const priority = settings.priority ?? 'low'
    if (this.switching || (this.worker && !this.samePriority(this.workerPriority, priority))) {
      return fail('busy', `The training thread runs at ${this.switching ? 'a priority being changed' : `${this.workerPriority} priority`}, not ${priority}: change it first (setPriority; train:start does).`, { case: 'priority' })
    }
    const judged = this.judgeRun(spec, settings)
    if (!judged.ok) return judged
    const worker = this.ensureWorker(priority)
    if (!worker.ok) return worker
    this.wantedPriority = priority
    this.flushTelemetry()
    // nothing held (a fresh worker, or forgotten: forgetModel): a run from the model starts afresh
    const fromHeld = fromModel && (this.runId !== null || this.modelLoaded)
    const runId = `run-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`
    this.runId = runId
    this.runState = 'idle'
    this.runSpec = { runId, spec }
    this.heldBefore = { runId, spec: this.held }
    this.live = { runId, spec, settings, lr: settings.lr, lrChanges: [], last: null, snapshot: null }
    this.heldLoaded = false
    this.projects.runStarted(runId, spec, settings, epochOffset, xOffset)
    this.post({ type: 'start', runId, spec, settings, ...(this.projects.autosaves ? { checkpoints: true } : {}), ...(fromHeld ? { fromModel: true } : {}) })
    if (this.probe) this.post({ type: 'set-probe', input: this.probe.slice() })
    return { ok: true, value: { runId } }
  }

  /**
   * The refusals of a run that need no worker: an architecture with errors (its first one, where it is) or more
   * threads than the network's memory fits (refuseThreads). The spec's report when neither applies.
   */
  private judgeRun(spec: NetSpec, settings: TrainSettings): Result<SpecReport> {
    let report: SpecReport
    try {
      report = this.engine.validateSpec(spec)
    } catch (e) {
      return fail('engine-error', `Could not check the architecture: ${errorText(e)}`, { detail: errorText(e) })
    }
    if (!report.ok) {
      const first = report.issues.find((i) => i.severity === 'error')
      const where = first && first.layer >= 0 ? `spec.layers.${first.layer}${first.field ? `.${first.field}` : ''}` : 'spec'
      const r = fail('invalid-spec', first ? first.message : 'The architecture has errors; fix them in the editor first.', undefined, where)
      if (first) r.error.issue = first
      return r
    }
    return refuseThreads(report, settings) ?? this.refuseData(spec, settings) ?? { ok: true, value: report }
  }

  /**
   * Data a run cannot start with that this thread can tell at once, refused before the run exists: the engine said it
   * only after Start, as a failed run whose detail was its English ("makeWindows: the text has 2 tokens, fewer than one
   * window of T+1 = 65", "ENOENT: no such file or directory") (Q1 F13). An IDX folder that is not there, or that lacks
   * one of its four files or holds one that does not start as IDX (data/idx-folder.ts, Q3 F12); a text too
   * short for one window of the input in both its parts (data/text.ts textMinChars), when its length is known here:
   * the built-in text's, an uploaded text's counted one. A stateful run whose text has fewer windows than its batch size
   * (data/text-lanes.ts, as the page judges it before Start). A path on this computer is read only by the engine, which
   * refuses a short one with the same facts (train/data.ts), a stateful one with its own sentence (train/examples.ts).
   */
  private refuseData(spec: NetSpec, settings: TrainSettings): { ok: false; error: LabError } | null {
    const data = settings.data
    if (data.kind === 'idx') {
      // no folder there, a file, a folder without the four IDX files or with one that is not IDX (its first bytes)
      // then images whose height × width is not the network's input (data/idx-folder.ts idxShapeProblem, Q4 B5)
      // a gzipped file as startRun's inflation found it (a run start() begins alone takes one not inflated on trust)
      const problem = data.dir.trim() === '' ? null : idxFolderProblem(data.dir, 'cached') ?? idxShapeProblem(data.dir, spec.input, spec.task)
      return problem && fail('train-failed', `Training did not start: ${idxFolderMessage(problem)}`, { ...problem }, 'settings.data.dir')
    }
    if (data.kind === 'text') {
      const gone = this.refuseTextGone(data.file)
      if (gone) return gone
    }
    if (data.kind !== 'text' || spec.task !== 'language-model' || spec.input.length !== 1) return null
    const T = spec.input[0]
    if (!(Number.isInteger(T) && T > 0)) return null
    // a kept text's counts as its facts file says them; none yet (start() called without startRun's count), or a path on
    // this computer: not judged here, and the engine, which reads the text, refuses it with the same facts
    const kept = data.file === 'builtin' ? null : keptTextKnown(this.textsDir, data.file)
    const chars = data.file === 'builtin' ? BUILTIN_TEXT_CHARS : kept !== null && kept !== 'uncounted' ? kept.chars : undefined
    if (chars === undefined) return null
    const needs = textMinChars(T)
    if (chars < needs) {
      return fail('train-failed', `Training did not start: the text has ${chars} characters, too few for an input of ${T}; a run needs at least ${needs} (a window of ${T + 1} to train on and one in the last tenth, held out to test). Use a longer text or a shorter input.`,
        { case: 'text', chars, needs, T, window: T + 1 }, 'settings.data.file')
    }
    // stateful: as many lanes of windows as the batch size (the page says so before Start, with the same function)
    const lanes = settings.stateful === true ? statefulLanesShort(chars, T, settings.batchSize) : null
    if (!lanes) return null
    return fail('train-failed', `Training did not start: stateful training cuts the text into ${lanes.B} lanes (the batch size), but the part it trains on has only ${lanes.windows} windows of ${T} characters. Lower the batch size to ${lanes.windows} or fewer, turn stateful training off, or use a text of at least ${lanes.needs} characters.`,
      { case: 'lanes', chars, ...lanes }, 'settings.batchSize')
  }

  /**
   * A text file that is not there at Start: an uploaded one the lab no longer keeps (removed, or deleted or moved out of
   * the data folder's texts/ after the page listed it), or a path on this computer with no file (a typo, a file moved).
   * The run failed after Start with Node's English ("ENOENT: no such file or directory, open …"). The built-in texts,
   * and a file that is there but cannot be read (its permissions), are the engine's to say.
   */
  private refuseTextGone(file: string): { ok: false; error: LabError } | null {
    // the path as the engine will open it, not trimmed
    const path = file
    if (path.trim() === '' || path === 'builtin' || path.startsWith('builtin:')) return null
    if (isKeptText(this.textsDir, path)) {
      if (existsSync(path)) return null
      const name = keptName(path, true)
      return fail('train-failed', `Training did not start: the lab no longer keeps the uploaded text ${name} (it was removed or moved); upload it again, or choose another text.`,
        { case: 'text-gone', name }, 'settings.data.file')
    }
    let there: boolean
    try {
      there = statSync(path).isFile()
    } catch (e) {
      // not there; unreadable folders on the way (EACCES) are the engine's to say, as it meets them
      there = (e as NodeJS.ErrnoException).code !== 'ENOENT' && (e as NodeJS.ErrnoException).code !== 'ENOTDIR'
    }
    if (there) return null
    return fail('train-failed', `Training did not start: there is no text file ${path} on the computer running the lab; check its path, upload the text, or choose the built-in text.`,
      { case: 'text-file', file: path }, 'settings.data.file')
  }

  private refuseBusy(): { ok: false; error: LabError } | null {
    if (this.disposed) return fail('closed', 'The lab is shutting down.')
    if (this.runId !== null && ACTIVE.has(this.runState)) {
      return fail('busy', `Run ${this.runId} is still ${this.runState}; stop it before starting another.`, { case: 'start', state: this.runState })
    }
    return null
  }

  /** Priorities that start the worker alike (when 'low' lowers nothing, it is 'normal': lowersLow). */
  private samePriority(a: TrainingPriority, b: TrainingPriority): boolean {
    return a === b || !this.lowersLow()
  }

  /**
   * Whether a 'low' worker's environment asks its threads to lower themselves (trainingWorkerOptions): there is a
   * nice step to take (trainingNice > 0) and an environment of its own to ask in (not SHARE_ENV).
   */
  private lowersLow(): boolean {
    return this.opts.trainingNice > 0 && typeof this.opts.workerOptions?.env !== 'symbol'
  }

  /**
   * Makes the training worker run at `priority`. A thread under SCHED_IDLE cannot leave it, and a 'normal' worker
   * has no relay thread (worker-relay.ts) to be lowered in place behind, so a worker at another priority is replaced: its model (weights, optimizer state, vocabulary) is taken out and
   * loaded into a new worker started at `priority`, then the old one ends; a run from the model
   * (train:start from 'model') continues from it. If the new worker cannot start or take the model, it
   * ends instead and the old one keeps the model and its priority ('worker-failed', case 'priority'). Autosaves still queued are written first (by the old worker, which
   * holds their checkpoints), so a crash meanwhile leaves the model recoverable as of the last epoch. Nothing happens when the worker
   * already runs at `priority` (or none is running yet: the next one starts at the run's). Only between
   * runs: refused while a run is running or paused.
   */
  async setPriority(priority: TrainingPriority): Promise<Result<{ priority: TrainingPriority; restarted: boolean }>> {
    await this.settled()
    // another request's move may have begun between settled's answer and now (two starts at once both found none
    // under way, and both moved the model, the second failing the first's requests): wait for it and look again
    if (this.switching) return this.setPriority(priority)
    if (this.disposed) return fail('closed', 'The lab is shutting down.')
    const w = this.worker
    if (w && !this.samePriority(this.workerPriority, priority) && this.isTraining()) {
      return fail('busy', `Run ${this.runId} is ${this.runState}: its training threads change priority only between runs; stop it first.`, { case: 'priority', state: this.runState })
    }
    this.wantedPriority = priority
    if (!w || this.samePriority(this.workerPriority, priority)) return { ok: true, value: { priority, restarted: false } }
    const moving = this.moveModel(w, priority, 'priority')
    this.switching = moving
    try {
      return await moving
    } finally {
      this.switching = null
    }
  }

  /**
   * After a run: when the training thread keeps far more engine memory than its model needs (train/retire.ts: a run
   * with big batches grew it, and a WebAssembly memory never shrinks), the model moves into a fresh thread at the same
   * priority, as for a change of priority (moveModel), and the old thread ends, giving its memory back to the system.
   * Requests meanwhile wait for the move (`switching`), as a train:start does. Nothing is said to the page: if the fresh
   * thread cannot take the model, the old one keeps it and its memory. Only between runs, on the thread that ran `runId`.
   */
  private retireIfSpare(w: Worker, m: Extract<WorkerEvent, { type: 'memory' }>): void {
    if (w !== this.worker || m.runId !== this.runId || this.disposed || this.switching || this.isTraining()) return
    if (!worthRetiring(m, this.opts.spareMemoryBytes)) return
    const moving = this.moveModel(w, this.workerPriority, 'memory')
    this.switching = moving
    const done = (): void => { if (this.switching === moving) this.switching = null }
    void moving.then(done, done)
  }

  /**
   * Moves the model out of the live thread `old` into a new one at `priority` (setPriority: `why` 'priority'; a thread
   * retired for its memory: 'memory'), then ends `old`. What the host says about the model (model:held, whether it was
   * loaded from a file) stays as it was: the same model is held, in another thread.
   */
  private async moveModel(old: Worker, priority: TrainingPriority, why: 'priority' | 'memory'): Promise<Result<{ priority: TrainingPriority; restarted: boolean }>> {
    const toWhere = why === 'priority' ? 'another priority' : 'a fresh thread'
    // the last epochs' checkpoints are in the old thread: their autosaves are written there first
    await this.projects.flushAutosave()
    const got = await this.fetchModel(true)
    if (!got.ok && got.error.code !== 'no-model') return got
    const model = got.ok ? got.value : null
    if (this.worker !== old || this.disposed) return fail('worker-crashed', `The training thread stopped while its model was being moved to ${toWhere}.`)
    const heldWas = { held: this.held, loaded: this.modelLoaded }
    // the old thread is set aside, not ended, until the new one holds the model: if that fails it stays
    const oldPriority = this.workerPriority
    let oldGone = false
    const onOldExit = (): void => { oldGone = true }
    old.once('exit', onOldExit)
    // requests still waiting for the old thread are answered; its exit meanwhile is no crash
    this.stopInference()
    this.unwatchStarvation()
    this.worker = null
    this.failPending('worker-crashed', why === 'priority' ? 'The training thread was replaced by one at another priority: ask again.' : 'The training thread was replaced by a fresh one: ask again.')
    const started = this.ensureWorker(priority)
    this.incoming = this.worker
    const loaded = started.ok && model
      ? await this.loadInto(model.spec, tensorArrays(model.weights), model.optimizer, model.vocab, true)
      : null
    this.incoming = null
    old.off('exit', onOldExit)
    const failed = !started.ok ? started : loaded && !loaded.ok ? loaded : null
    if (failed) {
      // the new thread could not take the model: it ends, and the old one keeps the model and its priority
      const fresh = this.worker as Worker | null
      this.worker = null
      if (fresh && fresh !== old) void fresh.terminate().catch(() => undefined)
      if (this.disposed || oldGone) {
        void old.terminate().catch(() => undefined)
        return failed
      }
      this.worker = old
      this.workerPriority = oldPriority
      if (why === 'memory') return fail('worker-failed', `A fresh training thread could not take the model (${failed.error.message}); it stays in the thread that trained it.`, { detail: failed.error.message })
      return fail('worker-failed', `The training thread at ${priority} priority could not take the model (${failed.error.message}); it stays in the thread at ${oldPriority} priority.`, { case: 'priority', detail: failed.error.message })
    }
    // loadInto called it a loaded model and named its architecture held: it is the model held before, moved
    this.held = heldWas.held
    this.modelLoaded = heldWas.loaded
    // Ended only once the new thread holds the model: a starved SCHED_IDLE thread runs its exit slowly, and
    // the new thread's start should not wait behind it.
    void old.terminate().catch(() => undefined)
    return { ok: true, value: { priority, restarted: true } }
  }

  // A run is 'idle' from train:start until the thread reports it running: its data loads and its threads start
  // meanwhile (0.1-1 s), while the page already offers Pause. The thread keeps a pause, resume, stop or lr sent then
  // and applies it once the run is under way (session.ts `starting`), so they are taken then too: a Pause pressed
  // 300 ms after Start was refused and the run trained on (Q1 F5). Step is not: the thread has no step for a run
  // not yet under way, and the page offers it only once the run is paused.
  pause(): Result<null> { return this.control({ type: 'pause' }, ['running', 'idle']) }
  resume(): Result<null> { return this.control({ type: 'resume' }, ['paused', 'idle']) }
  stop(): Result<null> { return this.control({ type: 'stop' }, ['running', 'paused', 'idle']) }
  step(): Result<null> { return this.control({ type: 'step' }, ['paused']) }
  setLr(lr: number): Result<null> {
    const r = this.control({ type: 'set-lr', lr }, ['running', 'paused', 'idle'])
    const live = this.live
    // (not while a start waits for its run: this is the last run's record, and the new run's takes the change)
    if (r.ok && live?.runId === this.runId && this.startWaiting === null) {
      live.lr = lr
      // where the page that asked marks it (Run.nowX): after the latest batch point it has heard
      const p = live.last
      if (live.lrChanges.length < 1000) live.lrChanges.push({ x: p ? (p.batches > 0 ? p.epoch - 1 + p.batch / p.batches : p.epoch) : 0, lr })
    }
    return r
  }

  /**
   * train:current: the latest run, its state and what it has reported so far, or null before any. A page loaded again
   * while it trains (F5 in the web shell, a renderer reloaded or come back after a crash) takes it over from this, and
   * its Pause, Stop and Start work again; the events after this answer carry the run on. Telemetry still waiting to go
   * out is sent first, so the answer holds every point sent before it.
   */
  currentRun(): Result<CurrentRun | null> {
    const live = this.live
    if (!live || live.runId !== this.runId) return { ok: true, value: null }
    this.flushTelemetry()
    const history = this.projects.history()
    return {
      ok: true,
      value: {
        runId: live.runId, state: this.runState, spec: live.spec, settings: live.settings, lr: live.lr, lrChanges: [...live.lrChanges],
        history: { ...history, currentId: live.runId }, stride: this.projects.curveStride(live.runId), last: live.last, snapshot: live.snapshot,
        // the model held is this run's: it trained at least one batch (runSpec cleared: held is its network), no thread
        // crash, divergence without kept weights or load replaced it since. A page loaded after the run ended lists it
        // then, with Continue (attach-run.ts; Q3's F6)
        modelHeld: this.worker !== null && this.held !== null && !this.heldLoaded && this.runSpec?.runId !== live.runId,
        // the page loaded again missed the 'autosave' event: its banner comes back (M31's note)
        autosaveFailed: this.projects.autosaveFailure
      }
    }
  }

  /**
   * train:forget-runs: an experiment cleared these runs from its page (run-queue.svelte.ts); they leave the history
   * that train:current and the autosave hand out too (Q5's F4: a reload brought them all back, mixed and renumbered
   * with the experiment's). The run this host trains or holds paused is never forgotten, whatever the page says.
   * Every page hears which were (the 'forgotten' event: a second window or tab drops them too), and the answer comes once
   * the autosave on disk no longer offers them back after a crash (ProjectService.forgetInAutosave's side file).
   */
  async forgetRuns(ids: readonly string[]): Promise<Result<{ forgotten: string[] }>> {
    const live = this.runState === 'running' || this.runState === 'paused' || this.runState === 'idle' ? this.runId : null
    const forgotten = this.projects.forgetRuns(ids, live)
    if (forgotten.length > 0) this.emit({ type: 'forgotten', runId: null, ids: forgotten })
    await this.projects.forgottenWritten()
    return { ok: true, value: { forgotten } }
  }

  /** Remembers the probe image (feature maps are drawn for it) and hands it to the worker. */
  setProbe(input: number[]): Result<null> {
    if (input.length !== IMAGE_SIZE) return fail('bad-payload', `The probe must have ${IMAGE_SIZE} values (28×28); got ${input.length}.`, { case: 'length', field: 'input', limit: IMAGE_SIZE, received: `${input.length}` }, 'input')
    this.probe = Float32Array.from(input)
    if (this.worker) this.post({ type: 'set-probe', input: this.probe.slice() })
    return { ok: true, value: null }
  }

  /**
   * Classifies one 28×28 image with the model of the latest run. While a run trains, the inference
   * thread answers (its copy of the weights is at most about a batch old), so the answer does not wait
   * for the training thread to finish its batch; otherwise, or if it cannot answer, the training thread.
   */
  async predict(input: ArrayLike<number>, maps = false): Promise<Result<Prediction>> {
    if (!this.worker || (this.runId === null && !this.modelLoaded)) {
      return fail('no-model', 'There is no trained model yet: start a training run first (a paused or finished run works).', { case: 'predict' })
    }
    const t0 = performance.now()
    // Started on the first prediction of any kind, so it holds the model by the time a run trains.
    const infer = this.inferenceThread()
    if (infer && this.runState === 'running') {
      const reqId = this.nextReqId++
      const reply = await this.askInference(infer, reqId, { type: 'predict', reqId, input: Float32Array.from(input), count: 1, maps })
      const pred = reply.ok ? toPrediction(reply.value, performance.now() - t0) : null
      if (pred) return { ok: true, value: pred }
      // no model there yet (the run is just starting), or the thread is gone: the training thread answers
    }
    const reqId = this.nextReqId++
    const reply = await this.ask(reqId, { type: 'predict', reqId, input: Float32Array.from(input), count: 1, maps })
    if (!reply.ok) return reply
    const pred = toPrediction(reply.value, performance.now() - t0)
    return pred ? { ok: true, value: pred } : fail('engine-error', 'The worker answered predict with something that is not a prediction.', { detail: 'predict' })
  }

  /**
   * The inference thread for the current training thread once it holds a model; started on first use
   * (until it has its model, the training thread answers). Null otherwise.
   */
  private inferenceThread(): Worker | null {
    const trainer = this.worker
    if (!trainer || this.disposed) return null
    if (this.infer?.trainer === trainer) return this.infer.ready ? this.infer.worker : null
    this.stopInference()
    let w: Worker | null = null
    try {
      // The training thread sends the model and fresh weights through this channel (train/inference.ts).
      const { port1, port2 } = new MessageChannel()
      w = new Worker(this.opts.workerPath, { ...this.opts.workerOptions, workerData: { role: 'infer', feed: port1 }, transferList: [port1] })
      const infer = { worker: w, trainer, asked: new Set<number>(), ready: false }
      w.on('message', (m: WorkerEvent) => {
        if (m?.type === 'ready') infer.ready = true
        if (m?.type !== 'reply' || !infer.asked.delete(m.reqId)) return
        this.settle(m)
      })
      const gone = (): void => {
        if (this.infer === infer) this.infer = null
        this.failInference(infer.asked)
      }
      w.on('error', gone)
      w.on('messageerror', gone)
      w.on('exit', gone)
      trainer.postMessage({ type: 'infer-port', port: port2 }, [port2])
      this.infer = infer
      return null
    } catch {
      // started but never given its feed (the port could not be sent): it would wait for it for the life of the lab
      if (w) void w.terminate().catch(() => undefined)
      return null
    }
  }

  private askInference(w: Worker, reqId: number, cmd: Extract<WorkerCommand, { type: 'predict' }>): Promise<Result<unknown>> {
    const asked = this.infer!.asked
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(reqId)
        asked.delete(reqId)
        resolve(fail('timeout', `The inference thread did not answer within ${this.opts.replyTimeoutMs / 1000} s.`, { seconds: this.opts.replyTimeoutMs / 1000 }))
      }, this.opts.replyTimeoutMs)
      this.pending.set(reqId, { resolve, timer })
      asked.add(reqId)
      try {
        w.postMessage(cmd, wholeBuffers([cmd.input]))
      } catch (e) {
        this.failInference(new Set([reqId]), errorText(e))
      }
    })
  }

  /** Answers the given inference requests with a failure (their callers then ask the training thread). */
  private failInference(ids: Set<number>, why = 'the inference thread stopped'): void {
    for (const id of ids) {
      const p = this.pending.get(id)
      if (!p) continue
      this.pending.delete(id)
      clearTimeout(p.timer)
      p.resolve(fail('worker-crashed', why))
    }
    ids.clear()
  }

  private stopInference(): void {
    const infer = this.infer
    if (!infer) return
    this.infer = null
    this.failInference(infer.asked)
    void infer.worker.terminate().catch(() => undefined)
  }

  /** Autoencoders: the image the model's decoder (the layers after the bottleneck) draws for one code. */
  async decode(code: number[]): Promise<Result<DecodedImage>> {
    if (!this.worker || (this.runId === null && !this.modelLoaded)) {
      return fail('no-model', 'There is no trained model yet: train an autoencoder first (a paused or finished run works).', { case: 'decode' })
    }
    const t0 = performance.now()
    const reqId = this.nextReqId++
    const reply = await this.ask(reqId, { type: 'decode', reqId, code: Float32Array.from(code), count: 1 })
    if (!reply.ok) return reply
    const v = reply.value as { h?: unknown; w?: unknown; images?: unknown } | null
    const h = v?.h
    const w = v?.w
    const images = v?.images
    if (typeof h !== 'number' || typeof w !== 'number' || !(images instanceof Float32Array || Array.isArray(images))) {
      return fail('engine-error', 'The worker answered decode with something that is not an image.', { detail: 'decode' })
    }
    // one image of C×h×w values: show the channel mean
    const all = Array.from(images as ArrayLike<number>)
    const hw = h * w
    const C = Math.max(1, Math.round(all.length / hw))
    const image = new Array<number>(hw).fill(0)
    for (let c = 0; c < C; c++) for (let j = 0; j < hw; j++) image[j] += all[c * hw + j] / C
    return { ok: true, value: { image, h, w, ms: Math.round((performance.now() - t0) * 100) / 100 } }
  }

  /** Language models: text continuing `prompt`, sampled from the latest run's model. */
  async generate(prompt: string, length: number, temperature: number, seed = 1): Promise<Result<GeneratedText>> {
    if (!this.worker || (this.runId === null && !this.modelLoaded)) {
      return fail('no-model', 'There is no trained model yet: train a language model first (a paused or finished run works).', { case: 'generate' })
    }
    if ([...prompt].length > 2000) return fail('bad-payload', 'The prompt is too long: keep it to 2,000 characters.', { case: 'max-length', field: 'prompt', limit: 2000, received: `${[...prompt].length}` }, 'prompt')
    const t0 = performance.now()
    const reqId = this.nextReqId++
    const reply = await this.ask(reqId, { type: 'generate', reqId, prompt, length, temperature, seed })
    if (!reply.ok) return reply
    const v = reply.value as { prompt?: unknown; text?: unknown } | null
    if (typeof v?.prompt !== 'string' || typeof v.text !== 'string') return fail('engine-error', 'The worker answered generate with something that is not text.', { detail: 'generate' })
    return { ok: true, value: { prompt: v.prompt, text: v.text, ms: Math.round((performance.now() - t0) * 100) / 100 } }
  }

  /**
   * Autoencoders: what a run's snapshots show (the reconstruction row, and the code plane for a 2-unit
   * bottleneck), computed from the model the host holds on the held-out examples of `data`, so a reopened
   * project shows them without training again.
   */
  async aeViews(data: DataSource, testFraction?: number): Promise<Result<AutoencoderViews>> {
    if (!this.worker || (this.runId === null && !this.modelLoaded)) {
      return fail('no-model', 'There is no model yet: train an autoencoder or open a project with its weights first.', { case: 'views' })
    }
    if (this.isTraining()) return fail('busy', 'A training run is in progress: its snapshots show the code plane.', { case: 'views' })
    const reqId = this.nextReqId++
    const reply = await this.ask(reqId, { type: 'ae-views', reqId, data, ...(testFraction !== undefined ? { testFraction } : {}) })
    if (!reply.ok) return reply
    const v = reply.value
    if (!v || typeof v !== 'object') return fail('engine-error', 'The worker answered ae-views with something that is not a snapshot.', { detail: 'ae-views' })
    return { ok: true, value: v as AutoencoderViews }
  }

  /**
   * The gradient-check explainer's check (gradcheck-run.ts explainGradients), on the training thread so the
   * page stays responsive. Refused while a run trains: the thread answers commands between batches, and a
   * check of a full-size network would hold training for a second or more.
   */
  async gradcheck(spec: NetSpec, seed: number, samples: number | undefined, bug: boolean): Promise<Result<GradcheckReply>> {
    // the thread polls this flag before every forward pass of the check (cancelGradcheck sets it); a check
    // waiting for a priority move can be cancelled too
    const cancel = new Int32Array(new SharedArrayBuffer(4))
    this.gradchecks.add(cancel)
    try {
      return await this.checkGradients(spec, seed, samples, bug, cancel)
    } finally {
      this.gradchecks.delete(cancel)
    }
  }

  private async checkGradients(spec: NetSpec, seed: number, samples: number | undefined, bug: boolean, cancel: Int32Array): Promise<Result<GradcheckReply>> {
    await this.settled()
    if (this.disposed) return fail('closed', 'The lab is shutting down.')
    if (this.isTraining()) return fail('busy', `Run ${this.runId} is ${this.runState}: gradient checking shares its thread, so stop the run (or let it finish) and check again.`, { case: 'gradcheck', state: this.runState })
    const worker = this.ensureWorker(this.wantedPriority)
    if (!worker.ok) return worker
    const t0 = performance.now()
    const reqId = this.nextReqId++
    const reply = await this.ask(reqId, { type: 'gradcheck', reqId, spec, seed, explain: { ...(samples !== undefined ? { samples } : {}), bug, cancel } })
    if (!reply.ok) return reply
    const v = reply.value as Partial<CheckResult> | null
    if (!v || typeof v.ok !== 'boolean' || (v.ok && !Array.isArray((v as { rows?: unknown }).rows))) {
      return fail('engine-error', 'The worker answered gradcheck with something that is not a gradient check.', { detail: 'gradcheck' })
    }
    return { ok: true, value: { ...(v as CheckResult), ms: Math.round((performance.now() - t0) * 100) / 100 } }
  }

  /**
   * model:gradcheck-cancel: the gradient checks asked for and not answered yet stop at their next forward pass
   * and answer `{ ok: false, reason: 'cancelled' }`; the thread is free at once for what waits behind them.
   */
  cancelGradcheck(): Result<{ cancelled: boolean }> {
    for (const flag of this.gradchecks) Atomics.store(flag, 0, 1)
    return { ok: true, value: { cancelled: this.gradchecks.size > 0 } }
  }

  /** The latest run's model as a file: safetensors (weights + spec), ONNX or NumPy .npz. */
  async exportModel(format: ExportFormat): Promise<Result<ExportedFile>> {
    const made = await this.modelFile(format)
    if (!made.ok) return made
    const { fileName, bytes } = made.value
    return {
      ok: true,
      value: withFileBytes({ fileName, mime: 'application/octet-stream', bytes: bytes.length }, bytes)
    }
  }

  /** The model's file bytes and a suggested name. */
  async modelFile(format: ExportFormat): Promise<Result<{ fileName: string; bytes: Uint8Array }>> {
    const model = await this.getModel()
    if (!model.ok) {
      return model.error.code === 'no-model' ? fail('no-model', 'There is no model to export yet: train one first (a paused or finished run works).', { case: 'export' }) : model
    }
    const v = model.value
    try {
      const bytes = format === 'onnx'
        ? exportOnnx(v.spec, v.weights, { producer: `Backprop Lab ${this.opts.version}` })
        : format === 'npz'
          ? encodeNpz(v.weights)
          : encodeModelWeights(v.spec, v.weights, { format: 'backprop-lab', version: this.opts.version, ...(v.vocab ? { vocab: JSON.stringify(v.vocab) } : {}) })
      return { ok: true, value: { fileName: `${fileStem(v.spec.name)}.${format}`, bytes } }
    } catch (e) {
      return fail('export-failed', `The model could not be exported as ${format}: ${errorText(e)}`, { format, detail: errorText(e) })
    }
  }

  /**
   * Has the training worker write the checkpoint it kept after an epoch as the autosave (projects.ts). Sent to
   * the thread that kept it even while a priority move waits: the move waits for the autosaves first.
   */
  autosave(job: AutosaveJob): Promise<Result<unknown>> {
    const reqId = this.nextReqId++
    return this.ask(reqId, { type: 'autosave', reqId, ...job }, true)
  }

  /** The worker's model: spec, weights and (after training) the optimizer state. */
  getModel(): Promise<Result<Checkpoint>> { return this.fetchModel() }

  /** `during`: part of a priority switch (setPriority), which other requests wait for. */
  private async fetchModel(during = false): Promise<Result<Checkpoint>> {
    if (!this.worker || (this.runId === null && !this.modelLoaded)) {
      return fail('no-model', 'There is no model yet: train one or open a project first.')
    }
    const reqId = this.nextReqId++
    const reply = await this.ask(reqId, { type: 'get-weights', reqId }, during)
    if (!reply.ok) return reply
    const v = reply.value as Partial<Checkpoint> | null
    if (!v || !v.spec || !v.weights) return fail('engine-error', 'The worker answered get-weights without a spec and weights.', { detail: 'get-weights' })
    return { ok: true, value: v as Checkpoint }
  }

  /**
   * Loads a model (an opened project, imported weights) into the worker for predict and export.
   * The worker checks every tensor before it replaces its model, so a failure changes nothing.
   */
  async loadModel(spec: NetSpec, weights: Record<string, Float32Array>, optimizer?: Checkpoint['optimizer'], vocab?: string[], handOver = false): Promise<Result<{ params: number }>> {
    await this.settled()
    if (this.disposed) return fail('closed', 'The lab is shutting down.')
    if (this.isTraining()) return fail('busy', `Run ${this.runId} is still ${this.runState}; stop it before loading another model.`, { case: 'load', state: this.runState })
    const loaded = await this.loadInto(spec, weights, optimizer, vocab, false, handOver)
    if (loaded.ok) this.heldLoaded = true
    return loaded
  }

  /** `during`: part of a priority switch (setPriority), which other requests wait for. */
  private async loadInto(spec: NetSpec, weights: Record<string, Float32Array>, optimizer?: Checkpoint['optimizer'], vocab?: string[], during = false, handOver = false): Promise<Result<{ params: number }>> {
    const worker = this.ensureWorker(this.wantedPriority)
    if (!worker.ok) return worker
    const reqId = this.nextReqId++
    const cmd: WorkerCommand = { type: 'load-model', reqId, spec, weights, ...(optimizer ? { optimizer } : {}), ...(vocab ? { vocab } : {}) }
    if (handOver) this.handedOver.add(cmd)
    const reply = await this.ask(reqId, cmd, during)
    if (!reply.ok) return reply.error.code === 'failed' ? fail('weights-mismatch', reply.error.message) : reply
    this.modelLoaded = true
    this.held = spec
    const params = (reply.value as { params?: unknown } | null)?.params
    return { ok: true, value: { params: typeof params === 'number' ? params : 0 } }
  }

  /**
   * An opened project without weights: the page shows its architecture untrained, so the host holds no model any
   * more either. Predict, export, draw, generate and the autoencoder's views answer 'no-model' ("train first"),
   * model:held says null (a page loaded again does not count the previous run's model as the project's), and a run
   * "from the model" starts afresh, as on a new worker. The worker is told to drop the model ('drop-model'), so its
   * engine memory comes back now rather than at the next run or load. Not while a run is under way (opening a project
   * is refused then).
   */
  forgetModel(): void {
    if (this.isTraining()) return
    this.runId = null
    this.modelLoaded = false
    this.held = null
    this.stopInference()
    this.post({ type: 'drop-model' })
    // a model moving to a thread of another priority (setPriority) is loaded there after this, which would mark it
    // held again: forgotten once more when it has arrived
    const switching = this.switching
    if (switching) {
      const again = (): void => { if (!this.disposed) this.forgetModel() }
      void switching.then(again, again)
    }
  }

  /**
   * The priority the learner's settings ask for, where no run says it yet (an opened project's settings): the next
   * worker started, for the project's weights say, starts at it. A live worker is left as it is (train:start moves it).
   * Returns the priority it replaces, for a caller whose open then fails to put back.
   */
  preferPriority(priority: TrainingPriority): TrainingPriority {
    const before = this.wantedPriority
    this.wantedPriority = priority
    return before
  }

  /** The lab is shutting down (dispose): requests are refused as 'closed'. */
  isClosed(): boolean {
    return this.disposed
  }

  /** A run is running, paused or about to start. (While the model moves to a worker of another priority,
   *  requests wait for the move: `settled`.) */
  isTraining(): boolean {
    return this.runId !== null && ACTIVE.has(this.runState) && this.worker !== null
  }

  /** Resolves once no priority move is under way (a run may have started right after it: check again). */
  private async settled(): Promise<void> {
    while (this.switching) await this.switching
  }

  /**
   * Probe images for the feature maps: held-out examples of the data a run trains on (Q1 F14: a run on an IDX folder
   * was probed with the built-in digits). An IDX folder's t10k images (probe-samples.ts); none for a text, which has
   * no images; else the built-in digits. A folder that cannot give 28 × 28 images says why, rather than digits.
   */
  async samples(count: number, seed = 1, data: DataSource = { kind: 'mnist' }): Promise<Result<{ images: number[][]; labels: number[] }>> {
    if (data.kind === 'text') return { ok: true, value: { images: [], labels: [] } }
    if (data.kind === 'idx') {
      const r = await idxSamples(data.dir, count, seed)
      if (r.ok) return r
      const p = r.problem
      return p.case === 'size'
        ? fail('data-unavailable', `The feature maps are drawn for 28 × 28 images; the images in ${p.dir} are ${p.shape}, so none of them can be the image to watch.`, { ...p }, 'data.dir')
        : fail('data-unavailable', `The images of ${p.dir} could not be read for the feature maps: ${p.detail}`, { ...p }, 'data.dir')
    }
    try {
      return { ok: true, value: this.engine.testSamples(count, seed) }
    } catch (e) {
      return fail('data-unavailable', `The built-in digits could not be loaded: ${errorText(e)}`, { detail: errorText(e) })
    }
  }

  /** Stops the worker and timers; later requests fail with 'closed'. */
  async dispose(): Promise<void> {
    this.disposed = true
    this.unwatchStarvation()
    this.stopInference()
    this.flushTelemetry()
    this.listeners.clear()
    const w = this.worker
    this.worker = null
    this.failPending('closed', 'The lab is shutting down.')
    if (w) await w.terminate()
  }

  /** The live worker's thread id, for diagnostics and tests (null when none is running). */
  get workerThreadId(): number | null { return this.worker?.threadId ?? null }

  /** The priority the live training worker runs at (null when none is running). */
  get trainingPriority(): TrainingPriority | null { return this.worker ? this.workerPriority : null }

  /** The current run and its last known state. */
  get run(): { runId: string | null; state: RunState } { return { runId: this.runId, state: this.runState } }

  // ── worker plumbing ─────────────────────────────────────────────────────

  private control(cmd: WorkerCommand, allowed: RunState[]): Result<null> {
    // a run about to start (startRun), none under way: kept for it
    const waiting = this.startWaiting
    if (waiting && !this.isTraining() && cmd.type !== 'step') {
      if (cmd.type === 'pause') waiting.pause = true
      else if (cmd.type === 'resume') waiting.pause = false
      else if (cmd.type === 'stop') waiting.stop = true
      else if (cmd.type === 'set-lr') waiting.lr = cmd.lr
      return { ok: true, value: null }
    }
    if (this.runId === null || !this.worker) return fail('no-run', 'No training run is in progress: start one first.')
    if (!allowed.includes(this.runState)) {
      return fail('bad-state', `Run ${this.runId} is ${this.runState}; "${cmd.type}" needs it to be ${allowed.join(' or ')}.`, { case: cmd.type as 'pause' | 'resume' | 'stop' | 'step' | 'set-lr', state: this.runState })
    }
    this.post(cmd)
    return { ok: true, value: null }
  }

  /** The live worker, or a new one at `priority` (a run's, a move's, or else `wantedPriority`). */
  private ensureWorker(priority: TrainingPriority): { ok: true } | { ok: false; error: LabError } {
    if (this.worker) return { ok: true }
    try {
      // a lowered worker behind a relay thread, so that this thread never waits for a starved one (worker-relay.ts)
      const w = startTrainingWorker(this.opts.workerPath, this.trainingWorkerOptions(priority))
      w.on('message', (m: unknown) => this.onWorkerMessage(w, m))
      w.on('error', (err) => this.onWorkerGone(w, `the training thread threw: ${errorText(err)}`))
      w.on('messageerror', (err) => this.onWorkerGone(w, `a message from the training thread could not be read: ${errorText(err)}`))
      w.on('exit', (code) => this.onWorkerGone(w, `the training thread exited with code ${code}`))
      this.worker = w
      this.workerPriority = priority
      return { ok: true }
    } catch (e) {
      return fail('worker-failed', `The training thread could not start: ${errorText(e)}`, { detail: errorText(e) })
    }
  }

  /**
   * The training worker's options: at 'low' priority its environment asks it and its replica threads to
   * yield the CPU to this one; at 'normal' it asks for nothing.
   */
  private trainingWorkerOptions(priority: TrainingPriority): WorkerOptions | undefined {
    const o = this.opts.workerOptions
    if (!this.lowersLow()) return o
    const { [NICE_ENV]: _nice, [IDLE_ENV]: _idle, ...env } = (o?.env ?? process.env) as Record<string, string | undefined>
    if (priority === 'normal') return { ...o, env }
    return { ...o, env: { ...env, [NICE_ENV]: String(Math.min(19, Math.round(this.opts.trainingNice))), [IDLE_ENV]: this.opts.trainingIdle ? '1' : '0' } }
  }

  private post(cmd: WorkerCommand): void {
    const w = this.worker
    if (!w) return
    const transfer: ArrayBuffer[] = []
    // the input's buffer only when it is all the input's (predict and set-probe make their own; never a larger one's)
    if (cmd.type === 'predict' || cmd.type === 'set-probe') transfer.push(...wholeBuffers([cmd.input]))
    if (cmd.type === 'load-model' && this.handedOver.has(cmd)) transfer.push(...wholeBuffers([...Object.values(cmd.weights), ...Object.values(cmd.optimizer?.state ?? {})]))
    try {
      w.postMessage(cmd, transfer)
    } catch (e) {
      this.onWorkerGone(w, `a command could not be sent to the training thread: ${errorText(e)}`)
    }
  }

  /**
   * Sends a request to the training worker; while its model moves to another priority, after the move (`during`: part of the move).
   * With no worker left by then (the lab closed, or the thread stopped during the move) it is answered at once, not after the reply timeout.
   */
  private ask(reqId: number, cmd: WorkerCommand, during = false): Promise<Result<unknown>> {
    const switching = this.switching
    if (switching && !during) return switching.then(() => this.ask(reqId, cmd))
    if (!this.worker) {
      return Promise.resolve(this.disposed ? fail('closed', 'The lab is shutting down.') : fail('worker-crashed', `The training thread stopped before it could answer "${cmd.type}".`))
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(reqId)
        resolve(fail('timeout', `The training thread did not answer "${cmd.type}" within ${this.opts.replyTimeoutMs / 1000} s.`, { seconds: this.opts.replyTimeoutMs / 1000 }))
      }, this.opts.replyTimeoutMs)
      this.pending.set(reqId, { resolve, timer })
      this.post(cmd)
    })
  }

  /** A thread's reply (training or inference) resolves the request still waiting for it. */
  private settle(m: Extract<WorkerEvent, { type: 'reply' }>): void {
    const p = this.pending.get(m.reqId)
    if (!p) return
    this.pending.delete(m.reqId)
    clearTimeout(p.timer)
    p.resolve(m.ok ? { ok: true, value: m.value } : engineRefusal(m))
  }

  private failPending(code: LabErrorCode, message: string): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer)
      p.resolve(fail(code, message))
      this.pending.delete(id)
    }
  }

  /** Exit, error or messageerror: report once, forget the worker, keep the host usable. */
  private onWorkerGone(w: Worker, why: string): void {
    if (this.worker !== w) return
    this.worker = null
    this.held = null
    void w.terminate().catch(() => undefined)
    this.flushTelemetry()
    this.failPending('worker-crashed', `The training thread stopped: ${why}.`)
    const runId = this.runId
    const wasActive = runId !== null && ACTIVE.has(this.runState)
    if (wasActive) this.runState = 'failed'
    this.unwatchStarvation()
    if (this.disposed || w === this.incoming) return
    this.emit({ type: 'error', runId: wasActive ? runId : null, code: 'worker-crashed', message: `The training thread stopped (${why}). Start the run again; a fresh thread will be used.` })
    if (wasActive && runId) this.emit({ type: 'state', runId, state: 'failed', message: why })
  }

  private onWorkerMessage(w: Worker, raw: unknown): void {
    if (w !== this.worker) return
    const m = raw as WorkerEvent
    if (!m || typeof m !== 'object' || typeof (m as { type?: unknown }).type !== 'string') {
      this.emit({ type: 'error', runId: this.runId, code: 'protocol', message: 'The training thread sent a message without a type.' })
      return
    }
    switch (m.type) {
      case 'ready':
        return
      case 'batches':
        if (this.starvation?.runId === m.runId) this.starvation.watch.progress()
        if (this.runSpec?.runId === m.runId) {
          this.held = this.runSpec.spec
          this.runSpec = null
        }
        if (this.live?.runId === m.runId && Array.isArray(m.points) && m.points.length > 0) this.live.last = m.points[m.points.length - 1]
        this.queueBatches(m.runId, m.points)
        return
      case 'snapshot':
        this.queueSnapshot(m.runId, m.snapshot)
        return
      case 'epoch':
        this.flushBatches()
        this.emit(m)
        return
      case 'state':
        if (m.runId === this.runId) {
          this.runState = m.state
        }
        // running: the thread has put this run's untrained model in place of the one it held, so nothing trained
        // is held until the run's first batch (a run stopped before it leaves no model for model:held to name)
        if (m.state === 'running' && this.runSpec?.runId === m.runId) this.held = null
        this.flushTelemetry()
        if (m.state !== 'running') this.unwatchStarvation()
        this.emit(m)
        if (m.state === 'running' && m.runId === this.runId) this.watchStarvation(m.runId)
        return
      case 'error': {
        this.flushTelemetry()
        // malformed divergence facts are dropped: the page falls back to the English message; a code the
        // page has no words for goes as 'engine-error' with the code it had, as a failed reply does (engineRefusal)
        const { divergence, ...rest } = m
        const facts = divergence === undefined ? undefined : cleanDivergence(divergence)
        if (facts?.kept && m.runId !== null) this.heldAfterDivergence(m.runId, facts.kept)
        const known = isLabErrorCode(rest.code) ? rest : { ...rest, code: 'engine-error', params: { detail: rest.message, code: String(rest.code) } }
        this.emit(facts ? { ...known, divergence: facts } : known)
        return
      }
      case 'checkpoint':
        this.projects.onWorkerCheckpoint(m.runId, m.epoch)
        return
      case 'memory':
        this.retireIfSpare(w, m)
        return
      case 'reply':
        this.settle(m)
        return
      default: {
        const unknown: never = m
        this.emit({ type: 'error', runId: this.runId, code: 'protocol', message: `The training thread sent an unknown message type "${String((unknown as { type: unknown }).type)}".` })
      }
    }
  }

  /**
   * The model the thread holds after run `runId` diverged (session.ts afterDivergence), for model:held: the run's
   * own last good weights (its architecture), the model held before it, or none. Predict, export and the rest ask
   * the thread, which answers with that model or 'no-model'.
   */
  private heldAfterDivergence(runId: string, kept: KeptModel): void {
    if (runId !== this.runId) return
    const run = this.runSpec?.runId === runId ? this.runSpec.spec : this.held
    this.runSpec = null
    this.held = kept.from === 'run' ? run : kept.from === 'before' && this.heldBefore?.runId === runId ? this.heldBefore.spec : null
    this.heldBefore = null
  }

  // ── starved training threads ──────────────────────────────────────────

  private watchStarvation(runId: string): void {
    if (this.starvation?.runId === runId) return
    this.unwatchStarvation()
    if (process.platform !== 'linux' || !this.opts.watchStarvation || !this.lowersLow() || !this.opts.trainingIdle || this.workerPriority !== 'low') return
    const hooks = this.opts.cpuWatch
    const watch = new StarvationWatch((starved) => {
      this.flushTelemetry()
      this.emit({ type: 'cpu', runId, starved })
    }, hooks?.read, hooks?.now)
    const timer = setInterval(() => watch.tick(), hooks?.tickMs ?? TICK_MS)
    timer.unref()
    this.starvation = { runId, watch, timer }
  }

  /** Stops watching; a run that was reported starved is reported free (it no longer waits for a core). */
  private unwatchStarvation(): void {
    const s = this.starvation
    if (!s) return
    this.starvation = null
    clearInterval(s.timer)
    if (s.watch.starved && !this.disposed) this.emit({ type: 'cpu', runId: s.runId, starved: false })
  }

  // ── telemetry throttle ──────────────────────────────────────────────────

  private queueBatches(runId: string, points: BatchPoint[]): void {
    if (!Array.isArray(points) || points.length === 0) return
    if (this.batchRunId !== null && this.batchRunId !== runId) this.flushBatches()
    this.batchRunId = runId
    for (const p of points) this.batchPoints.push(p)
    this.batchTimer ??= setTimeout(() => this.flushBatches(), this.opts.batchIntervalMs)
  }

  private flushBatches(): void {
    if (this.batchTimer) { clearTimeout(this.batchTimer); this.batchTimer = null }
    if (this.batchRunId === null || this.batchPoints.length === 0) return
    const event: LabEvent = { type: 'batches', runId: this.batchRunId, points: this.batchPoints }
    this.batchPoints = []
    this.emit(event)
  }

  private queueSnapshot(runId: string, snapshot: Snapshot): void {
    // Only the newest snapshot matters: an older one waiting to go out is replaced.
    this.snapshotPending = { runId, snapshot }
    const wait = this.lastSnapshotAt + this.opts.snapshotIntervalMs - performance.now()
    if (wait <= 0) this.flushSnapshot()
    else this.snapshotTimer ??= setTimeout(() => this.flushSnapshot(), wait)
  }

  private flushSnapshot(): void {
    if (this.snapshotTimer) { clearTimeout(this.snapshotTimer); this.snapshotTimer = null }
    const s = this.snapshotPending
    if (!s) return
    this.snapshotPending = null
    this.lastSnapshotAt = performance.now()
    if (this.live?.runId === s.runId) this.live.snapshot = s.snapshot
    this.emit({ type: 'snapshot', runId: s.runId, snapshot: s.snapshot })
  }

  private flushTelemetry(): void {
    this.flushBatches()
    this.flushSnapshot()
  }
}

/**
 * The buffers of `arrays` that each array has to itself (whole, not a view into a larger or shared one, such as Node's
 * pool of small Buffers, which must never be moved), each once: these can be transferred.
 */
function wholeBuffers(arrays: Float32Array[]): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>()
  for (const a of arrays) if (a.buffer instanceof ArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength) out.add(a.buffer)
  return [...out]
}

/** Accepts the worker's predict reply `{ count, probs, logits, ms? }`: rows (number[][]) or one flat row, typed or plain. */
function toPrediction(value: unknown, ms: number): Prediction | null {
  if (!value || typeof value !== 'object') return null
  const v = value as { probs?: unknown; logits?: unknown }
  const probs = firstRow(v.probs)
  if (!probs || probs.length === 0 || !probs.every(Number.isFinite)) return null
  const logits = firstRow(v.logits) ?? probs.map((p) => Math.log(Math.max(p, 1e-30)))
  if (logits.length !== probs.length) return null
  let top = 0
  for (let i = 1; i < probs.length; i++) if (probs[i] > probs[top]) top = i
  const pred: Prediction = { probs, logits, top, ms: Math.round(ms * 100) / 100 }
  const extra = value as { maps?: unknown; gates?: unknown; ms?: unknown }
  if (typeof extra.ms === 'number' && Number.isFinite(extra.ms) && extra.ms >= 0) pred.engineMs = Math.round(extra.ms * 100) / 100
  if (Array.isArray(extra.maps)) pred.maps = extra.maps as NonNullable<Prediction['maps']>
  if (Array.isArray(extra.gates)) pred.gates = extra.gates as Prediction['gates']
  return pred
}

function firstRow(a: unknown): number[] | null {
  if (Array.isArray(a) && a.length > 0 && (Array.isArray(a[0]) || ArrayBuffer.isView(a[0]))) return Array.from(a[0] as ArrayLike<number>)
  if (Array.isArray(a) || ArrayBuffer.isView(a)) return Array.from(a as ArrayLike<number>)
  return null
}
