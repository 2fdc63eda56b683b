import { afterAll, describe, expect, it } from 'vitest'
import { fireEvent, render, screen } from '@testing-library/svelte'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import TrainPage from '../../../src-renderer/pages/TrainPage.svelte'
import { setLab } from '../../../src-renderer/lib/lab'
import { project } from '../../../src-renderer/lib/project.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import en from '../../../src-renderer/i18n/en/train'
import ko from '../../../src-renderer/i18n/ko/train'
import { FakeLab, SIMPLE_CONVNET, PRESETS as FAKE_PRESETS, flush } from './fake-lab'
import { cleanDivergence } from '../../../src-main/ipc/validate'
import { PRESETS } from '../../../src-engine/models/presets'
import { trainLab } from '../../../src-renderer/lib/train.svelte'
import type { NetSpec } from '../../../src-engine/spec-types'

/**
 * Lets the page finish opening: its panels under the charts come a frame later (afterNextFrame in TrainPage), so
 * two plain tasks were not always enough on a loaded machine (the language-model test below found no generate
 * panel in a full run). A frame and the task after it, requested after the page's own, come after the page's.
 */
const settle = async (): Promise<void> => {
  await flush()
  await new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)))
  await flush()
}

describe('training page with a fake host', () => {
  const fake = new FakeLab()
  setLab(fake)
  i18n.set('en')
  afterAll(() => setLab(null))

  it('walks through start, live progress, pause, lr change, divergence and restart', async () => {
    render(TrainPage)
    await settle()
    expect(screen.getByTestId('train-network').textContent).toContain('Simple ConvNet\u00a0· default preset')
    expect(fake.channels()).toContain('data:samples')

    // one click trains the default preset with its defaults
    await fireEvent.click(screen.getByTestId('train-start'))
    await settle()
    const start = fake.calls.find((c) => c.channel === 'train:start')!
    expect(start.payload).toMatchObject({ spec: SIMPLE_CONVNET, settings: { optimizer: 'Adam', lr: 0.001, epochs: 3, threads: 2 } })
    expect(project.spec).toBe(SIMPLE_CONVNET)
    expect((screen.getByTestId('train-start') as HTMLButtonElement).disabled).toBe(true)

    fake.emit({ type: 'batches', runId: 'run-1', points: [{ epoch: 2, batch: 10, batches: 80, loss: 0.4, examplesPerSec: 1500 }] })
    fake.emit({ type: 'epoch', runId: 'run-1', report: { epoch: 1, trainLoss: 0.5, trainAcc: 0.88, testLoss: 0.45, testAcc: 0.9125, seconds: 5.2, confusion: { classes: 2, counts: [5, 1, 0, 4] }, confidentWrong: [{ index: 3, label: 0, predicted: 1, confidence: 0.97, image: { count: 1, h: 2, w: 2, data: new Float32Array(4) } }] } })
    fake.emit({ type: 'snapshot', runId: 'run-1', snapshot: { filters: { count: 2, h: 2, w: 2, data: new Float32Array(8) }, featureMaps: [{ layer: 'conv1', shape: [2, 2, 2], maps: { count: 2, h: 2, w: 2, data: new Float32Array(8) } }] } })
    await settle()
    expect(screen.getByTestId('progress').textContent).toContain('Epoch 2 / 3')
    expect(screen.getByTestId('progress').textContent).toContain('1,500 examples/s')
    expect(screen.getByTestId('test-accuracy').getAttribute('data-value')).toBe('0.9125')
    expect(screen.getByTestId('test-accuracy').textContent).toContain('91.3%')
    expect(screen.getByTestId('filters-now')).toBeTruthy()
    expect(screen.getByTestId('feature-maps').getAttribute('data-snapshots')).toBe('1')
    expect(screen.getByTestId('confusion').textContent).toContain('0 → 1')
    expect(screen.getByTestId('run-legend').textContent).toContain('#1 Adam · lr 0.001 · mini-batch 100')

    await fireEvent.click(screen.getByTestId('train-pause'))
    await settle()
    expect(screen.getByTestId('progress').textContent).toContain('Paused')
    const lr = screen.getByTestId('train-lr') as HTMLInputElement
    await fireEvent.input(lr, { target: { value: '0.0005' } })
    await fireEvent.click(screen.getByTestId('train-apply-lr'))
    await settle()
    expect(fake.calls.at(-1)).toEqual({ channel: 'train:set-lr', payload: { lr: 0.0005 } })
    await fireEvent.click(screen.getByTestId('train-resume'))
    await settle()
    expect(fake.calls.at(-1)?.channel).toBe('train:resume')

    fake.emit({ type: 'error', runId: 'run-1', code: 'diverged', message: 'loss is NaN at epoch 2, batch 11' })
    await settle()
    expect(screen.getByTestId('train-diverged').textContent).toContain('diverged')
    await fireEvent.click(screen.getByTestId('train-restart-lower'))
    await settle()
    const restart = fake.calls.filter((c) => c.channel === 'train:start').at(-1)!
    expect((restart.payload as { settings: { lr: number } }).settings.lr).toBe(0.00005)
    expect(screen.queryByTestId('train-diverged')).toBeNull()
  })

  it('draws LSTM gates when a snapshot carries them', async () => {
    render(TrainPage)
    await settle()
    const runId = fake.calls.filter((c) => c.channel === 'train:start').length
    const gates = ['f', 'g', 'i', 'o', 'c', 'h'].map((name) => ({ name, t: 4, h: 60, data: new Float32Array(240) }))
    fake.emit({ type: 'snapshot', runId: `run-${runId}`, snapshot: { gates } })
    await settle()
    const panel = screen.getByTestId('gates')
    expect(panel.textContent).toContain('forget gate f')
    expect(panel.textContent).toContain('hidden state h')
    expect(panel.textContent).toContain('4 time steps × units 1–48 of 60')
    expect(panel.querySelectorAll('canvas').length).toBe(6)
  })

  it('words a divergence in the page\'s language from the engine\'s facts, else shows the English message', async () => {
    i18n.set('ko')
    render(TrainPage)
    await settle()
    const current = (): string => `run-${fake.calls.filter((c) => c.channel === 'train:start').length}`
    const diverge = async (message: string, divergence?: unknown): Promise<string | null> => {
      const runId = current()
      // what the host sends: the worker's facts if well-formed (cleanDivergence, as LabHost does), else none
      const clean = divergence === undefined ? undefined : cleanDivergence(divergence)
      fake.emit({ type: 'error', runId, code: 'diverged', message, ...(clean ? { divergence: clean } : {}) })
      fake.emit({ type: 'state', runId, state: 'failed', message })
      await settle()
      return screen.getByTestId('train-diverged-detail').textContent
    }
    const message = 'the loss exploded to 11.86 (it started at 2.73) at epoch 1 batch 5; the learning rate 10 is too high for Adam — try 0.001'
    const facts = { reason: 'exploded', loss: 11.857, firstLoss: 2.7311, epoch: 1, batch: 5, optimizer: 'Adam', lr: 10, suggestedLr: 0.001 }
    expect(await diverge(message, facts)).toBe('에폭 1의 5번째 미니배치에서 손실이 처음 2.73에서 11.86까지 치솟았습니다. Adam에는 지금의 학습률(10)\u2060이 너무 큽니다. 학습률을 0.001 정도로 낮춰 보세요.')
    expect(screen.getByTestId('train-diverged').textContent).not.toContain('exploded')
    i18n.set('en')
    await settle()
    expect(screen.getByTestId('train-diverged-detail').textContent).toBe('The loss climbed to 11.86 at epoch 1, mini-batch 5 (it started at 2.73). A learning rate of 10 is too high for Adam: try 0.001.')
    i18n.set('ko')

    // the restart takes the engine's suggestion (0.001 for Adam), not a tenth of 10
    expect(screen.getByTestId('train-restart-lower').textContent).toContain('0.001')
    await fireEvent.click(screen.getByTestId('train-restart-lower'))
    await settle()
    const restart = fake.calls.filter((c) => c.channel === 'train:start').at(-1)!
    expect((restart.payload as { settings: { lr: number } }).settings.lr).toBe(0.001)

    // a loss that is no longer a number, with no finite start
    expect(await diverge('the loss became Infinity at epoch 2 batch 40; the learning rate 5 is too high for SGD — try 0.01',
      { reason: 'not-finite', loss: 'Infinity', epoch: 2, batch: 40, optimizer: 'SGD', lr: 5, suggestedLr: 0.01 }))
      .toBe('에폭 2의 40번째 미니배치에서 손실이 계산할 수 없는 값(Infinity)\u2060이 되었습니다. SGD에는 지금의 학습률(5)\u2060이 너무 큽니다. 학습률을 0.01 정도로 낮춰 보세요.')

    // an older host (no facts) or malformed facts (the host drops them): the English message as it came
    for (const bad of [undefined, null, 'NaN', { ...facts, loss: null }, { ...facts, reason: 'melted' }, { ...facts, epoch: '1' }, { ...facts, lr: Infinity }]) {
      await fireEvent.click(screen.getByTestId('train-restart-lower'))
      await settle()
      expect(await diverge(message, bad)).toBe(message)
    }
    i18n.set('en')
  })

  it('words a run that failed with an error it knows in the page\'s language, else shows the host\'s words', async () => {
    i18n.set('ko')
    render(TrainPage)
    await settle()
    /** A run that fails; `trained`: after a first batch (else it never started). */
    const fail = async (code: string, message: string, params?: Record<string, string>, trained = true): Promise<HTMLElement> => {
      await fireEvent.click(screen.getByTestId('train-start'))
      await settle()
      const runId = `run-${fake.calls.filter((c) => c.channel === 'train:start').length}`
      if (trained) fake.emit({ type: 'batches', runId, points: [{ epoch: 1, batch: 1, batches: 10, loss: 2.3, examplesPerSec: 100 }] })
      fake.emit({ type: 'error', runId, code, message, ...(params ? { params } : {}) })
      fake.emit({ type: 'state', runId, state: 'failed', message: 'the training thread exited with code 1' })
      await settle()
      return screen.getByTestId('train-diverged-detail')
    }
    let detail = await fail('worker-crashed', 'The training thread stopped (the training thread exited with code 1). Start the run again; a fresh thread will be used.')
    expect(detail.textContent).toBe('학습 스레드가 멈췄습니다. 학습을 다시 시작하세요. 새 스레드를 씁니다.')
    expect(detail.classList.contains('mono')).toBe(false)
    i18n.set('en')
    await settle()
    expect(detail.textContent).toBe('The training thread stopped. Start the run again: a fresh thread will be used.')
    // an exception's text sent as the detail: worded around it in the page's language
    detail = await fail('train-failed', 'IDX file /data/x is truncated', { detail: 'IDX file /data/x is truncated' })
    expect(detail.textContent).toBe('Training stopped with an error. (Details: IDX file /data/x is truncated)')
    i18n.set('ko')
    await settle()
    expect(detail.textContent).toBe('오류로 학습이 멈췄습니다. (엔진이 알린 내용, 영어: IDX file /data/x is truncated)')
    expect(detail.classList.contains('mono')).toBe(false)
    // without it (an older host) the host's own words are shown as they came
    detail = await fail('train-failed', 'IDX file /data/x is truncated')
    expect(detail.textContent).toBe('the training thread exited with code 1')
    expect(detail.classList.contains('mono')).toBe(true)
    const title = (): string | null | undefined => screen.getByTestId('train-diverged').querySelector('strong')?.textContent
    expect(title()).toBe('오류로 학습이 멈췄습니다')
    // a run refused before its first batch (its data does not fit) is not titled as one that stopped
    await fail('train-failed', 'affine2 gives 5 class scores but the training data has 10 classes', { case: 'classes', layer: 'affine2', outputs: '5', classes: '10', affine: '1' }, false)
    expect(title()).toBe('데이터가 신경망에 맞지 않습니다')
    await fail('train-failed', 'taffine1 scores 65 characters…', { case: 'vocab', layer: 'taffine1', outputs: '65', vocab: '80', affine: '1' }, false)
    expect(title()).toBe('데이터가 신경망에 맞지 않습니다')
    // the engine could not set it up (a folder it cannot read): it did not start, and the sentence says so too
    detail = await fail('train-failed', 'Cannot read the folder /nope', { detail: 'Cannot read the folder /nope' }, false)
    expect(title()).toBe('학습이 시작되지 않았습니다')
    expect(detail.textContent).toBe('오류 때문에 학습을 시작하지 못했습니다. (엔진이 알린 내용, 영어: Cannot read the folder /nope)')
    // its thread stopped before the first batch
    await fail('worker-crashed', 'The training thread stopped (exit 1). Start the run again; a fresh thread will be used.', undefined, false)
    expect(title()).toBe('첫 미니배치 전에 학습 스레드가 멈췄습니다')
    i18n.set('en')
    await settle()
    expect(title()).toBe('The training thread stopped before the first mini-batch')
    await fail('train-failed', 'affine2 gives 5 class scores but the training data has 10 classes', { case: 'classes', layer: 'affine2', outputs: '5', classes: '10', affine: '1' }, false)
    expect(title()).toBe('The data does not fit the network')
    detail = await fail('train-failed', 'Cannot read the folder /nope', { detail: 'Cannot read the folder /nope' }, false)
    expect(title()).toBe('Training did not start')
    expect(detail.textContent).toBe('An error kept training from starting. (Details: Cannot read the folder /nope)')
    // the engine names the step it failed at: each gets its title and what to do
    detail = await fail('train-failed', 'Cannot read the folder /nope', { detail: 'Cannot read the folder /nope', stage: 'data' }, false)
    expect(title()).toBe('The training data could not be loaded')
    expect(detail.textContent).toBe('The data chosen for this run could not be read. Check the dataset folder or the text file on this page, or choose the built-in data, then press Start again. (Details: Cannot read the folder /nope)')
    detail = await fail('train-failed', 'batch size too large', { detail: 'batch size too large', stage: 'setup' }, false)
    expect(title()).toBe('Training cannot start with these settings')
    expect(detail.textContent).toMatch(/^The network could not be set up for this data with these settings\. .*\(Details: batch size too large\)$/)
    detail = await fail('train-failed', 'kernel thread 1 could not start: out of memory', { detail: 'kernel thread 1 could not start: out of memory', stage: 'threads' }, false)
    expect(title()).toBe('The training threads did not start')
    expect(detail.textContent).toBe('The extra training threads could not be started. Set “Threads” to 1 and press Start again: the run then trains on this one thread. (Details: kernel thread 1 could not start: out of memory)')
    i18n.set('ko')
    await settle()
    expect(title()).toBe('학습 스레드가 시작되지 않았습니다')
    expect(detail.textContent).toBe('추가 학습 스레드를 띄우지 못했습니다. “스레드”를 1로 바꾸고 다시 시작하세요. 그러면 이 스레드 하나로 학습합니다. (엔진이 알린 내용, 영어: kernel thread 1 could not start: out of memory)')
    i18n.set('en')
    // failing once training began is worded as before, whether or not a batch was trained
    detail = await fail('train-failed', 'IDX file /data/x is truncated', { detail: 'IDX file /data/x is truncated', stage: 'training' }, false)
    expect(title()).toBe('Training did not start')
    await fail('train-failed', 'IDX file /data/x is truncated', { detail: 'IDX file /data/x is truncated', stage: 'training' })
    expect(title()).toBe('Training stopped with an error')
  })

  it('speaks Korean when switched', async () => {
    i18n.set('ko')
    render(TrainPage)
    await settle()
    expect(screen.getAllByTestId('train-start')[0].textContent).toContain('시작')
    i18n.set('en')
  })

  it('a language model, before its first run too, gets no confusion matrix (a classifier\'s card that would never fill)', async () => {
    const current = trainLab.currentId
    trainLab.currentId = null
    project.spec = PRESETS.find((p) => p.id === 'char-rnn')!.spec as NetSpec
    render(TrainPage)
    await settle()
    expect(screen.queryByTestId('confusion')).toBeNull()
    expect(screen.getAllByTestId('generate-panel').length).toBeGreaterThan(0)
    trainLab.currentId = current
  })

  it('names a network from the Architecture page in natural Korean', async () => {
    // a preset's network once edited (its last Affine's units changed) is the learner's
    const edited = structuredClone(SIMPLE_CONVNET)
    const affine = [...edited.layers].reverse().find((l) => l.type === 'Affine')
    if (affine?.type === 'Affine') affine.units = 20
    project.spec = edited
    i18n.set('ko')
    render(TrainPage)
    await settle()
    expect(screen.getAllByTestId('train-network').at(-1)!.textContent).toMatch(/\u00a0· 아키텍처 페이지에서 가져옴$/)
    i18n.set('en')
    await settle()
    expect(screen.getAllByTestId('train-network').at(-1)!.textContent).toMatch(/\u00a0· from the Architecture page$/)
  })

  it('calls a preset the editor opened and nobody edited the default preset, or a preset as it came (en, ko)', async () => {
    // the editor opens with a copy of the default preset, so the project always has a spec
    project.spec = structuredClone(SIMPLE_CONVNET)
    project.presetId = 'simple-convnet'
    render(TrainPage)
    await settle()
    expect(screen.getAllByTestId('train-network').at(-1)!.textContent).toBe('Simple ConvNet\u00a0· default preset')
    project.spec = structuredClone(FAKE_PRESETS.find((p) => p.id === 'mlp')!.spec)
    project.presetId = 'mlp'
    await settle()
    expect(screen.getAllByTestId('train-network').at(-1)!.textContent).toBe('Two-layer net\u00a0· preset, as it came')
    i18n.set('ko')
    await settle()
    expect(screen.getAllByTestId('train-network').at(-1)!.textContent).toBe('Two-layer net\u00a0· 프리셋 그대로')
    i18n.set('en')
    project.presetId = null
  })
})

describe('training page messages', () => {
  it('has the same keys in English and Korean, none empty', () => {
    expect(Object.keys(ko).sort()).toEqual(Object.keys(en).sort())
    for (const [k, v] of Object.entries(ko)) expect(v.trim(), k).not.toBe('')
  })

  it('defines every train.* key the page and its components use', () => {
    const root = join(__dirname, '../../../src-renderer')
    const files = [join(root, 'pages/TrainPage.svelte'), join(root, 'lib/train.svelte.ts'),
      ...readdirSync(join(root, 'components/train')).map((f) => join(root, 'components/train', f))]
    const used = new Set<string>()
    for (const f of files) for (const m of readFileSync(f, 'utf8').matchAll(/'train\.([A-Za-z_]+)'/g)) used.add(m[1])
    expect(used.size).toBeGreaterThan(40)
    for (const k of used) expect(en, `train.${k}`).toHaveProperty(k)
    for (const g of ['f', 'g', 'i', 'o', 'c', 'h']) expect(en).toHaveProperty(`gate_${g}`)
  })
})
