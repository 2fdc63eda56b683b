/**
 * LabHost and the training priority (settings.priority): a worker at another priority is replaced, its
 * model (weights, optimizer state) carried into the new one, only between runs; and the host's starvation
 * watch wiring (cpu events) with the /proc reader and clock swapped for the test's.
 */
import { describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SHARE_ENV } from 'node:worker_threads'
import { TRAINING_PRIORITIES, type Checkpoint } from '../../src-engine/protocol'
import type { NetSpec } from '../../src-engine/spec-types'
import type { LabEvent } from '../../src-main/ipc/contract'
import type { LabHost } from '../../src-main/lab-host'
import { validatePayload } from '../../src-main/ipc/validate'
import { encodeProjectAsync } from '../../src-main/project-writer'
import { tensorArrays } from '../../src-main/projects'
import { encodeModelWeights } from '../../src-engine/io/safetensors'
import { disposingHosts, isState, mlpSpec, record, settings } from './helpers'

const make = disposingHosts()

async function model(host: LabHost): Promise<Checkpoint> {
  const m = await host.getModel()
  if (!m.ok) throw new Error(m.error.message)
  return m.value
}

/** A host (made with `over`) whose first run, at the default (low) priority, has trained to the end: a model to move. */
async function trained(over: Parameters<typeof make>[0] = {}): Promise<{ host: LabHost; rec: ReturnType<typeof record> }> {
  const host = make(over)
  const rec = record(host)
  host.start(mlpSpec(), settings())
  await rec.waitFor(isState('done'))
  return { host, rec }
}

/** Every array of a checkpoint, by name, as plain numbers (for exact comparison). */
function arrays(cp: Checkpoint): Record<string, number[]> {
  const out: Record<string, number[]> = {}
  for (const [k, t] of Object.entries(cp.weights)) out[`w:${k}`] = [...t.data]
  for (const [k, a] of Object.entries(cp.optimizer?.state ?? {})) out[`o:${k}`] = [...a]
  return out
}

