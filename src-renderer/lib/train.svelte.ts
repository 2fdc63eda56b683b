/**
 * State of the training page: the runs trained this session (overlaid on the charts), the form of
 * hyperparameters, and the live telemetry from the host. All host traffic goes through a LabApi
 * handed to `connect`, so tests drive this class with a fake.
 *
 * Conventions read from the worker's events: BatchPoint.epoch is 1-based and BatchPoint.batch is the
 * number of batches finished in that epoch (1..batches), so a point sits at x = epoch − 1 + batch/batches.
 */
import type { AutoencoderViews, LabApi, LabError, LabEvent, PresetInfo, Result } from '../../src-main/ipc/contract'
import type {
  BatchPoint, DataSource, DivergenceFacts, EpochReport, ImageStack, OptimizerName, RunState, Snapshot, TrainingPriority, TrainSettings
} from '../../src-engine/protocol'
import type { NetSpec, SpecReport } from '../../src-engine/spec-types'
import { CurveThinner, MAX_CURVE_POINTS } from '../../src-engine/train/loss-curve'
import { toFloat32 } from './lab'
import { refusal } from './lab-errors'
import { msg, type Msg } from '../i18n/index.svelte'
import { project } from './project.svelte'
import { drawings } from './drawings.svelte'
import { labSpeed, measuredSpeed, MIN_BATCHES } from './speed.svelte'
import { validateSpec } from '../components/editor/engine'
import { sameSpec } from './same-spec'

/** Typed arrays may arrive as plain arrays, index-keyed objects or base64 (JSON transport); give a Float32Array. */
export const asFloats = toFloat32

export const OPTIMIZERS: readonly OptimizerName[] = ['SGD', 'Momentum', 'Nesterov', 'AdaGrad', 'RMSProp', 'Adam']

/** The training page's words for each priority (protocol.ts TRAINING_PRIORITIES; a new one is a type error here until worded). */
export const PRIORITY_TEXT: Record<TrainingPriority, { label: string; help: string }> = {
  low: { label: 'train.priorityLow', help: 'train.priorityLowHelp' },
  normal: { label: 'train.priorityNormal', help: 'train.priorityNormalHelp' }
}

/** Run colours, distinct in both themes; a run keeps its colour for its whole life. */
export const RUN_COLORS = ['#3f7be0', '#e0663f', '#2fa36b', '#a04fd1', '#d4a017', '#e0457b', '#2ab3c0', '#7a8499']

/** Older finished runs are dropped beyond this many, so the overlay stays readable. */
export const MAX_RUNS = 6

/** A run's loss curve keeps at most this many points (see CurveThinner). */
export const MAX_BATCH_POINTS = MAX_CURVE_POINTS

/** Events for a run id we have not heard of yet (the start reply can arrive after the first events). */
const MAX_PENDING = 200

export type DataKind = DataSource['kind']

/** The hyperparameter form, bound to the inputs. */
export interface TrainForm {
  dataKind: DataKind
  idxDir: string
  textFile: string
  optimizer: OptimizerName
  lr: number
  batchSize: number
  epochs: number
  weightDecay: number
  seed: number
  threads: number
  /** Gradient clipping by global norm; 0 = off. */
  clip: number
  /** Language models with an LSTM/RNN: read the text in order and carry the state across batches (truncated BPTT). */
  stateful: boolean
  /** How the training threads share the CPU: 'low' lets other programs go first, 'normal' shares the cores equally. */
  priority: TrainingPriority
  /**
   * The image data the learner chose last: the digits, or 'idx' their folder. It follows dataKind while that is
   * images and stays while a language model trains on a text, so a network that takes images again goes back to it
   * (carryData).
   */
  imageKind: ImageKind
}

/** The image data a network that is not a language model trains on: the built-in digits or an IDX folder. */
export type ImageKind = Exclude<DataKind, 'text'>

/** The data part of the form, carried whole across architecture edits (carryData): what to train on and the paths. */
export type DataChoice = Pick<TrainForm, 'dataKind' | 'idxDir' | 'textFile' | 'imageKind'>

