/**
 * State of the training page (TrainLab): the list of runs trained this session (overlaid on the charts), the form as
 * the page holds it, the model the host holds and what a divergence did to it, and the live telemetry from the host.
 * All host traffic goes through a LabApi handed to `connect`, so tests drive this class with a fake.
 * A run itself is lib/run.svelte.ts; the form's rules lib/train-form.ts, its data choice lib/train-data.ts; what
 * follows a divergence lib/divergence.ts. Their names are exported here too, for the pages and tests that take them
 * from the training state.
 */
import type { AutoencoderViews, ErrorParams, LabApi, LabError, LabEvent, PresetInfo, Requests, Result } from '../../src-main/ipc/contract'
import type { DataSource, RunState, TrainSettings } from '../../src-engine/protocol'
import type { NetSpec, SpecReport } from '../../src-engine/spec-types'
import { refusal, refusalShown, threadsFix } from './lab-errors'
import { msg, type Msg } from '../i18n/index.svelte'
import { project } from './project.svelte'
import { labSpeed, measuredSpeed, MIN_BATCHES } from './speed.svelte'
import { validateSpec } from '../components/editor/engine'
import { epochPosition, epochsTrained, Run, type Continues } from './run.svelte'
import { carryForm, continueSettings, defaultsFor, netKind, settingsFromForm, type FormDrop, type TrainForm } from './train-form'
import { dataSourceOf, withDrawings } from './train-data'
import { keptStart, restartLr } from './divergence'

export {
  asFloats, ema, epochPosition, epochsTrained, formatDuration, formatLr, MAX_BATCH_POINTS, normSnapshot, progressOf, Run, RUN_COLORS,
  type Continues, type Progress
} from './run.svelte'
export {
  canTrainStateful, carryForm, defaultsFor, formProblems, isLanguageModel, isPresetAsIs, netKind, OPTIMIZERS, PRIORITY_TEXT,
  settingsFromForm, type FormDrop, type NetKind, type TrainForm
} from './train-form'
export { carryData, dataSourceOf, withDrawings, type DataChoice, type DataDrop, type DataKind, type ImageKind } from './train-data'
export { keptStart, restartLr } from './divergence'

/**
 * Older finished runs are dropped beyond this many, so the overlay stays readable. The oldest goes, not the worst or
 * all but the best (Q3's F9): a learner comparing settings reads the list as a history, and one whose runs vanish by
 * a rule about accuracy (or perplexity, for a language model: two orders) cannot tell which will go next. What goes is
 * said: the list's help names the limit, and a full list names the run the next Start removes (nextDropped); a run
 * the learner wants kept stays when they remove (×) one they no longer need. The host's project history (projects.ts)
 * keeps as many, also dropping the oldest, so a saved project and the page's list agree.
 */
export const MAX_RUNS = 6

/** The run a new Start would drop from `runs` (the oldest not training), or null while there is room. A run that failed
 * before its first mini-batch (data it could not read, say) goes first: it holds no curve, accuracy or weights, and six
 * failed Starts pushed out the only trained run (Q4's B6). It stays listed until then, its failure still readable. */
export function nextDropped(runs: readonly Run[]): Run | null {
  return runs.length >= MAX_RUNS ? runs.find(neverTrained) ?? runs.find((r) => !r.active) ?? null : null
}

/** A run that failed without one mini-batch on its curve (the host's history drops the same ones first: projects.ts). */
export function neverTrained(r: Run): boolean {
  return r.state === 'failed' && r.batchX.length === 0 && r.epochs.length === 0
}

/** Events for a run id we have not heard of yet (the start reply can arrive after the first events). */
const MAX_PENDING = 200
/** How long the form's folder must stay as typed before its probe images are asked for (ensureSamples). */
export const SAMPLES_SETTLE_MS = 300

export interface Samples { images: number[][]; labels: number[] }

