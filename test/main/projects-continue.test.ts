/** A continued run in the autosave's history: its batch points and epochs are numbered after the run it
 * continues, and it keeps its link to that run (and its colour) through save and open. */
import { describe, expect, it } from 'vitest'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ProjectService, type ModelHost } from '../../src-main/projects'
import { validatePayload } from '../../src-main/ipc/validate'
import { createDispatcher, type HostApi } from '../../src-main/ipc/handlers'
import type { OpenedProject, SavedFile, SavedRun } from '../../src-main/ipc/contract'
import { encodeProject } from '../../src-engine/io/project'
import type { NetSpec } from '../../src-engine/spec-types'
import type { TrainSettings } from '../../src-engine/protocol'
import { MAX_CURVE_POINTS } from '../../src-engine/train/loss-curve'

const spec: NetSpec = { name: 'MLP', input: [1, 28, 28], layers: [{ type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }
const settings: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 2, weightDecay: 0, seed: 1, threads: 1 }
const report = (epoch: number) => ({ epoch, trainLoss: 1, trainAcc: 0.5, testLoss: 1, testAcc: 0.9, seconds: 1 })
const point = (epoch: number, batch: number) => ({ epoch, batch, batches: 2, loss: 1, examplesPerSec: 100 })

describe('the autosave history of a continued run', () => {
  it('numbers the continuation on from its offset and the first run as it came', () => {
    const p = new ProjectService({} as ModelHost, { dataDir: null })
    p.runStarted('a', spec, settings)
    p.runStarted('b', spec, settings, 2)
    for (const id of ['a', 'b']) {
      p.track({ type: 'batches', runId: id, points: [point(1, 1), point(1, 2)] })
      p.track({ type: 'epoch', runId: id, report: report(1) })
    }
    const [a, b] = p.history().runs
    expect(a.batchX).toEqual([0.5, 1])
    expect(a.epochs.map((e) => e.epoch)).toEqual([1])
    expect(b.batchX).toEqual([2.5, 3])
    expect(b.epochs.map((e) => e.epoch)).toEqual([3])
  })

  it('keeps a long run\'s curve bounded, as the page does: points merge in pairs past MAX_CURVE_POINTS', () => {
    const p = new ProjectService({} as ModelHost, { dataDir: null })
    p.runStarted('a', spec, settings)
    const batches = 3 * MAX_CURVE_POINTS + 5
    const per = 1000
    for (let i = 0; i < batches; i += per) {
      const points = []
      for (let j = i; j < Math.min(batches, i + per); j++) points.push({ epoch: Math.floor(j / 100) + 1, batch: (j % 100) + 1, batches: 100, loss: 2, examplesPerSec: 100 })
      p.track({ type: 'batches', runId: 'a', points })
    }
    const [a] = p.history().runs
    expect(a.batchX.length).toBeLessThanOrEqual(MAX_CURVE_POINTS)
    expect(a.batchX.length).toBeGreaterThan(MAX_CURVE_POINTS / 2)
    expect(a.batchLoss.every((y) => y === 2)).toBe(true)
    for (let i = 1; i < a.batchX.length; i++) expect(a.batchX[i]).toBeGreaterThan(a.batchX[i - 1])
    expect(a.batchX[a.batchX.length - 1]).toBeGreaterThan((batches - 8) / 100)
  })

  it('accepts a whole, non-negative epochOffset on train:start and nothing else', () => {
    expect(validatePayload('train:start', { spec, settings, from: 'model', epochOffset: 3 })).toMatchObject({ ok: true, value: { epochOffset: 3 } })
    expect(validatePayload('train:start', { spec, settings, from: 'model', epochOffset: -1 })).toMatchObject({ ok: false, error: { path: 'epochOffset' } })
    expect(validatePayload('train:start', { spec, settings, epochOffset: 1.5 })).toMatchObject({ ok: false, error: { path: 'epochOffset' } })
  })

  it('links a continuation to the run whose model the host held, with a fresh optimizer when it changed', async () => {
    const p = new ProjectService({} as ModelHost, { dataDir: null })
    p.runStarted('a', spec, settings)
    p.runStarted('b', spec, settings, 2)
    p.runStarted('c', spec, { ...settings, optimizer: 'SGD' }, 4)
    p.runStarted('d', spec, settings)
    const runs = p.history().runs
    expect(runs.map((r) => r.continues)).toEqual([undefined, { runId: 'a', epochOffset: 2 }, { runId: 'b', epochOffset: 4, optimizerFresh: { from: 'Adam', to: 'SGD' } }, undefined])
  })
})

/** A ModelHost without a model: projects save their history only, and open without weights. */
const noModel: ModelHost = {
  getModel: async () => ({ ok: false, error: { code: 'no-model', message: 'none' } }),
  loadModel: async () => ({ ok: true, value: { params: 0 } }),
  modelFile: async () => ({ ok: false, error: { code: 'no-model', message: 'none' } }),
  isTraining: () => false,
  preferPriority: () => 'low',
  autosave: async () => ({ ok: false, error: { code: 'no-model', message: 'none' } }),
  forgetModel: () => undefined
}

const run = (id: string, extra: Partial<SavedRun> = {}): SavedRun =>
  ({ id, specName: 'MLP', settings, state: 'done', batchX: [1], batchLoss: [0.5], epochs: [report(1)], ...extra })

async function reopen(p: ProjectService, bytes: Uint8Array): Promise<OpenedProject> {
  const r = await p.open({ from: 'upload', fileName: 'net.bplab', base64: Buffer.from(bytes).toString('base64') })
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}

describe('a continued run through save and open', () => {
  it('keeps the link and the colour the page sent', async () => {
    const p = new ProjectService(noModel, { dataDir: null })
    const history = {
      runs: [run('a', { color: '#3f7be0' }), run('b', { continues: { runId: 'a', epochOffset: 3, optimizerFresh: { from: 'Adam', to: 'SGD' } }, color: '#3f7be0' })],
      currentId: 'b'
    }
    // the page's project:save payload passes validation with them
    const checked = validatePayload('project:save', { project: { spec, settings, history }, to: 'download' })
    expect(checked).toMatchObject({ ok: true, value: { project: { history: { runs: [{ color: '#3f7be0' }, { continues: { runId: 'a', epochOffset: 3 } }] } } } })
    const saved = await p.save({ spec, settings, history }, 'download')
    if (!saved.ok) throw new Error(saved.error.message)
    const opened = await reopen(p, new Uint8Array(Buffer.from((saved.value as SavedFile).base64!, 'base64')))
    expect(opened.history?.runs[1]).toMatchObject({ id: 'b', continues: { runId: 'a', epochOffset: 3, optimizerFresh: { from: 'Adam', to: 'SGD' } }, color: '#3f7be0' })
    expect(opened.history?.runs[0].continues).toBeUndefined()
  })

  it('opens older projects without the fields, and ignores a malformed link or colour without dropping the history', async () => {
    const p = new ProjectService(noModel, { dataDir: null })
    const old = await reopen(p, encodeProject({ spec, history: { runs: [run('a')], currentId: 'a' } }))
    expect(old.history?.runs.map((r) => r.id)).toEqual(['a'])
    const bad = [
      run('b', { continues: { runId: 'a', epochOffset: -1 } as never }),
      run('c', { continues: 'a' as never, color: 'blue' }),
      run('d', { continues: { runId: 'a', epochOffset: 2, optimizerFresh: { from: 'Adam', to: 'Lion' } } as never, color: '#12345z' })
    ]
    const opened = await reopen(p, encodeProject({ spec, history: { runs: [run('a'), ...bad], currentId: 'd' } }))
    expect(opened.history?.runs.map((r) => r.id)).toEqual(['a', 'b', 'c', 'd'])
    expect(opened.history?.currentId).toBe('d')
    for (const r of opened.history!.runs) expect([r.continues, r.color]).toEqual([undefined, undefined])
  })

  it('links a run that continues an opened project to that project\'s current run', async () => {
    const p = new ProjectService(noModel, { dataDir: null })
    const w = { 'affine1.W': { shape: [784, 10], data: new Float32Array(7840) }, 'affine1.b': { shape: [10], data: new Float32Array(10) } }
    p.runStarted('here', spec, settings)
    await reopen(p, encodeProject({ spec, weights: w, history: { runs: [run('saved-1'), run('saved-2')], currentId: 'saved-2' } }))
    p.runStarted('next', spec, settings, 5)
    expect(p.history().runs.at(-1)?.continues).toEqual({ runId: 'saved-2', epochOffset: 5 })
  })
})

/**
 * A lab whose train:start goes through the dispatcher to the project as the host's does (runs r1, r2, … with the epoch
 * offset and curve start the page sent), autosaving into a folder of its own (`prefix…`) as the worker writes it: the
 * settings and history sent with the job, the weights left out here.
 */
function autosavingLab(prefix: string): { p: ProjectService; dispatch: ReturnType<typeof createDispatcher>; dataDir: string } {
  const dataDir = mkdtempSync(join(tmpdir(), prefix))
  const host: ModelHost = {
    ...noModel,
    autosave: async (job) => { writeFileSync(job.path, encodeProject({ spec, settings: job.project.settings, history: job.project.history, epoch: job.project.epoch })); return { ok: true, value: { written: true } } }
  }
  const p = new ProjectService(host, { dataDir })
  let n = 0
  const lab = { startRun: async (...args: unknown[]) => { p.runStarted(`r${++n}`, spec, settings, ...(args.slice(3) as [number?, number?])); return { ok: true, value: { runId: `r${n}` } } } } as unknown as HostApi
  return { p, dispatch: createDispatcher(lab), dataDir }
}

/**
 * Run r2 trains its epoch 1 (two batches, the epoch's report, the checkpoint the worker kept) and the autosave is written;
 * the lab closes there, and the next start opens the autosave.
 */
async function secondRunRecovered(p: ProjectService, dataDir: string): Promise<OpenedProject> {
  p.track({ type: 'batches', runId: 'r2', points: [point(1, 1), point(1, 2)] })
  p.track({ type: 'epoch', runId: 'r2', report: report(1) })
  p.onWorkerCheckpoint('r2', 1)
  await p.flushAutosave()
  const opened = await new ProjectService(noModel, { dataDir }).open({ from: 'recovery' })
  if (!opened.ok) throw new Error(opened.error.message)
  return opened.value
}

describe('a continuation from weights kept mid-epoch, recovered after the lab closed while it trained', () => {
  it('train:start carries where its curve begins to the autosave, which the recovered history keeps', async () => {
    // the page's payload (train.svelte.ts launch): diverged at epoch 4 batch 2 of 4, batch 1 kept
    const payload = { spec, settings, from: 'model', epochOffset: 3, xOffset: 3.25 }
    expect(validatePayload('train:start', payload)).toMatchObject({ ok: true, value: { xOffset: 3.25 } })
    expect(validatePayload('train:start', { ...payload, xOffset: -0.5 })).toMatchObject({ ok: false, error: { path: 'xOffset' } })
    expect(validatePayload('train:start', { ...payload, xOffset: '3.25' })).toMatchObject({ ok: false, error: { path: 'xOffset' } })
    const { p, dispatch, dataDir } = autosavingLab('lab-xoffset-')
    expect(await dispatch('train:start', { spec, settings }, true)).toMatchObject({ ok: true })
    for (let e = 1; e <= 3; e++) p.track({ type: 'batches', runId: 'r1', points: [point(e, 1), point(e, 2)] })
    expect(await dispatch('train:start', payload, true)).toMatchObject({ ok: true })
    // r2 trains its (re-trained) epoch 1; the lab closes, and the next start opens the autosave
    const opened = await secondRunRecovered(p, dataDir)
    const [, r2] = opened.history!.runs
    expect(r2.continues).toEqual({ runId: 'r1', epochOffset: 3, xOffset: 3.25 })
    // on from the kept batch (3.25), as the page placed them (run.svelte.ts: epochPosition + xOffset), not from 3
    expect(r2.batchX).toEqual([3.75, 4.25])
    expect(r2.epochs.map((e) => e.epoch)).toEqual([4])
    expect(opened.epoch).toBe(4)
  })

  it('links a continuation from the weights kept before a run that began at epoch 0, through recovery; a run from held weights stays its own', async () => {
    // an opened project's weights trained on (from the model, no offset: train.svelte.ts launch with weightsChoice
    // 'keep'), the run diverged and the host put those weights back ('before'); "Continue from the kept weights"
    // then sends epochOffset 0 and no xOffset (divergence.ts keptStart: where the run began)
    const { p, dispatch, dataDir } = autosavingLab('lab-kept-before-')
    expect(await dispatch('train:start', { spec, settings, from: 'model' }, true)).toMatchObject({ ok: true })
    p.track({ type: 'batches', runId: 'r1', points: [point(1, 1)] })
    expect(await dispatch('train:start', { spec, settings, from: 'model', epochOffset: 0 }, true)).toMatchObject({ ok: true })
    const [r1, r2] = (await secondRunRecovered(p, dataDir)).history!.runs
    expect(r1.continues).toBeUndefined()
    // on from where r1 began (0), numbered from 0, and drawn as r1 going on, as the page shows it
    expect(r2.continues).toEqual({ runId: 'r1', epochOffset: 0 })
    expect(r2.batchX).toEqual([0.5, 1])
    expect(r2.epochs.map((e) => e.epoch)).toEqual([1])
  })

  it('places a continuation kept in the first epoch part-way through it, numbered from 0', () => {
    const p = new ProjectService({} as ModelHost, { dataDir: null })
    p.runStarted('a', spec, settings)
    p.runStarted('b', spec, settings, 0, 0.5)
    p.track({ type: 'batches', runId: 'b', points: [point(1, 1)] })
    p.track({ type: 'epoch', runId: 'b', report: report(1) })
    const [, b] = p.history().runs
    expect(b.continues).toEqual({ runId: 'a', epochOffset: 0, xOffset: 0.5 })
    expect(b.batchX).toEqual([1])
    expect(b.epochs.map((e) => e.epoch)).toEqual([1])
  })
})

describe('the priority an opened project asks for', () => {
  const weights = { 'affine1.W': { shape: [784, 10], data: new Float32Array(7840) }, 'affine1.b': { shape: [10], data: new Float32Array(10) } }
  const bytes = encodeProject({ spec, settings: { ...settings, priority: 'normal' }, weights })
  const upload = { from: 'upload' as const, fileName: 'net.bplab', base64: Buffer.from(bytes).toString('base64') }
  function hostWith(loaded: boolean): { host: ModelHost; asked: string[] } {
    const asked: string[] = []
    let wanted = 'low'
    const host: ModelHost = {
      ...noModel,
      preferPriority: (p) => { asked.push(p); const before = wanted; wanted = p; return before as 'low' },
      loadModel: async () => loaded ? { ok: true, value: { params: 7850 } } : { ok: false, error: { code: 'weights-mismatch', message: 'tensor affine1.W differs' } }
    }
    return { host, asked }
  }

  it('is the host\'s once the project opens', async () => {
    const { host, asked } = hostWith(true)
    expect((await new ProjectService(host, { dataDir: null }).open(upload)).ok).toBe(true)
    expect(asked).toEqual(['normal'])
  })

  it('is taken back when its weights do not load, so the page\'s own choice still holds', async () => {
    const { host, asked } = hostWith(false)
    const r = await new ProjectService(host, { dataDir: null }).open(upload)
    expect(r).toMatchObject({ ok: false, error: { code: 'weights-mismatch' } })
    expect(asked).toEqual(['normal', 'low'])
  })
})