/** Exponential moving average with bias correction (so the first points are not pulled to 0).
 * `s` in [0, 1): 0 = raw. Non-finite values are skipped: the smoothed line holds its last value. */
export function ema(values: ArrayLike<number>, s: number): number[] {
  const out = new Array<number>(values.length)
  const k = Math.min(Math.max(s, 0), 0.999)
  let acc = 0
  let weight = 0
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (Number.isFinite(v)) {
      acc = acc * k + (1 - k) * v
      weight = weight * k + (1 - k)
    }
    out[i] = weight > 0 ? acc / weight : NaN
  }
  return out
}

/** Where a batch point sits on the x axis, in epochs. */
export function epochPosition(p: BatchPoint): number {
  return p.batches > 0 ? p.epoch - 1 + p.batch / p.batches : p.epoch
}

export interface Progress {
  epoch: number
  epochs: number
  batch: number
  batches: number
  /** 0..1 over the whole run. */
  fraction: number
  examplesPerSec: number
  /** null until there is a speed to go by. */
  etaSeconds: number | null
}

/** Progress through a run from its latest batch point and its settings. */
export function progressOf(last: BatchPoint | null, settings: TrainSettings, examplesPerSec: number, state: RunState): Progress {
  const epochs = settings.epochs
  if (!last) {
    const done = state === 'done'
    return { epoch: done ? epochs : 0, epochs, batch: 0, batches: 0, fraction: done ? 1 : 0, examplesPerSec: 0, etaSeconds: null }
  }
  const totalBatches = last.batches * epochs
  const doneBatches = Math.min((last.epoch - 1) * last.batches + last.batch, totalBatches)
  const fraction = state === 'done' ? 1 : totalBatches > 0 ? doneBatches / totalBatches : 0
  const remainingExamples = (totalBatches - doneBatches) * settings.batchSize
  const etaSeconds = state === 'done' ? 0 : examplesPerSec > 0 ? remainingExamples / examplesPerSec : null
  return { epoch: last.epoch, epochs, batch: last.batch, batches: last.batches, fraction, examplesPerSec, etaSeconds }
}

/** 75 → "1:15", 3725 → "1:02:05". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const ss = String(s % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`
}

/** Learning rates are shown the way learners type them: 0.001, 1e-5. */
export function formatLr(lr: number): string {
  if (lr === 0) return '0'
  return lr >= 1e-4 ? String(Number(lr.toPrecision(3))) : lr.toExponential(1)
}

function normStack(s: ImageStack): ImageStack {
  return { count: s.count, h: s.h, w: s.w, data: asFloats(s.data) }
}

/** The same snapshot with every array as a Float32Array. */
export function normSnapshot(s: Snapshot): Snapshot {
  return {
    filters: s.filters ? normStack(s.filters) : undefined,
    featureMaps: s.featureMaps?.map((m) => ({ layer: m.layer, shape: m.shape, maps: normStack(m.maps) })),
    gates: s.gates?.map((g) => ({ name: g.name, t: g.t, h: g.h, data: asFloats(g.data) })),
    reconstructions: s.reconstructions ? { inputs: normStack(s.reconstructions.inputs), outputs: normStack(s.reconstructions.outputs) } : undefined,
    codes: s.codes ? { ...s.codes, points: asFloats(s.codes.points), labels: asFloats(s.codes.labels) } : undefined
  }
}

/** Is this spec a language model (perplexity instead of accuracy, text data)? */
export function isLanguageModel(spec: NetSpec | null): boolean {
  if (!spec) return false
  return spec.task === 'language-model' || spec.layers.some((l) => l.type === 'TimeEmbedding')
}

/** Is `spec` a preset's own network as it came (a preset chosen and not edited since), rather than one built from it? */
export function isPresetAsIs(spec: NetSpec | null, preset: { spec: NetSpec } | null): boolean {
  return !!spec && !!preset && sameSpec(spec, preset.spec)
}

