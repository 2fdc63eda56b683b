/** How a run is named in legends and tooltips: its number and the settings learners compare. */
import { i18n, t } from '../../i18n/index.svelte'
import { formatLr, trainLab, type Run } from '../../lib/train.svelte'
import { sameSpec } from '../../lib/same-spec'

/**
 * A run's network by name: a preset's title in the page's language (as the page's header names it), "edited <title>"
 * when the run trained that preset changed in the editor (it keeps the preset's name), else the spec's own name. The
 * Korean legend said "Character LSTM" under the header's "문자 단위 LSTM 언어 모델". A run restored from a project,
 * whose network the page does not keep, is named as its preset.
 */
function networkName(r: Run): string {
  const preset = trainLab.presets.find((p) => p.spec.name === r.specName)
  if (!preset) return r.specName
  const title = preset.titles?.[i18n.lang] ?? r.specName
  return r.spec && !sameSpec(r.spec, preset.spec) ? t('train.runEdited', { name: title }) : title
}

/** Two runs trained the same network: the same architecture when the page knows both, else the same name. */
export function sameNetwork(a: Run, b: Run): boolean {
  return a.spec && b.spec ? sameSpec(a.spec, b.spec) : a.specName === b.specName
}

/** `among`: the runs shown with it (when they trained different networks, each name carries its network's). */
export function runName(r: Run, among: readonly Run[]): string {
  const base = t('train.runLabel', { n: r.index, opt: r.settings.optimizer, lr: formatLr(r.settings.lr), batch: r.settings.batchSize })
  // stateful and stateless language-model runs are told apart on the charts, and so are runs with weight
  // decay and, when the runs shown trained different networks, the networks (the overfitting lesson's runs)
  const tags: string[] = []
  if (r.settings.stateful) tags.push(t('train.runStateful'))
  if (r.settings.weightDecay > 0) tags.push(t('train.runDecay', { wd: formatLr(r.settings.weightDecay) }))
  if (r.specName && among.some((x) => !sameNetwork(x, r))) tags.push(networkName(r))
  const name = [base, ...tags].join(' · ')
  const c = r.continues
  if (!c) return name
  return `${name} · ${c.index === null ? t('train.runContinuesEarlier') : t('train.runContinues', { n: c.index })}`
}
