/**
 * Q6's F2, F8, F9: a run's figures without a mouse. The epoch chart's and the loss chart's "Show as table" (every run
 * shown, epoch by epoch, the learning rate an epoch trained with, a live change included), the progress card's words
 * (the last mini-batch's loss while paused or stepped, the bar's value per epoch in words) and what it announces: an
 * epoch's end, the run's end with its result, a stepped mini-batch; never a batch of a running run.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { cleanup, fireEvent, render, screen, within } from '@testing-library/svelte'
import { flushSync, tick } from 'svelte'
import EpochChart from '../../../src-renderer/components/train/EpochChart.svelte'
import LossChart from '../../../src-renderer/components/train/LossChart.svelte'
import ProgressPanel from '../../../src-renderer/components/train/ProgressPanel.svelte'
import { epochLr, epochTables, lossRows } from '../../../src-renderer/components/train/run-words'
import { restoredRuns } from '../../../src-renderer/lib/files.svelte'
import type { SavedRun } from '../../../src-main/ipc/contract'
import { tableOpen } from '../../../src-renderer/components/train/table-open.svelte'
import { defaultsFor, Run, trainLab } from '../../../src-renderer/lib/train.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import type { BatchPoint, EpochReport, TrainSettings } from '../../../src-engine/protocol'

const settings: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.002, batchSize: 100, epochs: 3, weightDecay: 0, seed: 1, threads: 1 }
const form = defaultsFor(null, 1)
const report = (epoch: number, testAcc: number, trainAcc: number, testLoss: number, seconds: number, lr: number[] | null = [0.002]): EpochReport =>
  ({ epoch, trainLoss: 0.2, trainAcc: trainAcc - 0.05, trainEvalAcc: trainAcc, testLoss, testAcc, seconds, ...(lr ? { lr } : {}) })
const point = (epoch: number, batch: number, loss: number): BatchPoint => ({ epoch, batch, batches: 4, loss, examplesPerSec: 66 })

afterEach(() => {
  cleanup()
  vi.useRealTimers()
  i18n.set('en')
  trainLab.runs = []
  trainLab.currentId = null
  tableOpen.epoch = false
  tableOpen.loss = false
})

/** Run #1: 3 epochs of 4 mini-batches, its rate changed live from 0.002 to 0.0005 half-way through epoch 2 (as the
 * engine's reports record it, EpochReport.lr). */
function threeEpochs(): Run {
  const r = new Run('a', 1, settings, 'net', 'classifier')
  r.addPoints([point(1, 1, 2.5), point(1, 2, 1.5), point(1, 3, 1.0), point(1, 4, 0.8)])
  r.addEpoch(report(1, 0.9105, 0.9211, 0.3012, 5.04))
  r.addPoints([point(2, 1, 0.6), point(2, 2, 0.5)])
  r.lrChanges = [{ x: r.nowX, lr: 0.0005 }]
  r.lr = 0.0005
  r.addPoints([point(2, 3, 0.4), point(2, 4, 0.3)])
  r.addEpoch(report(2, 0.9544, 0.9602, 0.1577, 4.96, [0.002, 0.0005]))
  r.addPoints([point(3, 1, 0.25), point(3, 2, 0.2)])
  r.addEpoch(report(3, 0.968, 0.987, 0.1102, 5, [0.0005]))
  r.state = 'done'
  return r
}