/** Everything on the training page. One instance per app (`trainLab`), fresh ones in tests. */
export class TrainLab {
  runs = $state.raw<Run[]>([])
  currentId = $state<string | null>(null)
  form = $state<TrainForm>(defaultsFor(null, 1))
  /** Loss smoothing for the batch chart, 0..0.99. */
  smoothing = $state(0.6)
  logScale = $state(false)
  /** A request is on its way (buttons wait): until every one is back. A flag set by each request and cleared by each
   *  answer came back false when the probe's answer came in while Start still waited (its text counted), and Start could
   *  be pressed again for a second run. */
  get busy(): boolean {
    return this.#requests > 0
  }
  #requests = $state(0)
  /** The last failed request, as a message for the learner (translated when shown). */
  error = $state.raw<Msg | null>(null)
  /**
   * Start refused for the threads the form asked for (lab-host.ts refuseThreads, path settings.threads): the Threads
   * field is marked and says the fix, as a field's own problem is, until the learner changes it (TrainControls) or a
   * run starts. The count refused is kept: a form that no longer holds it is not marked; and so is the network refused,
   * whose edits TrainControls judges again.
   */
  threadsRefused = $state.raw<ThreadsRefused | null>(null)
  /** Why the host could not write the autosave ('write-failed' as a refusal), until one is written again or the learner
   * dismisses it: a crash now would lose the training the lab says it autosaves (Q4's B3; RecoveryBanner shows it). */
  autosaveFailed = $state.raw<LabError | null>(null)
  presets = $state.raw<PresetInfo[]>([])
  threads = $state(1)
  /** The host lowers a 'low' run's threads (Linux, app:info's priorityChoice): the form offers the choice. */
  priorityChoice = $state(false)
  /** The run being continued at normal priority (the starved notice's button): it stops first. */
  switching = $state<string | null>(null)
  /** Waiting for a run to end (stopped, done or failed). */
  private ends: { run: Run; resolve: () => void }[] = []
  samples = $state.raw<Samples | null>(null)
  probeIndex = $state<number | null>(null)
  /** Why the data shown gives no probe images (its folder cannot be read, its images are not 28 × 28): said, not digits. */
  samplesProblem = $state.raw<Msg | string | null>(null)
  /** The data the probe images were last asked for (its source as JSON); a newer ask wins over an older reply. */
  private samplesOf: string | null = null
  private samplesTimer: ReturnType<typeof setTimeout> | undefined
  /** The form has been filled for this spec (so switching pages keeps the learner's edits). */
  private formFor: { spec: NetSpec | null; preset: string | null } | null = null
  /** The defaults the form was last filled with: a field that differs from them is the learner's choice. */
  private formDefaults: TrainForm | null = null
  /** The next fill sets the network's own settings (a preset chosen, a project opened), not the learner's. */
  private freshNext = false
  /** Settings the last edit of the architecture could not keep (the form says so until the next fill). */
  formDropped = $state.raw<FormDrop[]>([])
  private api: LabApi | null = null
  private pending = new Map<string, LabEvent[]>()
  /** Starts on their way (launch): the events of the run starting come before its id, and are not another page's run. */
  private starting = 0
  /** Run ids heard of that no run here has, already asked about (takeOver): one train:current each, not one per event. */
  private asked = new Set<string>()
  /**
   * Takes over the run the host trains now (lib/attach-run.ts takeOverRun, which sets it; this module cannot import it
   * without a cycle). Asked when events come for a run this page neither lists nor is starting: another page started it
   * (the web shell sends every page every event: a teacher's projector beside the student's laptop). Null in tests of a
   * TrainLab alone: such events are held and dropped, as before.
   */
  takeOver: ((api: LabApi) => Promise<void>) | null = null
  /** A takeOver under way (the connection's, or one asked for here), which an unknown run's events wait for. */
  takingOver: Promise<void> | null = null
  /** Number of the next run (legend #n, colour); a restored history continues after its runs. */
  nextIndex = 1
  /** The run whose model the host holds (the last one started here); null before any. */
  modelRunId = $state<string | null>(null)
  /**
   * An autoencoder's reconstruction row and code plane for a model no run of this page trained (a project
   * saved with weights but no runs, imported weights), computed by the host from the weights it holds:
   * the autoencoder views show them while there is no current run. Cleared when a run starts.
   */
  modelViews = $state.raw<AutoencoderViews | null>(null)
  /**
   * The validation of `spec` as the editor sizes it, or null when no editor is loaded: editor.reportFor (set by
   * lib/editor.svelte.ts, which this module cannot import without a cycle), the editor's own report for its
   * architecture and a language model counted with the chosen text's vocabulary. A run start takes its multiply-adds
   * from it, and validates `spec` itself only without one.
   */
  knownReport: (spec: NetSpec) => SpecReport | null = () => null

  /** What the autoencoder views show: the current run's last snapshot, else the held model's views. */
  get aeViews(): AutoencoderViews | null {
    const cur = this.current
    return cur ? cur.snapshot : this.modelViews
  }

  get current(): Run | null {
    return this.runs.find((r) => r.id === this.currentId) ?? null
  }

