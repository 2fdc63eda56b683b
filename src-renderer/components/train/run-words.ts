/**
 * A run's figures in words and in rows, for what cannot be read off a canvas or a moving bar (Q6's F2, F8, F9): what the
 * progress card announces (an epoch's end, the end of the run, one stepped mini-batch), the epoch chart's and the loss
 * chart's "Show as table", in the page's language.
 */
import { t } from '../../i18n/index.svelte'
import { percent } from '../../lib/percent'
import { formatLr, type Run } from '../../lib/run.svelte'
import { trainAccuracy } from '../../lib/train-accuracy'
import { runName } from './run-label'
import type { EpochReport } from '../../../src-engine/protocol'

const fixed = (v: number | null | undefined, digits: number): string =>
  v == null || !Number.isFinite(v) ? t('train.noValue') : v.toFixed(digits)

/** An epoch's headline figure: the test accuracy, a language model's perplexity, an autoencoder's reconstruction error, else the test loss. */
export function epochResult(r: Run, e: EpochReport): string {
  if (r.kind === 'language-model' && e.perplexity != null && Number.isFinite(e.perplexity)) return t('train.saidPpl', { v: e.perplexity.toFixed(2) })
  if (r.kind === 'autoencoder' && e.reconstructionMse != null && Number.isFinite(e.reconstructionMse)) return t('train.saidMse', { v: e.reconstructionMse.toFixed(4) })
  if (e.testAcc != null && Number.isFinite(e.testAcc)) return t('train.saidAcc', { v: percent(e.testAcc) })
  return t('train.saidLoss', { v: fixed(e.testLoss, 4) })
}

/** Said when an epoch ends: "Epoch 2 of 3 done: test accuracy 95.4%." (numbered in the whole training, as the progress line). */
export function epochSaid(r: Run, e: EpochReport): string {
  return t('train.saidEpoch', { e: e.epoch, epochs: r.progress.epochs, result: epochResult(r, e) })
}

/** Said when the run finishes: its last epoch's result (null when it reported none). */
export function doneSaid(r: Run): string | null {
  const e = r.latestEpoch
  return e ? t('train.saidDone', { e: e.epoch, result: epochResult(r, e) }) : null
}

/** The last mini-batch's loss as the progress line shows it, or null when there is none to show. */
export function lastLoss(r: Run): string | null {
  const l = r.last?.loss
  return l != null && Number.isFinite(l) ? l.toFixed(4) : null
}

/** Said when one mini-batch was stepped while paused: "Mini-batch 3 of 80: loss 2.5559." */
export function stepSaid(r: Run): string | null {
  const loss = lastLoss(r)
  const p = r.last
  return p && loss !== null ? t('train.saidStep', { batch: p.batch, batches: p.batches, loss }) : null
}

/**
 * The learning rate an epoch trained with, as its report records it (EpochReport.lr, kept with the run's history, so a
 * page loaded again, a second window and a reopened project show it too): the rate of its first mini-batch and, when it
 * was changed live during the epoch, each rate after ("0.002 → 0.0005"); changes the report left out (more than it
 * keeps) counted in their place ("0.002 → 3 more → 0.001"). An epoch saved before the rate was recorded says so: the
 * starting rate would be a guess for an epoch a live change may have trained at another.
 */
export function epochLr(e: EpochReport): string {
  const lr = e.lr
  if (!lr || lr.length === 0) return t('train.tableLrNone')
  const words = lr.map(formatLr)
  if (e.lrLeftOut) words.splice(1, 0, t('train.tableLrMore', { n: e.lrLeftOut }))
  return words.join(' → ')
}

/** Said under a run's epoch table when some of its epochs have no recorded rate: where it started, not how it went on. */
function lrNote(r: Run): string | undefined {
  return r.epochs.some((e) => !e.lr?.length) ? t('train.tableLrOld', { lr: formatLr(r.settings.lr) }) : undefined
}

/** What a run's epoch table shows beside the test loss: its kind's figures. */
export type TableKind = 'accuracy' | 'perplexity' | 'reconstruction'

export function tableKind(r: Run): TableKind {
  return r.kind === 'language-model' ? 'perplexity' : r.kind === 'autoencoder' ? 'reconstruction' : 'accuracy'
}

/** One row of the epoch table: every figure already written out. */
export interface EpochRow { epoch: number; train: string; test: string; testLoss: string; seconds: string; lr: string }