/** What a network reports after each epoch: accuracy (a classifier), perplexity (a language model) or the
 * held-out reconstruction error (an autoencoder, task "reconstruct"). */
export type NetKind = 'classifier' | 'language-model' | 'autoencoder'

export function netKind(spec: NetSpec | null): NetKind {
  return isLanguageModel(spec) ? 'language-model' : spec?.task === 'reconstruct' ? 'autoencoder' : 'classifier'
}

/** Can this network train statefully (a language model with a TimeLSTM or TimeRNN to carry the state)? */
export function canTrainStateful(spec: NetSpec | null): boolean {
  return isLanguageModel(spec) && !!spec?.layers.some((l) => l.type === 'TimeLSTM' || l.type === 'TimeRNN')
}

/** One-click defaults for a network: its preset's training settings when it came from one, else the
 * settings the course uses for its kind, kept short enough to watch. */
export function defaultsFor(spec: NetSpec | null, threads: number, preset?: PresetInfo | null): TrainForm {
  const base: TrainForm = {
    dataKind: 'mnist', idxDir: '/usr/share/datasets/fashion-mnist', textFile: 'builtin',
    optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 5, weightDecay: 0, seed: 42, threads: Math.max(1, threads), clip: 0,
    stateful: false, priority: 'low', imageKind: 'mnist'
  }
  let f = base
  if (spec && isLanguageModel(spec)) f = { ...base, dataKind: 'text', lr: 0.005, batchSize: 20, epochs: 10, clip: 5 }
  else if (spec?.layers.some((l) => l.type === 'TimeLSTM' || l.type === 'TimeRNN')) f = { ...base, batchSize: 64, epochs: 3, clip: 5 }
  else if (spec?.task === 'reconstruct') f = { ...base, batchSize: 64 }
  const d = preset?.defaults
  if (d) f = { ...f, optimizer: d.optimizer, lr: d.lr, batchSize: d.batchSize, epochs: d.epochs, clip: d.clip ?? f.clip }
  return f
}

/**
 * A setting the learner chose that an edited network can no longer use, so the form went back to the network's own
 * ('data-folder': their text, for the IDX folder they had chosen before the network became a language model).
 */
export type FormDrop = 'data-text' | 'data-images' | 'data-folder' | 'stateful'

/**
 * The data choice after the architecture was edited (`keep`, the form's; `was`, the defaults it was filled with; `d`,
 * the edited network's defaults), carried whole: the kind, both paths and the image data chosen last are the learner's.
 * Only a kind that no longer fits goes back to the network's own: a language model trains on a text, anything else on
 * images, the learner's IDX folder when they had chosen it before the text and its path is still there, else the
 * digits. The change is named (`dropped`) when it leaves data the learner chose (a folder, an uploaded text, a kind
 * picked in the form) or goes back to their folder; the built-in data following the network is not worth a word.
 */
export function carryData(keep: DataChoice, was: DataKind, d: DataChoice): { data: DataChoice; dropped: FormDrop | null } {
  const imageKind = keep.dataKind === 'text' ? keep.imageKind : keep.dataKind
  const data: DataChoice = { dataKind: keep.dataKind, idxDir: keep.idxDir || d.idxDir, textFile: keep.textFile || d.textFile, imageKind }
  const text = d.dataKind === 'text'
  if ((keep.dataKind === 'text') === text) return { data, dropped: null }
  const folder = !text && imageKind === 'idx' && data.idxDir.trim() !== ''
  data.dataKind = text ? 'text' : folder ? 'idx' : d.dataKind
  const own = keep.dataKind === 'idx' || (keep.dataKind === 'text' && keep.textFile.trim() !== 'builtin') || keep.dataKind !== was
  return { data, dropped: text ? (own ? 'data-text' : null) : folder ? 'data-folder' : own ? 'data-images' : null }
}

