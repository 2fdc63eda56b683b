/**
 * Runs → chart series for the loss and accuracy charts. Pure (no Chart.js, no DOM) so the overlay logic
 * is tested without a canvas. Labels come from the caller, already translated.
 */
import { SmoothedSeries, type Series, type XY } from '../../lib/chart'
import type { Run } from '../../lib/train.svelte'
import type { EpochReport } from '../../../src-engine/protocol'
import { sameNetwork } from './run-label'
import { trainAccuracy } from '../../lib/train-accuracy'

export interface SeriesNames { run: (r: Run) => string; test: string; train: string }

/** The last epoch report of the run `r` continues (still in the list), so a continuation's per-epoch
 * lines start from where that run ended instead of floating one epoch to its right. */
function bridgeFrom(runs: readonly Run[], r: Run): EpochReport | null {
  const c = r.continues
  if (!c) return null
  const prev = runs.find((x) => x.id === c.runId)
  const last = prev?.latestEpoch ?? null
  return last && last.epoch <= r.epochOffset ? last : null
}

const NONE: ReadonlySet<string> = new Set()

/**
 * The runs (ids) that trained another network than `current`: drawn faint, and left out of the x axis's extent, while
 * the charts fit the current run's network (chart-fit.svelte.ts). Six runs of earlier networks squeezed a short run of
 * the one being trained into the corner of the charts. Runs of the same network (lesson 9's race of optimizers, a
 * continuation) are never among them; with no current run, none are.
 */
export function otherNetworks(runs: readonly Run[], current: Run | null): ReadonlySet<string> {
  if (!current) return NONE
  const ids = runs.filter((r) => !sameNetwork(r, current)).map((r) => r.id)
  return ids.length ? new Set(ids) : NONE
}

/** Per visible run: raw batch loss (faint), smoothed loss, and held-out loss at each epoch's end. */
export function lossSeries(runs: readonly Run[], smoothing: number, caches: Map<string, SmoothedSeries>, names: SeriesNames, dim: ReadonlySet<string> = NONE): Series[] {
  const out: Series[] = []
  for (const id of caches.keys()) if (!runs.some((r) => r.id === id)) caches.delete(id)
  for (const r of runs) {
    if (!r.visible) continue
    let c = caches.get(r.id)
    if (!c) caches.set(r.id, (c = new SmoothedSeries()))
    c.update(r.batchX, r.batchLoss, smoothing, r.batchStride)
    const label = names.run(r)
    const faint = dim.has(r.id) || undefined
    // a dimmed run's series are new datasets (key): Chart.js kept the dots' colour of a dataset drawn before
    const id = faint ? `${r.id}:dim` : r.id
    if (smoothing > 0) out.push({ key: `${id}:raw`, label, color: r.color, points: c.raw, width: 1, faint: true })
    out.push({ key: `${id}:loss`, label, tip: `#${r.index}`, tipRun: label, color: r.color, points: smoothing > 0 ? c.smooth : c.raw, width: 2, faint })
    const bridge = bridgeFrom(runs, r)
    // on this chart an epoch's held-out loss sits where its batches end: a continuation from weights kept part-way
    // through an epoch (Run.xOffset) ends its epochs that far past their numbers
    const shift = r.xOffset - r.epochOffset
    // the bridge is the run before's last report, on that run's own dot
    const prev = bridge ? runs.find((x) => x.id === r.continues?.runId) : undefined
    const bridgeShift = prev ? prev.xOffset - prev.epochOffset : 0
    const at = (e: EpochReport): number => (e === bridge ? e.epoch + bridgeShift : e.epoch + shift)
    const test: XY[] = (bridge && r.epochs.length ? [bridge, ...r.epochs] : r.epochs).filter((e) => Number.isFinite(e.testLoss)).map((e) => ({ x: at(e), y: e.testLoss }))
    if (test.length) out.push({ key: `${id}:test`, label: `${label} · ${names.test}`, tip: `#${r.index} · ${names.test}`, tipRun: label, color: r.color, points: test, width: 1.5, dash: [5, 4], pointRadius: 3, faint })
  }
  return out
}

export type EpochMetric = 'accuracy' | 'perplexity' | 'reconstruction'

/** Per visible run: held-out (solid) and training (dashed) accuracy per epoch, perplexity for language
 * models, or the held-out reconstruction error (MSE per pixel) for autoencoders. */
export function epochSeries(runs: readonly Run[], metric: EpochMetric, names: SeriesNames, dim: ReadonlySet<string> = NONE): Series[] {
  const out: Series[] = []
  for (const r of runs) {
    if (!r.visible || r.isLm !== (metric === 'perplexity')) continue
    const label = names.run(r)
    const test: XY[] = []
    const train: XY[] = []
    const bridge = bridgeFrom(runs, r)
    for (const e of bridge && r.epochs.length ? [bridge, ...r.epochs] : r.epochs) {
      if (metric === 'perplexity') {
        if (e.perplexity != null && Number.isFinite(e.perplexity)) test.push({ x: e.epoch, y: e.perplexity })
      } else if (metric === 'reconstruction') {
        if (e.reconstructionMse != null && Number.isFinite(e.reconstructionMse)) test.push({ x: e.epoch, y: e.reconstructionMse })
      } else {
        if (e.testAcc != null) test.push({ x: e.epoch, y: e.testAcc })
        const trainAcc = trainAccuracy(e)
        if (trainAcc !== null) train.push({ x: e.epoch, y: trainAcc })
      }
    }
    const faint = dim.has(r.id) || undefined
    // new datasets for a dimmed run, as in lossSeries
    const id = faint ? `${r.id}:dim` : r.id
    // the tooltip names the run by its number and the line (test, train), with the run's whole name under the values
    out.push({ key: `${id}:test`, label: `${label} · ${names.test}`, tip: `#${r.index} · ${names.test}`, tipRun: label, color: r.color, points: test, width: 2, pointRadius: 3, faint })
    if (train.length) out.push({ key: `${id}:train`, label: `${label} · ${names.train}`, tip: `#${r.index} · ${names.train}`, tipRun: label, color: r.color, points: train, width: 1.5, dash: [5, 4], pointRadius: 2, faint })
  }
  return out
}

/** The x axis of an empty chart: the form's epochs when they make sense (the learner may be typing). */
export function plannedByForm(epochs: number): number {
  return Number.isInteger(epochs) && epochs >= 1 && epochs <= 1000 ? epochs : 1
}

/** How far the x axis is planned to reach: while a run trains, the epochs it plans (a continuation's
 * numbered on, after those it continues); with only finished runs 0, so the axis zooms to their data;
 * before the first run, the epochs the form asks for. `curve`: the loss curve's axis, where a continuation from
 * weights kept part-way through an epoch ends that far past its numbers (Run.xOffset). */
export function plannedEpochs(runs: readonly Run[], formEpochs: number, curve = false): number {
  if (runs.length === 0) return plannedByForm(formEpochs)
  return Math.max(0, ...runs.filter((r) => r.visible && r.active).map((r) => (curve ? r.xOffset : r.epochOffset) + r.settings.epochs))
}

/**
 * Largest finite x among the series (the x axis grows with training; at least `min`). Faint series do not stretch it:
 * another network's runs dimmed (otherNetworks), and a run's raw loss, which ends where its smoothed line does.
 */
export function xExtent(series: readonly Series[], min = 1): number {
  let m = min
  for (const s of series) {
    if (s.faint) continue
    const last = s.points[s.points.length - 1]
    if (last && Number.isFinite(last.x) && last.x > m) m = last.x
  }
  return m
}