  get running(): boolean {
    return this.current?.state === 'running'
  }

  get paused(): boolean {
    return this.current?.state === 'paused'
  }

  /** The machine's info and the presets, once asked for by connect (a run taken over fills the form with their defaults known). */
  infoLoaded: Promise<void> = Promise.resolve()

  /** Attach to the host: subscribe to events and load presets, machine info and probe samples. Returns the unsubscribe. */
  connect(api: LabApi): () => void {
    this.api = api
    const off = api.onEvent((e) => this.handle(e))
    this.infoLoaded = this.loadInfo()
    return () => {
      off()
      if (this.api === api) this.api = null
    }
  }

  /** Connect once for the app's lifetime (the page mounts and unmounts; runs keep reporting meanwhile). */
  ensureConnected(api: LabApi): void {
    if (this.api !== api) this.connect(api)
  }

  private async loadInfo(): Promise<void> {
    const api = this.api
    if (!api) return
    const [info, presets] = await Promise.all([api.request('app:info', undefined), api.request('preset:list', undefined)])
    if (info.ok) {
      this.threads = Math.max(1, info.value.threads)
      this.priorityChoice = info.value.priorityChoice === true
      // the form may have been filled before the machine was known; use its cores
      this.form = { ...this.form, threads: this.threads }
      if (this.formDefaults) this.formDefaults = { ...this.formDefaults, threads: this.threads }
    } else this.error = hostError(info.error)
    if (presets.ok) this.presets = presets.value
    else this.error = hostError(presets.error)
  }

  /** The preset a spec came from: by the project's preset id, else by identity. */
  presetFor(spec: NetSpec | null, presetId: string | null): PresetInfo | null {
    return this.presets.find((p) => p.id === presetId) ?? this.presets.find((p) => p.spec === spec) ?? null
  }

  /** The preset used when the editor has no spec: the book's simple ConvNet. */
  defaultPreset(): PresetInfo | null {
    const ps = this.presets
    return ps.find((p) => p.id === 'simple-convnet') ?? ps.find((p) => /simple/i.test(p.id)) ?? ps.find((p) => p.kind === 'cnn') ?? ps[0] ?? null
  }

  /** The spec that Start trains: the editor's, else the default preset's. */
  specToTrain(projectSpec: NetSpec | null): NetSpec | null {
    return projectSpec ?? this.defaultPreset()?.spec ?? null
  }

  /** The next fill of the form is a fresh start: a preset chosen on purpose or a project opened brings its own settings. */
  freshForm(): void {
    this.freshNext = true
  }

  /**
   * Fill the form for a spec, once per spec (the learner's edits survive page switches). Each edit in the editor
   * makes a new spec: the settings the learner chose are kept while they fit it (carryForm); after freshForm the
   * spec's own defaults are set instead, keeping only the data, its paths and the priority (the learner's machine).
   */
  prepareForm(spec: NetSpec | null, preset: PresetInfo | null = null): void {
    // again when the preset list arrives after the spec (its training defaults were not known yet)
    const presetId = preset?.id ?? null
    const fresh = this.freshNext || this.formDefaults === null
    if (!this.freshNext && this.formFor && this.formFor.spec === spec && this.formFor.preset === presetId) return
    this.freshNext = false
    this.formFor = { spec, preset: presetId }
    const keep = this.form
    const d = defaultsFor(spec, this.threads, preset)
    const was = this.formDefaults ?? d
    this.formDefaults = d
    // a fresh fill counts nothing as chosen (carryForm keeps the data, its paths and the priority all the same)
    const { form, dropped } = carryForm(keep, fresh ? keep : was, d, spec)
    this.form = form
    this.formDropped = fresh ? [] : dropped
  }

  /** Send a request; a failure becomes `error` (shown to the learner) and a null answer. */
  private async call<T>(p: Promise<Result<T>>, refused?: (e: LabError) => void): Promise<{ value: T } | null> {
    this.#requests++
    try {
      const r = await p
      if (!r.ok) {
        this.error = hostError(r.error)
        refused?.(r.error)
        return null
      }
      this.error = null
      return { value: r.value }
    } catch (e) {
      this.error = msg('train.errHost', { detail: e instanceof Error ? e.message : String(e) })
      return null
    } finally {
      this.#requests--
    }
  }

  /** Start a run of `spec` with the form's settings (or given ones). */
  async start(spec: NetSpec | null, settings?: TrainSettings): Promise<Run | null> {
    // 'keep' (the editor's answer, or an opened project / imported weights): continue from the host's model.
    return this.launch(spec, settings, project.weightsChoice === 'keep', null)
  }

