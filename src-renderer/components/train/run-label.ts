/** How a run is named in legends and tooltips: its number and the settings learners compare. */
import { i18n, t } from '../../i18n/index.svelte'
import { formatLr, trainLab, type Run } from '../../lib/train.svelte'

/**
 * A run's network by name: a preset's title in the page's language (as the page's header names it), else the
 * spec's own name. The Korean legend said "Character LSTM" under the header's "문자 단위 LSTM 언어 모델".
 */
function networkName(specName: string): string {
  const preset = trainLab.presets.find((p) => p.spec.name === specName)
  return preset?.titles?.[i18n.lang] ?? specName
}

/** `among`: the runs shown with it (when they trained different networks, each name carries its network's). */
export function runName(r: Run, among: readonly Run[]): string {
  const base = t('train.runLabel', { n: r.index, opt: r.settings.optimizer, lr: formatLr(r.settings.lr), batch: r.settings.batchSize })
  // stateful and stateless language-model runs are told apart on the charts, and so are runs with weight
  // decay and, when the runs shown trained different networks, the networks (the overfitting lesson's runs)
  const tags: string[] = []
  if (r.settings.stateful) tags.push(t('train.runStateful'))
  if (r.settings.weightDecay > 0) tags.push(t('train.runDecay', { wd: formatLr(r.settings.weightDecay) }))
  if (r.specName && among.some((x) => x.specName !== r.specName)) tags.push(networkName(r.specName))
  const name = [base, ...tags].join(' · ')
  const c = r.continues
  if (!c) return name
  return `${name} · ${c.index === null ? t('train.runContinuesEarlier') : t('train.runContinues', { n: c.index })}`
}
