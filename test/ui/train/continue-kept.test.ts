/**
 * After a divergence: "Continue from the kept weights" carries the run on from the model the host kept (its own last
 * good weights, or the model a continuation started from), with the suggested learning rate, numbered on as that run;
 * "Restart from scratch" starts fresh weights. Neither is mixed up with the other, in the lab or in the banner.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { fireEvent, render, screen } from '@testing-library/svelte'
import DivergenceBanner from '../../../src-renderer/components/train/DivergenceBanner.svelte'
import { TrainLab, epochsTrained, type Run } from '../../../src-renderer/lib/train.svelte'
import { project } from '../../../src-renderer/lib/project.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import type { BatchPoint, DivergenceFacts, KeptModel, TrainSettings } from '../../../src-engine/protocol'
import { FakeLab, SIMPLE_CONVNET, connected } from './fake-lab'

const settings: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 5, weightDecay: 0, seed: 42, threads: 2 }
const pt = (epoch: number, batch: number, loss: number): BatchPoint => ({ epoch, batch, batches: 4, loss, examplesPerSec: 1000 })

/** Three good epochs and half of a fourth, then the lr raised live until the loss blew up at epoch 4, batch 3. */
function diverge(fake: FakeLab, runId: string, kept: KeptModel | undefined): void {
  for (let e = 1; e <= 3; e++) fake.emit({ type: 'batches', runId, points: [1, 2, 3, 4].map((b) => pt(e, b, 2 - e * 0.3)) })
  fake.emit({ type: 'batches', runId, points: [pt(4, 1, 0.9), pt(4, 2, 40)] })
  const facts: DivergenceFacts = { reason: 'not-finite', loss: 'NaN', epoch: 4, batch: 3, optimizer: 'Adam', lr: 3, suggestedLr: 0.001, ...(kept ? { kept } : {}) }
  fake.emit({ type: 'error', runId, code: 'diverged', message: 'loss is NaN', divergence: facts })
}

const starts = (fake: FakeLab): unknown[] => fake.calls.filter((c) => c.channel === 'train:start').map((c) => c.payload)

afterEach(() => {
  project.trained = false
  project.weightsChoice = null
  project.spec = null
  i18n.set('en')
})

