/**
 * The loss chart's text alternative: the current run's latest mini-batch loss and, once an epoch has ended, its
 * held-out loss and accuracy, in the page's language. A screen reader cannot read a canvas; this is what it reads.
 */
import { t } from '../../i18n/index.svelte'
import type { Run } from '../../lib/train.svelte'

const num = (v: number): string => (Number.isFinite(v) ? v.toFixed(4) : String(v))

export function lossSummary(r: Run | null): string {
  if (!r || !r.last) return t('train.chartEmptyLoss')
  const parts = [t('train.lossSummaryBatch', { n: r.index, x: r.nowX.toFixed(2), loss: num(r.last.loss) })]
  const e = r.epochs.at(-1)
  if (e) {
    parts.push(e.testAcc === null
      ? t('train.lossSummaryTest', { e: e.epoch, loss: num(e.testLoss) })
      : t('train.lossSummaryTestAcc', { e: e.epoch, loss: num(e.testLoss), acc: (e.testAcc * 100).toFixed(1) }))
  }
  return parts.join(' ')
}