/**
 * The form after the architecture was edited: every setting the learner chose (it differs from the defaults the
 * form was filled with, `was`) is kept, the rest take the edited network's defaults `d` (a network that became a
 * language model gets its lr, batch and clipping). The data choice is carried whole (carryData) and the priority is
 * always the learner's. What no longer fits goes back to the network's own and is named in `dropped`: data of the
 * wrong kind and stateful training without a TimeLSTM/TimeRNN to carry.
 */
export function carryForm(keep: TrainForm, was: TrainForm, d: TrainForm, spec: NetSpec | null): { form: TrainForm; dropped: FormDrop[] } {
  const form = { ...d }
  const out = form as unknown as Record<string, unknown>
  const kept = keep as unknown as Record<string, unknown>
  const old = was as unknown as Record<string, unknown>
  for (const k of Object.keys(form)) if (kept[k] !== old[k]) out[k] = kept[k]
  form.priority = keep.priority
  const { data, dropped: lost } = carryData(keep, was.dataKind, d)
  Object.assign(form, data)
  const dropped: FormDrop[] = lost ? [lost] : []
  if (form.stateful && !canTrainStateful(spec)) {
    form.stateful = false
    dropped.push('stateful')
  }
  return { form, dropped }
}

/** The settings the host gets from the form. */
export function settingsFromForm(f: TrainForm): TrainSettings {
  const data: DataSource =
    f.dataKind === 'idx' ? { kind: 'idx', dir: f.idxDir.trim() }
      : f.dataKind === 'text' ? { kind: 'text', file: f.textFile.trim() || 'builtin' }
        : { kind: 'mnist' }
  return {
    data, optimizer: f.optimizer, lr: f.lr, batchSize: Math.round(f.batchSize), epochs: Math.round(f.epochs),
    weightDecay: f.weightDecay, seed: Math.round(f.seed), threads: Math.round(f.threads),
    ...(f.clip > 0 ? { clip: f.clip } : {}),
    ...(f.stateful && f.dataKind === 'text' ? { stateful: true } : {}),
    priority: f.priority
  }
}

/**
 * The learner's labelled drawings (draw page) join the training set of a digit classifier trained on
 * the built-in digits; other runs are left as they are.
 */
export function withDrawings(s: TrainSettings, spec: NetSpec): TrainSettings {
  const list = drawings.list
  const digits = spec.input.length === 3 && spec.input[0] === 1 && spec.input[1] === 28 && spec.input[2] === 28
  if (list.length === 0 || s.data.kind !== 'mnist' || !digits || (spec.task ?? 'classify') !== 'classify' || s.extra) return s
  return { ...s, extra: { images: list.flatMap((d) => d.image), labels: list.map((d) => d.label) } }
}

/** Problems with the form, as i18n keys; empty when it can be sent. */
export function formProblems(f: TrainForm): string[] {
  const out: string[] = []
  if (!(f.lr > 0 && f.lr <= 10)) out.push('train.errLr')
  if (!(Number.isInteger(f.batchSize) && f.batchSize >= 1 && f.batchSize <= 4096)) out.push('train.errBatch')
  if (!(Number.isInteger(f.epochs) && f.epochs >= 1 && f.epochs <= 1000)) out.push('train.errEpochs')
  if (!(f.weightDecay >= 0 && f.weightDecay < 1)) out.push('train.errDecay')
  if (!(Number.isInteger(f.seed) && f.seed >= 0)) out.push('train.errSeed')
  if (!(Number.isInteger(f.threads) && f.threads >= 1 && f.threads <= 64)) out.push('train.errThreads')
  if (!(f.clip >= 0)) out.push('train.errClip')
  if (f.dataKind === 'idx' && !f.idxDir.trim()) out.push('train.errIdx')
  if (f.stateful && f.dataKind !== 'text') out.push('train.errStateful')
  return out
}

