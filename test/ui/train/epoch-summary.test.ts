/**
 * The epoch chart's plot (a canvas) has a name and a text alternative: the current run's latest held-out figures in
 * the chart's metric, with its best epoch when that was an earlier one, en and ko, following the run at most every
 * two seconds. Before, the canvas said nothing to a screen reader.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { cleanup, render, screen } from '@testing-library/svelte'
import { flushSync } from 'svelte'
import EpochChart from '../../../src-renderer/components/train/EpochChart.svelte'
import { epochSummary } from '../../../src-renderer/components/train/chart-summary'
import { Run, trainLab } from '../../../src-renderer/lib/train.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import type { EpochReport, TrainSettings } from '../../../src-engine/protocol'

const settings: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 3, weightDecay: 0, seed: 1, threads: 1 }
const report = (epoch: number, testAcc: number, trainAcc: number | null): EpochReport =>
  ({ epoch, trainLoss: 0.1, trainAcc: trainAcc === null ? null : trainAcc - 0.1, trainEvalAcc: trainAcc, testLoss: 0.08, testAcc, seconds: 3 })

afterEach(() => {
  cleanup()
  vi.useRealTimers()
  i18n.set('en')
  trainLab.runs = []
  trainLab.currentId = null
})

describe('the epoch chart in words', () => {
  it('names the canvas and says the latest and best test accuracy, throttled, in both languages', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const run = new Run('a', 2, settings, 'net', 'classifier')
    run.state = 'running'
    trainLab.runs = [run]
    trainLab.currentId = 'a'
    render(EpochChart)
    const plot = screen.getByRole('img', { name: 'Accuracy per epoch' })
    const summary = screen.getByTestId('epoch-summary')
    expect(plot.getAttribute('aria-describedby')).toBe(summary.id)
    expect(summary.textContent).toBe('One point per epoch: the first appears when epoch 1 ends.')

    run.addEpoch(report(1, 0.9612, 0.955))
    flushSync()
    await vi.advanceTimersByTimeAsync(0)
    expect(summary.textContent).toBe('Run #2 after epoch 1: test accuracy 96.1%, training accuracy 95.5%.')

    // the next epochs a moment later: the words wait for two seconds, then say the latest and the best before it
    run.addEpoch(report(2, 0.9741, 0.97))
    run.addEpoch(report(3, 0.9702, 0.985))
    flushSync()
    await vi.advanceTimersByTimeAsync(1000)
    expect(summary.textContent).toBe('Run #2 after epoch 1: test accuracy 96.1%, training accuracy 95.5%.')
    await vi.advanceTimersByTimeAsync(1000)
    expect(summary.textContent).toBe('Run #2 after epoch 3: test accuracy 97.0%, training accuracy 98.5%. The best so far was 97.4% after epoch 2.')

    i18n.set('ko')
    flushSync()
    await vi.advanceTimersByTimeAsync(2000)
    expect(summary.textContent).toBe('#2 학습, 3번째 에폭이 끝난 뒤 테스트 정확도는 97.0%, 훈련 정확도는 98.5%입니다. 지금까지 가장 높았던 값은 2번째 에폭 뒤의 97.4%입니다.')
    expect(screen.getByRole('img', { name: '에폭별 정확도' })).toBe(plot)
  })

  it('says perplexity and reconstruction error, the lowest being the best', () => {
    const lm = new Run('b', 1, settings, 'lm', 'language-model')
    lm.addEpoch({ ...report(1, 0, null), testAcc: null, perplexity: 6.5 })
    lm.addEpoch({ ...report(2, 0, null), testAcc: null, perplexity: 7.25 })
    expect(epochSummary(lm, 'perplexity')).toBe('Run #1 after epoch 2: test perplexity 7.25. The lowest so far was 6.50 after epoch 1.')
    const ae = new Run('c', 3, settings, 'ae', 'autoencoder')
    ae.addEpoch({ ...report(1, 0, null), testAcc: null, reconstructionMse: 0.0213 })
    expect(epochSummary(ae, 'reconstruction')).toBe('Run #3 after epoch 1: reconstruction error 0.0213 per pixel on the test images.')
    expect(epochSummary(null, 'accuracy')).toBe('One point per epoch: the first appears when epoch 1 ends.')
  })
})
