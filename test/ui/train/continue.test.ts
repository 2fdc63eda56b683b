/** "Continue training": the same run carried on from the host's model, epochs and steps numbered on. */
import { afterEach, describe, expect, it } from 'vitest'
import { epochsTrained } from '../../../src-renderer/lib/train.svelte'
import { project } from '../../../src-renderer/lib/project.svelte'
import { runName } from '../../../src-renderer/components/train/run-label'
import { epochSeries, lossSeries, type SeriesNames } from '../../../src-renderer/components/train/series'
import type { SmoothedSeries } from '../../../src-renderer/lib/chart'
import type { BatchPoint, EpochReport, TrainSettings } from '../../../src-engine/protocol'
import { FakeLab, SIMPLE_CONVNET, connected } from './fake-lab'
import { formOfRun } from '../../../src-renderer/lib/lessons/run-queue.svelte'
import { overfitSettings } from '../../../src-renderer/lib/lessons/overfit.svelte'

const settings: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 3, weightDecay: 0, seed: 42, threads: 2 }
const pt = (epoch: number, batch: number, loss: number, batches = 4): BatchPoint => ({ epoch, batch, batches, loss, examplesPerSec: 1000 })
const rep = (epoch: number, testAcc: number): EpochReport => ({ epoch, trainLoss: 1, trainAcc: 0.5, testLoss: 1, testAcc, seconds: 3 })
// every run here trains one network, so no name carries it
const names: SeriesNames = { run: (r) => runName(r, []), test: 'test', train: 'train' }

/** A run of `epochs` epochs (4 batches each) reported and finished on the fake host. */
function train(fake: FakeLab, runId: string, epochs: number, state: 'done' | 'stopped' = 'done'): void {
  for (let e = 1; e <= epochs; e++) {
    fake.emit({ type: 'batches', runId, points: [1, 2, 3, 4].map((b) => pt(e, b, 2 - e * 0.1 - b * 0.01)) })
    fake.emit({ type: 'epoch', runId, report: rep(e, 0.8 + e * 0.01) })
  }
  fake.emit({ type: 'state', runId, state })
}

afterEach(() => {
  project.trained = false
  project.weightsChoice = null
  project.spec = null
})

