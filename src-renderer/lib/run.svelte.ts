/**
 * One training run and everything it reported (Run): its loss curve, epoch reports, snapshots, progress and what it
 * continues; with the helpers that read a run (epochsTrained, progressOf, formatLr). The page's list of runs, the form
 * and the host's traffic are lib/train.svelte.ts (TrainLab); what follows a divergence, lib/divergence.ts.
 *
 * Conventions read from the worker's events: BatchPoint.epoch is 1-based and BatchPoint.batch is the
 * number of batches finished in that epoch (1..batches), so a point sits at x = epoch − 1 + batch/batches.
 */
import type { BatchPoint, DivergenceFacts, EpochReport, ImageStack, OptimizerName, RunState, Snapshot, TrainSettings } from '../../src-engine/protocol'
import type { NetSpec } from '../../src-engine/spec-types'
import { CurveThinner, MAX_CURVE_POINTS } from '../../src-engine/train/loss-curve'
import { toFloat32 } from './lab'
import type { Msg } from '../i18n/index.svelte'
import type { NetKind } from './train-form'

/** Typed arrays may arrive as plain arrays, index-keyed objects or base64 (JSON transport); give a Float32Array. */
export const asFloats = toFloat32

/** Run colours, distinct in both themes; a run keeps its colour for its whole life. */
export const RUN_COLORS = ['#3f7be0', '#e0663f', '#2fa36b', '#a04fd1', '#d4a017', '#e0457b', '#2ab3c0', '#7a8499']

/** A run's loss curve keeps at most this many points (see CurveThinner). */
export const MAX_BATCH_POINTS = MAX_CURVE_POINTS

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
  // every epoch ends with a held-out evaluation, this one's included (batch points come before it): the time left
  // counts them too, or it ran out well before the run did (Q2's G6: "0:19 left" with 29 s to go)
  const evalsLeft = Math.max(0, epochs - last.epoch + 1)
  const evalSeconds = Number.isFinite(last.evalSeconds) && last.evalSeconds! > 0 ? last.evalSeconds! : 0
  const etaSeconds = state === 'done' ? 0 : examplesPerSec > 0 ? remainingExamples / examplesPerSec + evalsLeft * evalSeconds : null
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
    gates: s.gates?.map((g) => ({ name: g.name, t: g.t, h: g.h, ...(g.total !== undefined ? { total: g.total } : {}), data: asFloats(g.data) })),
    reconstructions: s.reconstructions ? { inputs: normStack(s.reconstructions.inputs), outputs: normStack(s.reconstructions.outputs) } : undefined,
    codes: s.codes ? { ...s.codes, points: asFloats(s.codes.points), labels: asFloats(s.codes.labels) } : undefined
  }
}

/** What a run that continues another starts from: where its epochs sit and whose run it carries on. */
export interface Continues {
  /** The continued run's id. */
  runId: string
  /** Its number when the link was made; null when it was not listed (a reopened project that had dropped it). The
   * legend names the run as the list holds it now (run-label.ts runName: one removed since is "an earlier run"). The
   * continuation keeps that run's colour. */
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

/** What the model held before a run is to that run (Run.before). */
export type BeforeModel = 'start' | 'same' | 'other'

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
  /**
   * What the model the host puts back after this run diverged ('before') would be, known at the start (one fact: it
   * was two flags, fromModel and heldFitsBefore, the second including the first). 'start': the model this run started
   * from (a continuation, or the editor's "keep the weights"), so continuing from it carries on where the run began.
   * 'same': started fresh while the page's network already had a trained model (project.trained): this network's, kept,
   * but not where the run began. 'other': another network's (the learner changed the network and started it fresh),
   * which nothing on the page can draw with, export or continue.
   */
  before: BeforeModel = 'other'
  /** After a divergence: the host put back a model that is not this run's network (kept 'before', before 'other'). */
  keptOther = $state(false)
  /**
   * A run taken over (lib/attach-run.ts) that trains another network than the editor's (the learner's edited draft, a
   * page with runs of its own): the model it makes is not the editor's network's, so its batches do not mark that trained.
   */
  otherNet = false
  state = $state<RunState>('idle')
  /** The control asked for, whatever came since (pending says it only while the run can still change). */
  #asked = $state<'pause' | 'resume' | 'stop' | null>(null)
  /**
   * A control the host accepted but whose state event has not come yet (the batch in flight finishes first). Only while
   * the run is active: a run that ended some other way (an error event, another run started, a reconnection that found
   * it over) waits for nothing, so no button stays "Pausing…" for a state that will never come.
   */
  get pending(): 'pause' | 'resume' | 'stop' | null {
    return this.active ? this.#asked : null
  }
  set pending(v: 'pause' | 'resume' | 'stop' | null) {
    this.#asked = v
  }
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
   * The network the run trained (a run restored from a project or the host's history has it when that kept it; older
   * projects keep only its name): the legend tells a preset changed in the editor, which keeps the preset's name, from
   * the preset itself, and the charts tell runs of other networks by it (run-label.ts sameNetwork).
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
    let p = progressOf(this.last, this.settings, this.examplesPerSec, this.state)
    const off = this.epochOffset
    // a run restored from a project or the autosave has no latest batch point: how far it trained is its epochs and
    // curve (a recovered run read 'epoch 0 / 3' beside its epoch-3 tiles, Q1's F2)
    if (!this.last && this.state !== 'done') {
      const n = Math.min(epochsTrained(this) - off, p.epochs)
      if (n > 0) p = { ...p, epoch: n, fraction: p.epochs > 0 ? n / p.epochs : 0 }
    }
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

  /** A curve taken over as the host thinned it (train:current): its points stand for `stride` batches each, and so will the next. */
  set batchStride(stride: number) {
    if (Number.isInteger(stride) && stride >= 1) this.curve.stride = stride
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