  /** The finished or stopped run that "Continue training" would carry on for `spec`: the current run, when
   * the host holds its trained model (it was the last run started here, or the opened project's weights). */
  continuable(spec: NetSpec | null): Run | null {
    const r = this.current
    if (!r || !spec || this.busy || r.diverged || (r.state !== 'done' && r.state !== 'stopped')) return null
    if (this.runs.some((x) => x.active) || !project.trained || r.batchX.length === 0) return null
    if ((spec.name ?? '') !== r.specName) return null
    const holder = this.modelRunId ?? (project.weightsChoice === 'keep' ? this.currentId : null)
    return holder === r.id ? r : null
  }

  /** Train the current run's model for the form's epochs more: same weights, and the optimizer's state
   * when the optimizer is unchanged. Shown as that run continuing (its colour, epochs numbered on). */
  async continueRun(spec: NetSpec | null, settings?: TrainSettings): Promise<Run | null> {
    const prev = this.continuable(spec)
    if (!prev) return null
    const s = settings ?? continueSettings(this.form, prev.settings)
    const from = prev.settings.optimizer
    const n = epochsTrained(prev)
    // a run that went on from a batch kept mid-epoch ends its epochs that far past their numbers (Run.xOffset): the
    // next one goes on from there, not from inside the epoch it finished
    const shift = prev.xOffset - prev.epochOffset
    const cont: Continues = {
      runId: prev.id, index: prev.index, color: prev.color, epochOffset: n, ...(shift !== 0 ? { xOffset: n + shift } : {}),
      optimizerFresh: from !== s.optimizer ? { from, to: s.optimizer } : null
    }
    return this.launch(spec, s, true, cont)
  }

  /**
   * The diverged current run that "Continue from the kept weights" would carry on for `spec`: the host kept weights of
   * it (DivergenceFacts.kept), either its own last good ones ('run') or, for a run that started from the host's model,
   * that model put back ('before': where this run began). Not a fresh run's 'before' (another run's model, perhaps
   * another network), nor 'none'. As continuable(): nothing training, the same network, the host's model this run's;
   * but offered while a request is out too (the banner's button waits, disabled, rather than coming and going).
   */
  keptContinuable(spec: NetSpec | null): Run | null {
    const r = this.current
    if (!r || !spec || !r.diverged || r.state !== 'failed') return null
    const kept = r.divergence?.kept?.from
    if (kept !== 'run' && !(kept === 'before' && r.before === 'start')) return null
    if (this.runs.some((x) => x.active) || !project.trained) return null
    if ((spec.name ?? '') !== r.specName) return null
    return this.modelRunId === r.id ? r : null
  }

  /**
   * After divergence: carry the run on from the weights the host kept, with the learning rate the engine suggested
   * (restartLr), for the epochs it had left (at least one). Shown as that run continuing (its colour, epochs numbered
   * on). Kept weights of the run itself carry no optimizer state (the diverging steps' state was dropped), so the
   * optimizer starts fresh though it is the same one, and the legend says so (optimizerFresh with from = to).
   */
  async continueFromKept(spec: NetSpec | null): Promise<Run | null> {
    const prev = this.keptContinuable(spec)
    if (!prev || this.busy) return null
    const lr = restartLr(prev)
    this.form = { ...this.form, lr }
    const { epochOffset, xOffset } = keptStart(prev)
    const left = Math.max(1, prev.settings.epochs + prev.epochOffset - epochOffset)
    const s: TrainSettings = { ...prev.settings, lr, epochs: left }
    // the model before the run is put back with the optimizer state it had, which this run started from (or not)
    const optimizerFresh = prev.divergence?.kept?.from === 'run' ? { from: s.optimizer, to: s.optimizer } : prev.continues?.optimizerFresh ?? null
    const cont: Continues = { runId: prev.id, index: prev.index, color: prev.color, epochOffset, optimizerFresh, ...(xOffset !== epochOffset ? { xOffset } : {}) }
    return this.launch(spec, s, true, cont)
  }

