/** The training form's "stateful" option for language models (truncated BPTT with carried state). */
import { afterEach, describe, expect, it } from 'vitest'
import { fireEvent, render, screen } from '@testing-library/svelte'
import TrainControls from '../../../src-renderer/components/train/TrainControls.svelte'
import { canTrainStateful, defaultsFor, formProblems, settingsFromForm, trainLab } from '../../../src-renderer/lib/train.svelte'
import { formFromSettings } from '../../../src-renderer/lib/files.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import { runName } from '../../../src-renderer/components/train/run-label'
import type { NetSpec } from '../../../src-engine/spec-types'
import { FakeLab, SIMPLE_CONVNET, flush } from './fake-lab'

const CHAR_LSTM: NetSpec = {
  name: 'char lstm', input: [32], task: 'language-model',
  layers: [{ type: 'TimeEmbedding', dim: 16 }, { type: 'TimeLSTM', hidden: 64 }, { type: 'TimeAffine', units: 'vocab' }, { type: 'TimeSoftmaxWithLoss' }]
}
const NO_RNN: NetSpec = { ...CHAR_LSTM, name: 'bigram', layers: [{ type: 'TimeEmbedding', dim: 16 }, { type: 'TimeAffine', units: 'vocab' }, { type: 'TimeSoftmaxWithLoss' }] }

afterEach(() => {
  i18n.set('en')
  trainLab.form = defaultsFor(null, 1)
})

describe('the stateful option', () => {
  it('is offered for language models with an LSTM or RNN, off by default, and sent only when on with text data', () => {
    expect(canTrainStateful(CHAR_LSTM)).toBe(true)
    expect(canTrainStateful(NO_RNN)).toBe(false)
    expect(canTrainStateful(SIMPLE_CONVNET)).toBe(false)
    const f = defaultsFor(CHAR_LSTM, 2)
    expect(f.stateful).toBe(false)
    expect(settingsFromForm(f).stateful).toBeUndefined()
    expect(settingsFromForm({ ...f, stateful: true }).stateful).toBe(true)
    // stateful reads a text in order: with digits it is a problem to fix, not sent
    expect(formProblems({ ...f, stateful: true })).toEqual([])
    expect(formProblems({ ...f, stateful: true, dataKind: 'mnist' })).toEqual(['train.errStateful'])
    expect(settingsFromForm({ ...f, stateful: true, dataKind: 'mnist' }).stateful).toBeUndefined()
    // an opened project's settings fill it back in
    expect(formFromSettings(f, { ...settingsFromForm(f), stateful: true }).stateful).toBe(true)
    expect(formFromSettings({ ...f, stateful: true }, settingsFromForm(f)).stateful).toBe(false)
  })

  it('is a checkbox with its explanation in both languages, and a run started with it on asks for stateful training', async () => {
    const fake = new FakeLab()
    trainLab.connect(fake)
    await flush()
    trainLab.form = defaultsFor(CHAR_LSTM, 2)
    render(TrainControls, { spec: CHAR_LSTM, onstart: () => void trainLab.start(CHAR_LSTM), oncontinue: () => {} })
    const box = screen.getByTestId('train-stateful') as HTMLInputElement
    expect(box.checked).toBe(false)
    const help = document.getElementById(box.getAttribute('aria-describedby')!)!
    expect(box.closest('.field')!.textContent).toContain('Stateful: carry the LSTM state across mini-batches')
    expect(help.textContent).toContain('truncated BPTT')
    await fireEvent.click(box)
    expect(trainLab.form.stateful).toBe(true)
    i18n.set('ko')
    await flush()
    expect(box.closest('.field')!.textContent).toContain('상태 유지')
    expect(help.textContent).toContain('다음 미니배치로 넘깁니다')
    // digits with stateful on: the form says why Start waits
    trainLab.form = { ...trainLab.form, dataKind: 'mnist' }
    await flush()
    expect(screen.getByRole('alert').textContent).toContain('텍스트')
    expect((screen.getByTestId('train-start') as HTMLButtonElement).disabled).toBe(true)
    trainLab.form = { ...trainLab.form, dataKind: 'text' }
    await flush()
    await fireEvent.click(screen.getByTestId('train-start'))
    await flush()
    const start = fake.calls.filter((c) => c.channel === 'train:start').at(-1)
    expect(start?.payload).toMatchObject({ spec: CHAR_LSTM, settings: { stateful: true, data: { kind: 'text' } } })
    // the run says so in legends (beside a stateless run of the same settings)
    expect(runName(trainLab.current!, trainLab.runs)).toBe('#1 Adam · 학습률 0.005 · 미니배치 20 · 상태 유지')
    i18n.set('en')
    expect(runName(trainLab.current!, trainLab.runs)).toBe('#1 Adam · lr 0.005 · mini-batch 20 · stateful')
  })

  it('fixes the Threads field at 1 while ticked, with the reason in both languages', async () => {
    trainLab.runs = []
    trainLab.currentId = null
    trainLab.form = { ...defaultsFor(CHAR_LSTM, 2), threads: 2 }
    render(TrainControls, { spec: CHAR_LSTM, onstart: () => {}, oncontinue: () => {} })
    const threads = () => screen.getByTestId('train-threads') as HTMLInputElement
    expect(threads().disabled).toBe(false)
    expect(threads().value).toBe('2')
    expect(threads().getAttribute('aria-describedby')).toBeNull()
    await fireEvent.click(screen.getByTestId('train-stateful'))
    expect(threads().disabled).toBe(true)
    expect(threads().value).toBe('1')
    const note = () => document.getElementById(threads().getAttribute('aria-describedby')!)!
    expect(note().textContent).toBe('Stateful runs use 1')
    expect(threads().closest('.field')!.getAttribute('title')).toContain('trains on one thread')
    i18n.set('ko')
    await flush()
    expect(note().textContent).toBe('상태 유지 학습은 1개')
    expect(threads().closest('.field')!.getAttribute('title')).toContain('스레드 하나로 학습합니다')
    // the learner's thread count is kept for the next stateless run
    await fireEvent.click(screen.getByTestId('train-stateful'))
    expect(threads().disabled).toBe(false)
    expect(threads().value).toBe('2')
    expect(trainLab.form.threads).toBe(2)
  })

  it('is not shown for networks without a recurrent layer to carry', () => {
    render(TrainControls, { spec: SIMPLE_CONVNET, onstart: () => {}, oncontinue: () => {} })
    expect(screen.queryByTestId('train-stateful')).toBeNull()
  })
})
