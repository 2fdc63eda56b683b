/** The run legend names a preset's network as the page's header does: its title in the page's language. */
import { afterEach, describe, expect, it } from 'vitest'
import { runName } from '../../../src-renderer/components/train/run-label'
import { Run, trainLab } from '../../../src-renderer/lib/train.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import { PRESETS } from '../../../src-engine/models/presets'
import type { PresetInfo } from '../../../src-main/ipc/contract'
import type { TrainSettings } from '../../../src-engine/protocol'

const settings: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.003, batchSize: 32, epochs: 1, weightDecay: 0, seed: 1, threads: 1 }

afterEach(() => {
  i18n.set('en')
  trainLab.presets = []
})

describe('a run of a preset network in the legend', () => {
  it('carries the preset\'s title in the page\'s language, and a network of its own keeps its name', () => {
    const char = PRESETS.find((p) => p.id === 'char-lstm')!
    const row = PRESETS.find((p) => p.id === 'row-lstm')!
    trainLab.presets = [char, row].map((p) => ({ id: p.id, title: p.title.en, kind: p.kind, spec: p.spec, params: 0, titles: p.title }) as unknown as PresetInfo)
    const a = new Run('a', 1, settings, char.spec.name ?? '', 'language-model')
    const b = new Run('b', 2, settings, row.spec.name ?? '', 'classifier')
    const mine = new Run('c', 3, settings, 'My LSTM', 'classifier')
    const among = [a, b, mine]
    i18n.set('ko')
    expect(runName(a, among)).toBe('#1 Adam · 학습률 0.003 · 미니배치 32 · 문자 단위 LSTM 언어 모델')
    expect(runName(b, among)).toBe('#2 Adam · 학습률 0.003 · 미니배치 32 · 한 행씩 읽는 LSTM (숫자)')
    expect(runName(mine, among)).toBe('#3 Adam · 학습률 0.003 · 미니배치 32 · My LSTM')
    i18n.set('en')
    expect(runName(a, among)).toBe('#1 Adam · lr 0.003 · mini-batch 32 · Character LSTM language model')
  })
})
