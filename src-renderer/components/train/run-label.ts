/** How a run is named in legends and tooltips: its number and the settings learners compare. */
import { t } from '../../i18n/index.svelte'
import { formatLr, type Run } from '../../lib/train.svelte'

export function runName(r: Run): string {
  const base = t('train.runLabel', { n: r.index, opt: r.settings.optimizer, lr: formatLr(r.settings.lr), batch: r.settings.batchSize })
  // stateful and stateless language-model runs are told apart on the charts
  const name = r.settings.stateful ? `${base} · ${t('train.runStateful')}` : base
  const c = r.continues
  if (!c) return name
  return `${name} · ${c.index === null ? t('train.runContinuesEarlier') : t('train.runContinues', { n: c.index })}`
}