describe('continuing from the weights kept after a divergence', () => {
  it('starts from the host\'s model with the suggested lr, as the same run numbered on, its optimizer said to start fresh', async () => {
    const { lab, fake } = await connected()
    await lab.start(SIMPLE_CONVNET, settings)
    diverge(fake, 'run-1', { from: 'run', epoch: 3, batch: 4, loss: 1.1 })
    const first = lab.current!
    expect(lab.continuable(SIMPLE_CONVNET)).toBeNull()
    expect(lab.keptContinuable(SIMPLE_CONVNET)?.id).toBe('run-1')
    // another network is not the kept model's
    expect(lab.keptContinuable({ ...SIMPLE_CONVNET, name: 'Other' })).toBeNull()
    const next = (await lab.continueFromKept(SIMPLE_CONVNET))!
    expect(next).not.toBeNull()
    // kept at the end of epoch 3 (its last batch) of five: two left, numbered 4 and 5 (it was 5 alone, epoch 4 missing)
    expect(starts(fake).at(-1)).toMatchObject({ spec: SIMPLE_CONVNET, from: 'model', epochOffset: 3, settings: { lr: 0.001, epochs: 2, optimizer: 'Adam' } })
    expect(lab.form.lr).toBe(0.001)
    expect(next.color).toBe(first.color)
    expect(next.continues).toEqual({ runId: 'run-1', index: 1, color: first.color, epochOffset: 3, optimizerFresh: { from: 'Adam', to: 'Adam' } })
    expect(next.progress).toMatchObject({ epoch: 3, epochs: 5 })
    fake.emit({ type: 'batches', runId: 'run-2', points: [pt(1, 2, 0.8)] })
    expect(next.progress).toMatchObject({ epoch: 4, epochs: 5 })
    expect(next.batchX).toEqual([3.5])
  })

  it('goes on from a batch kept mid-epoch where it sits on the curve, training that epoch again under its number', async () => {
    const { lab, fake } = await connected()
    await lab.start(SIMPLE_CONVNET, settings)
    for (let e = 1; e <= 3; e++) fake.emit({ type: 'epoch', runId: 'run-1', report: { epoch: e, trainLoss: 1, trainAcc: null, testLoss: 1, testAcc: 0.9, seconds: 1 } })
    diverge(fake, 'run-1', { from: 'run', epoch: 4, batch: 1, loss: 0.9 })
    const prev = lab.current!
    expect(prev.batchX.at(-2)).toBe(3.25) // the kept batch (the last point is the one that blew up)
    const next = (await lab.continueFromKept(SIMPLE_CONVNET))!
    // epoch 4 was cut short: the continuation trains it again (numbered 4 and 5), its curve from 3.25, no gap to 4
    expect(starts(fake).at(-1)).toMatchObject({ from: 'model', epochOffset: 3, xOffset: 3.25, settings: { epochs: 2 } })
    expect(next.continues).toMatchObject({ epochOffset: 3, xOffset: 3.25 })
    fake.emit({ type: 'batches', runId: 'run-2', points: [pt(1, 1, 0.85), pt(1, 4, 0.7)] })
    expect(next.batchX).toEqual([3.5, 4.25])
    fake.emit({ type: 'epoch', runId: 'run-2', report: { epoch: 1, trainLoss: 0.7, trainAcc: null, testLoss: 0.7, testAcc: 0.92, seconds: 1 } })
    expect([...prev.epochs, ...next.epochs].map((e) => e.epoch)).toEqual([1, 2, 3, 4])
    expect(next.progress).toMatchObject({ epoch: 4, epochs: 5 })
    expect(next.nowX).toBe(4.25)
    // stopped there, continued once more: numbered on after epoch 4, as a stop part-way counts its epoch
    fake.emit({ type: 'batches', runId: 'run-2', points: [pt(2, 1, 0.6)] })
    fake.emit({ type: 'state', runId: 'run-2', state: 'stopped' })
    const { epochsTrained } = await import('../../../src-renderer/lib/train.svelte')
    expect(epochsTrained(next)).toBe(5)
  })

  it('restarts from scratch with the other button, not from the kept model', async () => {
    const { lab, fake } = await connected()
    await lab.start(SIMPLE_CONVNET, settings)
    diverge(fake, 'run-1', { from: 'run', epoch: 3, batch: 4, loss: 1.1 })
    // even if the editor's last answer was "keep the weights"
    project.weightsChoice = 'keep'
    const again = (await lab.restartWithLowerLr(SIMPLE_CONVNET))!
    expect(starts(fake).at(-1)).toEqual({ spec: SIMPLE_CONVNET, settings: { ...settings, lr: 0.001 } })
    expect(again.continues).toBeNull()
  })

  it('is offered for a continuation\'s model put back (where it began, its optimizer state with it), not for a fresh run\'s, nor with none kept', async () => {
    const { lab, fake } = await connected()
    await lab.start(SIMPLE_CONVNET, settings)
    fake.emit({ type: 'batches', runId: 'run-1', points: [pt(1, 1, 2), pt(1, 4, 1.5)] })
    fake.emit({ type: 'state', runId: 'run-1', state: 'done' })
    lab.form = { ...lab.form, ...settings, epochs: 2 }
    await lab.continueRun(SIMPLE_CONVNET)
    fake.emit({ type: 'error', runId: 'run-2', code: 'diverged', message: 'loss is NaN', divergence: { reason: 'not-finite', loss: 'NaN', epoch: 1, batch: 1, optimizer: 'Adam', lr: 3, suggestedLr: 0.001, kept: { from: 'before' } } })
    expect(lab.keptContinuable(SIMPLE_CONVNET)?.id).toBe('run-2')
    const next = (await lab.continueFromKept(SIMPLE_CONVNET))!
    expect(starts(fake).at(-1)).toMatchObject({ from: 'model', epochOffset: 1 })
    expect(next.continues).toMatchObject({ runId: 'run-2', index: 2, optimizerFresh: null })

    // a fresh run's "before" is another run's model: only the restart
    const fresh = await connected()
    await fresh.lab.start(SIMPLE_CONVNET, settings)
    diverge(fresh.fake, 'run-1', { from: 'before' })
    expect(fresh.lab.keptContinuable(SIMPLE_CONVNET)).toBeNull()
    expect(await fresh.lab.continueFromKept(SIMPLE_CONVNET)).toBeNull()
    for (const kept of [{ from: 'none' } as const, undefined]) {
      const other = await connected()
      await other.lab.start(SIMPLE_CONVNET, settings)
      diverge(other.fake, 'run-1', kept)
      expect(other.lab.keptContinuable(SIMPLE_CONVNET)).toBeNull()
    }
  })
})

