/**
 * Q6's F10: the draw page says which model answers: its run as the run list names it, how far it trained and its test
 * result; a model of less than one epoch is flagged, with the way to the training page. A run stopped after 3
 * mini-batches answered "6, 41.5 %" to a clean "1" and nothing said it was not the 96.8 % model trained before.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { render, screen } from '@testing-library/svelte'
import { flushSync } from 'svelte'
import DrawPage from '../../../src-renderer/pages/DrawPage.svelte'
import { Run, trainLab } from '../../../src-renderer/lib/train.svelte'
import { project } from '../../../src-renderer/lib/project.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import type { TrainSettings } from '../../../src-engine/protocol'
import { fakeCanvas, resetDrawPage } from './helpers'

const settings: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.002, batchSize: 100, epochs: 3, weightDecay: 0, seed: 1, threads: 1 }

afterEach(() => {
  resetDrawPage()
  trainLab.runs = []
  trainLab.currentId = null
  trainLab.modelRunId = null
})

describe('the draw page names the model that answers', () => {
  it('a run stopped after 3 mini-batches, then the 3-epoch run, then weights loaded with no run (en, ko)', async () => {
    fakeCanvas()
    const trained = new Run('t', 1, settings, 'net', 'classifier')
    trained.addPoints([{ epoch: 3, batch: 80, batches: 80, loss: 0.05, examplesPerSec: 900 }])
    trained.addEpoch({ epoch: 3, trainLoss: 0.05, trainAcc: 0.98, trainEvalAcc: 0.987, testLoss: 0.1, testAcc: 0.968, seconds: 5 })
    trained.state = 'done'
    const barely = new Run('b', 2, settings, 'net', 'classifier')
    barely.addPoints([{ epoch: 1, batch: 3, batches: 80, loss: 2.5559, examplesPerSec: 66 }])
    barely.state = 'stopped'
    trainLab.runs = [trained, barely]
    trainLab.currentId = 'b'
    trainLab.modelRunId = 'b'
    project.spec = { input: [1, 28, 28], layers: [{ type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] } as never
    project.trained = true
    render(DrawPage)
    const line = screen.getByTestId('draw-model')
    expect(line.textContent).toContain('Answering: #2 Adam · lr 0.002 · mini-batch 100 — stopped at mini-batch 3, before its first epoch ended, no test accuracy yet (measured at the end of each epoch)')
    expect(screen.getByTestId('draw-model-barely').textContent).toBe('It has trained on less than one epoch, so its answers are close to guesses. Train it for at least one epoch.')
    screen.getByRole('button', { name: 'Go to training' }).click()
    flushSync()
    expect(project.page).toBe('train')
    i18n.set('ko')
    flushSync()
    expect(line.textContent).toContain('답하는 모델: #2 Adam · 학습률 0.002 · 미니배치 100 — 3번째 미니배치에서 중지, 첫 에폭을 마치지 못함, 테스트 정확도 없음')

    trainLab.modelRunId = 't'
    flushSync()
    expect(line.textContent?.trim()).toBe('답하는 모델: #1 Adam · 학습률 0.002 · 미니배치 100 — 3번째 에폭까지 학습, 테스트 정확도 96.8%')
    expect(screen.queryByTestId('draw-model-barely')).toBeNull()
    i18n.set('en')
    flushSync()
    expect(line.textContent?.trim()).toBe('Answering: #1 Adam · lr 0.002 · mini-batch 100 — trained to epoch 3, test accuracy 96.8%')

    // weights loaded with no run on the page
    trainLab.runs = []
    trainLab.modelRunId = null
    flushSync()
    expect(line.textContent).toContain('Answering: the weights that were loaded')
  })
})
