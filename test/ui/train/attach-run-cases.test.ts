/**
 * The other ways a run is taken over (lib/attach-run.ts; attach-run.test.ts has the fresh page): a page whose editor the
 * learner has already edited keeps its draft, form and page, and lists the live run alone beside it, and the draft is
 * not marked trained by the run's batches (the host's model is the run's network: before, the draw page and the editor's
 * keep-or-fresh question took the draft for trained); a run paused between the host's answer and the page's use of it
 * (the presets still loading) is paused on the page too; after a reconnection the run the page lists is brought up to
 * date (its end, the points and epochs missed) rather than listed twice.
 */
import { describe, expect, it } from 'vitest'
import type { CurrentRun, MenuCommand, SavedRun } from '../../../src-main/ipc/contract'
import type { BatchPoint, TrainSettings } from '../../../src-engine/protocol'
import type { NetSpec } from '../../../src-engine/spec-types'
import type { LabClient, LabStatus } from '../../../src-renderer/lib/lab'
import { connection } from '../../../src-renderer/lib/connection.svelte'
import { project } from '../../../src-renderer/lib/project.svelte'
import { editor } from '../../../src-renderer/lib/editor.svelte'
import { trainLab } from '../../../src-renderer/lib/train.svelte'
import { FakeLab, flush } from './fake-lab'

const LIVE_NET: NetSpec = { name: 'Their network', input: [1, 28, 28], task: 'classify', layers: [{ type: 'Flatten' }, { type: 'Affine', units: 16 }, { type: 'Relu' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }
const SETTINGS: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'SGD', lr: 0.05, batchSize: 50, epochs: 3, weightDecay: 0, seed: 4, threads: 1 }
const report = (n: number) => ({ epoch: n, trainLoss: 0.4, trainAcc: 0.9, testLoss: 0.35, testAcc: 0.91, seconds: 4 })
const point = (e: number, b: number): BatchPoint => ({ epoch: e, batch: b, batches: 10, loss: 1 / (e * 10 + b), examplesPerSec: 900 })
const curve = (n: number): Pick<SavedRun, 'batchX' | 'batchLoss'> => {
  const xs = Array.from({ length: n }, (_, i) => (i + 1) / 10)
  return { batchX: xs, batchLoss: xs.map((x) => 1 / x) }
}
const older: SavedRun = { id: 'run-a', specName: 'Their network', settings: SETTINGS, state: 'done', ...curve(30), epochs: [report(1), report(2), report(3)] }
const liveAt = (state: CurrentRun['state'], points: number, epochs: number, last: BatchPoint): CurrentRun => ({
  runId: 'run-b', state, spec: LIVE_NET, settings: SETTINGS, lr: 0.05, lrChanges: [], stride: 1, last, snapshot: null,
  history: { runs: [older, { id: 'run-b', specName: 'Their network', settings: SETTINGS, state, ...curve(points), epochs: Array.from({ length: epochs }, (_, i) => report(i + 1)) }], currentId: 'run-b' }
})

/** The app's connection double: opens at once; the presets come only when `presetsNow` is called. */
class SlowLab extends FakeLab implements LabClient {
  transport = 'web' as const
  status: LabStatus = 'open'
  presetsNow: () => void = () => {}
  constructor() {
    super()
    const list = this.handlers['preset:list']!
    this.handlers['preset:list'] = (p) => new Promise((resolve) => (this.presetsNow = () => resolve(list(p))))
  }
  onStatus(l: (s: LabStatus) => void): () => void { l('open'); return () => {} }
  onMenu(_l: (c: MenuCommand) => void): () => void { return () => {} }
  close(): void {}
}

describe('a run taken over by a page that is not untouched', () => {
  const lab = new SlowLab()

  it('keeps an edited draft, its form and page; events before the page takes the run apply; a reconnection catches up', async () => {
    // the learner edited the editor's network before the answer came (a preset loaded: one undo step)
    project.page = 'editor'
    project.trained = false
    trainLab.runs = []
    editor.reset()
    project.spec = { ...LIVE_NET, name: 'My draft' }
    editor.loadPreset('mlp')
    const draft = project.spec
    expect(editor.canUndo).toBe(true)
    const form = trainLab.form

    // the host answers 'running' at epoch 2, mini-batch 4; the run is paused (from another tab, say) at once after,
    // while the presets still load: the events wait for the run to be listed, then apply
    lab.handlers['train:current'] = () => {
      setTimeout(() => {
        lab.emit({ type: 'batches', runId: 'run-b', points: [point(2, 5)] })
        lab.emit({ type: 'state', runId: 'run-b', state: 'paused' })
      }, 0)
      return { ok: true, value: liveAt('running', 14, 1, point(2, 4)) }
    }
    const stop = connection.start(lab)
    for (let i = 0; i < 3; i++) await flush()
    expect(trainLab.runs).toEqual([])
    lab.presetsNow()
    for (let i = 0; i < 4; i++) await flush()

    // the draft, the form and the page stay; the live run alone is listed (not the host's older runs), paused
    expect(project.spec).toBe(draft)
    expect(project.page).toBe('editor')
    // (the machine's threads came with app:info meanwhile)
    expect({ ...trainLab.form, threads: form.threads }).toEqual(form)
    expect(project.trained).toBe(false)
    expect(trainLab.runs.map((r) => [r.id, r.state])).toEqual([['run-b', 'paused']])
    const run = trainLab.current!
    expect(run.id).toBe('run-b')
    expect(run.batchX.length).toBe(15)
    expect(trainLab.paused).toBe(true)
    lab.emit({ type: 'batches', runId: 'run-b', points: [point(2, 6)] })
    expect(project.trained).toBe(false)

    // the connection drops and comes back: the host says the run was resumed and went on to its end meanwhile; the
    // page's run is brought up to date, not listed twice, and the page stays where it is
    lab.handlers['train:current'] = () => ({ ok: true, value: liveAt('done', 30, 3, point(3, 10)) })
    connection.start(lab)
    for (let i = 0; i < 4; i++) await flush()
    stop()
    expect(trainLab.runs.map((r) => [r.id, r.state])).toEqual([['run-b', 'done']])
    expect(trainLab.current).toBe(run)
    expect(run.batchX.length).toBe(30)
    expect(run.epochs.map((e) => e.epoch)).toEqual([1, 2, 3])
    expect(project.spec).toBe(draft)
    expect(project.page).toBe('editor')
    expect(lab.channels().filter((c) => c === 'train:current')).toHaveLength(2)
  })
})
