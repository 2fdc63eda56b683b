/**
 * Where a diverged run stopped is named the same way in the progress line and in the banner: the batch whose loss
 * blew up (never a point of the curve), and a continued run's epochs numbered on from the run it continues.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { render, screen } from '@testing-library/svelte'
import ProgressPanel from '../../../src-renderer/components/train/ProgressPanel.svelte'
import DivergenceBanner from '../../../src-renderer/components/train/DivergenceBanner.svelte'
import { defaultsFor, Run } from '../../../src-renderer/lib/train.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import type { DivergenceFacts, TrainSettings } from '../../../src-engine/protocol'

const settings: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 10, batchSize: 100, epochs: 2, weightDecay: 0, seed: 1, threads: 1 }
const form = defaultsFor(null, 1)

afterEach(() => i18n.set('en'))

function diverged(epochOffset: number): Run {
  const continues = epochOffset > 0 ? { runId: 'a', index: 1, color: '#000', epochOffset, optimizerFresh: null } : undefined
  const r = new Run('b', 2, settings, 'net', 'classifier', continues)
  // the engine's epochs count from 1 in a continuation too; the last point before the blow-up is batch 4
  r.addPoints([1, 2, 3, 4].map((batch) => ({ epoch: 1, batch, batches: 80, loss: 2 + batch, examplesPerSec: 800 })))
  const facts: DivergenceFacts = { reason: 'exploded', loss: 11.86, firstLoss: 2.73, epoch: 1, batch: 5, optimizer: 'Adam', lr: 10, suggestedLr: 0.001 }
  r.diverged = true
  r.divergence = facts
  r.state = 'failed'
  return r
}

describe('a diverged run', () => {
  it('names the batch that blew up in the progress line, as the banner does', () => {
    const r = diverged(0)
    render(ProgressPanel, { run: r, form })
    render(DivergenceBanner, { run: r, busy: false, onrestart: () => {} })
    expect(screen.getByTestId('progress').textContent).toContain('Epoch 1 / 2')
    expect(screen.getByTestId('progress').textContent).toContain('mini-batch 5 / 80')
    expect(screen.getByTestId('train-diverged-detail').textContent).toContain('at epoch 1, mini-batch 5')
  })

  it('numbers a continuation\'s epoch on from the run it continues, in the banner as in the progress line (Korean too)', () => {
    i18n.set('ko')
    const r = diverged(3)
    render(ProgressPanel, { run: r, form })
    render(DivergenceBanner, { run: r, busy: false, onrestart: () => {} })
    expect(screen.getByTestId('progress').textContent).toContain('에폭 4 / 5')
    expect(screen.getByTestId('progress').textContent).toContain('미니배치 5 / 80')
    expect(screen.getByTestId('train-diverged-detail').textContent).toContain('에폭 4의 5번째 미니배치에서')
  })

  it('says which model the lab kept: the run\'s weights from a batch (epochs numbered on), the one before it, or none', () => {
    const r = diverged(3)
    r.divergence = { ...r.divergence!, kept: { from: 'run', epoch: 1, batch: 3, loss: 2.73149 } }
    const { unmount } = render(DivergenceBanner, { run: r, busy: false, onrestart: () => {} })
    expect(screen.getByTestId('train-kept').textContent).toBe('The lab kept this run\'s weights from epoch 4, mini-batch 3, where the loss was still 2.73: drawing, exports and saves use them, not the broken ones.')
    unmount()
    i18n.set('ko')
    const ko = render(DivergenceBanner, { run: r, busy: false, onrestart: () => {} })
    expect(screen.getByTestId('train-kept').textContent).toBe('실험실은 손실이 아직 2.73이던 에폭 4의 3번째 미니배치의 가중치를 남겨 두었습니다. 그리기, 내보내기, 저장은 망가진 가중치가 아니라 이 가중치를 씁니다.')
    ko.unmount()
    for (const [from, en, ko] of [
      ['before', 'This run had not learned anything worth keeping yet, so the lab kept the model it held before the run', '실험실은 학습 전에 있던 모델을 그대로 두었습니다'],
      ['none', 'No trained model is held now', '지금 실험실에는 학습된 모델이 없습니다']
    ] as const) {
      r.divergence = { ...r.divergence!, kept: { from } }
      for (const lang of ['en', 'ko'] as const) {
        i18n.set(lang)
        const v = render(DivergenceBanner, { run: r, busy: false, onrestart: () => {} })
        expect(screen.getByTestId('train-kept').textContent).toContain(lang === 'en' ? en : ko)
        v.unmount()
      }
    }
    // an older host says nothing about it (it held the diverged weights): no line
    r.divergence = { ...r.divergence!, kept: undefined }
    render(DivergenceBanner, { run: r, busy: false, onrestart: () => {} })
    expect(screen.queryByTestId('train-kept')).toBeNull()
  })
})