describe('LabHost priority', () => {
  it('moves the model, weights and optimizer state bit for bit, into a new worker at the priority asked for', async () => {
    const host = make()
    const rec = record(host)
    const started = host.start(mlpSpec(), settings({ epochs: 1 }))
    expect(started.ok).toBe(true)
    await rec.waitFor(isState('done'))
    expect(host.trainingPriority).toBe('low')
    const before = await model(host)
    expect(before.optimizer?.name).toBe('Adam')
    const thread = host.workerThreadId

    expect(await host.setPriority('normal')).toEqual({ ok: true, value: { priority: 'normal', restarted: true } })
    expect(host.trainingPriority).toBe('normal')
    expect(host.workerThreadId).not.toBe(thread)
    const after = await model(host)
    expect(after.spec).toEqual(before.spec)
    expect(after.optimizer?.name).toBe('Adam')
    expect(arrays(after)).toEqual(arrays(before))
    // the old thread went quietly: no crash reported
    expect(rec.of('error')).toEqual([])

    // the continued run at normal priority starts from the carried model (the fake trains it no further)
    const cont = await host.startRun(mlpSpec(), settings({ epochs: 1, priority: 'normal' }), true, 1)
    expect(cont.ok).toBe(true)
    expect(host.workerThreadId).not.toBe(thread)
    await rec.waitFor((e) => e.type === 'state' && e.state === 'done' && cont.ok && e.runId === cont.value.runId)
    expect(arrays(await model(host))).toEqual(arrays(before))
  })

  it('restarts only when the priority differs, and refuses while a run is running or paused', async () => {
    const host = make({ workerOptions: { workerData: { tickMs: 5, batches: 1000 } } })
    const rec = record(host)
    // no worker yet: nothing to move; the first run's worker starts at the run's priority
    expect(await host.setPriority('normal')).toEqual({ ok: true, value: { priority: 'normal', restarted: false } })
    expect(host.trainingPriority).toBeNull()
    const first = await host.startRun(mlpSpec(), settings({ priority: 'normal' }))
    expect(first.ok).toBe(true)
    expect(host.trainingPriority).toBe('normal')
    await rec.waitFor(isState('running'))
    const thread = host.workerThreadId
    expect(await host.setPriority('normal')).toEqual({ ok: true, value: { priority: 'normal', restarted: false } })
    expect(await host.setPriority('low')).toMatchObject({ ok: false, error: { code: 'busy', params: { case: 'priority', state: 'running' } } })
    expect(await host.startRun(mlpSpec(), settings())).toMatchObject({ ok: false, error: { code: 'busy', params: { case: 'start' } } })
    expect(host.pause().ok).toBe(true)
    await rec.waitFor(isState('paused'))
    expect(await host.setPriority('low')).toMatchObject({ ok: false, error: { code: 'busy', params: { case: 'priority', state: 'paused' } } })
    expect(host.workerThreadId).toBe(thread)
    expect(host.trainingPriority).toBe('normal')
    expect(host.stop().ok).toBe(true)
    await rec.waitFor(isState('stopped'))
    // start() alone does not move the model: it refuses a run at another priority than the live worker's
    expect(host.start(mlpSpec(), settings())).toMatchObject({ ok: false, error: { code: 'busy', params: { case: 'priority' } } })
    const second = await host.startRun(mlpSpec(), settings({ priority: 'low' }), true, 1)
    expect(second.ok).toBe(true)
    expect(host.trainingPriority).toBe('low')
    expect(host.workerThreadId).not.toBe(thread)
    expect(rec.of('error')).toEqual([])
  })

  it('keeps Pause, Stop and a learning rate pressed while Start waits for the move, for the run it starts', async () => {
    const { host, rec } = await trained()
    const last = host.run
    const newRun = (e: LabEvent, state: string): boolean => e.type === 'state' && e.state === state && e.runId !== last.runId
    // the page offers Pause once Start is sent; the old host refused it with the last run's state ('done') and the
    // run it then started trained on
    const paused = host.startRun(mlpSpec(), settings({ priority: 'normal', epochs: 3 }), true, 1)
    expect(host.pause()).toEqual({ ok: true, value: null })
    expect(host.setLr(0.02)).toEqual({ ok: true, value: null })
    expect(host.step()).toMatchObject({ ok: false, error: { code: 'bad-state', params: { case: 'step', state: 'done' } } })
    const first = await paused
    expect(first.ok && host.trainingPriority).toBe('normal')
    await rec.waitFor((e) => newRun(e, 'paused'))
    expect(host.run).toEqual({ runId: first.ok ? first.value.runId : '', state: 'paused' })
    expect(host.currentRun()).toMatchObject({ ok: true, value: { lr: 0.02, lrChanges: [{ x: 0, lr: 0.02 }] } })
    expect(host.stop().ok).toBe(true)
    await rec.waitFor((e) => newRun(e, 'stopped'))
    // a Stop in the move: the run stops before it trains a batch
    const stopped = host.startRun(mlpSpec(), settings({ priority: 'low', epochs: 3 }), true, 1)
    expect(host.stop()).toEqual({ ok: true, value: null })
    const second = await stopped
    const id = second.ok ? second.value.runId : ''
    await rec.waitFor((e) => e.type === 'state' && e.state === 'stopped' && e.runId === id)
    expect(rec.of('batches').filter((e) => e.runId === id)).toEqual([])
    expect(rec.of('error')).toEqual([])
  })

  it('makes requests sent during the move wait for it, and answers them from the new worker', async () => {
    const { host, rec } = await trained()
    const before = await model(host)
    const [moved, during] = await Promise.all([host.setPriority('normal'), host.getModel()])
    expect(moved).toMatchObject({ ok: true, value: { restarted: true } })
    expect(during.ok && arrays(during.value)).toEqual(arrays(before))
    // opening a project meanwhile is no training run: it waits for the move and loads into the new worker
    const saved: Checkpoint = { spec: before.spec, weights: Object.fromEntries(Object.entries(before.weights).map(([k, t]) => [k, { shape: t.shape, data: t.data.map(() => 0.5) }])) }
    const file = Buffer.from(await encodeProjectAsync({ spec: saved.spec, weights: saved.weights })).toString('base64')
    const moving = host.setPriority('low')
    expect(host.isTraining()).toBe(false)
    const [movedBack, opened, checked] = await Promise.all([moving, host.projects.open({ from: 'upload', fileName: 'p.bplab', base64: file }), host.gradcheck(mlpSpec(), 1, undefined, false)])
    expect(movedBack).toMatchObject({ ok: true, value: { restarted: true } })
    // a gradient check waiting for a move can be cancelled meanwhile: the new thread answers it cancelled at once
    const again = host.setPriority('normal')
    const waiting = host.gradcheck(mlpSpec(), 1, undefined, false)
    expect(host.cancelGradcheck()).toEqual({ ok: true, value: { cancelled: true } })
    expect(await again).toMatchObject({ ok: true })
    expect(await waiting).toMatchObject({ ok: true, value: { ok: false, reason: 'cancelled' } })
    expect(opened).toMatchObject({ ok: true, value: { hasWeights: true } })
    expect(checked).toMatchObject({ ok: true, value: { ok: true } })
    expect(host.trainingPriority).toBe('normal')
    expect(arrays(await model(host))).toEqual(arrays(saved))
  })

  it('refuses a run start() would refuse (too many threads, an invalid spec) before moving the model, not after', async () => {
    const { host, rec } = await trained()
    const before = await model(host)
    const thread = host.workerThreadId
    // 3×224×224 → Affine(450): 67.7 M parameters fit one thread (1.72 GiB), not four (refuseThreads)
    const wide: NetSpec = { name: 'wide', input: [3, 224, 224], layers: [{ type: 'Flatten' }, { type: 'Affine', units: 450 }, { type: 'SoftmaxWithLoss' }] }
    expect(await host.startRun(wide, settings({ threads: 4, priority: 'normal' }), true, 1)).toMatchObject({ ok: false, error: { code: 'train-failed', params: { case: 'threads', fits: 1 } } })
    // a 5×5 kernel at stride 3 does not tile 28×28
    const broken: NetSpec = { input: [1, 28, 28], layers: [{ type: 'Convolution', filters: 4, kernel: 5, stride: 3 }, { type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }
    expect(await host.startRun(broken, settings({ priority: 'normal' }), true, 1)).toMatchObject({ ok: false, error: { code: 'invalid-spec' } })
    // before: each refusal came after the move, the worker replaced at normal priority for a run that never ran
    expect(host.workerThreadId).toBe(thread)
    expect(host.trainingPriority).toBe('low')
    expect(arrays(await model(host))).toEqual(arrays(before))
    expect(rec.of('error')).toEqual([])
  })

  it('refuses an open that waited for the move a run asked for with the open\'s words, once that run has started', async () => {
    const { host, rec } = await trained()
    const before = await model(host)
    const file = Buffer.from(await encodeProjectAsync({ spec: before.spec, weights: before.weights })).toString('base64')
    // the run at normal priority moves the model first; the open, asked for meanwhile, waits for the move to load its weights
    const run = host.startRun(mlpSpec(), settings({ priority: 'normal' }), true, 1)
    const opened = host.projects.open({ from: 'upload', fileName: 'p.bplab', base64: file })
    expect(await run).toMatchObject({ ok: true })
    // before: 'busy' with case 'load' ("…before loading another model"), words for another request than the page's
    expect(await opened).toMatchObject({ ok: false, error: { code: 'busy', params: { case: 'open' } } })
    // so too an import of weights
    const weights = encodeModelWeights(before.spec, before.weights)
    host.stop()
    await rec.waitFor(isState('stopped'))
    const back = host.startRun(mlpSpec(), settings({ priority: 'low' }), true, 1)
    const imported = host.projects.importWeights(before.spec, { from: 'upload', fileName: 'w.safetensors', base64: Buffer.from(weights).toString('base64') })
    expect(await back).toMatchObject({ ok: true })
    expect(await imported).toMatchObject({ ok: false, error: { code: 'busy', params: { case: 'import' } } })
  })

  it('refuses a second run asked for during the first one\'s move as a second run, whatever priority it asks for', async () => {
    for (const second of ['low', 'normal'] as const) {
      const host = make({ workerOptions: { workerData: { tickMs: 5, batches: 1000 } } })
      const rec = record(host)
      host.start(mlpSpec(), settings({ epochs: 1 }))
      await rec.waitFor(isState('running'))
      host.stop()
      await rec.waitFor(isState('stopped'))
      // the first run moves the model to a normal worker; the second is asked for meanwhile
      const first = host.startRun(mlpSpec(), settings({ priority: 'normal' }), true, 1)
      const next = host.startRun(mlpSpec(), settings({ priority: second }), true, 1)
      expect(await first).toMatchObject({ ok: true })
      // before: asking for low, refused with the priority's words ('busy', case priority: "its threads change priority
      // only between runs") where a second run is what was asked for; asking for normal, both starts found no move under
      // way and both moved the model, and the second start was answered 'worker-crashed' ("replaced by one at another
      // priority: ask again"), its move's request failed by the first move
      expect(await next, second).toMatchObject({ ok: false, error: { code: 'busy', params: { case: 'start' } } })
      await host.dispose()
    }
  })

  it('answers a request waiting for the move at once when the lab closes meanwhile (not after the reply timeout)', async () => {
    const { host } = await trained({ replyTimeoutMs: 60_000 })
    const moving = host.setPriority('normal')
    const waiting = host.getModel()
    await host.dispose()
    expect(await waiting).toMatchObject({ ok: false, error: { code: 'closed' } })
    expect(await moving).toMatchObject({ ok: false, error: { code: 'closed' } })
  })

  it('keeps the model in the old worker when the new one cannot start or take it, and stays usable', async () => {
    for (const failLoad of ['refuse', 'exit', 'no-thread'] as const) {
      const { host, rec } = await trained({ workerOptions: { workerData: { tickMs: 2, batches: 20, ...(failLoad === 'no-thread' ? {} : { failLoad }) } } })
      const before = await model(host)
      const thread = host.workerThreadId
      const opts = (host as unknown as { opts: { workerPath: string } }).opts
      const path = opts.workerPath
      // new Worker throws at once for a path that is neither absolute nor ./-relative
      if (failLoad === 'no-thread') opts.workerPath = 'no-such-worker.mjs'
      const moved = await host.setPriority('normal')
      opts.workerPath = path
      expect(moved, failLoad).toMatchObject({ ok: false, error: { code: 'worker-failed', params: { case: 'priority' } } })
      expect(host.trainingPriority).toBe('low')
      expect(host.workerThreadId).toBe(thread)
      expect(arrays(await model(host))).toEqual(arrays(before))
      expect(rec.of('error')).toEqual([])
      // the host carries on: a run from the model at the old priority starts in the same thread
      const cont = await host.startRun(mlpSpec(), settings({ priority: 'low' }), true, 1)
      expect(cont.ok).toBe(true)
      expect(host.workerThreadId).toBe(thread)
      await rec.waitFor((e) => e.type === 'state' && e.state === 'done' && cont.ok && e.runId === cont.value.runId)
      await host.dispose()
    }
  })

  it('writes the autosave of the last epoch, queued behind a slow one, before the model moves', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lab-move-'))
    try {
      // each autosave takes 300 ms: epoch 2's checkpoint waits in the queue while epoch 1's is written
      const host = make({ dataDir, workerOptions: { workerData: { tickMs: 2, batches: 5, autosaveMs: 300 } } })
      const rec = record(host)
      host.start(mlpSpec(), settings({ epochs: 2 }))
      await rec.waitFor(isState('done'))
      expect(await host.setPriority('normal')).toMatchObject({ ok: true, value: { restarted: true } })
      await host.projects.flushAutosave()
      expect(host.projects.lastAutosaveError).toBeNull()
      expect(JSON.parse(readFileSync(join(dataDir, 'recovery.bplab'), 'utf8'))).toMatchObject({ epoch: 2 })
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  })

  it('tells the page whether the choice of priority does something (app:info priorityChoice)', () => {
    const info = (over: Parameters<typeof make>[0]) => {
      const r = make(over).info()
      return r.ok && r.value.priorityChoice
    }
    expect(info({})).toBe(process.platform === 'linux')
    expect(info({ trainingNice: 0 })).toBe(false)
    expect(info({ workerOptions: { env: SHARE_ENV } })).toBe(false)
  })

  it('starts a worker for a gradient check, a model or a project at the priority last asked for, so the next run does not move', async () => {
    // asked for before any worker: a gradient check's worker starts at it
    const asked = make()
    expect(await asked.setPriority('normal')).toMatchObject({ ok: true, value: { restarted: false } })
    expect((await asked.gradcheck(mlpSpec(), 1, undefined, false)).ok).toBe(true)
    expect(asked.trainingPriority).toBe('normal')
    const thread = asked.workerThreadId
    expect(await asked.startRun(mlpSpec(), settings({ priority: 'normal' }))).toMatchObject({ ok: true })
    expect(asked.workerThreadId).toBe(thread)
    // after a run at normal priority whose worker then died, the next worker (for a model) starts at normal too
    const ran = make()
    const rec = record(ran)
    expect((await ran.startRun(mlpSpec(), settings({ priority: 'normal' }))).ok).toBe(true)
    await rec.waitFor(isState('done'))
    const cp = await model(ran)
    await (ran as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate()
    await rec.waitFor((e) => e.type === 'error' && e.code === 'worker-crashed')
    expect((await ran.loadModel(cp.spec, tensorArrays(cp.weights))).ok).toBe(true)
    expect(ran.trainingPriority).toBe('normal')
    // an opened project's settings say which: its weights load into a worker at that priority
    const file = Buffer.from(await encodeProjectAsync({ spec: cp.spec, weights: cp.weights, settings: settings({ priority: 'normal' }) })).toString('base64')
    const opened = make()
    expect(await opened.projects.open({ from: 'upload', fileName: 'p.bplab', base64: file })).toMatchObject({ ok: true, value: { hasWeights: true } })
    expect(opened.trainingPriority).toBe('normal')
  })

  it('never restarts when nothing is lowered (trainingNice 0, or a shared environment the worker cannot be asked in)', async () => {
    for (const over of [{ trainingNice: 0 }, { workerOptions: { env: SHARE_ENV } }] satisfies Parameters<typeof make>[0][]) {
      const { host } = await trained(over)
      const thread = host.workerThreadId
      expect(await host.setPriority('normal')).toEqual({ ok: true, value: { priority: 'normal', restarted: false } })
      expect((await host.startRun(mlpSpec(), settings({ priority: 'normal' }))).ok).toBe(true)
      expect(host.workerThreadId).toBe(thread)
    }
  })
})

describe('train:start settings.priority', () => {
  it('is one of the protocol\'s priorities (low or normal), or absent', () => {
    expect(TRAINING_PRIORITIES).toEqual(['low', 'normal'])
    for (const priority of [...TRAINING_PRIORITIES, undefined]) {
      expect(validatePayload('train:start', { spec: mlpSpec(), settings: settings({ priority }) })).toMatchObject({ ok: true })
    }
    expect(validatePayload('train:start', { spec: mlpSpec(), settings: { ...settings(), priority: 'high' } })).toMatchObject({ ok: false, error: { code: 'bad-payload', path: 'settings.priority' } })
  })
})

describe.runIf(process.platform === 'linux')('LabHost starvation watch (a fake /proc and clock)', () => {
  /** Time runs 200× faster than real time: a 5 ms tick is a second, the 5 s window 25 ms. */
  const now = (): number => performance.now() * 200
  /** One training thread that waits for a core all the time and never runs, or (`thread.onCore`) runs all the time. */
  const thread = { onCore: false, ran: 0, waited: 0, at: 0 }
  const starvedThread = () => {
    const t = now()
    if (thread.at > 0) thread[thread.onCore ? 'ran' : 'waited'] += t - thread.at
    thread.at = t
    return new Map([[4242, [thread.ran, thread.waited] as [number, number]]])
  }
  const cpu = (rec: ReturnType<typeof record>, runId: string): boolean[] =>
    rec.of('cpu').filter((e) => e.runId === runId).map((e) => e.starved)
  const watched = (over: { read?: () => Map<number, [number, number]> | null } = {}) =>
    make({ workerOptions: { workerData: { tickMs: 400, batches: 1000 } }, cpuWatch: { read: starvedThread, now, tickMs: 5, ...over } })

  it('reports a running run starved, still while a batch gets through, free again once its thread runs, and when it pauses and when it stops', async () => {
    const host = watched()
    const rec = record(host)
    const started = host.start(mlpSpec(), settings())
    const runId = started.ok ? started.value.runId : ''
    const starved = (n: number) => (e: LabEvent) => e.type === 'cpu' && e.starved && cpu(rec, runId).filter(Boolean).length === n
    await rec.waitFor(starved(1))
    expect(rec.of('batches')).toEqual([])
    // a batch that gets through clears nothing (a starved thread still gets slivers of a core)
    await rec.waitFor((e) => e.type === 'batches')
    expect(cpu(rec, runId)).toEqual([true])
    // the thread on a core again: free; starved again once it waits a whole window
    thread.onCore = true
    await rec.waitFor((e) => e.type === 'cpu' && !e.starved)
    thread.onCore = false
    await rec.waitFor(starved(2))
    expect(cpu(rec, runId).slice(0, 3)).toEqual([true, false, true])
    expect(host.pause().ok).toBe(true)
    await rec.waitFor(isState('paused'))
    expect(cpu(rec, runId)).toEqual([true, false, true, false])
    // the free report goes out before the state event that ends the wait
    const events = rec.events.map((e) => e.event)
    const pausedAt = events.findIndex(isState('paused'))
    expect(events.slice(0, pausedAt).filter((e) => e.type === 'cpu').length).toBe(4)
    expect(host.resume().ok).toBe(true)
    await rec.waitFor(starved(3))
    expect(host.stop().ok).toBe(true)
    await rec.waitFor(isState('stopped'))
    expect(cpu(rec, runId)).toEqual([true, false, true, false, true, false])
  })

  it('reports a starved run free when its worker crashes', async () => {
    const host = watched()
    const rec = record(host)
    const started = host.start(mlpSpec(), settings())
    const runId = started.ok ? started.value.runId : ''
    await rec.waitFor((e) => e.type === 'cpu' && e.starved)
    const w = (host as unknown as { worker: { terminate(): Promise<number> } }).worker
    await w.terminate()
    await rec.waitFor(isState('failed'))
    expect(cpu(rec, runId)).toEqual([true, false])
    expect(rec.of('error').map((e) => e.code)).toEqual(['worker-crashed'])
  })

  it('does not watch a run at normal priority (its threads are not under SCHED_IDLE)', async () => {
    let reads = 0
    const host = watched({ read: () => { reads++; return starvedThread() } })
    const rec = record(host)
    const started = await host.startRun(mlpSpec(), settings({ priority: 'normal' }))
    expect(started.ok).toBe(true)
    await rec.waitFor(isState('running'))
    await new Promise((r) => setTimeout(r, 150))
    expect(reads).toBe(0)
    expect(rec.of('cpu')).toEqual([])
  })
})