/** What a run that continues another starts from: where its epochs sit and whose run it carries on. */
export interface Continues {
  /** The continued run's id. */
  runId: string
  /** Its number (legend "continues #n"); null when it is no longer listed (a reopened project that had
   * dropped it). The continuation keeps that run's colour. */
  index: number | null
  color: string
  /** Epochs already trained: the continuation's epoch k is shown as epoch offset + k. */
  epochOffset: number
  /**
   * Where its loss curve begins, in epochs, when that is not epochOffset: weights kept part-way through an epoch
   * (a divergence at epoch 2, mini-batch 141 kept batch 140: 1.23). Its epochs are numbered from the interrupted one,
   * which it trains again; the curve goes on from the kept batch, with no gap before it.
   */
  xOffset?: number
  /** The optimizer changed, so its state (Adam's moments, step count) starts fresh: from → to. The same name on both
   * sides: the model had no state to carry (weights kept after a divergence: continueFromKept). */
  optimizerFresh: { from: OptimizerName; to: OptimizerName } | null
}

/** How many epochs a run has trained, for numbering a continuation: a run stopped part-way through an
 * epoch counts that epoch (its batch line ends there; the continuation's epochs start after it). */
export function epochsTrained(r: Run): number {
  let x = r.latestEpoch?.epoch ?? r.epochOffset
  // the curve's positions, in the epochs' numbering (a continuation from a kept batch begins part-way: xOffset)
  const shift = r.xOffset - r.epochOffset
  for (let i = r.batchX.length - 1; i >= 0; i--) {
    const v = r.batchX[i] - shift
    if (Number.isFinite(v)) {
      x = Math.max(x, Math.ceil(v - 1e-9))
      break
    }
  }
  // the latest batch itself (a long run's curve stores means of several batches, the last few not yet)
  if (r.last) x = Math.max(x, Math.ceil(r.nowX - shift - 1e-9))
  return x
}

/**
 * Where a continuation from a diverged run's kept weights begins: numbered (epochOffset) and on the curve (xOffset).
 * The run's own last good weights ('run', epoch e, mini-batch b of B) sit at e − 1 + b/B of its epochs: the
 * continuation trains epoch e again (numbered from it) from that point of the curve; they were numbered after epoch
 * e, a gap on the loss curve and a missing epoch on the epoch chart (or, kept at an epoch's end, one epoch too many).
 * The model before the run ('before') is where the run began.
 */
export function keptStart(r: Run): { epochOffset: number; xOffset: number } {
  const k = r.divergence?.kept
  if (k?.from === 'before') return { epochOffset: r.epochOffset, xOffset: r.xOffset }
  const batches = r.last?.batches ?? 0
  if (k?.from === 'run' && batches > 0) {
    const whole = k.batch >= batches
    return { epochOffset: r.epochOffset + k.epoch - (whole ? 0 : 1), xOffset: r.xOffset + k.epoch - 1 + Math.min(k.batch, batches) / batches }
  }
  const n = epochsTrained(r)
  return { epochOffset: n, xOffset: n }
}

