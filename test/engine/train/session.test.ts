import { describe, expect, it } from 'vitest'
import { WorkerSession, type SessionOptions } from '../../../src-engine/train/session'
import type { Trainer } from '../../../src-engine/train/trainer'
import { runGradcheck, type GradcheckResult } from '../../../src-engine/train/gradcheck-run'
import type { Checkpoint, TrainSettings, WorkerEvent } from '../../../src-engine/protocol'
import { TINY_CNN, TINY_MLP, recordingSession, smallDigits } from './fixtures'
import { until } from '../../helpers'

const data = smallDigits()
const SETTINGS: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'SGD', lr: 0.1, batchSize: 20, epochs: 1, weightDecay: 0, seed: 5, threads: 1 }

const session = (opts: Partial<SessionOptions> = {}) => recordingSession(data, opts)

describe('WorkerSession (the worker\'s message handler)', () => {
  it('answers unknown and malformed commands with error events, never silence or a throw', () => {
    const { s, events } = session()
    s.handle({ type: 'explode' })
    s.handle(null)
    s.handle({ type: 'set-lr', lr: -3 })
    s.handle({ type: 'predict', input: [1, 2], count: 1 })
    expect(events.map((e) => e.type === 'error' && e.code)).toEqual(['unknown-command', 'unknown-command', 'bad-command', 'bad-command'])
    expect(events[0]).toMatchObject({ message: 'unknown worker command "explode"' })
    // A malformed request still gets its reply, so the host is not left waiting.
    s.handle({ type: 'predict', reqId: 3, input: [1, 2], count: 1 })
    expect(events.at(-1)).toEqual({ type: 'reply', reqId: 3, ok: false, code: 'bad-command', message: '"predict" needs input as a Float32Array' })
  })

  it('runs a training run: state, coalesced batch points, epoch report, snapshot, done', async () => {
    const { s, events } = session({ batchFlushMs: 1e9 })
    s.handle({ type: 'start', runId: 'r1', spec: TINY_CNN, settings: SETTINGS })
    await s.running
    const types = events.map((e) => e.type)
    expect(types[0]).toBe('state')
    const batches = events.filter((e) => e.type === 'batches')
    const points = batches.flatMap((e) => (e.type === 'batches' ? e.points : []))
    expect(points.map((p) => p.batch)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1))
    // With a long flush interval the 30 points travel in very few messages (flushed at the epoch end).
    expect(batches.length).toBeLessThanOrEqual(2)
    expect(events.find((e) => e.type === 'epoch')).toMatchObject({ runId: 'r1', report: { epoch: 1 } })
    const snap = events.find((e) => e.type === 'snapshot')
    expect(snap && snap.type === 'snapshot' && snap.snapshot.filters?.count).toBe(4)
    expect(events.at(-1)).toEqual({ type: 'state', runId: 'r1', state: 'done' })
    for (const e of events) if ('runId' in e) expect(e.runId).toBe('r1')
  })

  it('predicts with the current model and hands out its weights', async () => {
    const { s, events } = session()
    s.handle({ type: 'predict', reqId: 1, input: new Float32Array(784), count: 1 })
    expect(events.at(-1)).toMatchObject({ type: 'reply', reqId: 1, ok: false, code: 'no-model' })
    s.handle({ type: 'start', runId: 'r', spec: TINY_MLP, settings: SETTINGS })
    await s.running
    s.handle({ type: 'predict', reqId: 2, input: data.test.images.slice(0, 2 * 784), count: 2 })
    const reply = events.at(-1) as Extract<WorkerEvent, { type: 'reply'; ok: true }>
    const value = reply.value as { count: number; classes: number; probs: Float32Array; logits: Float32Array }
    expect(value.count).toBe(2)
    expect(value.classes).toBe(10)
    const sum = value.probs.slice(0, 10).reduce((a, b) => a + b, 0)
    expect(sum).toBeCloseTo(1, 5)
    s.handle({ type: 'get-weights', reqId: 3 })
    const w = (events.at(-1) as { value: { weights: Record<string, { shape: number[] }> } }).value.weights
    expect(Object.keys(w)).toEqual(['affine1.W', 'affine1.b', 'affine2.W', 'affine2.b'])
    expect(w['affine1.W'].shape).toEqual([784, 32])
  })

  it('loads a model after checking its weights, naming what does not fit', () => {
    const { s, events } = session()
    s.handle({ type: 'load-model', reqId: 4, spec: TINY_MLP, weights: { 'affine1.W': new Float32Array(3) } })
    const bad = events.at(-1) as Extract<WorkerEvent, { type: 'reply'; ok: false }>
    expect(bad.ok).toBe(false)
    expect(bad.message).toContain('affine1.W holds 3 values but this network expects 25088 (784, 32)')
    expect(bad.message).toContain('affine2.b is missing')
    const weights: Record<string, Float32Array> = {
      'affine1.W': new Float32Array(784 * 32), 'affine1.b': new Float32Array(32), 'affine2.W': new Float32Array(320), 'affine2.b': new Float32Array(10).fill(1)
    }
    s.handle({ type: 'load-model', reqId: 5, spec: TINY_MLP, weights })
    expect(events.at(-1)).toMatchObject({ type: 'reply', reqId: 5, ok: true })
    s.handle({ type: 'predict', reqId: 6, input: new Float32Array(784), count: 1 })
    const probs = ((events.at(-1) as { value: { probs: Float32Array } }).value.probs)
    for (const p of probs) expect(p).toBeCloseTo(0.1, 6)
  })

  it('pauses, steps and stops a run between batches and reports control without a run as an error', async () => {
    const { s, events } = session({ batchFlushMs: 0 })
    s.handle({ type: 'pause' })
    expect(events.at(-1)).toMatchObject({ type: 'error', code: 'no-run' })
    // Stop and set-lr without a run are harmless no-ops.
    const before = events.length
    s.handle({ type: 'stop' })
    s.handle({ type: 'set-lr', lr: 0.5 })
    expect(events.length).toBe(before)
    s.handle({ type: 'start', runId: 'p', spec: TINY_MLP, settings: { ...SETTINGS, epochs: 100 } })
    const points = (): number => events.reduce((n, e) => n + (e.type === 'batches' ? e.points.length : 0), 0)
    await until(() => points() >= 1)
    s.handle({ type: 'pause' })
    const at = points()
    await until(() => events.some((e) => e.type === 'state' && e.state === 'paused'))
    expect(points()).toBeLessThanOrEqual(at + 1)
    const paused = points()
    s.handle({ type: 'step' })
    await until(() => points() === paused + 1)
    s.handle({ type: 'set-lr', lr: 0.01 })
    s.handle({ type: 'stop' })
    await s.running
    expect(events.at(-1)).toEqual({ type: 'state', runId: 'p', state: 'stopped' })
  })

  it('accepts a probe and controls sent right after start, before the run has begun', async () => {
    const { s, events } = session()
    const probe = data.test.images.slice(784, 2 * 784)
    s.handle({ type: 'start', runId: 'early', spec: TINY_CNN, settings: { ...SETTINGS, epochs: 100 } })
    s.handle({ type: 'set-probe', input: probe })
    s.handle({ type: 'set-lr', lr: 0.05 })
    s.handle({ type: 'pause' })
    await until(() => events.some((e) => e.type === 'state' && e.state === 'paused'))
    expect(events.filter((e) => e.type === 'error')).toEqual([])
    expect(events.filter((e) => e.type === 'batches')).toEqual([])
    s.handle({ type: 'stop' })
    await s.running
    expect(events.at(-1)).toEqual({ type: 'state', runId: 'early', state: 'stopped' })
    // The first snapshot (before any update, same seed) shows the probe, not the default example 0.
    const plain = session()
    plain.s.handle({ type: 'start', runId: 'plain', spec: TINY_CNN, settings: { ...SETTINGS, epochs: 100 } })
    plain.s.handle({ type: 'stop' })
    await plain.s.running
    const first = (ev: WorkerEvent[]): Float32Array => {
      const snap = ev.find((e) => e.type === 'snapshot')
      if (!snap || snap.type !== 'snapshot' || !snap.snapshot.featureMaps) throw new Error('no feature maps')
      return snap.snapshot.featureMaps[0].maps.data
    }
    expect(first(plain.events)).not.toEqual(first(events))
    expect(plain.events.map((e) => e.type === 'state' && e.state).filter(Boolean)).toEqual(['running', 'stopped'])
  })

  it('gradient-checks a small network and refuses a large one with the reason', () => {
    const { s, events } = session({ gradcheck: runGradcheck })
    const small = { input: [1, 6, 6], layers: [{ type: 'Convolution', filters: 2, kernel: 3 }, { type: 'Relu' }, { type: 'Affine', units: 3 }, { type: 'SoftmaxWithLoss' }] }
    s.handle({ type: 'gradcheck', reqId: 7, spec: small, seed: 1 })
    const reply = events.at(-1) as Extract<WorkerEvent, { type: 'reply'; ok: true }>
    expect(reply).toMatchObject({ reqId: 7, ok: true })
    const r = reply.value as GradcheckResult
    expect(r.results.map((c) => c.name)).toEqual(['x', 'conv1.W', 'conv1.b', 'affine1.W', 'affine1.b'])
    expect(r.ok).toBe(true)
    expect(r.maxRelError).toBeLessThan(1e-2)
    s.handle({ type: 'gradcheck', reqId: 8, spec: TINY_MLP, seed: 1 })
    expect(events.at(-1)).toMatchObject({ reqId: 8, ok: false })
    expect((events.at(-1) as { message: string }).message).toContain('limited to 20000')
    // the lesson explainer's check: a row per array, sampled for a full-size network
    s.handle({ type: 'gradcheck', reqId: 9, spec: TINY_MLP, seed: 1, explain: { samples: 4, bug: true } })
    expect(events.at(-1)).toMatchObject({ reqId: 9, ok: true, value: { ok: true, sampled: true, bug: true } })
    s.handle({ type: 'gradcheck', reqId: 10, spec: small, seed: 1, explain: { samples: 0 } })
    expect(events.at(-1)).toMatchObject({ reqId: 10, ok: false, code: 'bad-command' })
  })

  it('reports a diverging run as an error with code diverged, then the failed state', async () => {
    const { s, events } = session()
    s.handle({ type: 'start', runId: 'd', spec: TINY_MLP, settings: { ...SETTINGS, lr: 1000 } })
    await s.running
    const err = events.find((e) => e.type === 'error')
    expect(err).toMatchObject({ type: 'error', runId: 'd', code: 'diverged' })
    expect(err && 'message' in err && err.message).toMatch(/the learning rate 1000 is too high for SGD — try 0\.01/)
    expect(err).toMatchObject({ divergence: { epoch: 1, optimizer: 'SGD', lr: 1000, suggestedLr: 0.01 } })
    expect(events.at(-1)).toMatchObject({ type: 'state', runId: 'd', state: 'failed' })
  })

  it('after a divergence holds the run\'s last good weights: export and predict use them, without the optimizer state', async () => {
    const events: WorkerEvent[] = []
    // the weights after each batch (get-weights, asked as the batch's point goes out): batch k + 1 trained with them
    const after = new Map<number, Record<string, { data: Float32Array }>>()
    const s: WorkerSession = new WorkerSession((e) => {
      events.push(e)
      if (e.type !== 'batches') return
      for (const p of e.points) {
        s.handle({ type: 'get-weights', reqId: 100 + p.batch })
        after.set(p.batch, (events.at(-1) as { value: Checkpoint }).value.weights)
        // a learner turns the learning rate up live
        if (p.batch === 4) s.handle({ type: 'set-lr', lr: 1000 })
      }
    }, { loadData: () => data, keepEveryMs: 0, batchFlushMs: 0 })
    s.handle({ type: 'start', runId: 'live', spec: TINY_MLP, settings: SETTINGS })
    await s.running
    const err = events.find((e) => e.type === 'error')
    const kept = err?.type === 'error' ? err.divergence?.kept : undefined
    if (kept?.from !== 'run') throw new Error(`expected the run's weights to be kept, got ${JSON.stringify(kept)}`)
    expect(kept.epoch).toBe(1)
    expect(err?.type === 'error' && err.message).toMatch(new RegExp(`; the lab kept this run's weights from epoch 1 batch ${kept.batch}, where the loss was`))
    s.handle({ type: 'get-weights', reqId: 1 })
    const held = (events.at(-1) as { value: Checkpoint }).value
    const want = after.get(kept.batch - 1)!
    for (const k of Object.keys(want)) expect(held.weights[k].data).toEqual(want[k].data)
    expect(held.optimizer).toBeUndefined()
    s.handle({ type: 'predict', reqId: 2, input: data.test.images.slice(0, 3 * 784), count: 3 })
    const probs = (events.at(-1) as { value: { probs: Float32Array } }).value.probs
    expect(probs.every(Number.isFinite)).toBe(true)
  })

  it('continues a diverged run from the weights it kept, with the optimizer fresh (the page\'s "Continue from the kept weights")', async () => {
    const events: WorkerEvent[] = []
    const s: WorkerSession = new WorkerSession((e) => {
      events.push(e)
      if (e.type === 'batches' && e.runId === 'live' && e.points.some((p) => p.batch === 4)) s.handle({ type: 'set-lr', lr: 1e6 })
    }, { loadData: () => data, keepEveryMs: 0, batchFlushMs: 0 })
    const adam: TrainSettings = { ...SETTINGS, optimizer: 'Adam', lr: 0.001 }
    s.handle({ type: 'start', runId: 'live', spec: TINY_MLP, settings: adam })
    await s.running
    const err = events.find((e) => e.type === 'error')
    expect(err?.type === 'error' && err.divergence?.kept?.from).toBe('run')
    s.handle({ type: 'get-weights', reqId: 1 })
    const kept = (events.at(-1) as { value: Checkpoint }).value.weights
    // carried on at a rate too small to move a weight: a run from the kept model ends where it began
    s.handle({ type: 'start', runId: 'cont', spec: TINY_MLP, settings: { ...adam, lr: 1e-30 }, fromModel: true })
    await s.running
    expect(events.filter((e) => e.type === 'error' && e.runId === 'cont')).toEqual([])
    s.handle({ type: 'get-weights', reqId: 2 })
    const after = (events.at(-1) as { value: Checkpoint }).value
    for (const k of Object.keys(kept)) {
      let most = 0
      for (let i = 0; i < kept[k].data.length; i++) most = Math.max(most, Math.abs(after.weights[k].data[i] - kept[k].data[i]))
      expect(most, k).toBeLessThan(1e-6)
    }
    // Adam started afresh: its step count is the continuation's 30 batches alone, none of the diverged run's
    expect(after.optimizer?.name).toBe('Adam')
    expect(after.optimizer?.state.iter[0]).toBe(30)
    // a fresh run from the same seed starts elsewhere: the check above can tell them apart
    const fresh = session()
    fresh.s.handle({ type: 'start', runId: 'f', spec: TINY_MLP, settings: { ...adam, lr: 1e-30 } })
    await fresh.s.running
    fresh.s.handle({ type: 'get-weights', reqId: 3 })
    const other = (fresh.events.at(-1) as { value: Checkpoint }).value.weights
    expect(Object.keys(kept).some((k) => kept[k].data.some((v, i) => Math.abs(other[k].data[i] - v) > 1e-3))).toBe(true)
  })

  it('after a run diverges with nothing worth keeping, holds the model from before it (or none) and gives the run\'s blocks back', async () => {
    const events: WorkerEvent[] = []
    let diverging: Trainer | null = null
    const s: WorkerSession = new WorkerSession((e) => {
      events.push(e)
      if (e.type === 'state' && e.runId === 'bad' && e.state === 'running') diverging = (s as unknown as { trainer: Trainer }).trainer
    }, { loadData: () => data, keepEveryMs: 1e9 })
    s.handle({ type: 'start', runId: 'good', spec: TINY_MLP, settings: SETTINGS })
    await s.running
    const input = data.test.images.slice(0, 3 * 784)
    const ask = (reqId: number, cmd: { type: 'predict'; input: Float32Array; count: number } | { type: 'get-weights' }): Record<string, unknown> => {
      s.handle({ ...cmd, reqId })
      return (events.at(-1) as { value: Record<string, unknown> }).value
    }
    const probs = ask(1, { type: 'predict', input, count: 3 }).probs
    const weights = ask(2, { type: 'get-weights' }).weights
    // continued at a learning rate that breaks it at once: no batch's loss falls below the first
    s.handle({ type: 'start', runId: 'bad', spec: TINY_MLP, settings: { ...SETTINGS, lr: 1000 }, fromModel: true })
    await s.running
    expect(events.find((e) => e.type === 'error' && e.runId === 'bad')).toMatchObject({ code: 'diverged', divergence: { kept: { from: 'before' } } })
    expect(ask(3, { type: 'predict', input, count: 3 }).probs).toEqual(probs)
    expect(ask(4, { type: 'get-weights' }).weights).toEqual(weights)
    // the diverged run's model is not held: its engine memory came back once its threads had stopped
    expect(diverging!.model.released).toBe(true)
    expect((s as unknown as { trainer: Trainer | null }).trainer).toBeNull()

    // a first run that diverges so leaves no model at all
    const fresh = session({ keepEveryMs: 1e9 })
    fresh.s.handle({ type: 'start', runId: 'first', spec: TINY_MLP, settings: { ...SETTINGS, lr: 1000 } })
    await fresh.s.running
    expect(fresh.events.find((e) => e.type === 'error')).toMatchObject({ code: 'diverged', divergence: { kept: { from: 'none' } } })
    fresh.s.handle({ type: 'predict', reqId: 5, input, count: 3 })
    expect(fresh.events.at(-1)).toMatchObject({ type: 'reply', reqId: 5, ok: false, code: 'no-model' })
  })

  it('turns a bad network into a train-failed error and a failed state', async () => {
    const { s, events } = session()
    s.handle({ type: 'start', runId: 'x', spec: { input: [1, 28, 28], layers: [{ type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }, { type: 'Relu' }] }, settings: SETTINGS })
    s.handle({ type: 'start', runId: 'y', spec: { ...TINY_MLP, input: [3, 28, 28] }, settings: SETTINGS })
    await s.running
    const errors = events.filter((e) => e.type === 'error')
    expect(errors.map((e) => e.type === 'error' && [e.runId, e.code])).toContainEqual(['y', 'train-failed'])
    const failed = errors.find((e) => e.type === 'error' && e.runId === 'y')
    // the exception's text goes as data too, so the page words the failure in its language around it
    expect(failed).toMatchObject({ params: { detail: failed?.type === 'error' ? failed.message : '' } })
    expect(failed?.type === 'error' && failed.message.length).toBeGreaterThan(0)
    expect(events.at(-1)).toMatchObject({ type: 'state', runId: 'y', state: 'failed' })
  })

  it('names the step a run failed at: loading its data, setting it up, starting its threads', async () => {
    const stageOf = (events: WorkerEvent[], runId: string): unknown => {
      const e = events.find((x) => x.type === 'error' && x.runId === runId)
      return e?.type === 'error' ? (e.params as { stage?: string } | undefined)?.stage : 'no error'
    }
    const unreadable = session({ loadData: () => { throw new Error('Cannot read the folder /nope') } })
    unreadable.s.handle({ type: 'start', runId: 'd', spec: TINY_MLP, settings: SETTINGS })
    await unreadable.s.running
    expect(stageOf(unreadable.events, 'd')).toBe('data')
    const bad = session()
    // a network the digits do not fit: refused while the run is set up (its facts say why)
    bad.s.handle({ type: 'start', runId: 's', spec: { ...TINY_MLP, input: [3, 28, 28] }, settings: SETTINGS })
    await bad.s.running
    expect(stageOf(bad.events, 's')).toBe('setup')
    const noThreads = session({ replicaEntry: '/nonexistent/replica-entry.js' })
    noThreads.s.handle({ type: 'start', runId: 't', spec: TINY_MLP, settings: { ...SETTINGS, threads: 2 } })
    await noThreads.s.running
    expect(stageOf(noThreads.events, 't')).toBe('threads')
    expect(noThreads.events.at(-1)).toMatchObject({ type: 'state', runId: 't', state: 'failed' })
  })
})
