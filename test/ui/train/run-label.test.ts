/** The run legend names a preset's network as the page's header does: its title in the page's language. */
import { afterEach, describe, expect, it } from 'vitest'
import { pageRun, runName } from '../../../src-renderer/components/train/run-label'
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

  it("does not call a reopened project's run 'edited': its spec carries the text's vocabulary, the preset none (Q8 F3)", () => {
    const char = PRESETS.find((p) => p.id === 'char-lstm')!
    trainLab.presets = [{ id: char.id, title: char.title.en, kind: char.kind, spec: char.spec, params: 0, titles: char.title } as unknown as PresetInfo]
    const row = new Run('x', 1, settings, 'My LSTM', 'classifier')
    const reopened = new Run('a', 2, settings, char.spec.name ?? '', 'language-model')
    reopened.spec = { ...structuredClone(char.spec), vocab: 118 }
    i18n.set('ko')
    expect(runName(reopened, [row, reopened])).toBe('#2 Adam · 학습률 0.003 · 미니배치 32 · 문자 단위 LSTM 언어 모델')
    // an edit is still one
    const edited = structuredClone(reopened.spec)
    for (const l of edited.layers) if (l.type === 'TimeLSTM') l.hidden = 128
    reopened.spec = edited
    expect(runName(reopened, [row, reopened])).toBe('#2 Adam · 학습률 0.003 · 미니배치 32 · 수정한 문자 단위 LSTM 언어 모델')
  })

  it('names the data of runs shown beside runs on other data, and not otherwise (Q8 F4)', () => {
    const text = (file: string): TrainSettings => ({ ...settings, data: { kind: 'text', file } })
    const a = new Run('a', 1, text('builtin'), 'LM', 'language-model')
    const b = new Run('b', 2, text('/data/texts/korean-0123456789abcdef.txt'), 'LM', 'language-model')
    const c = new Run('c', 3, text('/home/me/diary.txt'), 'LM', 'language-model')
    const d = new Run('d', 4, { ...settings, data: { kind: 'idx', dir: '/usr/share/datasets/fashion-mnist/' } }, 'LM', 'classifier')
    const e = new Run('e', 5, settings, 'LM', 'classifier')
    const all = [a, b, c, d, e]
    expect(runName(a, all)).toBe('#1 Adam · lr 0.003 · mini-batch 32 · Pride and Prejudice')
    expect(runName(b, all)).toBe('#2 Adam · lr 0.003 · mini-batch 32 · korean.txt')
    expect(runName(c, all)).toBe('#3 Adam · lr 0.003 · mini-batch 32 · diary.txt')
    expect(runName(d, all)).toBe('#4 Adam · lr 0.003 · mini-batch 32 · fashion-mnist')
    expect(runName(e, all)).toBe('#5 Adam · lr 0.003 · mini-batch 32 · built-in digits')
    i18n.set('ko')
    expect(runName(a, all)).toBe('#1 Adam · 학습률 0.003 · 미니배치 32 · 《오만과 편견》')
    // runs on the same data say nothing of it
    const b2 = new Run('b2', 6, text('/data/texts/korean-0123456789abcdef.txt'), 'LM', 'language-model')
    expect(runName(b2, [b, b2])).toBe('#6 Adam · 학습률 0.003 · 미니배치 32')
  })

  it("is not the page's run once the page holds another network with fresh weights (Q8 F5)", () => {
    const ae = PRESETS.find((p) => p.id === 'ae-2d')!
    const char = PRESETS.find((p) => p.id === 'char-lstm')!
    const done = new Run('a', 1, settings, ae.spec.name ?? '', 'autoencoder')
    done.spec = structuredClone(ae.spec)
    done.state = 'done'
    // a try-it button put the char-LSTM on the page: the autoencoder's finished run is not its run
    expect(pageRun(done, char.spec, false)).toBeNull()
    // the same network (a dropout or a text's vocabulary aside), a run still training, or weights kept: still shown
    expect(pageRun(done, structuredClone(ae.spec), false)).toBe(done)
    const lm = new Run('b', 2, settings, char.spec.name ?? '', 'language-model')
    lm.spec = { ...structuredClone(char.spec), vocab: 118 }
    lm.state = 'done'
    expect(pageRun(lm, char.spec, false)).toBe(lm)
    expect(pageRun(done, char.spec, true)).toBe(done)
    done.state = 'running'
    expect(pageRun(done, char.spec, false)).toBe(done)
    expect(pageRun(null, char.spec, false)).toBeNull()
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