/** One training run and everything it reported. Big series are raw state, replaced on each append. */
export class Run {
  readonly id: string
  readonly index: number
  readonly color: string
  readonly settings: TrainSettings
  readonly specName: string
  /** What the run's network reports (known from its start, before its first epoch report). */
  readonly kind: NetKind
  /** The run this one continues (same weights and, unless the optimizer changed, optimizer state), or null. */
  readonly continues: Continues | null
  /** Epochs trained before this run began (its reports are numbered on by this). */
  readonly epochOffset: number
  /** Where its loss curve begins, in epochs (its points are stored shifted by this): epochOffset, or part-way through
   * an epoch for a continuation from weights kept mid-epoch (Continues.xOffset). */
  readonly xOffset: number
  /** Started from the host's model (a continuation, or the editor's "keep the weights"), not from fresh weights:
   * a model the host puts back after this run diverged ('before') is then the one this run started from. */
  fromModel = false
  /** Started fresh while the page's network already had a trained model held (project.trained): a model the host puts
   * back after this run diverged ('before') is then this network's. Otherwise it is another network's (the learner
   * changed the network and started it fresh), which nothing on the page can draw with, export or continue. */
  heldFitsBefore = false
  /** After a divergence: the host put back a model that is not this run's network ('before', !heldFitsBefore). */
  keptOther = $state(false)
  state = $state<RunState>('idle')
  /** A control the host accepted but whose state event has not come yet (the batch in flight finishes first). */
  pending = $state<'pause' | 'resume' | 'stop' | null>(null)
  message = $state<string | null>(null)
  /** The error event that ended the run, worded by the page when it can (lib/lab-errors.ts), else its English message. */
  failure = $state.raw<Msg | string | null>(null)
  diverged = $state(false)
  /** The host's last word (its `cpu` event): other programs keep every core busy, so the run stands still. */
  cpuStarved = $state(false)
  /** Running but standing still for want of a core: only while it runs, whoever set the state last (host or page). */
  get starved(): boolean {
    return this.cpuStarved && this.state === 'running'
  }
  /** A diverged run's facts (the banner words them in the page's language), or null: then `message` is shown. */
  divergence = $state.raw<DivergenceFacts | null>(null)
  visible = $state(true)
  /** The learning rate in force now (changed live with set-lr). */
  lr = $state(0)
  /** Live lr changes, at x in epochs. */
  lrChanges = $state.raw<{ x: number; lr: number }[]>([])
  /** The loss curve: positions in epochs and losses, at most MAX_BATCH_POINTS of them. */
  batchX = $state.raw<number[]>([])
  batchLoss = $state.raw<number[]>([])
  /** Merges the curve's points once it reaches MAX_BATCH_POINTS. */
  private readonly curve = new CurveThinner()
  epochs = $state.raw<EpochReport[]>([])
  last = $state.raw<BatchPoint | null>(null)
  /** Smoothed examples per second, for the ETA. */
  examplesPerSec = $state(0)
  snapshot = $state.raw<Snapshot | null>(null)
  /** The first filters this run reported: what the initialisation looked like. */
  initialFilters = $state.raw<ImageStack | null>(null)
  /** Count of snapshots received, so views can tell a new one arrived. */
  snapshots = $state(0)
  /** Forward multiply-adds per example of the run's network (0: not known, a run restored from a project). */
  macsPerExample = 0
  /**
   * The network the run trained, when this page started it (a run restored from a project keeps only its name): the
   * legend tells a preset changed in the editor, which keeps the preset's name, from the preset itself.
   */
  spec: NetSpec | null = null
  /** Whether this run's speed was given to labSpeed: once past MIN_BATCHES, and again when it ends. */
  speedNoted: 'no' | 'early' | 'final' = 'no'
  /** The host said at some point that other programs kept every core busy: its speed is not this computer's. */
  starvedOnce = false

  constructor(id: string, index: number, settings: TrainSettings, specName: string, kind: NetKind, continues: Continues | null = null) {
    this.id = id
    this.index = index
    this.color = continues?.color ?? RUN_COLORS[(index - 1) % RUN_COLORS.length]
    this.settings = settings
    this.specName = specName
    this.kind = kind
    this.lr = settings.lr
    this.continues = continues
    this.epochOffset = continues?.epochOffset ?? 0
    this.xOffset = continues?.xOffset ?? this.epochOffset
  }

  get isLm(): boolean {
    return this.kind === 'language-model'
  }

  /** Still able to change (running or paused). */
  get active(): boolean {
    return this.state === 'running' || this.state === 'paused'
  }

  get latestEpoch(): EpochReport | null {
    return this.epochs.length ? this.epochs[this.epochs.length - 1] : null
  }

  /** Progress counted in the whole training's epochs (a continuation's epoch 1 of 3 after 3 is 4 / 6). */
  get progress(): Progress {
    const p = progressOf(this.last, this.settings, this.examplesPerSec, this.state)
    const off = this.epochOffset
    if (off === 0) return p
    return { ...p, epoch: p.epoch + off, epochs: p.epochs + off, fraction: (off + p.fraction * p.epochs) / (off + p.epochs) }
  }