describe('Continue training', () => {
  it('is offered only for a finished or stopped run whose model the host holds', async () => {
    const { lab, fake } = await connected()
    expect(lab.continuable(SIMPLE_CONVNET)).toBeNull()
    await lab.start(SIMPLE_CONVNET, settings)
    fake.emit({ type: 'batches', runId: 'run-1', points: [pt(1, 1, 2.3)] })
    // still running
    expect(lab.continuable(SIMPLE_CONVNET)).toBeNull()
    fake.emit({ type: 'state', runId: 'run-1', state: 'done' })
    expect(lab.continuable(SIMPLE_CONVNET)?.id).toBe('run-1')
    // another architecture is not this run's model
    expect(lab.continuable({ ...SIMPLE_CONVNET, name: 'Other' })).toBeNull()
    // the learner discarded the weights in the editor
    project.trained = false
    expect(lab.continuable(SIMPLE_CONVNET)).toBeNull()
  })

  it('is not offered for a run that diverged or an older run the host no longer holds', async () => {
    const { lab, fake } = await connected()
    await lab.start(SIMPLE_CONVNET, settings)
    train(fake, 'run-1', 1)
    await lab.start(SIMPLE_CONVNET, settings)
    train(fake, 'run-2', 1)
    // removing the current run makes run 1 current, but the host holds run 2's weights
    lab.removeRun('run-2')
    expect(lab.current?.id).toBe('run-1')
    expect(lab.continuable(SIMPLE_CONVNET)).toBeNull()
    await lab.start(SIMPLE_CONVNET, settings)
    fake.emit({ type: 'batches', runId: 'run-3', points: [pt(1, 1, 2.3)] })
    fake.emit({ type: 'error', runId: 'run-3', code: 'diverged', message: 'loss is NaN' })
    expect(lab.continuable(SIMPLE_CONVNET)).toBeNull()
  })

  it('asks the host to start from its model and numbers the epochs and steps on', async () => {
    const { lab, fake } = await connected()
    await lab.start(SIMPLE_CONVNET, settings)
    train(fake, 'run-1', 3)
    const first = lab.current!
    lab.form = { ...lab.form, epochs: 3, optimizer: 'Adam', lr: 0.001 }
    const next = await lab.continueRun(SIMPLE_CONVNET)
    expect(next).not.toBeNull()
    expect(fake.calls.filter((c) => c.channel === 'train:start').at(-1)?.payload).toMatchObject({ spec: SIMPLE_CONVNET, from: 'model', epochOffset: 3, settings: { epochs: 3 } })
    expect(next!.epochOffset).toBe(3)
    expect(next!.color).toBe(first.color)
    expect(next!.continues).toMatchObject({ index: 1, epochOffset: 3, optimizerFresh: null })
    expect(next!.progress.epoch).toBe(3)
    expect(next!.progress.epochs).toBe(6)

    fake.emit({ type: 'batches', runId: 'run-2', points: [pt(1, 2, 1.5)] })
    fake.emit({ type: 'epoch', runId: 'run-2', report: rep(1, 0.9) })
    // the batch line goes on from x = 3 (the end of epoch 3) and the report is epoch 4
    expect(next!.batchX).toEqual([3.5])
    expect(next!.epochs.map((e) => e.epoch)).toEqual([4])
    expect(next!.progress).toMatchObject({ epoch: 4, epochs: 6, batch: 2, batches: 4 })
    expect(next!.progress.fraction).toBeCloseTo((3 + 0.5 / 3 * 3) / 6, 12)
    expect(next!.nowX).toBe(3.5)

    // the charts: the continuation's points sit after the first run's
    const loss = lossSeries(lab.runs, 0, new Map<string, SmoothedSeries>(), names).filter((s) => s.key === 'run-2:loss')
    expect(loss[0].points[0].x).toBe(3.5)
    // its per-epoch line starts at the continued run's last epoch (joined), and alone once that run is removed
    const acc = epochSeries(lab.runs, 'accuracy', { ...names, run: (r) => runName(r, lab.runs) }).find((s) => s.key === 'run-2:test')!
    expect(acc.points.map((p) => p.x)).toEqual([3, 4])
    expect(acc.points[0].y).toBe(first.latestEpoch!.testAcc)
    expect(acc.points[1].y).toBe(0.9)
    expect(acc.label).toContain('continues #1')
    const testLoss = lossSeries(lab.runs, 0, new Map<string, SmoothedSeries>(), names).find((s) => s.key === 'run-2:test')!
    expect(testLoss.points.map((p) => p.x)).toEqual([3, 4])
    expect(epochSeries([next!], 'accuracy', names).find((s) => s.key === 'run-2:test')!.points.map((p) => p.x)).toEqual([4])
    expect(runName(next!, lab.runs)).toBe('#2 Adam · lr 0.001 · mini-batch 100 · continues #1')
  })

  it('continues a continuation and counts a run stopped part-way through an epoch', async () => {
    const { lab, fake } = await connected()
    await lab.start(SIMPLE_CONVNET, settings)
    train(fake, 'run-1', 2)
    lab.form = { ...lab.form, epochs: 2 }
    const second = (await lab.continueRun(SIMPLE_CONVNET))!
    fake.emit({ type: 'batches', runId: 'run-2', points: [pt(1, 1, 1.5), pt(1, 2, 1.4)] })
    fake.emit({ type: 'state', runId: 'run-2', state: 'stopped' })
    // 2 epochs, then half of epoch 3
    expect(epochsTrained(second)).toBe(3)
    const third = (await lab.continueRun(SIMPLE_CONVNET))!
    expect(third.epochOffset).toBe(3)
    expect(third.continues?.index).toBe(2)
    expect(third.color).toBe(second.color)
  })

  it('says so when the optimizer changed (its state starts fresh)', async () => {
    const { lab, fake } = await connected()
    await lab.start(SIMPLE_CONVNET, settings)
    train(fake, 'run-1', 1)
    lab.form = { ...lab.form, optimizer: 'SGD', lr: 0.1, epochs: 1 }
    const next = (await lab.continueRun(SIMPLE_CONVNET))!
    expect(next.continues?.optimizerFresh).toEqual({ from: 'Adam', to: 'SGD' })
    expect(next.settings.optimizer).toBe('SGD')
  })

  it('continues the last run of an opened project (its saved epochs are already numbered)', async () => {
    const { lab, fake } = await connected()
    // as files.apply restores a history: runs with their saved points, weights kept on the host
    const { Run } = await import('../../../src-renderer/lib/train.svelte')
    const restored = new Run('saved-1', 1, settings, SIMPLE_CONVNET.name!, 'classifier')
    restored.state = 'stopped'
    restored.batchX = [0.5, 1, 1.5, 2]
    restored.batchLoss = [2, 1.5, 1.2, 1]
    restored.epochs = [rep(1, 0.8), rep(2, 0.85)]
    lab.runs = [restored]
    lab.currentId = 'saved-1'
    lab.nextIndex = 2
    project.trained = true
    project.weightsChoice = 'keep'
    expect(lab.continuable(SIMPLE_CONVNET)?.id).toBe('saved-1')
    const next = (await lab.continueRun(SIMPLE_CONVNET))!
    expect(next.index).toBe(2)
    expect(next.epochOffset).toBe(2)
    expect(fake.calls.at(-1)?.payload).toMatchObject({ from: 'model', epochOffset: 2 })
    expect(project.weightsChoice).toBeNull()
  })
  it('keeps the held-out share of a run it continues on the built-in digits (the overfitting experiment\'s 1,000 / 9,000)', async () => {
    const { lab, fake } = await connected()
    const exp = overfitSettings('plain', 2)
    expect(exp.testFraction).toBe(0.9)
    await lab.start(SIMPLE_CONVNET, exp)
    train(fake, 'run-1', 2)
    // the experiment leaves its settings in the form (run-queue formOfRun), which has no field for the share
    lab.form = { ...formOfRun(lab.form, exp), epochs: 2 }
    expect(await lab.continueRun(SIMPLE_CONVNET)).not.toBeNull()
    const sent = fake.calls.filter((c) => c.channel === 'train:start').at(-1)?.payload as { settings: TrainSettings }
    expect(sent.settings).toMatchObject({ data: { kind: 'mnist' }, testFraction: 0.9, epochs: 2 })
    // another data source than the run's has its own split: none is carried to it
    train(fake, 'run-2', 2)
    lab.form = { ...lab.form, dataKind: 'idx', idxDir: '/data/fashion' }
    expect(await lab.continueRun(SIMPLE_CONVNET)).not.toBeNull()
    const other = fake.calls.filter((c) => c.channel === 'train:start').at(-1)?.payload as { settings: TrainSettings }
    expect(other.settings.data).toEqual({ kind: 'idx', dir: '/data/fashion' })
    expect(other.settings.testFraction).toBeUndefined()
  })
})