describe('the charts as tables', () => {
  it('give the rate an epoch trained with, a live change inside it shown as from → to', () => {
    const r = threeEpochs()
    expect(r.epochs.map(epochLr)).toEqual(['0.002', '0.002 → 0.0005', '0.0005'])
    // more changes than a report keeps: the ones left out counted where they were
    expect(epochLr(report(4, 0.9, 0.9, 0.1, 1, [0.002, 0.0009, 0.0008]))).toBe('0.002 → 0.0009 → 0.0008')
    expect(epochLr({ ...report(4, 0.9, 0.9, 0.1, 1, [0.002, 0.0009]), lrLeftOut: 3 })).toBe('0.002 → 3 more → 0.0009')
    // an epoch saved before the rate was recorded: not the starting rate, which a live change may have made wrong
    expect(epochLr(report(4, 0.9, 0.9, 0.1, 1, null))).toBe('not recorded')
    i18n.set('ko')
    expect(epochLr(report(4, 0.9, 0.9, 0.1, 1, null))).toBe('기록 없음')
    expect(epochLr({ ...report(4, 0.9, 0.9, 0.1, 1, [0.002, 0.0009]), lrLeftOut: 3 })).toBe('0.002 → 3번 더 바꿈 → 0.0009')
  })

  it('after a reload, a second window or a reopened project: the rates the saved epochs recorded, an older run’s said not recorded', () => {
    // the host's history (train:current) and a project file carry a run as SavedRun: no live changes, only its epochs
    const saved = (id: string, epochs: EpochReport[]): SavedRun =>
      ({ id, specName: 'net', settings, state: 'done', batchX: [1, 2, 3], batchLoss: [0.8, 0.3, 0.2], epochs })
    const [now, old] = restoredRuns([
      saved('a', [report(1, 0.91, 0.92, 0.3, 5), report(2, 0.95, 0.96, 0.15, 5, [0.002, 0.0005]), report(3, 0.96, 0.98, 0.11, 5, [0.0005])]),
      saved('b', [report(1, 0.91, 0.92, 0.3, 5, null), report(2, 0.95, 0.96, 0.15, 5, null)])
    ], 'classifier')
    const [a, b] = epochTables([now, old])
    expect(a.rows.map((x) => x.cells[4])).toEqual(['0.002', '0.002 → 0.0005', '0.0005'])
    expect(a.note).toBeUndefined()
    // the run list says where it ended (the legend's "lr 0.002 → 0.0005")
    expect(now.lr).toBe(0.0005)
    expect(b.rows.map((x) => x.cells[4])).toEqual(['not recorded', 'not recorded'])
    expect(b.note).toBe('Learning rate “not recorded”: this run was saved before the lab kept the rate each epoch trained with. It started at 0.002; a change made while it trained is not known.')
    expect(old.lr).toBe(0.002)
    i18n.set('ko')
    const [, bKo] = epochTables([now, old])
    expect(bKo.rows[0].cells[4]).toBe('기록 없음')
    expect(bKo.note).toBe('학습률 ‘기록 없음’: 에폭마다 학습률을 기록하기 전에 저장된 학습입니다(시작 학습률 0.002). 학습 중에 바꾼 값은 알 수 없습니다.')
  })

  it('summarise the mini-batch losses per epoch, an epoch not ended marked', () => {
    const r = threeEpochs()
    const rows = lossRows(r)
    expect(rows.map((x) => [x.epoch, x.first, x.mean, x.low, x.high, x.last, x.partial])).toEqual([
      [1, '2.5000', '1.4500', '0.8000', '2.5000', '0.8000', false],
      [2, '0.6000', '0.4500', '0.3000', '0.6000', '0.3000', false],
      // epoch 3 reported after 2 of its 4 batches here: it ended all the same
      [3, '0.2500', '0.2250', '0.2000', '0.2500', '0.2000', false]
    ])
    const stopped = new Run('b', 2, settings, 'net', 'classifier')
    stopped.addPoints([point(1, 1, 2.5559), point(1, 2, 2.4), point(1, 3, 2.3)])
    stopped.state = 'stopped'
    expect(lossRows(stopped)).toEqual([{ epoch: 1, partial: true, first: '2.5559', mean: '2.4186', low: '2.3000', high: '2.5559', last: '2.3000' }])
  })

  it('open under the epoch chart from a button, a table per run shown, in both languages', async () => {
    const r = threeEpochs()
    const hidden = new Run('h', 2, settings, 'net', 'classifier')
    hidden.addEpoch(report(1, 0.5, 0.5, 1, 1))
    hidden.visible = false
    trainLab.runs = [r, hidden]
    trainLab.currentId = 'a'
    render(EpochChart)
    const toggle = screen.getByTestId('epoch-table-toggle')
    expect(toggle.textContent).toBe('Show as table')
    expect(toggle.getAttribute('aria-expanded')).toBe('false')
    expect(screen.queryByTestId('epoch-table')).toBeNull()
    await fireEvent.click(toggle)
    expect(toggle.getAttribute('aria-expanded')).toBe('true')
    const box = screen.getByTestId('epoch-table')
    expect(toggle.getAttribute('aria-controls')).toBe(box.id)
    // one table: the hidden run is not shown on the chart, nor here
    const tables = within(box).getAllByRole('table')
    expect(tables).toHaveLength(1)
    expect(tables[0].querySelector('caption')!.textContent).toBe('#1 Adam · lr 0.002 · mini-batch 100')
    const rows = within(tables[0]).getAllByRole('row').map((tr) => [...tr.children].map((c) => c.textContent))
    expect(rows).toEqual([
      ['Epoch', 'Training accuracy', 'Test accuracy', 'Test loss', 'Seconds', 'Learning rate'],
      ['1', '92.1%', '91.1%', '0.3012', '5.0', '0.002'],
      ['2', '96.0%', '95.4%', '0.1577', '5.0', '0.002 → 0.0005'],
      ['3', '98.7%', '96.8%', '0.1102', '5.0', '0.0005']
    ])
    i18n.set('ko')
    flushSync()
    expect(toggle.textContent).toBe('표 숨기기')
    expect([...within(box).getAllByRole('row')[0].children].map((c) => c.textContent)).toEqual(['에폭', '훈련 정확도', '테스트 정확도', '테스트 손실', '초', '학습률'])
    // a new epoch of a visible run comes in at once
    hidden.visible = true
    flushSync()
    expect(within(box).getAllByRole('table')).toHaveLength(2)
    await fireEvent.click(toggle)
    expect(screen.queryByTestId('epoch-table')).toBeNull()
    expect(toggle.textContent).toBe('표로 보기')
  })

  it('open under the loss chart, the losses per epoch and the epoch a stopped run did not finish', async () => {
    const stopped = new Run('b', 1, settings, 'net', 'classifier')
    stopped.addPoints([point(1, 1, 2.5559), point(1, 2, 2.4), point(1, 3, 2.3)])
    stopped.state = 'stopped'
    trainLab.runs = [stopped]
    trainLab.currentId = 'b'
    render(LossChart)
    await fireEvent.click(screen.getByTestId('loss-table-toggle'))
    await tick()
    const rows = within(screen.getByTestId('loss-table')).getAllByRole('row').map((tr) => [...tr.children].map((c) => c.textContent))
    expect(rows).toEqual([
      ['Epoch', 'First mini-batch', 'Mean', 'Lowest', 'Highest', 'Last mini-batch'],
      ['1 (unfinished)', '2.5559', '2.4186', '2.3000', '2.5559', '2.3000']
    ])
  })
})

