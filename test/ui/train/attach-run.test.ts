/**
 * A page loaded again during a run takes it over from the host's train:current answer (lib/attach-run.ts, Q1's F1):
 * the run list (the host's history), the live run paused at epoch 2 of 3 with its settings, learning rate, curve and
 * snapshot, the events heard before the answer applied once, the editor showing the running network and the training
 * page open; Resume and Stop go to the host, and once the run has stopped Start works. No recovery banner while it
 * trains. The old page asked no train:current and stayed at "Ready · epoch 0" with Pause and Stop off.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { fireEvent, render, screen } from '@testing-library/svelte'
import type { CurrentRun, LabEvent, MenuCommand, RecoveryInfo, SavedRun } from '../../../src-main/ipc/contract'
import type { BatchPoint, TrainSettings } from '../../../src-engine/protocol'
import type { NetSpec } from '../../../src-engine/spec-types'
import TrainPage from '../../../src-renderer/pages/TrainPage.svelte'
import RecoveryBanner from '../../../src-renderer/components/files/RecoveryBanner.svelte'
import { setLab, type LabClient, type LabStatus } from '../../../src-renderer/lib/lab'
import { connection } from '../../../src-renderer/lib/connection.svelte'
import { files } from '../../../src-renderer/lib/files.svelte'
import { project } from '../../../src-renderer/lib/project.svelte'
import { editor } from '../../../src-renderer/lib/editor.svelte'
import { trainLab } from '../../../src-renderer/lib/train.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import { FakeLab, flush } from './fake-lab'

const MLP: NetSpec = { name: 'My network', input: [1, 28, 28], task: 'classify', layers: [{ type: 'Flatten' }, { type: 'Affine', units: 32 }, { type: 'Relu' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }
const SETTINGS: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'SGD', lr: 0.05, batchSize: 50, epochs: 3, weightDecay: 0, seed: 4, threads: 1 }
const epoch = (n: number) => ({ epoch: n, trainLoss: 0.4, trainAcc: 0.9, testLoss: 0.35, testAcc: 0.91, seconds: 4, confusion: { classes: 2, counts: [1, 0, 0, 1] } })
const point = (e: number, b: number): BatchPoint => ({ epoch: e, batch: b, batches: 10, loss: 1 / (e * 10 + b), examplesPerSec: 1200 })

/** The host's history: an older finished run, and the live one through epoch 2, mini-batch 4 (14 points). */
const older: SavedRun = { id: 'run-a', specName: 'My network', settings: { ...SETTINGS, epochs: 1 }, state: 'done', batchX: [0.5, 1], batchLoss: [0.9, 0.7], epochs: [epoch(1)], color: '#3f7be0' }
const xs = Array.from({ length: 14 }, (_, i) => (i + 1) / 10)
const live: SavedRun = { id: 'run-b', specName: 'My network', settings: SETTINGS, state: 'paused', batchX: xs, batchLoss: xs.map((x) => 1 / x), epochs: [epoch(1)] }
const current: CurrentRun = {
  runId: 'run-b', state: 'paused', spec: MLP, settings: SETTINGS, lr: 0.02, lrChanges: [{ x: 1.2, lr: 0.02 }], stride: 1, last: point(2, 4),
  history: { runs: [older, live], currentId: 'run-b' }, snapshot: { filters: { count: 1, h: 2, w: 2, data: [0, 1, 2, 3] as unknown as Float32Array } }
}

/** The training page's double as the app's connection: open at once, answering train:current after the run's events came. */
class ReloadedLab extends FakeLab implements LabClient {
  transport = 'web' as const
  status: LabStatus = 'open'
  onStatus(l: (s: LabStatus) => void): () => void { l('open'); return () => {} }
  onMenu(_l: (c: MenuCommand) => void): () => void { return () => {} }
  close(): void {}
}