describe('the divergence banner', () => {
  async function divergedRun(kept: KeptModel): Promise<{ lab: TrainLab; run: Run }> {
    const { lab, fake } = await connected()
    await lab.start(SIMPLE_CONVNET, settings)
    diverge(fake, 'run-1', kept)
    return { lab, run: lab.current! }
  }

  it('offers to continue from the kept weights beside the restart from scratch, in English and Korean', async () => {
    const { lab, run } = await divergedRun({ from: 'run', epoch: 3, batch: 4, loss: 1.1 })
    const onrestart = vi.fn()
    const oncontinue = vi.fn()
    for (const [lang, cont, restart, note] of [
      ['en', 'Continue from the kept weights with lr = 0.001', 'Restart from scratch with lr = 0.001', 'Continuing starts Adam afresh: the kept weights carry no optimizer state.'],
      ['ko', '남겨 둔 가중치에서 이어서 학습 (학습률 0.001)', '학습률 0.001에서 처음부터 다시 시작', '이어서 학습하면 옵티마이저(Adam)\u2060는 처음 상태에서 시작합니다. 남겨 둔 가중치에는 옵티마이저 상태가 없습니다.']
    ] as const) {
      i18n.set(lang)
      const v = render(DivergenceBanner, { run, busy: false, onrestart, oncontinue: lab.keptContinuable(SIMPLE_CONVNET) ? oncontinue : null })
      expect(screen.getByTestId('train-continue-kept').textContent?.trim()).toBe(cont)
      expect(screen.getByTestId('train-restart-lower').textContent?.trim()).toBe(restart)
      expect(screen.getByTestId('train-continue-kept-note').textContent).toBe(note)
      v.unmount()
    }
    render(DivergenceBanner, { run, busy: false, onrestart, oncontinue })
    await fireEvent.click(screen.getByTestId('train-continue-kept'))
    expect(oncontinue).toHaveBeenCalledTimes(1)
    expect(onrestart).not.toHaveBeenCalled()
    await fireEvent.click(screen.getByTestId('train-restart-lower'))
    expect(onrestart).toHaveBeenCalledTimes(1)
  })

  it('offers only the restart when nothing usable was kept', async () => {
    for (const kept of [{ from: 'none' }, { from: 'before' }] as const) {
      const { lab, run } = await divergedRun(kept)
      const v = render(DivergenceBanner, { run, busy: false, onrestart: () => {}, oncontinue: lab.keptContinuable(SIMPLE_CONVNET) ? () => {} : null })
      expect(screen.queryByTestId('train-continue-kept')).toBeNull()
      expect(screen.queryByTestId('train-continue-kept-note')).toBeNull()
      expect(screen.getByTestId('train-restart-lower').textContent?.trim()).toBe('Restart from scratch with lr = 0.001')
      v.unmount()
    }
  })

  it('says a model put back for a fresh run of another network is not this one\'s, and counts none as trained', async () => {
    // network A trained, then the page's network changed (not trained: a fresh start of B), and B blew up at once
    const { lab, fake } = await connected()
    await lab.start(SIMPLE_CONVNET, settings)
    project.trained = false
    const other = { ...SIMPLE_CONVNET, name: 'Other' }
    await lab.start(other, settings)
    fake.emit({ type: 'batches', runId: 'run-2', points: [pt(1, 1, 2.3)] })
    expect(project.trained).toBe(true)
    fake.emit({ type: 'error', runId: 'run-2', code: 'diverged', message: 'loss is NaN', divergence: { reason: 'not-finite', loss: 'NaN', epoch: 1, batch: 2, optimizer: 'Adam', lr: 10, suggestedLr: 0.001, kept: { from: 'before' } } })
    expect(project.trained).toBe(false)
    for (const [lang, line] of [
      ['en', 'No trained model of this network is held now'],
      ['ko', '지금 실험실에는 이 신경망의 학습된 모델이 없습니다.']
    ] as const) {
      i18n.set(lang)
      const v = render(DivergenceBanner, { run: lab.current!, busy: false, onrestart: () => {}, oncontinue: null })
      expect(screen.getByTestId('train-kept').textContent).toContain(line)
      v.unmount()
    }
    // the same network started fresh over its own trained model: the one put back is this network's
    const same = await connected()
    await same.lab.start(SIMPLE_CONVNET, settings)
    same.fake.emit({ type: 'batches', runId: 'run-1', points: [pt(1, 4, 1.5)] })
    same.fake.emit({ type: 'state', runId: 'run-1', state: 'done' })
    await same.lab.start(SIMPLE_CONVNET, settings)
    same.fake.emit({ type: 'error', runId: 'run-2', code: 'diverged', message: 'loss is NaN', divergence: { reason: 'not-finite', loss: 'NaN', epoch: 1, batch: 2, optimizer: 'Adam', lr: 10, suggestedLr: 0.001, kept: { from: 'before' } } })
    expect(project.trained).toBe(true)
    i18n.set('en')
    render(DivergenceBanner, { run: same.lab.current!, busy: false, onrestart: () => {}, oncontinue: null })
    expect(screen.getByTestId('train-kept').textContent).toContain('the lab kept the model it held before the run')
  })

  it('says no optimizer state is lost for a model put back with its own', async () => {
    const { lab, fake } = await connected()
    await lab.start(SIMPLE_CONVNET, settings)
    fake.emit({ type: 'batches', runId: 'run-1', points: [pt(1, 4, 1.5)] })
    fake.emit({ type: 'state', runId: 'run-1', state: 'done' })
    await lab.continueRun(SIMPLE_CONVNET)
    fake.emit({ type: 'error', runId: 'run-2', code: 'diverged', message: 'loss is NaN', divergence: { reason: 'not-finite', loss: 'NaN', epoch: 1, batch: 1, optimizer: 'Adam', lr: 3, suggestedLr: 0.001, kept: { from: 'before' } } })
    render(DivergenceBanner, { run: lab.current!, busy: false, onrestart: () => {}, oncontinue: () => {} })
    expect(screen.getByTestId('train-continue-kept')).toBeTruthy()
    expect(screen.queryByTestId('train-continue-kept-note')).toBeNull()
  })
})

