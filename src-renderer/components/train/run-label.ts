/** How a run is named in legends and tooltips: its number and the settings learners compare. */
import { fmtInt, i18n, t } from '../../i18n/index.svelte'
import { formatLr, trainLab, type Run } from '../../lib/train.svelte'
import { sameSpec } from '../../lib/same-spec'
import { keptTextName } from '../../lib/text-upload.svelte'
import type { NetSpec } from '../../../src-engine/spec-types'
import type { DataSource } from '../../../src-engine/protocol'

/**
 * A run's network by name: a preset's title in the page's language (as the page's header names it), "edited <title>"
 * when the run trained that preset changed in the editor (it keeps the preset's name), else the spec's own name. The
 * Korean legend said "Character LSTM" under the header's "문자 단위 LSTM 언어 모델". A run restored from an older
 * project, which did not keep its network (SavedRun.spec), is named as its preset.
 */
function networkName(r: Run): string {
  const preset = trainLab.presets.find((p) => p.spec.name === r.specName)
  if (!preset) return r.specName
  const title = preset.titles?.[i18n.lang] ?? r.specName
  return r.spec && !sameSpec(withoutData(r.spec), withoutData(preset.spec)) ? t('train.runEdited', { name: title }) : title
}

/**
 * A spec without what its data fills in: the vocabulary size a language model gets from its text. A run of a reopened
 * project trained a spec carrying "vocab": 118, the preset none; reopening is not editing (Q8's F3).
 */
function withoutData(s: NetSpec): NetSpec {
  return { ...s, vocab: undefined }
}

/** What a run trained on, by the name the training page gives it: the built-in digits or text, a kept text's name, a folder's or file's. */
export function dataName(data: DataSource): string {
  if (data.kind === 'mnist') return t('train.runDataMnist')
  const path = data.kind === 'idx' ? data.dir : data.file
  if (data.kind === 'text' && path.trim() === 'builtin') return t('train.runDataBuiltinText')
  const kept = data.kind === 'text' ? keptTextName(path) : null
  return kept ?? (path.replace(/[\\/]+$/, '').split(/[\\/]/).pop() || path)
}

/** The same data, by what names it (a saved run's settings are read loosely: no data counts as its own). */
function dataKey(r: Run): string {
  const d = r.settings.data as DataSource | undefined
  return d ? `${d.kind}:${d.kind === 'idx' ? d.dir : d.kind === 'text' ? d.file.trim() : ''}` : ''
}

/** The layers that hold weights or shape the values: a spec without its dropout layers and its title. */
function withoutDropout(s: NetSpec): NetSpec {
  return { ...s, name: undefined, layers: s.layers.filter((l) => l.type !== 'Dropout') }
}

/** The dropout rates of a run's network, in layer order (none when the page does not know its network). */
function dropoutRates(r: Run): number[] {
  return r.spec ? r.spec.layers.flatMap((l) => (l.type === 'Dropout' ? [l.rate] : [])) : []
}

/**
 * Two runs trained the same network: the same architecture when the page knows both, else the same name. Dropout
 * layers and the network's title do not make another network: dropout has no weights and is off whenever the network
 * is used, so with and without it the weights, shapes and results compare one to one (the overfitting lesson's three
 * runs, "MLP 200-200", "+ dropout 0.5" and weight decay, are one comparison: the charts fitted to the last run's
 * network drew the dropout run, the lesson's point, faint; Q5's F3). What tells them apart is the run's name's dropout tag.
 */
export function sameNetwork(a: Run, b: Run): boolean {
  return a.spec && b.spec ? sameSpec(withoutDropout(a.spec), withoutDropout(b.spec)) : a.specName === b.specName
}

/**
 * The run the training page shows as its own (progress card, panels): the lab's current run, unless the page's network
 * is another one trained from fresh weights, not from that run's: a try-it button that put a character LSTM on the page
 * after an autoencoder's run left the card saying "Done · test MSE 0.0557" of a language model (Q8's F5). A run
 * training, a run whose network the page does not know, and one whose weights the next run keeps are still shown.
 * Dropout, the title and the vocabulary a text gives do not make another network (sameNetwork, withoutData).
 */