  private async launch(spec: NetSpec | null, settings: TrainSettings | undefined, fromModel: boolean, cont: Continues | null): Promise<Run | null> {
    if (!this.api) {
      this.error = msg('train.errOffline')
      return null
    }
    if (!spec) {
      this.error = msg('train.errNoSpec')
      return null
    }
    const s = withDrawings(settings ?? settingsFromForm(this.form), spec)
    // before the start: once its first batch comes in, the page counts its own model as trained
    const trainedBefore = project.trained
    const payload = fromModel ? { spec, settings: s, from: 'model' as const, ...(cont ? { epochOffset: cont.epochOffset, ...(cont.xOffset !== undefined ? { xOffset: cont.xOffset } : {}) } : {}) } : { spec, settings: s }
    this.threadsRefused = null
    this.starting++
    let reply: { value: Requests['train:start'][1] } | null
    try {
      reply = await this.call(this.api.request('train:start', payload), (e) => (this.threadsRefused = threadsRefusal(e, s, spec)))
    } finally {
      this.starting--
    }
    if (!reply) return null
    if (project.weightsChoice !== null) project.weightsChoice = null
    const run = new Run(reply.value.runId, this.nextIndex++, s, spec.name ?? '', netKind(spec), cont)
    const report = this.knownReport(spec) ?? validateSpec(spec)
    run.macsPerExample = report.ok ? report.totalMacs : 0
    run.spec = spec
    run.before = fromModel ? 'start' : trainedBefore ? 'same' : 'other'
    run.state = 'running'
    this.modelRunId = run.id
    this.modelViews = null
    // the host runs one training at a time: an earlier active run is over (and what waited for its end waits no more)
    for (const r of this.runs) if (r.active) r.state = 'stopped'
    this.endWaits()
    // the one the full list named before Start (nextDropped), oldest first, the new run never
    let runs = [...this.runs]
    for (let drop = nextDropped(runs); drop; drop = nextDropped(runs)) runs = runs.filter((r) => r !== drop)
    this.runs = [...runs, run]
    this.currentId = run.id
    const early = this.pending.get(run.id)
    this.pending.delete(run.id)
    for (const e of early ?? []) this.handle(e)
    this.pending.clear()
    return run
  }

  /**
   * A run this page did not start, taken over (lib/attach-run.ts, from train:current): a page loaded again, or come back,
   * while the host trains. `runs` become the page's list (the host's history, `run` the live one among them), `run` the
   * current run and the host's model; the events heard for it while the answer was on its way are applied, less the batch
   * points the answer already holds (up to `run.last`).
   */
  adopt(run: Run, runs: Run[]): void {
    // older runs first, as launch keeps them: the live one is never dropped
    let list = runs.includes(run) ? runs : [...runs, run]
    while (list.length > MAX_RUNS) {
      const drop = list.findIndex((r) => r !== run)
      list = list.filter((_, i) => i !== drop)
    }
    this.runs = list
    this.currentId = run.id
    this.modelRunId = run.id
    this.modelViews = null
    this.nextIndex = Math.max(this.nextIndex, ...list.map((r) => r.index + 1))
    const early = this.pending.get(run.id)
    this.pending.delete(run.id)
    const upTo = run.last ? epochPosition(run.last) : -Infinity
    for (const e of early ?? []) {
      if (e.type !== 'batches') this.handle(e)
      else {
        const points = e.points.filter((p) => epochPosition(p) > upTo)
        if (points.length > 0) this.handle({ ...e, points })
      }
    }
  }

  // The reply only says the host passed the command on; the worker finishes its batch and then reports
  // the new state. Until then the run is `pending` (buttons wait), so nothing is sent in the wrong state.
  async pause(): Promise<void> {
    await this.control('train:pause', 'pause')
  }

  async resume(): Promise<void> {
    await this.control('train:resume', 'resume')
  }

  async stop(): Promise<void> {
    await this.control('train:stop', 'stop')
  }

  /** Whether the host took the command. */
  private async control(channel: 'train:pause' | 'train:resume' | 'train:stop', what: 'pause' | 'resume' | 'stop'): Promise<boolean> {
    const r = this.current
    if (!this.api || !r || !r.active) return false
    if (await this.call(this.api.request(channel, undefined))) {
      if (r.active) r.pending = what
      return true
    }
    return false
  }

