/**
 * What a saved project gives back on reopening: a continued run's link and colour (Continue training), and
 * an autoencoder's code plane computed from the reopened weights.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { render, screen } from '@testing-library/svelte'
import type { OpenedProject, SavedHistory, SavedRun } from '../../../src-main/ipc/contract'
import { cleanHistory } from '../../../src-main/ipc/project-schemas'
import type { TrainSettings } from '../../../src-engine/protocol'
import type { NetSpec } from '../../../src-engine/spec-types'
import { FilesLab, restoredRuns, savedRun } from '../../../src-renderer/lib/files.svelte'
import { project } from '../../../src-renderer/lib/project.svelte'
import { RUN_COLORS, TrainLab, trainLab, type Run } from '../../../src-renderer/lib/train.svelte'
import { runName } from '../../../src-renderer/components/train/run-label'
import { epochSeries } from '../../../src-renderer/components/train/series'
import AutoencoderPanel from '../../../src-renderer/components/autoencoder/AutoencoderPanel.svelte'
import DrawAutoencoder from '../../../src-renderer/components/autoencoder/DrawAutoencoder.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import { FakeLab, SIMPLE_CONVNET, flush } from '../train/fake-lab'
import { FakeApi } from './fake-api'
import { forgetProject } from './forget-project'

const settings: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 3, weightDecay: 0, seed: 42, threads: 1 }
const names = { run: (r: Run) => runName(r, trainLab.runs), test: 'test', train: 'train' }

/** Two runs trained here: #1 for 3 epochs, then #2 continuing it for 3 more with SGD (fresh optimizer). */
async function trainAndContinue(): Promise<TrainLab> {
  const fake = new FakeLab()
  const lab = new TrainLab()
  lab.connect(fake)
  await flush()
  const train = (runId: string) => {
    for (let e = 1; e <= 3; e++) {
      fake.emit({ type: 'batches', runId, points: [1, 2].map((b) => ({ epoch: e, batch: b, batches: 2, loss: 1 / (e + b), examplesPerSec: 100 })) })
      fake.emit({ type: 'epoch', runId, report: { epoch: e, trainLoss: 1, trainAcc: 0.5, testLoss: 1, testAcc: 0.8 + e / 100, seconds: 1 } })
    }
    fake.emit({ type: 'state', runId, state: 'done' })
  }
  await lab.start(SIMPLE_CONVNET, settings)
  train('run-1')
  expect(await lab.continueRun(SIMPLE_CONVNET, { ...settings, optimizer: 'SGD', lr: 0.01 })).not.toBeNull()
  train('run-2')
  return lab
}

/** The history as the host hands it back after save → open (validated by the same schema). */
const throughFile = (runs: SavedRun[], currentId: string | null): SavedHistory => cleanHistory(JSON.parse(JSON.stringify({ runs, currentId }))) as SavedHistory

afterEach(forgetProject)