describe('Continue training after a continuation from a batch kept mid-epoch', () => {
  it('goes on where that run\'s epochs end on the curve, its bridge on that run\'s own dot', async () => {
    const { lossSeries } = await import('../../../src-renderer/components/train/series')
    const { lab, fake } = await connected()
    await lab.start(SIMPLE_CONVNET, settings)
    for (let e = 1; e <= 3; e++) fake.emit({ type: 'epoch', runId: 'run-1', report: { epoch: e, trainLoss: 1, trainAcc: null, testLoss: 1, testAcc: 0.9, seconds: 1 } })
    diverge(fake, 'run-1', { from: 'run', epoch: 4, batch: 1, loss: 0.9 })
    const kept = (await lab.continueFromKept(SIMPLE_CONVNET))!
    // the continuation trains epochs 4 and 5 from 3.25: they end at 4.25 and 5.25
    for (const e of [1, 2]) {
      fake.emit({ type: 'batches', runId: 'run-2', points: [1, 2, 3, 4].map((b) => pt(e, b, 0.8)) })
      fake.emit({ type: 'epoch', runId: 'run-2', report: { epoch: e, trainLoss: 0.8, trainAcc: null, testLoss: 0.8, testAcc: 0.92, seconds: 1 } })
    }
    fake.emit({ type: 'state', runId: 'run-2', state: 'done' })
    expect(kept.batchX.at(-1)).toBe(5.25)
    project.spec = SIMPLE_CONVNET
    const more = (await lab.continueRun(SIMPLE_CONVNET, { ...settings, epochs: 1 }))!
    expect(more.continues).toMatchObject({ runId: 'run-2', epochOffset: 5 })
    fake.emit({ type: 'batches', runId: 'run-3', points: [pt(1, 2, 0.7)] })
    // epoch 6's batch 2 of 4: half an epoch after 5.25, not 5.5 (inside the epoch run-2 had finished)
    expect(more.batchX).toEqual([5.75])
    fake.emit({ type: 'epoch', runId: 'run-3', report: { epoch: 1, trainLoss: 0.7, trainAcc: null, testLoss: 0.7, testAcc: 0.93, seconds: 1 } })
    const dots = lossSeries(lab.runs, 0, new Map(), { run: () => '', test: 'test', train: 'train' }).find((s) => s.key === 'run-3:test')!.points.map((p) => p.x)
    expect(dots).toEqual([5.25, 6.25]) // the bridge on run-2's epoch 5 dot, then epoch 6 where its batches end
    expect(epochsTrained(more)).toBe(6)
  })
})
