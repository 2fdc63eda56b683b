/** The worker's side of projects: checkpoints after each epoch, vocabularies and continuing from a model. */
import { describe, expect, it } from 'vitest'
import type { Checkpoint, TrainSettings, WorkerEvent } from '../../../src-engine/protocol'
import { TINY_MLP, recordingSession, smallDigits } from './fixtures'

const data = smallDigits()
const SETTINGS: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.01, batchSize: 20, epochs: 2, weightDecay: 0, seed: 5, threads: 1 }

const session = () => recordingSession(data)

const lastReply = (events: WorkerEvent[]) => events.at(-1) as Extract<WorkerEvent, { type: 'reply' }>

describe('WorkerSession and project files', () => {
  it('posts a checkpoint right after each epoch report only when the start asks for it', async () => {
    const { s, events } = session()
    s.handle({ type: 'start', runId: 'a', spec: TINY_MLP, settings: SETTINGS })
    await s.running
    expect(events.some((e) => e.type === 'checkpoint')).toBe(false)
    events.length = 0
    s.handle({ type: 'start', runId: 'b', spec: TINY_MLP, settings: SETTINGS, checkpoints: true })
    await s.running
    const types = events.map((e) => e.type).filter((t) => t === 'epoch' || t === 'checkpoint')
    expect(types).toEqual(['epoch', 'checkpoint', 'epoch', 'checkpoint'])
    const cps = events.filter((e): e is Extract<WorkerEvent, { type: 'checkpoint' }> => e.type === 'checkpoint')
    expect(cps.map((c) => c.epoch)).toEqual([1, 2])
    expect(Object.keys(cps[0].checkpoint.weights)).toEqual(['affine1.W', 'affine1.b', 'affine2.W', 'affine2.b'])
    expect(cps[0].checkpoint.optimizer?.name).toBe('Adam')
    // epoch 1's weights are a copy: epoch 2 trained on and changed them
    expect(cps[0].checkpoint.weights['affine1.W'].data).not.toEqual(cps[1].checkpoint.weights['affine1.W'].data)
    // the last checkpoint is the finished model
    s.handle({ type: 'get-weights', reqId: 1 })
    const now = (lastReply(events) as { value: Checkpoint }).value
    expect(now.weights['affine1.W'].data).toEqual(cps[1].checkpoint.weights['affine1.W'].data)
    expect(Array.from(now.optimizer!.state.iter)).toEqual(Array.from(cps[1].checkpoint.optimizer!.state.iter))
  })

  it('keeps a loaded model\'s vocabulary and optimizer state, and a run can continue from that model', async () => {
    const { s, events } = session()
    s.handle({ type: 'start', runId: 'a', spec: TINY_MLP, settings: { ...SETTINGS, epochs: 1 } })
    await s.running
    s.handle({ type: 'get-weights', reqId: 1 })
    const trained = (lastReply(events) as { value: Checkpoint }).value
    const flat = Object.fromEntries(Object.entries(trained.weights).map(([k, t]) => [k, t.data]))

    const other = session()
    other.s.handle({ type: 'load-model', reqId: 2, spec: TINY_MLP, weights: flat, optimizer: trained.optimizer, vocab: ['a', 'b'] })
    expect(lastReply(other.events)).toMatchObject({ ok: true })
    other.s.handle({ type: 'get-weights', reqId: 3 })
    expect((lastReply(other.events) as { value: Checkpoint }).value.vocab).toEqual(['a', 'b'])
    other.s.handle({ type: 'load-model', reqId: 4, spec: TINY_MLP, weights: flat, vocab: 'ab' as unknown as string[] })
    expect(lastReply(other.events)).toMatchObject({ ok: false, code: 'bad-command' })

    other.s.handle({ type: 'start', runId: 'c', spec: TINY_MLP, settings: { ...SETTINGS, epochs: 1 }, fromModel: true })
    await other.s.running
    other.s.handle({ type: 'get-weights', reqId: 5 })
    const continued = (lastReply(other.events) as { value: Checkpoint }).value
    const steps = Array.from(trained.optimizer!.state.iter)[0]
    expect(Array.from(continued.optimizer!.state.iter)).toEqual([2 * steps])
    const firstLoss = (run: string, ev: WorkerEvent[]) => ev.filter((e): e is Extract<WorkerEvent, { type: 'batches' }> => e.type === 'batches' && e.runId === run)[0].points[0].loss
    expect(firstLoss('c', other.events)).toBeLessThan(firstLoss('a', events))
  })
})