/** The epoch table's rows of one run, in its kind's figures (a classifier's accuracies; a language model's training loss and perplexity…). */
export function epochRows(r: Run): EpochRow[] {
  const kind = tableKind(r)
  return r.epochs.map((e) => {
    const train = kind === 'accuracy' ? trainAccuracy(e) : null
    return {
      epoch: e.epoch,
      train: kind === 'accuracy' ? (train === null ? t('train.noValue') : percent(train)) : fixed(e.trainLoss, 4),
      test: kind === 'accuracy' ? (e.testAcc == null ? t('train.noValue') : percent(e.testAcc))
        : kind === 'perplexity' ? fixed(e.perplexity, 2) : fixed(e.reconstructionMse, 4),
      testLoss: fixed(e.testLoss, 4),
      seconds: fixed(e.seconds, 1),
      lr: epochLr(e)
    }
  })
}

/** One row of the loss table: an epoch's mini-batch losses summarised. `partial`: an epoch the run has not finished (still in it, or stopped part-way). */
export interface LossRow { epoch: number; partial: boolean; first: string; mean: string; low: string; high: string; last: string }

/**
 * The loss curve summarised per epoch (the learner cannot hover 600 points a line): its first and last mini-batch's
 * loss, their mean, lowest and highest. The points are the curve's (Run.batchX/batchLoss): each one mini-batch, or the
 * mean of Run.batchStride of them once a long run's curve was thinned. A point at x belongs to the epoch ⌈x⌉ in the
 * curve's numbering (mini-batch k of B sits at e − 1 + k/B), shifted into the run's epoch numbering.
 */
export function lossRows(r: Run): LossRow[] {
  const shift = r.xOffset - r.epochOffset
  const groups = new Map<number, number[]>()
  for (let i = 0; i < r.batchX.length; i++) {
    const y = r.batchLoss[i]
    if (!Number.isFinite(y)) continue
    const e = Math.max(1, Math.ceil(r.batchX[i] - shift - 1e-9))
    let g = groups.get(e)
    if (!g) groups.set(e, (g = []))
    g.push(y)
  }
  const done = r.latestEpoch?.epoch ?? r.epochOffset
  return [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([epoch, ys]) => ({
    epoch,
    partial: epoch > done,
    first: ys[0].toFixed(4),
    mean: (ys.reduce((s, y) => s + y, 0) / ys.length).toFixed(4),
    low: Math.min(...ys).toFixed(4),
    high: Math.max(...ys).toFixed(4),
    last: ys[ys.length - 1].toFixed(4)
  }))
}

/** One run's table (FigureTable): its colour and name (the caption), the columns' heads and its rows (the first cell a row head). */
export interface RunTable { id: string; color: string; caption: string; cols: string[]; rows: { key: string; head: string; note?: string; cells: string[] }[]; note?: string }

const TEST_HEAD: Record<TableKind, string> = { accuracy: 'train.tableTestAcc', perplexity: 'train.tablePerplexity', reconstruction: 'train.tableMse' }

/** The epoch chart's table: a table per run shown (visible, with an epoch reported), its figures per epoch. */
export function epochTables(runs: readonly Run[]): RunTable[] {
  return runs.filter((r) => r.visible && r.epochs.length > 0).map((r) => {
    const kind = tableKind(r)
    return {
      id: r.id, color: r.color, caption: runName(r, runs),
      cols: [t('train.tableEpoch'), t(kind === 'accuracy' ? 'train.tableTrainAcc' : 'train.tableTrainLoss'), t(TEST_HEAD[kind]), t('train.tableTestLoss'), t('train.tableSeconds'), t('train.tableLr')],
      rows: epochRows(r).map((x) => ({ key: String(x.epoch), head: String(x.epoch), cells: [x.train, x.test, x.testLoss, x.seconds, x.lr] })),
      note: lrNote(r)
    }
  })
}

/** The loss chart's table: a table per run shown (visible, with a point on the curve), its mini-batch losses per epoch. */
export function lossTables(runs: readonly Run[]): RunTable[] {
  return runs.filter((r) => r.visible && r.batchLoss.length > 0).map((r) => ({
    id: r.id, color: r.color, caption: runName(r, runs),
    cols: [t('train.tableEpoch'), t('train.tableLossFirst'), t('train.tableLossMean'), t('train.tableLossLow'), t('train.tableLossHigh'), t('train.tableLossLast')],
    rows: lossRows(r).map((x) => ({
      key: String(x.epoch), head: String(x.epoch), ...(x.partial ? { note: t('train.tablePartial') } : {}),
      cells: [x.first, x.mean, x.low, x.high, x.last]
    })),
    ...(r.batchStride > 1 ? { note: t('train.tableLossStride', { n: r.batchStride }) } : {})
  }))
}
