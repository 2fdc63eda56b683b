/** The run legend names a preset's network as the page's header does: its title in the page's language. */
import { afterEach, describe, expect, it } from 'vitest'
import { runName } from '../../../src-renderer/components/train/run-label'
import { Run, TrainLab, trainLab } from '../../../src-renderer/lib/train.svelte'
import { FakeLab, SIMPLE_CONVNET, flush } from './fake-lab'
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

  it("says 'edited' of a preset changed in the editor, which keeps the preset's name, beside the preset itself (en, ko)", () => {
    const convnet = PRESETS.find((p) => p.id === 'simple-convnet')!
    trainLab.presets = [{ id: convnet.id, title: convnet.title.en, kind: convnet.kind, spec: convnet.spec, params: 0, titles: convnet.title } as unknown as PresetInfo]
    const edited = structuredClone(convnet.spec)
    for (const l of edited.layers) if (l.type === 'Convolution') l.filters = 8
    const a = new Run('a', 1, settings, convnet.spec.name ?? '', 'classifier')
    a.spec = structuredClone(convnet.spec)
    const b = new Run('b', 2, settings, edited.name ?? '', 'classifier')
    b.spec = edited
    const title = convnet.title.en
    expect(runName(a, [a, b])).toBe(`#1 Adam · lr 0.003 · mini-batch 32 · ${title}`)
    expect(runName(b, [a, b])).toBe(`#2 Adam · lr 0.003 · mini-batch 32 · edited ${title}`)
    i18n.set('ko')
    expect(runName(b, [a, b])).toBe(`#2 Adam · 학습률 0.003 · 미니배치 32 · 수정한 ${convnet.title.ko}`)
    // two runs of the same network (the edited one twice) need no network to tell them apart
    const c = new Run('c', 3, settings, edited.name ?? '', 'classifier')
    c.spec = structuredClone(edited)
    expect(runName(c, [b, c])).toBe('#3 Adam · 학습률 0.003 · 미니배치 32')
  })

  it('names the network a run trained when the page starts it', async () => {
    const fake = new FakeLab()
    const lab = new TrainLab()
    lab.connect(fake)
    await flush()
    const run = (await lab.start(SIMPLE_CONVNET))!
    expect(run.spec).toBe(SIMPLE_CONVNET)
  })
})