  /**
   * The current run, starved of CPU at low priority, carried on at normal priority: it stops after the
   * batch in flight, then a run continuing it (the same weights and optimizer state, the learning rate in
   * force now; its epochs numbered on, for the epochs it had left) starts at normal priority, for which
   * the host moves the model into a new training thread. The form keeps 'normal' for later runs.
   */
  async continueAtNormalPriority(spec: NetSpec | null): Promise<Run | null> {
    const r = this.current
    if (!this.api || !r || !r.active || this.switching !== null) return null
    this.switching = r.id
    this.form = { ...this.form, priority: 'normal' }
    try {
      const ended = new Promise<void>((resolve) => this.ends.push({ run: r, resolve }))
      if (!(await this.control('train:stop', 'stop'))) {
        this.ends = this.ends.filter((e) => e.run !== r)
        return null
      }
      await ended
      // finished meanwhile (nothing left to train) or failed: there is nothing to continue
      if (r.state !== 'stopped') return null
      const left = Math.max(1, r.settings.epochs + r.epochOffset - epochsTrained(r))
      const next = await this.continueRun(spec, { ...r.settings, lr: r.lr, priority: 'normal', epochs: left })
      if (!next && !this.error) this.error = msg('train.cpuSwitchFailed')
      return next
    } finally {
      this.switching = null
    }
  }

  async step(): Promise<void> {
    if (!this.api) return
    await this.call(this.api.request('train:step', undefined))
  }

  /** Change the learning rate of the current run while it trains. */
  async setLr(lr: number): Promise<boolean> {
    const r = this.current
    if (!this.api || !r || !r.active || !(lr > 0)) return false
    if (!(await this.call(this.api.request('train:set-lr', { lr })))) return false
    r.lr = lr
    r.lrChanges = [...r.lrChanges, { x: r.nowX, lr }]
    return true
  }

  /** After divergence: the same run again from fresh weights, with the learning rate the engine suggested (else ten
   * times smaller). From scratch whatever the editor last answered: the kept weights have their own button. */
  async restartWithLowerLr(spec: NetSpec | null): Promise<Run | null> {
    const r = this.current
    if (!r) return null
    const lr = restartLr(r)
    this.form = { ...this.form, lr }
    return this.launch(spec, { ...r.settings, lr }, false, null)
  }

  /**
   * The data the host's model was trained on: the run that made it (or an opened project's last run, its weights kept),
   * null when no run here says (a model imported without its runs). The draw page says it: a model trained on an IDX
   * folder (Fashion-MNIST) was asked for "a digit from 0 to 9".
   */
  get modelData(): DataSource | null {
    const holder = this.modelRunId ?? (project.weightsChoice === 'keep' ? this.currentId : null)
    return this.runs.find((r) => r.id === holder)?.settings.data ?? null
  }

  /**
   * The data the probe images come from: the current run's, whose feature maps the page shows, else the form's (the next
   * run's). The built-in digits were asked for whatever the run trained on (Q1 F14: clothes went through the layers as digits).
   */
  get sampleSource(): DataSource {
    return this.current?.settings.data ?? dataSourceOf(this.form)
  }

  /**
   * The probe images again when the data they come from changed (a run on other data, the form's data); FeatureMaps asks.
   * A folder typed into the form is asked for once the typing pauses (SAMPLES_SETTLE_MS, as folder-classes waits): asked
   * key by key, every partial path ("/us") was refused and said so beside the maps for a moment.
   */
  ensureSamples(): void {
    const data = this.sampleSource
    const key = JSON.stringify(data)
    clearTimeout(this.samplesTimer)
    if (key === this.samplesOf) return
    if (data.kind === 'idx' && !this.current) this.samplesTimer = setTimeout(() => void this.loadSamples(12, 7, data), SAMPLES_SETTLE_MS)
    else void this.loadSamples(12, 7, data)
  }

  /**
   * Fetch held-out samples of `data` the learner can pick as the probe; none for a text. A probe picked among another
   * source's images moves to the image in its place among these, so the runs no longer watch an image of other data.
   */
  async loadSamples(count = 12, seed = 7, data: DataSource = this.sampleSource): Promise<void> {
    if (!this.api) return
    const key = JSON.stringify(data)
    const moved = this.samplesOf !== null && this.samplesOf !== key
    this.samplesOf = key
    // no folder named yet: nothing to show until there is one
    if (data.kind === 'idx' && data.dir === '') {
      this.samples = null
      this.samplesProblem = null
      return
    }
    let reply: Result<Samples>
    try {
      reply = await this.api.request('data:samples', { count, seed, data })
    } catch (e) {
      reply = { ok: false, error: { code: 'internal', message: e instanceof Error ? e.message : String(e) } }
    }
    if (this.samplesOf !== key) return
    if (!reply.ok) {
      this.samples = null
      this.samplesProblem = refusalShown(reply.error, 'train.errHost')
      return
    }
    this.samples = reply.value
    this.samplesProblem = null
    const i = this.probeIndex
    if (moved && i !== null) {
      if (i < reply.value.images.length) await this.setProbe(i)
      else this.probeIndex = null
    }
  }