describe('a continued run in a saved project', () => {
  it('saves the link and the colour, and reopens as the same run continuing #1 with its epochs numbered on', async () => {
    const lab = await trainAndContinue()
    const [first, cont] = lab.runs
    expect(cont.color).toBe(first.color)
    const saved = lab.runs.map(savedRun)
    expect(saved[0].continues).toBeUndefined()
    expect(saved[1]).toMatchObject({ continues: { runId: 'run-1', epochOffset: 3, optimizerFresh: { from: 'Adam', to: 'SGD' } }, color: first.color })

    // reopened in a session that had trained other runs: numbers start at #1 again
    project.trained = false
    const files = new FilesLab()
    const history = throughFile(saved, 'run-2')
    const opened: OpenedProject = { fileName: 'net.bplab', savedAt: '', spec: SIMPLE_CONVNET, presetId: null, settings, hasWeights: true, history }
    trainLab.modelRunId = 'run-from-before'
    files.apply(opened)
    const [r1, r2] = trainLab.runs
    expect(r2.continues).toMatchObject({ runId: 'run-1', index: 1, epochOffset: 3, optimizerFresh: { from: 'Adam', to: 'SGD' } })
    expect(r2.color).toBe(r1.color)
    expect(runName(r2, trainLab.runs)).toBe('#2 SGD · lr 0.01 · mini-batch 100 · continues #1')
    i18n.set('ko')
    expect(runName(r2, trainLab.runs)).toContain('#1에서 이어서')
    i18n.set('en')
    // its numbers stay right: epochs 4..6, and its progress counts the whole training
    expect(r2.epochs.map((e) => e.epoch)).toEqual([4, 5, 6])
    expect(r2.progress).toMatchObject({ epoch: 6, epochs: 6 })
    // the accuracy line starts from where #1 ended (the bridge needs the link)
    const test2 = epochSeries(trainLab.runs, 'accuracy', names).find((s) => s.key === 'run-2:test')!
    expect(test2.points.map((p) => p.x)).toEqual([3, 4, 5, 6])
    expect(test2.color).toBe(r1.color)

    // the host holds the opened model, the saved current run's: Continue carries it on after epoch 6
    expect(trainLab.modelRunId).toBe('run-2')
    project.spec = SIMPLE_CONVNET
    expect(trainLab.continuable(SIMPLE_CONVNET)?.id).toBe('run-2')
  })

  it('keeps the saved colour and says "continues an earlier run" when the run it continues was not saved', () => {
    const plain: SavedRun = { id: 'b', specName: 'Simple ConvNet', settings, state: 'done', batchX: [3.5, 4], batchLoss: [1, 0.9], epochs: [{ epoch: 4, trainLoss: 1, trainAcc: 0.5, testLoss: 1, testAcc: 0.8, seconds: 1 }] }
    const runs = restoredRuns(throughFile([{ ...plain, continues: { runId: 'gone', epochOffset: 3 }, color: '#123456' }], 'b').runs, 'classifier')
    expect(runs[0].continues).toMatchObject({ runId: 'gone', index: null, epochOffset: 3, optimizerFresh: null })
    expect(runs[0].color).toBe('#123456')
    expect(runName(runs[0], runs)).toBe('#1 Adam · lr 0.001 · mini-batch 100 · continues an earlier run')
    i18n.set('ko')
    expect(runName(runs[0], runs)).toContain('지난 학습에서 이어서')
  })

  it('opens projects saved before the link existed, and drops a malformed link or colour without losing the history', () => {
    const plain: SavedRun = { id: 'a', specName: 'x', settings, state: 'done', batchX: [1], batchLoss: [0.5], epochs: [] }
    const old = restoredRuns(throughFile([plain, { ...plain, id: 'b' }], 'b').runs, 'classifier')
    expect(old.map((r) => [r.index, r.color, r.continues])).toEqual([[1, RUN_COLORS[0], null], [2, RUN_COLORS[1], null]])

    const bad = [
      { ...plain, id: 'b', continues: { runId: 'a', epochOffset: -2 } },
      { ...plain, id: 'c', continues: 'run a', color: 'red' },
      { ...plain, id: 'd', continues: { runId: 7, epochOffset: 1 }, color: '#12345' },
      { ...plain, id: 'e', continues: { runId: 'a', epochOffset: 1, optimizerFresh: { from: 'Adam', to: 'Lion' } } }
    ]
    const history = cleanHistory(JSON.parse(JSON.stringify({ runs: [plain, ...bad], currentId: 'e' }))) as SavedHistory | null
    expect(history?.runs.map((r) => r.id)).toEqual(['a', 'b', 'c', 'd', 'e'])
    for (const r of history!.runs) {
      expect(r.continues).toBeUndefined()
      expect(r.color).toBeUndefined()
    }
    const runs = restoredRuns(history!.runs, 'classifier')
    expect(runs.every((r) => r.continues === null)).toBe(true)
    expect(runs.map((r) => r.color)).toEqual(RUN_COLORS.slice(0, 5))
  })
})

