/**
 * The loss chart's plot (a canvas) has a name and a text alternative (the current run's latest loss and held-out figures,
 * en and ko) that follows the run at most every two seconds, not with every batch.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { cleanup, render, screen } from '@testing-library/svelte'
import { flushSync } from 'svelte'
import LossChart from '../../../src-renderer/components/train/LossChart.svelte'
import { Run, trainLab } from '../../../src-renderer/lib/train.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import type { EpochReport, TrainSettings } from '../../../src-engine/protocol'

const settings: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 2, weightDecay: 0, seed: 1, threads: 1 }
const report: EpochReport = { epoch: 1, trainLoss: 0.1, trainAcc: 0.97, testLoss: 0.0812, testAcc: 0.9741, seconds: 3 }

afterEach(() => {
  cleanup()
  vi.useRealTimers()
  i18n.set('en')
  trainLab.runs = []
  trainLab.currentId = null
})

describe('the loss chart in words', () => {
  it('names the canvas and says the latest loss and test figures, throttled', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const run = new Run('a', 2, settings, 'net', 'classifier')
    run.state = 'running'
    trainLab.runs = [run]
    trainLab.currentId = 'a'
    render(LossChart)
    const plot = screen.getByRole('img', { name: 'Loss per mini-batch' })
    const summary = screen.getByTestId('loss-summary')
    expect(plot.getAttribute('aria-describedby')).toBe(summary.id)
    // a run under way with no mini-batch yet is waited for, not to be started
    expect(summary.textContent).toBe('Training has started: waiting for the first mini-batch, whose loss is drawn here.')

    run.addPoints([{ epoch: 1, batch: 30, batches: 60, loss: 0.51234, examplesPerSec: 900 }])
    flushSync()
    await vi.advanceTimersByTimeAsync(0)
    expect(summary.textContent).toBe('Run #2 at epoch 0.50: the last mini-batch loss is 0.5123.')

    // a new batch a moment later does not change the words until two seconds have passed
    run.addPoints([{ epoch: 1, batch: 60, batches: 60, loss: 0.2, examplesPerSec: 900 }])
    run.addEpoch(report)
    flushSync()
    await vi.advanceTimersByTimeAsync(1000)
    expect(summary.textContent).toBe('Run #2 at epoch 0.50: the last mini-batch loss is 0.5123.')
    await vi.advanceTimersByTimeAsync(1000)
    expect(summary.textContent).toBe('Run #2 at epoch 1.00: the last mini-batch loss is 0.2000. After epoch 1: test loss 0.0812, test accuracy 97.4%.')

    i18n.set('ko')
    flushSync()
    await vi.advanceTimersByTimeAsync(2000)
    expect(summary.textContent).toBe('#2 학습, 에폭 1.00: 마지막 미니배치의 손실은 0.2000입니다. 1번째 에폭이 끝난 뒤 잰 테스트 손실은 0.0812, 테스트 정확도는 97.4%입니다.')
    expect(screen.getByRole('img', { name: '미니배치별 손실' })).toBe(plot)
  })
  it('says a run paused before its first mini-batch is paused, not to be started (en, ko), and Start once it ended', () => {
    const run = new Run('a', 1, settings, 'net', 'classifier')
    run.state = 'paused'
    trainLab.runs = [run]
    trainLab.currentId = 'a'
    render(LossChart)
    const empty = screen.getByTestId('loss-chart-empty')
    expect(empty.textContent).toBe('Paused before the first mini-batch: press Resume, or Step one mini-batch, and its loss is drawn here.')
    expect(screen.getByTestId('loss-summary').textContent).toBe(empty.textContent)
    i18n.set('ko')
    flushSync()
    expect(empty.textContent).toBe('첫 미니배치 전에 일시 정지했습니다. “계속”이나 “미니배치 하나만”을 누르면 그 손실이 여기에 그려집니다.')
    run.state = 'stopped'
    flushSync()
    expect(empty.textContent).toBe('시작을 누르면 학습하는 동안 미니배치마다 손실이 여기에 그려집니다.')
  })
})