export function pageRun(current: Run | null, spec: NetSpec | null, keepsWeights: boolean): Run | null {
  if (!current || current.active || !spec || !current.spec || keepsWeights) return current
  const same = sameSpec(withoutData(withoutDropout(current.spec)), withoutData(withoutDropout(spec)))
  return same ? current : null
}

/** `among`: the runs shown with it (when they trained different networks, each name carries its network's). */
export function runName(r: Run, among: readonly Run[]): string {
  const base = t('train.runLabel', { n: r.index, opt: r.settings.optimizer, lr: formatLr(r.settings.lr), batch: r.settings.batchSize })
  // stateful and stateless language-model runs are told apart on the charts, and so are runs with weight
  // decay and, when the runs shown trained different networks, the networks (the overfitting lesson's runs)
  const tags: string[] = []
  if (r.settings.stateful) tags.push(t('train.runStateful'))
  if (r.settings.weightDecay > 0) tags.push(t('train.runDecay', { wd: formatLr(r.settings.weightDecay) }))
  // a run on fewer training examples ("Training examples"; a saved run's settings are read loosely, hence the check)
  const size = r.settings.trainSize
  if (typeof size === 'number' && Number.isInteger(size) && size > 0) tags.push(t('train.runTrainSize', { n: fmtInt(size) }))
  // dropout, in the page's language and lower case as the other tags, when a run shown beside it drops out otherwise (or not at all)
  const rates = dropoutRates(r)
  if (rates.length && among.some((x) => x.spec && dropoutRates(x).join() !== rates.join())) {
    tags.push(`${t('editor.type.Dropout').toLocaleLowerCase(i18n.lang)} ${[...new Set(rates)].join('/')}`)
  }
  if (r.specName && among.some((x) => !sameNetwork(x, r))) tags.push(networkName(r))
  // the data, when a run shown beside it trained on other data (Q8's F4: runs on Pride and Prejudice and on korean.txt
  // were drawn on one chart under the same name, their losses not comparable)
  if (r.settings.data && among.some((x) => dataKey(x) !== dataKey(r))) tags.push(dataName(r.settings.data))
  const name = [base, ...tags].join(' · ')
  const c = r.continues
  if (!c) return name
  // the run it continues as the list holds it now: one removed since (its ×, Clear finished runs, another window's) is
  // "an earlier run", as a reload and a reopened project say, not the number of a run no longer listed
  const from = among.find((x) => x.id === c.runId)
  return `${name} · ${from ? t('train.runContinues', { n: from.index }) : t('train.runContinuesEarlier')}`
}

/** One entry of a chart's own key: the run's colour, number and what tells it apart from the other runs drawn. */
export interface KeyEntry { id: string; color: string; label: string; faint: boolean }

/**
 * A chart's compact key (Q5's F7: at 1366×768 and 125 % the run list, the only colour key, is two screens below the
 * loss chart, so six coloured curves could not be named while on screen). Each run keeps its number and those parts of
 * its full name (runName) that not every run drawn shares: the optimizer race reads "#1 SGD", "#2 Momentum"…, the
 * overfitting lesson "#1", "#2 · dropout 0.5", "#3 · weight decay 0.01". A lone run keeps its optimizer.
 */
export function chartKey(runs: readonly Run[], among: readonly Run[], faint: ReadonlySet<string>): KeyEntry[] {
  const parts = runs.map((r) => {
    const [head, ...rest] = runName(r, among).split(' · ')
    // "#n Adam": the number stays, the optimizer is a part like the others
    const opt = head.slice(head.indexOf(' ') + 1)
    return [opt, ...rest]
  })
  const shared = (p: string): boolean => runs.length > 1 && parts.every((q) => q.includes(p))
  return runs.map((r, i) => {
    const [opt, ...rest] = parts[i]
    const label = runs.length === 1 || !shared(opt)
      ? [`#${r.index} ${opt}`, ...rest.filter((p) => !shared(p) && runs.length > 1)].join(' · ')
      : [`#${r.index}`, ...rest.filter((p) => !shared(p))].join(' · ')
    return { id: r.id, color: r.color, label, faint: faint.has(r.id) }
  })
}