  /** Use sample `i` as the probe: the worker sends its feature maps from now on. */
  async setProbe(i: number): Promise<void> {
    const s = this.samples
    if (!this.api || !s || i < 0 || i >= s.images.length) return
    if (await this.call(this.api.request('train:set-probe', { input: s.images[i] }))) this.probeIndex = i
  }

  removeRun(id: string): void {
    const r = this.runs.find((x) => x.id === id)
    if (!r || r.active) return
    this.runs = this.runs.filter((x) => x.id !== id)
    if (this.currentId === id) this.currentId = this.runs.length ? this.runs[this.runs.length - 1].id : null
    this.forget([id])
  }

  /** Drop every finished run except the current one. */
  clearOld(): void {
    const gone = this.runs.filter((r) => !r.active && r.id !== this.currentId).map((r) => r.id)
    this.runs = this.runs.filter((r) => r.active || r.id === this.currentId)
    this.forget(gone)
  }

  /**
   * Finished runs this page dropped leave the host's run history too (train:forget-runs), so a reload or a second
   * window does not list them again (Q5's F4: an experiment's "will be cleared" runs came back, renumbered). The host
   * keeps a live run whatever is asked; a host without the request (an older one) leaves them, as before.
   */
  forget(ids: readonly string[]): void {
    if (!this.api || ids.length === 0) return
    void this.api.request('train:forget-runs', { ids: [...ids] }).catch(() => {})
  }

  /**
   * Runs the host forgot (the 'forgotten' event): another window's Remove, Clear finished runs or an experiment's clear.
   * A run active here stays (the host never forgets its live run; this page's view of it may lag); the current run, if
   * dropped, becomes the last one left, as Remove does.
   */
  dropForgotten(ids: readonly string[]): void {
    const gone = new Set(ids)
    for (const id of gone) this.pending.delete(id)
    if (!this.runs.some((r) => gone.has(r.id) && !r.active)) return
    this.runs = this.runs.filter((r) => r.active || !gone.has(r.id))
    if (this.currentId !== null && !this.runs.some((r) => r.id === this.currentId)) this.currentId = this.runs.at(-1)?.id ?? null
  }

  /** Resolves the waits for runs that have ended (attach-run.ts too: a reconnection may find a run over). */
  endWaits(): void {
    const ended = this.ends.filter((e) => !e.run.active)
    if (ended.length === 0) return
    this.ends = this.ends.filter((e) => e.run.active)
    for (const e of ended) e.resolve()
  }

  /**
   * A run this page does not know is heard (its events): unless this page is starting one (the start reply is on its
   * way) or a takeover is under way (its answer will say), the host is asked once which run it trains (takeOver), and
   * the run is taken over with the events held for it. A host that trains no run then, or another one (the run ended
   * meanwhile), leaves the page as it was: the run is not asked about again and its held events are dropped.
   */
  private askAbout(runId: string): void {
    const api = this.api
    if (!api || !this.takeOver || this.starting > 0 || this.takingOver || this.asked.has(runId)) return
    this.asked.add(runId)
    const done = this.takeOver(api).catch(() => {}).finally(() => {
      if (this.takingOver === done) this.takingOver = null
      if (!this.runs.some((r) => r.id === runId)) this.pending.delete(runId)
    })
    this.takingOver = done
  }

  /** The host's autosave is failing (`failed`: the 'autosave' event's params, or train:current's for a page loaded again
   *  since the event), or written again (null). */
  autosaveTold(failed: ErrorParams | null): void {
    this.autosaveFailed = failed ? { code: 'write-failed', message: `The autosave could not be written (${String(failed.detail ?? '')}).`, params: failed } : null
  }

