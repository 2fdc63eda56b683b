/**
 * After a run diverged the host holds that run's model, and an export writes its weights (the walk exported
 * weights up to |w| = 39.5 after Adam at learning rate 10): the menu says so beside the export items (en, ko).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import { tick } from 'svelte'
import ModelMenu from '../../../src-renderer/components/files/ModelMenu.svelte'
import { setLab } from '../../../src-renderer/lib/lab'
import { project } from '../../../src-renderer/lib/project.svelte'
import { Run, trainLab } from '../../../src-renderer/lib/train.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import type { TrainSettings } from '../../../src-engine/protocol'
import { FakeApi } from './fake-api'

const settings: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 10, batchSize: 100, epochs: 1, weightDecay: 0, seed: 1, threads: 1 }

afterEach(() => {
  cleanup()
  i18n.set('en')
  setLab(null)
  project.trained = false
  trainLab.runs = []
  trainLab.currentId = null
})

describe('export after a diverged run', () => {
  it('warns that the held model is the diverged run\'s, and says nothing once a run trains normally', async () => {
    setLab(new FakeApi({}))
    project.trained = true
    const good = new Run('a', 1, { ...settings, lr: 0.001 }, 'net', 'classifier')
    const bad = new Run('b', 2, settings, 'net', 'classifier')
    bad.diverged = true
    bad.state = 'failed'
    trainLab.runs = [good, bad]
    trainLab.currentId = 'b'
    i18n.set('ko')
    render(ModelMenu)
    await fireEvent.click(screen.getByTestId('model-menu'))
    expect(screen.getByTestId('files-export-diverged').textContent).toBe('#2 학습이 발산했습니다. 지금 실험실에 있는 모델은 그 학습의 가중치를 가지고 있고, 아래 항목은 그 가중치를 내보냅니다. 발산하지 않는 학습을 먼저 하세요.')
    // the items stay usable: the learner may want those weights
    expect((screen.getByTestId('files-export-safetensors') as HTMLButtonElement).disabled).toBe(false)
    trainLab.currentId = 'a'
    await tick()
    expect(screen.queryByTestId('files-export-diverged')).toBeNull()
  })

  it('says which weights the host kept: the run\'s last good ones (epochs numbered on), or the model before it', async () => {
    setLab(new FakeApi({}))
    project.trained = true
    const bad = new Run('b', 2, settings, 'net', 'classifier', { runId: 'a', index: 1, color: '#000', epochOffset: 2, optimizerFresh: null })
    bad.diverged = true
    bad.state = 'failed'
    bad.divergence = { reason: 'not-finite', loss: 'NaN', epoch: 2, batch: 141, optimizer: 'Adam', lr: 10, suggestedLr: 0.001, kept: { from: 'run', epoch: 2, batch: 140, loss: 0.31 } }
    trainLab.runs = [bad]
    trainLab.currentId = 'b'
    render(ModelMenu)
    await fireEvent.click(screen.getByTestId('model-menu'))
    expect(screen.getByTestId('files-export-diverged').textContent).toBe('Run #2 diverged: these items export its weights from epoch 4, mini-batch 140, kept from before the loss went wrong.')
    i18n.set('ko')
    await tick()
    expect(screen.getByTestId('files-export-diverged').textContent).toBe('#2 학습이 발산했습니다. 아래 항목은 손실이 망가지기 전에 남겨 둔 에폭 4의 140번째 미니배치의 가중치를 내보냅니다.')
    bad.divergence = { ...bad.divergence!, kept: { from: 'before' } }
    await tick()
    expect(screen.getByTestId('files-export-diverged').textContent).toBe('#2 학습은 배운 것 없이 발산했습니다. 아래 항목은 그 학습 전에 있던 모델을 내보냅니다.')
    i18n.set('en')
    await tick()
    expect(screen.getByTestId('files-export-diverged').textContent).toBe('Run #2 diverged before it had learned anything: these items export the model held before it.')
  })

  it('names the run when it diverged with nothing kept and no model before it (nothing held, items unavailable)', async () => {
    setLab(new FakeApi({}))
    project.trained = false // the page's answer to kept 'none'
    const bad = new Run('b', 3, settings, 'net', 'classifier')
    bad.diverged = true
    bad.state = 'failed'
    bad.divergence = { reason: 'not-finite', loss: 'NaN', epoch: 0, batch: 2, optimizer: 'Adam', lr: 10, suggestedLr: 0.001, kept: { from: 'none' } }
    trainLab.runs = [bad]
    trainLab.currentId = 'b'
    render(ModelMenu)
    await fireEvent.click(screen.getByTestId('model-menu'))
    const why = screen.getByTestId('files-export-none')
    expect(why.textContent).toBe('Run #3 diverged before it had learned anything, and no model was held before it: there is nothing to export yet. Train again with a smaller learning rate.')
    const item = screen.getByTestId('files-export-npz')
    expect(item.getAttribute('aria-disabled')).toBe('true')
    expect(item.getAttribute('aria-describedby')).toBe(why.id)
    i18n.set('ko')
    await tick()
    expect(why.textContent).toBe('#3 학습은 배운 것 없이 발산했고 그 전에 있던 모델도 없어서 아직 내보낼 것이 없습니다. 학습률을 낮춰 다시 학습하세요.')
    // no run behind it: the plain reason
    trainLab.currentId = null
    i18n.set('en')
    await tick()
    expect(screen.getByTestId('files-export-none').textContent).toBe('Train a model first, or open a project saved with weights: there is nothing to export yet.')
  })
})
