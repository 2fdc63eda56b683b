/**
 * The loss chart's text alternative: the current run's latest mini-batch loss and, once an epoch has ended, its
 * held-out loss and accuracy, in the page's language. A screen reader cannot read a canvas; this is what it reads.
 */
import { t } from '../../i18n/index.svelte'
import { percentDigits } from '../../lib/percent'
import type { Run } from '../../lib/train.svelte'
import type { EpochReport } from '../../../src-engine/protocol'
import type { EpochMetric } from './series'
import { trainAccuracy } from '../../lib/train-accuracy'

const num = (v: number): string => (Number.isFinite(v) ? v.toFixed(4) : String(v))

/** The loss chart's words before it has a point: a run under way (or paused) with no mini-batch yet is waiting, not to be started. */
export function lossEmptyText(r: Run | null): string {
  if (!r || !r.active) return t('train.chartEmptyLoss')
  return t(r.state === 'paused' ? 'train.chartPausedLoss' : 'train.chartWaitingLoss')
}

export function lossSummary(r: Run | null): string {
  if (!r || !r.last) return lossEmptyText(r)
  const parts = [t('train.lossSummaryBatch', { n: r.index, x: r.nowX.toFixed(2), loss: num(r.last.loss) })]
  const e = r.epochs.at(-1)
  if (e) {
    parts.push(e.testAcc === null
      ? t('train.lossSummaryTest', { e: e.epoch, loss: num(e.testLoss) })
      : t('train.lossSummaryTestAcc', { e: e.epoch, loss: num(e.testLoss), acc: percentDigits(e.testAcc) }))
  }
  return parts.join(' ')
}

/** The figure an epoch report gives for `metric` (null: not reported, or not finite). */
function metricOf(e: EpochReport, metric: EpochMetric): number | null {
  const v = metric === 'accuracy' ? e.testAcc : metric === 'perplexity' ? e.perplexity : e.reconstructionMse
  return v != null && Number.isFinite(v) ? v : null
}

/**
 * The epoch chart's text alternative: the current run's figures after its latest epoch, in the metric the chart
 * shows, and its best epoch when that was an earlier one (held-out accuracy falling while the training accuracy
 * climbs is what the chart is there to show: overfitting).
 */
export function epochSummary(r: Run | null, metric: EpochMetric): string {
  const reported = (r?.epochs ?? []).filter((e) => metricOf(e, metric) !== null)
  const e = reported.at(-1)
  if (!r || !e) return t('train.chartEmptyEpoch')
  const v = metricOf(e, metric)!
  const pct = (x: number): string => percentDigits(x)
  const show = metric === 'accuracy' ? pct : metric === 'perplexity' ? (x: number) => x.toFixed(2) : (x: number) => x.toFixed(4)
  // measured after the epoch as the test accuracy is (lib/train-accuracy.ts)
  const train = trainAccuracy(e)
  const parts = [metric === 'accuracy'
    ? train !== null
      ? t('train.epochSummaryAccTrain', { n: r.index, e: e.epoch, test: pct(v), train: pct(train) })
      : t('train.epochSummaryAcc', { n: r.index, e: e.epoch, test: pct(v) })
    : t(metric === 'perplexity' ? 'train.epochSummaryPpl' : 'train.epochSummaryMse', { n: r.index, e: e.epoch, v: show(v) })]
  // higher is better for accuracy, lower for the others; a tie goes to the later epoch
  let best = e
  for (const x of reported) {
    const a = metricOf(x, metric)!
    const b = metricOf(best, metric)!
    if (metric === 'accuracy' ? a > b : a < b) best = x
  }
  const b = metricOf(best, metric)!
  if (best !== e && show(b) !== show(v)) {
    parts.push(t(metric === 'accuracy' ? 'train.epochSummaryBestAcc' : 'train.epochSummaryBestLow', { e: best.epoch, v: show(b) }))
  }
  return parts.join(' ')
}