describe('the progress card in words', () => {
  it('shows the last mini-batch\'s loss instead of a speed while paused, and the speed while training', async () => {
    const r = new Run('a', 1, settings, 'net', 'classifier')
    r.state = 'running'
    r.addPoints([point(1, 3, 2.5559)])
    render(ProgressPanel, { run: r, form })
    const line = screen.getByTestId('progress')
    expect(line.textContent).toContain('66 examples/s')
    expect(screen.queryByTestId('progress-loss')).toBeNull()
    r.state = 'paused'
    await tick()
    expect(line.textContent).not.toContain('examples/s')
    expect(screen.getByTestId('progress-loss').textContent).toBe('· loss 2.5559')
    i18n.set('ko')
    await tick()
    expect(line.textContent).toContain('미니배치 3 / 4')
    expect(screen.getByTestId('progress-loss').textContent).toBe('· 손실 2.5559')
  })

  it('gives the bar a value per epoch, in words, not one per mini-batch', async () => {
    const r = new Run('a', 1, settings, 'net', 'classifier')
    r.state = 'running'
    r.addPoints([point(1, 1, 2.5)])
    render(ProgressPanel, { run: r, form })
    const bar = screen.getByRole('progressbar', { name: 'Training progress' })
    expect(bar.getAttribute('aria-valuenow')).toBe('0')
    expect(bar.getAttribute('aria-valuetext')).toBe('0 of 3 epochs done')
    r.addPoints([point(1, 2, 2.4), point(1, 3, 2.3)])
    await tick()
    expect(bar.getAttribute('aria-valuenow')).toBe('0')
    r.addPoints([point(1, 4, 2.2)])
    r.addEpoch(report(1, 0.91, 0.92, 0.3, 5))
    await tick()
    expect(bar.getAttribute('aria-valuenow')).toBe('33.3')
    expect(bar.getAttribute('aria-valuetext')).toBe('1 of 3 epochs done')
  })

  it('announces each epoch\'s result, the end with its result and a stepped mini-batch, never a running batch', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const r = new Run('a', 1, settings, 'net', 'classifier')
    r.state = 'running'
    render(ProgressPanel, { run: r, form })
    const said = screen.getByTestId('progress-said')
    expect(said.getAttribute('aria-live')).toBe('polite')
    r.addPoints([point(1, 1, 2.5), point(1, 2, 2.4)])
    await tick()
    expect(said.textContent).toBe('')
    r.addEpoch(report(1, 0.9105, 0.92, 0.3, 5))
    await tick()
    expect(said.textContent).toBe('Epoch 1 of 3 done: test accuracy 91.1%.')
    // a second epoch within 1.5 s waits, then is said
    r.addEpoch(report(2, 0.9544, 0.96, 0.2, 5))
    await tick()
    expect(said.textContent).toBe('Epoch 1 of 3 done: test accuracy 91.1%.')
    vi.advanceTimersByTime(1600)
    await tick()
    expect(said.textContent).toBe('Epoch 2 of 3 done: test accuracy 95.4%.')
    // paused, one mini-batch stepped, twice with the same loss: said both times
    vi.advanceTimersByTime(2000)
    r.state = 'paused'
    await tick()
    r.addPoints([point(3, 1, 0.25)])
    await tick()
    expect(said.textContent).toBe('Mini-batch 1 of 4: loss 0.2500.')
    vi.advanceTimersByTime(2000)
    r.addPoints([point(3, 2, 0.25)])
    await tick()
    expect(said.textContent).toBe('Mini-batch 2 of 4: loss 0.2500.')
    vi.advanceTimersByTime(2000)
    i18n.set('ko')
    // the last epoch is said once, with the end (the epoch's own line, then the end's 1.5 s later, said one figure twice)
    r.addEpoch(report(3, 0.968, 0.987, 0.11, 5))
    await tick()
    expect(said.textContent).toBe('Mini-batch 2 of 4: loss 0.2500.')
    r.state = 'done'
    await tick()
    expect(said.textContent).toBe('학습 완료, 3번째 에폭이 끝난 뒤 테스트 정확도 96.8%.')
  })
})