describe('a reopened autoencoder', () => {
  const AE: NetSpec = { name: 'AE 2-D', input: [1, 28, 28], task: 'reconstruct', layers: [{ type: 'Affine', units: 2 }, { type: 'Affine', units: 784 }, { type: 'SigmoidWithLoss' }] }
  const aeRun: SavedRun = { id: 'ae1', specName: 'AE 2-D', settings, state: 'done', batchX: [1], batchLoss: [0.2], epochs: [{ epoch: 1, trainLoss: 0.2, trainAcc: null, testLoss: 0.2, testAcc: null, seconds: 1, reconstructionMse: 0.04 } as never] }
  const views = {
    reconstructions: { inputs: { count: 1, h: 28, w: 28, data: new Array(784).fill(1) }, outputs: { count: 1, h: 28, w: 28, data: new Array(784).fill(0.5) } },
    codes: { layer: 'affine1', dims: 2, count: 3, points: [0, 0, 1, 1, -1, 2], labels: [0, 1, 2] }
  }

  it('asks the host for the code plane of the opened weights on the project\'s held-out data and shows it', async () => {
    const opened: OpenedProject = {
      fileName: 'ae.bplab', savedAt: '', spec: AE, presetId: null, settings: { ...settings, testFraction: 0.25 }, hasWeights: true,
      history: { runs: [aeRun], currentId: 'ae1' }
    }
    const api = new FakeApi({ 'project:open': { ok: true, value: opened }, 'model:ae-views': { ok: true, value: views } })
    const files = new FilesLab()
    files.connect(api, false)
    await files.open({ from: 'upload', fileName: 'ae.bplab', base64: '' })
    expect(api.calls.find((c) => c.channel === 'model:ae-views')?.payload).toEqual({ data: { kind: 'mnist' }, testFraction: 0.25 })
    const run = trainLab.current!
    expect(run.snapshot?.codes?.count).toBe(3)
    // the JSON transport's plain arrays become typed arrays, as a live snapshot's do
    expect(run.snapshot?.codes?.points).toBeInstanceOf(Float32Array)
    render(AutoencoderPanel, { run, views: trainLab.aeViews })
    expect(screen.getByTestId('code-plane').getAttribute('data-count')).toBe('3')
    expect(screen.getByTestId('reconstruction-row')).toBeTruthy()
  })

  it('shows the views of a project saved with weights but no runs, until a run starts', async () => {
    const opened: OpenedProject = { fileName: 'weights-only.bplab', savedAt: '', spec: AE, presetId: null, settings, hasWeights: true }
    const api = new FakeApi({ 'project:open': { ok: true, value: opened }, 'model:ae-views': { ok: true, value: views }, 'train:start': { ok: true, value: { runId: 'run-x' } } })
    const files = new FilesLab()
    files.connect(api, false)
    await files.open({ from: 'upload', fileName: 'weights-only.bplab', base64: '' })
    expect(trainLab.current).toBeNull()
    expect(api.calls.find((c) => c.channel === 'model:ae-views')?.payload).toEqual({ data: { kind: 'mnist' } })
    expect(trainLab.aeViews?.codes?.points).toBeInstanceOf(Float32Array)
    render(AutoencoderPanel, { run: null, views: trainLab.aeViews })
    expect(screen.getByTestId('code-plane').getAttribute('data-count')).toBe('3')
    expect(screen.getByTestId('reconstruction-row')).toBeTruthy()
    // the draw page's plane too
    document.body.innerHTML = ''
    render(DrawAutoencoder, { input: new Float32Array(784), output: new Array(784).fill(0), maps: [
      { layer: 'affine1', shape: [2], maps: { count: 2, h: 1, w: 1, data: new Float32Array([0.5, 0.5]) } },
      { layer: 'affine2', shape: [784], maps: { count: 784, h: 1, w: 1, data: new Float32Array(784) } }
    ] })
    expect(screen.getByTestId('draw-code-plane')).toBeTruthy()
    // a new run's snapshots take over; another project clears them
    const off = trainLab.connect(api)
    await trainLab.start(AE, settings)
    off()
    trainLab.error = null
    expect(trainLab.modelViews).toBeNull()
    expect(trainLab.aeViews).toBeNull()
  })

  it('does not ask without weights or for other networks, and a failure leaves the run as it was', async () => {
    const base: OpenedProject = { fileName: 'x.bplab', savedAt: '', spec: AE, presetId: null, settings, hasWeights: false, history: { runs: [aeRun], currentId: 'ae1' } }
    for (const opened of [base, { ...base, spec: SIMPLE_CONVNET, hasWeights: true }]) {
      const api = new FakeApi({ 'project:open': { ok: true, value: opened }, 'model:ae-views': { ok: true, value: views } })
      const files = new FilesLab()
      files.connect(api, false)
      await files.open({ from: 'upload', fileName: 'x.bplab', base64: '' })
      expect(api.calls.map((c) => c.channel)).not.toContain('model:ae-views')
    }
    const api = new FakeApi({ 'project:open': { ok: true, value: { ...base, hasWeights: true } }, 'model:ae-views': { ok: false, error: { code: 'read-failed', message: 'no such folder' } } })
    const files = new FilesLab()
    files.connect(api, false)
    expect(await files.open({ from: 'upload', fileName: 'x.bplab', base64: '' })).not.toBeNull()
    expect(trainLab.current?.snapshot).toBeNull()
    expect(files.error).toBeNull()
  })
})
