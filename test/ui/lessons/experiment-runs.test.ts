/**
 * A lesson's experiment shows its own runs only, and leaves the training form as its runs were (Q1 F4). Before, the
 * overfitting experiment's three runs were overlaid on the race's (the charts the lesson points to mixed two
 * experiments and data sizes), its confirmation said nothing of them, and the form afterwards held settings no run
 * had (after the race: SGD · 10 epochs; after the overfitting: 5 epochs · mini-batch 100), so Start trained something
 * else. Now the question says the finished runs will be cleared (en and ko), the first run's start clears them (not a
 * refused start), and the form holds the settings of the run in progress, then of the last. The host forgets the
 * cleared runs too (train:forget-runs), so a reload does not bring them back (Q5's F4).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import { tick } from 'svelte'
import type { TrainSettings } from '../../../src-engine/protocol'
import { catalogues, i18n } from '../../../src-renderer/i18n/index.svelte'
import { overfit, overfitSettings, overfitSpec, OVERFIT_EPOCHS } from '../../../src-renderer/lib/lessons/overfit.svelte'
import { race } from '../../../src-renderer/lib/lessons/race.svelte'
import { Run, trainLab } from '../../../src-renderer/lib/train.svelte'
import { project } from '../../../src-renderer/lib/project.svelte'
import { editor } from '../../../src-renderer/lib/editor.svelte'
import { setLab } from '../../../src-renderer/lib/lab'
import OptimizerPaths from '../../../src-renderer/components/explainers/OptimizerPaths.svelte'
import Overfitting from '../../../src-renderer/components/explainers/Overfitting.svelte'
import { FakeLab, flush } from '../train/fake-lab'

const NAMES = { plain: 'MLP 200-200', dropout: 'MLP 200-200 + dropout 0.5', decay: 'MLP 200-200' }
const WAIT = 20_000

/** `n` finished runs of an earlier experiment, as the training page lists them (#1…#n). */
function earlierRuns(n: number): void {
  const s: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'SGD', lr: 0.1, batchSize: 100, epochs: 2, weightDecay: 0, seed: 7, threads: 1 }
  trainLab.runs = Array.from({ length: n }, (_, i) => {
    const r = new Run(`old-${i + 1}`, i + 1, s, 'Two-layer net', 'classifier')
    r.state = 'done'
    return r
  })
  trainLab.currentId = trainLab.runs[n - 1]?.id ?? null
  trainLab.nextIndex = n + 1
}

afterEach(() => {
  cleanup()
  overfit.stop()
  race.stop()
  setLab(null)
  trainLab.runs = []
  project.trained = false
  project.weightsChoice = null
  project.page = 'editor'
  if (editor.pending) editor.resolvePending('cancel')
  i18n.set('en')
})