describe('a page loaded again during a run', () => {
  const lab = new ReloadedLab()
  const recovery: RecoveryInfo = { savedAt: '2026-11-27T07:11:26Z', epoch: 1, specName: 'My network', runs: 2 }
  lab.handlers['project:recovery'] = () => ({ ok: true, value: recovery })
  lab.handlers['train:current'] = () => {
    // heard while the answer was on its way: one point the answer holds already, one after it, and an epoch report
    const early: LabEvent[] = [
      { type: 'batches', runId: 'run-b', points: [point(2, 4), point(2, 5)] },
      { type: 'epoch', runId: 'run-b', report: { ...epoch(2), confidentWrong: [] } }
    ]
    for (const e of early) lab.emit(e)
    return { ok: true, value: current }
  }
  setLab(lab)
  afterAll(() => setLab(null))

  it('takes the run over: list, state, progress, form, editor; Resume and Stop reach the host; then Start works', async () => {
    i18n.set('en')
    // the editor opens on the network the run trains (its default preset, say): taken as it is, the form filled for it
    project.spec = MLP
    project.trained = false
    project.page = 'editor'
    trainLab.runs = []
    editor.reset()
    files.connect(lab, false)
    render(RecoveryBanner)
    const stop = connection.start(lab)
    for (let i = 0; i < 6; i++) await flush()
    stop()

    expect(lab.channels()).toContain('train:current')
    expect(trainLab.runs.map((r) => [r.id, r.state, r.index])).toEqual([['run-a', 'done', 1], ['run-b', 'paused', 2]])
    const run = trainLab.current!
    expect(run.id).toBe('run-b')
    expect(run.lr).toBe(0.02)
    expect(run.lrChanges).toEqual([{ x: 1.2, lr: 0.02 }])
    // the curve the host kept, then the one point after it (2/5 = 1.5), not the one it already held again
    expect(run.batchX.length).toBe(15)
    expect(run.batchX.at(-1)).toBeCloseTo(1.5, 9)
    expect(run.epochs.map((e) => e.epoch)).toEqual([1, 2])
    expect(run.snapshot?.filters?.count).toBe(1)
    expect(project.spec).toEqual(MLP)
    expect(project.trained).toBe(true)
    expect(project.page).toBe('train')
    expect(trainLab.form).toMatchObject({ optimizer: 'SGD', lr: 0.05, epochs: 3, batchSize: 50 })

    // the autosave of the run going on is not offered (it is rewritten at every epoch)
    await files.checkRecovery()
    await flush()
    expect(screen.queryByTestId('recovery-banner')).toBeNull()

    render(TrainPage)
    await flush()
    expect(screen.getByTestId('progress').textContent).toContain('Epoch 2 / 3')
    expect(screen.getByTestId('progress').textContent).toContain('Paused')
    expect(screen.getByTestId('run-legend').textContent).toContain('lr 0.05 → 0.02')
    expect((screen.getByTestId('train-resume') as HTMLButtonElement).disabled).toBe(false)
    expect((screen.getByTestId('train-stop') as HTMLButtonElement).disabled).toBe(false)
    expect((screen.getByTestId('train-start') as HTMLButtonElement).disabled).toBe(true)

    // FakeLab answers a control for the run it started: this one it did not start, so the host's state events are sent here
    await fireEvent.click(screen.getByTestId('train-resume'))
    lab.emit({ type: 'state', runId: 'run-b', state: 'running' })
    await flush()
    expect(lab.channels()).toContain('train:resume')
    expect(screen.getByTestId('progress').textContent).toContain('Training')
    await fireEvent.click(screen.getByTestId('train-stop'))
    lab.emit({ type: 'state', runId: 'run-b', state: 'stopped' })
    await flush()
    expect(lab.channels()).toContain('train:stop')
    expect(run.state).toBe('stopped')
    await fireEvent.click(screen.getByTestId('train-start'))
    await flush()
    expect(lab.calls.find((c) => c.channel === 'train:start')?.payload).toMatchObject({ spec: MLP, settings: { optimizer: 'SGD', lr: 0.05, epochs: 3 } })
    expect(trainLab.current?.id).toBe('run-1')
    expect(trainLab.current?.index).toBe(3)
  })

  it('a page with runs of its own (reconnected after another page started one) lists the live run next, its draft kept', async () => {
    const mine = { ...MLP, name: 'Draft', layers: [{ type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] } as NetSpec
    project.spec = mine
    trainLab.runs = trainLab.runs.filter((r) => r.id === 'run-1')
    trainLab.nextIndex = 4
    for (const r of trainLab.runs) r.state = 'done'
    // continuing the host's run-a, which this page does not list: numbered on from its 1 epoch
    const cont: CurrentRun = { ...current, runId: 'run-c', state: 'running', history: { runs: [older, { ...live, id: 'run-c', continues: { runId: 'run-a', epochOffset: 1 } }], currentId: 'run-c' } }
    lab.handlers['train:current'] = () => ({ ok: true, value: cont })
    const stop = connection.start(lab)
    for (let i = 0; i < 6; i++) await flush()
    stop()
    expect(trainLab.runs.map((r) => [r.id, r.index])).toEqual([['run-1', 3], ['run-c', 4]])
    expect(trainLab.current?.id).toBe('run-c')
    expect(trainLab.current?.progress).toMatchObject({ epoch: 3, epochs: 4 })
    expect(trainLab.current?.continues).toMatchObject({ runId: 'run-a', index: null, epochOffset: 1 })
    expect(project.spec).toBe(mine)
  })
})