  addPoints(points: BatchPoint[]): void {
    if (points.length === 0) return
    const xs = this.batchX.slice()
    const ys = this.batchLoss.slice()
    let eps = this.examplesPerSec
    for (const p of points) {
      const x = epochPosition(p) + this.xOffset
      this.curve.push(xs, ys, x, p.loss)
      // a short moving average: individual batches jitter, the ETA should not
      if (Number.isFinite(p.examplesPerSec) && p.examplesPerSec > 0) eps = eps > 0 ? eps * 0.8 + p.examplesPerSec * 0.2 : p.examplesPerSec
    }
    this.batchX = xs
    this.batchLoss = ys
    this.examplesPerSec = eps
    this.last = points[points.length - 1]
  }

  /** Batches per point of the curve: 1, doubled each time the curve reaches MAX_BATCH_POINTS. */
  get batchStride(): number {
    return this.curve.stride
  }

  addEpoch(report: EpochReport): void {
    const shifted = this.epochOffset ? { ...report, epoch: report.epoch + this.epochOffset } : report
    const r = shifted.confidentWrong
      ? { ...shifted, confidentWrong: shifted.confidentWrong.map((w) => ({ ...w, image: { ...w.image, data: asFloats(w.image.data) } })) }
      : shifted
    // a repeated epoch number (resume after a reload) replaces the old report; only the latest report's
    // examples are shown, so earlier ones drop theirs (12 images a report, for up to 1000 epochs)
    const kept = this.epochs.filter((e) => e.epoch !== r.epoch).map(({ confidentWrong: _images, ...e }) => e)
    this.epochs = [...kept, r].sort((a, b) => a.epoch - b.epoch)
  }

  addSnapshot(s: Snapshot): void {
    const snap = normSnapshot(s)
    // keep the last filters and maps when a snapshot carries only part of them
    const prev = this.snapshot
    this.snapshot = {
      filters: snap.filters ?? prev?.filters,
      featureMaps: snap.featureMaps ?? prev?.featureMaps,
      gates: snap.gates ?? prev?.gates,
      reconstructions: snap.reconstructions ?? prev?.reconstructions,
      // the code plane comes at most once a second: keep the last one in between
      codes: snap.codes ?? prev?.codes
    }
    if (!this.initialFilters && snap.filters) this.initialFilters = { ...snap.filters, data: snap.filters.data.slice() }
    this.snapshots++
  }

  /** The x where the run is now, for marking live changes. */
  get nowX(): number {
    return this.last ? epochPosition(this.last) + this.xOffset : this.xOffset
  }
}

export interface Samples { images: number[][]; labels: number[] }

/** Everything on the training page. One instance per app (`trainLab`), fresh ones in tests. */
export class TrainLab {
  runs = $state.raw<Run[]>([])
  currentId = $state<string | null>(null)
  form = $state<TrainForm>(defaultsFor(null, 1))
  /** Loss smoothing for the batch chart, 0..0.99. */
  smoothing = $state(0.6)
  logScale = $state(false)
  /** A request is on its way (buttons wait). */
  busy = $state(false)
  /** The last failed request, as a message for the learner (translated when shown). */
  error = $state.raw<Msg | null>(null)
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