  /** Apply one host event. Unknown run ids are held briefly: the start reply may still be on its way.
   * Errors tied to no run (connection, bad frames) are the app frame's to show; they change no run. */
  handle(e: LabEvent): void {
    // the host's autosave, not one run's state: told whichever run the page knows
    if (e.type === 'autosave') {
      this.autosaveTold(e.failed)
      return
    }
    // another page (or this one) dropped finished runs and the host forgot them: this page's list drops them too
    if (e.type === 'forgotten') {
      this.dropForgotten(e.ids)
      return
    }
    const runId = e.runId
    if (runId === null) return
    const run = this.runs.find((r) => r.id === runId)
    if (!run) {
      const q = this.pending.get(runId) ?? []
      if (q.length < MAX_PENDING) q.push(e)
      this.pending.set(runId, q)
      this.askAbout(runId)
      return
    }
    switch (e.type) {
      case 'state':
        // a control waits for the state it asked for: Pause pressed while the run starts hears 'running' first (the
        // start), and clearing it then showed "Training" between "Pausing…" and "Paused"
        if (settles(run.pending, e.state)) run.pending = null
        // a diverged run stays marked failed whatever comes after
        if (!run.diverged || e.state === 'failed') run.state = e.state
        if (e.message) run.message = e.message
        if (e.state !== 'running') run.cpuStarved = false
        this.endWaits()
        break
      case 'batches':
        run.addPoints(e.points)
        // the host now holds a model trained on at least one batch: the draw page can use it (not a run taken over that
        // trains another network than the editor's: the editor's network has no trained model then)
        if (run.id === this.currentId && !run.otherNet) project.trained = true
        break
      case 'epoch':
        run.addEpoch(e.report)
        break
      case 'snapshot':
        run.addSnapshot(e.snapshot)
        break
      case 'cpu':
        run.cpuStarved = e.starved
        if (e.starved) run.starvedOnce = true
        break
      case 'error':
        run.message = e.message
        run.failure = refusal(e)
        if (e.code === 'diverged') {
          run.pending = null
          run.diverged = true
          run.divergence = e.divergence ?? null
          run.state = 'failed'
          // the thread kept no model (the run had no weights worth keeping, none was held before it): nothing to draw with or export
          if (e.divergence?.kept?.from === 'none' && run.id === this.modelRunId) project.trained = false
          // the model put back is another network's (RU's finding: train A, start B fresh, B diverges in its first
          // 200 ms): the page's network has none, so exports and drawing say "train first" rather than use A
          if (e.divergence?.kept?.from === 'before' && run.before === 'other') {
            run.keptOther = true
            if (run.id === this.modelRunId) project.trained = false
          }
        } else if (run.active) {
          run.state = 'failed'
        }
        this.endWaits()
        break
      default: {
        const never: never = e
        throw new Error(`train: unknown event ${JSON.stringify(never)}`)
      }
    }
    noteSpeed(run)
  }
}

const PENDING_STATE = { pause: 'paused', resume: 'running', stop: 'stopped' } as const

/** Whether a state event ends a pending control: the state it asked for, or one the run cannot leave (stopped, done, failed). */
export function settles(pending: Run['pending'], state: RunState): boolean {
  return pending === null || state === PENDING_STATE[pending] || (state !== 'running' && state !== 'paused')
}

/**
 * Give this computer's speed, as `run` measured it, to labSpeed (the cost note's rate): once the run has trained
 * MIN_BATCHES mini-batches, so a long run counts while it trains, and again when it ends, with its settled average.
 */
export function noteSpeed(run: Run): void {
  // a run that stood still for want of a core measured the other programs, not this computer
  if (run.speedNoted === 'final' || run.starvedOnce || run.macsPerExample <= 0 || !run.last) return
  const ended = !run.active
  if (!ended && run.speedNoted === 'early') return
  const p = run.last
  if ((p.epoch - 1) * p.batches + p.batch < MIN_BATCHES) return
  // a stateful run carries the state in order, on one thread whatever the form said
  const threads = run.settings.stateful ? 1 : run.settings.threads
  const s = measuredSpeed(run.examplesPerSec, run.macsPerExample, threads, run.specName)
  if (!s) return
  labSpeed.record(s)
  run.speedNoted = ended ? 'final' : 'early'
}

/** The app's training state. */
export const trainLab = new TrainLab()

/** A Start refused for its threads: the count asked for, the network it was asked for, and the fix said at the field. */
export interface ThreadsRefused { threads: number; spec: NetSpec; text: Msg | string }

/** The Threads field's part of a refused Start: the fix the refusal names, for the count `s` asked for; null for any other refusal. */
export function threadsRefusal(e: LabError, s: TrainSettings, spec: NetSpec): ThreadsRefused | null {
  if (e.code !== 'train-failed' || e.path !== 'settings.threads') return null
  const fits = e.params?.fits
  // a host that names no count that fits: the refusal's own words, which say what to change
  return { threads: s.threads, spec, text: fits === undefined ? refusal(e) : msg('train.threadsRefused', { fix: threadsFix(fits) }) }
}

/** A refusal from the host in the page's language; the host's raw words (a code the page cannot word) after a translated lead. */
function hostError(e: LabError): Msg {
  return refusalShown(e, 'train.errHost')
}
