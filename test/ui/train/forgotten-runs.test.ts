/**
 * Runs forgotten on the training page (lib/train.svelte.ts, components/train/run-label.ts):
 * - a continuation whose run it continues was removed (its ×, Clear finished runs) stays as it was, self-contained: its
 *   curve where it was, its epochs numbered on, and its tag says "continues an earlier run" as a reload and a reopened
 *   project say, where it went on naming "continues #1", a run no longer listed (fails on the old runName);
 * - a second window hears the host's 'forgotten' event and drops the finished runs it names, keeping a run active here
 *   and moving the current run to the last one left; before, it listed them until it was loaded again (fails on the old
 *   handle: the event changed nothing).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { project } from '../../../src-renderer/lib/project.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import { runName } from '../../../src-renderer/components/train/run-label'
import { epochSeries, lossSeries } from '../../../src-renderer/components/train/series'
import { restoredRuns, savedRun } from '../../../src-renderer/lib/files.svelte'
import type { SmoothedSeries } from '../../../src-renderer/lib/chart'
import type { BatchPoint, EpochReport, TrainSettings } from '../../../src-engine/protocol'
import { FakeLab, SIMPLE_CONVNET, connected, flush } from './fake-lab'

const settings: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 3, weightDecay: 0, seed: 42, threads: 2 }
const pt = (epoch: number, batch: number, loss: number): BatchPoint => ({ epoch, batch, batches: 4, loss, examplesPerSec: 1000 })
const rep = (epoch: number, testAcc: number): EpochReport => ({ epoch, trainLoss: 1, trainAcc: 0.5, testLoss: 1, testAcc, seconds: 3 })

function train(fake: FakeLab, runId: string, epochs: number): void {
  for (let e = 1; e <= epochs; e++) {
    fake.emit({ type: 'batches', runId, points: [1, 2, 3, 4].map((b) => pt(e, b, 2 - e * 0.1 - b * 0.01)) })
    fake.emit({ type: 'epoch', runId, report: rep(e, 0.8 + e * 0.01) })
  }
  fake.emit({ type: 'state', runId, state: 'done' })
}

afterEach(() => {
  project.trained = false
  project.weightsChoice = null
  project.spec = null
  i18n.set('en')
})

describe('a continuation whose run was removed', () => {
  it('keeps its place and numbering and says it continues an earlier run, as after a save and reopen', async () => {
    const { lab, fake } = await connected()
    await lab.start(SIMPLE_CONVNET, settings)
    train(fake, 'run-1', 3)
    lab.form = { ...lab.form, epochs: 2 }
    const next = (await lab.continueRun(SIMPLE_CONVNET))!
    train(fake, 'run-2', 2)
    expect(runName(next, lab.runs)).toBe('#2 Adam · lr 0.001 · mini-batch 100 · continues #1')

    lab.removeRun('run-1')
    expect(lab.runs.map((r) => r.id)).toEqual(['run-2'])
    expect(fake.calls.find((c) => c.channel === 'train:forget-runs')?.payload).toEqual({ ids: ['run-1'] })
    const names = { run: (r: typeof next) => runName(r, lab.runs), test: 'test', train: 'train' }
    expect(runName(next, lab.runs)).toBe('#2 Adam · lr 0.001 · mini-batch 100 · continues an earlier run')
    i18n.set('ko')
    expect(runName(next, lab.runs)).toContain('지난 학습에서 이어서')
    i18n.set('en')
    // the curve from where the first run ended, the epochs 4 and 5, the epoch line alone (no bridge to a run not drawn)
    const loss = lossSeries(lab.runs, 0, new Map<string, SmoothedSeries>(), names).find((s) => s.key === 'run-2:loss')!
    expect(loss.points[0].x).toBe(3.25)
    expect(next.epochs.map((e) => e.epoch)).toEqual([4, 5])
    const acc = epochSeries(lab.runs, 'accuracy', names).find((s) => s.key === 'run-2:test')!
    expect(acc.points.map((p) => p.x)).toEqual([4, 5])
    expect(acc.label).toContain('continues an earlier run')

    // saved and reopened (or taken back after a reload): the same run, the same words, the same place
    const saved = savedRun(next)
    expect(saved.continues).toMatchObject({ runId: 'run-1', epochOffset: 3 })
    const [back] = restoredRuns([saved], 'classifier')
    expect(runName(back, [back])).toBe('#1 Adam · lr 0.001 · mini-batch 100 · continues an earlier run')
    expect(back.batchX[0]).toBe(3.25)
    expect(back.epochs.map((e) => e.epoch)).toEqual([4, 5])
    expect(back.color).toBe(next.color)
  })
})

describe("another window's forget", () => {
  it('drops the finished runs the host forgot, keeps one active here, and moves the current run', async () => {
    const { lab, fake } = await connected()
    await lab.start(SIMPLE_CONVNET, settings)
    train(fake, 'run-1', 1)
    await lab.start(SIMPLE_CONVNET, settings)
    train(fake, 'run-2', 1)
    await lab.start(SIMPLE_CONVNET, settings)
    fake.emit({ type: 'state', runId: 'run-3', state: 'running' })
    await flush()
    lab.currentId = 'run-2'
    // the host never forgets its live run; a page's stale view of it still keeps it
    fake.emit({ type: 'forgotten', runId: null, ids: ['run-1', 'run-2', 'run-3'] })
    expect(lab.runs.map((r) => r.id)).toEqual(['run-3'])
    expect(lab.currentId).toBe('run-3')
    // ids it does not list change nothing
    fake.emit({ type: 'forgotten', runId: null, ids: ['run-9'] })
    expect(lab.runs.map((r) => r.id)).toEqual(['run-3'])
  })
})