  /** Attach to the host: subscribe to events and load presets, machine info and probe samples. Returns the unsubscribe. */
  connect(api: LabApi): () => void {
    this.api = api
    const off = api.onEvent((e) => this.handle(e))
    void this.loadInfo()
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
  private async call<T>(p: Promise<Result<T>>): Promise<{ value: T } | null> {
    this.busy = true
    try {
      const r = await p
      if (!r.ok) {
        this.error = hostError(r.error)
        return null
      }
      this.error = null
      return { value: r.value }
    } catch (e) {
      this.error = msg('train.errHost', { detail: e instanceof Error ? e.message : String(e) })
      return null
    } finally {
      this.busy = false
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
    const s = settings ?? settingsFromForm(this.form)
    const from = prev.settings.optimizer
    const cont: Continues = {
      runId: prev.id, index: prev.index, color: prev.color, epochOffset: epochsTrained(prev),
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
    if (kept !== 'run' && !(kept === 'before' && r.fromModel)) return null
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
    const payload = fromModel ? { spec, settings: s, from: 'model' as const, ...(cont ? { epochOffset: cont.epochOffset } : {}) } : { spec, settings: s }
    const reply = await this.call(this.api.request('train:start', payload))
    if (!reply) return null
    if (project.weightsChoice !== null) project.weightsChoice = null
    const run = new Run(reply.value.runId, this.nextIndex++, s, spec.name ?? '', netKind(spec), cont)
    const report = this.knownReport(spec) ?? validateSpec(spec)
    run.macsPerExample = report.ok ? report.totalMacs : 0
    run.spec = spec
    run.fromModel = fromModel
    run.heldFitsBefore = fromModel || trainedBefore
    run.state = 'running'
    this.modelRunId = run.id
    this.modelViews = null
    // the host runs one training at a time: an earlier active run is over
    for (const r of this.runs) if (r.active) r.state = 'stopped'
    let runs = [...this.runs, run]
    while (runs.length > MAX_RUNS) {
      const drop = runs.findIndex((r) => !r.active && r !== run)
      if (drop < 0) break
      runs = runs.filter((_, i) => i !== drop)
    }
    this.runs = runs
    this.currentId = run.id
    const early = this.pending.get(run.id)
    this.pending.delete(run.id)
    for (const e of early ?? []) this.handle(e)
    this.pending.clear()
    return run
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

  /** Fetch held-out samples the learner can pick as the probe. */
  async loadSamples(count = 12, seed = 7): Promise<void> {
    if (!this.api) return
    const reply = await this.call(this.api.request('data:samples', { count, seed }))
    if (reply) this.samples = reply.value
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
  }

  /** Drop every finished run except the current one. */
  clearOld(): void {
    this.runs = this.runs.filter((r) => r.active || r.id === this.currentId)
  }

  /** Resolves the waits for runs that have ended. */
  private endWaits(): void {
    const ended = this.ends.filter((e) => !e.run.active)
    if (ended.length === 0) return
    this.ends = this.ends.filter((e) => e.run.active)
    for (const e of ended) e.resolve()
  }

  /** Apply one host event. Unknown run ids are held briefly: the start reply may still be on its way.
   * Errors tied to no run (connection, bad frames) are the app frame's to show; they change no run. */
  handle(e: LabEvent): void {
    const runId = e.runId
    if (runId === null) return
    const run = this.runs.find((r) => r.id === runId)
    if (!run) {
      const q = this.pending.get(runId) ?? []
      if (q.length < MAX_PENDING) q.push(e)
      this.pending.set(runId, q)
      return
    }
    switch (e.type) {
      case 'state':
        run.pending = null
        // a diverged run stays marked failed whatever comes after
        if (!run.diverged || e.state === 'failed') run.state = e.state
        if (e.message) run.message = e.message
        if (e.state !== 'running') run.cpuStarved = false
        this.endWaits()
        break
      case 'batches':
        run.addPoints(e.points)
        // the host now holds a model trained on at least one batch: the draw page can use it
        if (run.id === this.currentId) project.trained = true
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
          if (e.divergence?.kept?.from === 'before' && !run.heldFitsBefore) {
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

/** A refusal from the host, worded in the page's language after a translated lead. */
function hostError(e: LabError): Msg {
  return msg('train.errHost', { detail: refusal(e) })
}

/**
 * The learning rate a diverged run restarts with: the engine's suggestion (the optimizer's usual rate, or a
 * tenth) when its facts carry one below the rate that diverged, else a tenth of the run's rate (older hosts).
 */
export function restartLr(r: Pick<Run, 'lr' | 'divergence'>): number {
  const f = r.divergence
  return f && f.suggestedLr > 0 && f.suggestedLr < f.lr ? f.suggestedLr : Number((r.lr / 10).toPrecision(3))
}
