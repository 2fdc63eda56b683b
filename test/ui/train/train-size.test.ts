/**
 * "Training examples" on the training form (Q5's F5: the overfitting homework on a CNN needs fewer than 8,000 digits):
 * a size above the data's examples or below the mini-batch is said beside the box (en, ko) and Start waits; a size
 * that fits goes to the host with Start; a text has no such box and sends none; the run's name says the size.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { fireEvent, screen } from '@testing-library/svelte'
import { renderControls, resetControls, settle } from './controls'
import { Run, trainLab } from '../../../src-renderer/lib/train.svelte'
import { settingsFromForm, defaultsFor } from '../../../src-renderer/lib/train-form'
import { runName } from '../../../src-renderer/components/train/run-label'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import { project } from '../../../src-renderer/lib/project.svelte'
import { SIMPLE_CONVNET } from './fake-lab'
import type { TrainSettings } from '../../../src-engine/protocol'

afterEach(resetControls)

const start = (): HTMLButtonElement => screen.getByTestId('train-start') as HTMLButtonElement
const problem = (): string | null => screen.queryByTestId('train-size-problem')?.textContent ?? null

describe('the training form\'s "Training examples"', () => {
  it('says a size above the 8,000 digits, or below the mini-batch, beside the box, and Start waits; 1,000 goes with Start', async () => {
    const fake = await renderControls()
    const box = screen.getByTestId('train-size') as HTMLInputElement
    expect(box.placeholder).toBe('all 8,000')
    expect(box.value).toBe('')
    expect(problem()).toBeNull()
    await fireEvent.input(box, { target: { value: '9000' } })
    await settle()
    expect(problem()).toBe('This data has 8,000 training examples, fewer than 9,000. Enter 8,000 or fewer, or empty the box for all.')
    expect(box.getAttribute('aria-invalid')).toBe('true')
    expect(box.getAttribute('aria-describedby')).toContain('train-size-problem')
    expect(start().disabled).toBe(true)
    await fireEvent.input(box, { target: { value: '50' } })
    await settle()
    expect(problem()).toBe('A mini-batch of 100 is more than the 50 training examples. Lower the mini-batch size to 50 or less, or train on at least 100 examples.')
    expect(start().disabled).toBe(true)
    i18n.set('ko')
    await settle()
    expect(problem()).toBe('미니배치 하나에 샘플 100개를 넣는데 훈련 샘플은 50개뿐입니다. 미니배치 크기를 50 이하로 줄이거나, 훈련 샘플을 100개 이상으로 늘리세요.')
    i18n.set('en')
    await fireEvent.input(box, { target: { value: '2.5' } })
    await settle()
    expect(problem()).toBe('Training examples must be a whole number from 1 to 8,000, or empty for all.')
    await fireEvent.input(box, { target: { value: '1000' } })
    await settle()
    expect(problem()).toBeNull()
    expect(start().disabled).toBe(false)
    await fireEvent.click(start())
    await settle()
    const sent = fake.calls.find((c) => c.channel === 'train:start')?.payload as { settings: TrainSettings }
    expect(sent.settings.trainSize).toBe(1000)
  })

  it('has no box for a text and sends no size with one; an empty box sends none', async () => {
    await renderControls()
    expect(screen.getByTestId('train-size')).toBeTruthy()
    trainLab.form = { ...trainLab.form, dataKind: 'text' }
    await settle()
    expect(screen.queryByTestId('train-size')).toBeNull()
    const f = { ...defaultsFor(null, 1), trainSize: 1000 }
    expect(settingsFromForm({ ...f, dataKind: 'text' }).trainSize).toBeUndefined()
    expect(settingsFromForm(f).trainSize).toBe(1000)
    expect('trainSize' in settingsFromForm({ ...f, trainSize: null })).toBe(false)
  })

  it('names a run on fewer examples by their count in the run list (en, ko)', () => {
    const s: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.002, batchSize: 100, epochs: 20, weightDecay: 0, seed: 1, threads: 1 }
    const small = new Run('a', 1, { ...s, trainSize: 1000 }, 'SimpleConvNet', 'classifier')
    const all = new Run('b', 2, s, 'SimpleConvNet', 'classifier')
    trainLab.runs = []
    expect(runName(small, [small, all])).toBe('#1 Adam · lr 0.002 · mini-batch 100 · 1,000 examples')
    expect(runName(all, [small, all])).toBe('#2 Adam · lr 0.002 · mini-batch 100')
    i18n.set('ko')
    expect(runName(small, [small, all])).toBe('#1 Adam · 학습률 0.002 · 미니배치 100 · 샘플 1,000개')
  })

  // After the overfitting experiment (1,000 digits, 9,000 held out) Continue keeps the run's own split, Start takes the
  // usual 8,000: 1,500 passed the box and Continue, and the engine refused it after the press
  it('says beside the box what Continue takes after a run on the experiment’s 1,000 digits, and Continue waits; Start may (en, ko)', async () => {
    await renderControls()
    const s: TrainSettings = { data: { kind: 'mnist' }, testFraction: 0.9, optimizer: 'Adam', lr: 0.001, batchSize: 50, epochs: 15, weightDecay: 0, seed: 7, threads: 1 }
    const run = new Run('ovf', 3, s, SIMPLE_CONVNET.name ?? '', 'classifier')
    run.state = 'done'
    run.batchX = [1, 2]
    trainLab.runs = [run]
    trainLab.currentId = run.id
    trainLab.modelRunId = run.id
    project.trained = true
    try {
      await settle()
      const cont = screen.getByTestId('train-continue') as HTMLButtonElement
      const box = screen.getByTestId('train-size') as HTMLInputElement
      const note = (): string | null => screen.queryByTestId('train-size-continue')?.textContent ?? null
      expect(cont.disabled).toBe(false)
      await fireEvent.input(box, { target: { value: '1500' } })
      await settle()
      expect(problem()).toBeNull()
      expect(start().disabled).toBe(false)
      expect(cont.disabled).toBe(true)
      expect(note()).toBe('Continue goes on with the 1,000 training digits run #3 was trained on, so it takes 1,000 or fewer here (Start takes up to 8,000).')
      expect(box.getAttribute('aria-describedby')).toContain('train-size-continue')
      i18n.set('ko')
      await settle()
      expect(note()).toBe('“이어서 학습”은 #3 학습에서 쓴 훈련 숫자 1,000개로 계속하므로, 여기에는 1,000 이하를 넣으세요(“시작”은 8,000개까지 쓸 수 있습니다).')
      i18n.set('en')
      // above both: the box's own problem only
      await fireEvent.input(box, { target: { value: '9000' } })
      await settle()
      expect(problem()).toContain('fewer than 9,000')
      expect(note()).toBeNull()
      await fireEvent.input(box, { target: { value: '1000' } })
      await settle()
      expect(note()).toBeNull()
      expect(cont.disabled).toBe(false)
    } finally {
      project.trained = false
      trainLab.modelRunId = null
    }
  })
})