describe('an experiment with runs left on the training page', () => {
  it('says it will clear them (with the trained model, or alone), in en and ko, and "Not now" keeps them', async () => {
    earlierRuns(6)
    project.spec = overfitSpec('plain', 'mine')
    project.trained = true
    project.page = 'lessons'
    render(OptimizerPaths)
    const status = screen.getByTestId('experiment-ask').querySelector('[role="status"]')!
    await fireEvent.click(screen.getByTestId('opt-race'))
    await tick()
    expect(race.asking).toBe(true)
    const replace = catalogues.en['explain.expReplace'].replace('{menu}', catalogues.en['files.menu'])
    expect(status.textContent).toBe(`${replace} ${catalogues.en['explain.expClear'].replace('{n}', '6')}`)
    i18n.set('ko')
    await tick()
    expect(status.textContent).toContain(catalogues.ko['explain.expClear'].replace('{n}', '6'))
    await fireEvent.click(screen.getByTestId('experiment-cancel'))
    expect(trainLab.runs.map((r) => r.id)).toEqual(['old-1', 'old-2', 'old-3', 'old-4', 'old-5', 'old-6'])
    // no trained model (the learner chose Start fresh since), one run left: asked all the same, of the run alone
    i18n.set('en')
    earlierRuns(1)
    project.trained = false
    await fireEvent.click(screen.getByTestId('opt-race'))
    await tick()
    expect(race.asking).toBe(true)
    expect(status.textContent).toBe(catalogues.en['explain.expClearOne'])
  })

  it('clears them once its first run starts, numbers its runs from #1, and leaves the form as its last run was', async () => {
    const fake = new FakeLab()
    setLab(fake)
    trainLab.ensureConnected(fake)
    await flush()
    earlierRuns(4)
    project.page = 'lessons'
    render(Overfitting)
    // a start the host refuses (a run still training) clears nothing
    const start = fake.handlers['train:start']!
    fake.handlers['train:start'] = () => ({ ok: false, error: { code: 'busy', message: 'Run old-4 is still running; stop it before starting another.' } })
    await fireEvent.click(screen.getByTestId('overfit-run'))
    await tick()
    expect(await overfit.go()).toBe(true)
    await expect.poll(() => overfit.running, { timeout: WAIT }).toBe(false)
    expect(trainLab.runs.map((r) => r.id)).toEqual(['old-1', 'old-2', 'old-3', 'old-4'])
    expect(trainLab.nextIndex).toBe(5)
    expect(trainLab.error).not.toBeNull()
    expect(fake.channels()).not.toContain('train:forget-runs')
    fake.handlers['train:start'] = start
    const refused = fake.calls.filter((c) => c.channel === 'train:start').length
    project.page = 'lessons'
    await fireEvent.click(screen.getByTestId('overfit-run'))
    await tick()
    expect(overfit.asking).toBe(true)
    expect(await overfit.go()).toBe(true)
    for (const [i, runId] of ['run-1', 'run-2', 'run-3'].entries()) {
      await expect.poll(() => fake.calls.filter((c) => c.channel === 'train:start').length, { timeout: WAIT }).toBe(refused + i + 1)
      await expect.poll(() => trainLab.runs.length, { timeout: WAIT }).toBe(i + 1)
      // the experiment's runs alone, #1 on; the form holds the settings of the run in progress
      expect(trainLab.runs.map((r) => [r.id, r.index])).toEqual(['run-1', 'run-2', 'run-3'].slice(0, i + 1).map((id, k) => [id, k + 1]))
      // the host forgets the cleared runs too, once (Q5's F4: a reload brought them back, renumbered with these)
      expect(fake.calls.filter((c) => c.channel === 'train:forget-runs').map((c) => c.payload)).toEqual([{ ids: ['old-1', 'old-2', 'old-3', 'old-4'] }])
      expect(trainLab.form).toMatchObject({ optimizer: 'Adam', lr: 0.001, batchSize: 50, epochs: OVERFIT_EPOCHS, weightDecay: i === 2 ? 0.01 : 0, seed: 7, dataKind: 'mnist' })
      fake.emit({ type: 'state', runId, state: 'done' })
    }
    await expect.poll(() => overfit.running, { timeout: WAIT }).toBe(false)
    // the training page, shown now, fills the form for the network in the editor: it keeps the last run's settings
    trainLab.prepareForm(trainLab.specToTrain(project.spec), trainLab.presetFor(project.spec, project.presetId))
    expect(trainLab.form).toMatchObject({ batchSize: 50, epochs: OVERFIT_EPOCHS, weightDecay: 0.01 })
    // the form cannot hold the 1,000-digit split: the lesson says what Start trains on
    await tick()
    expect(screen.getByTestId('overfit-form').textContent).toBe(catalogues.en['explain.overfitForm'])
    expect(overfitSettings('plain', 1).testFraction).toBe(0.9)
  }, 4 * WAIT)
})

// Lesson 10's closing note: the course's homework on a CNN needs a small training set, which the training page's
// "Training examples" box gives; its button opens the homework's CNN there, as the lessons' "Train …" buttons do
describe('the overfitting lesson’s closing note', () => {
  it('names the “Training examples” box (en, ko) and opens Simple ConvNet on the training page', async () => {
    project.spec = overfitSpec('plain', 'mine')
    project.presetId = null
    project.page = 'lessons'
    render(Overfitting)
    const note = screen.getByTestId('overfit-homework')
    expect(note.textContent).toContain('“Training examples” box on the training page')
    const go = screen.getByTestId('overfit-homework-go')
    expect(go.textContent).toBe('Train “Simple ConvNet (book)” on fewer digits')
    i18n.set('ko')
    await tick()
    expect(note.textContent).toContain('학습 페이지의 “훈련 샘플 수” 칸에 1,000을 넣으면')
    expect(go.textContent).toBe('적은 샘플로 “간단한 합성곱 신경망 (책)” 학습시키기')
    await fireEvent.click(go)
    await tick()
    expect(project.presetId).toBe('simple-convnet')
    expect(project.spec?.layers[0].type).toBe('Convolution')
    expect(project.page).toBe('train')
  })
})
