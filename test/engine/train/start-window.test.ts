/**
 * While a start's replica threads come up (50-200 ms), the session holds no model: it dropped the old one first, so
 * that the new one reuses its engine memory (dropModel). Requests that read the model then wait for the run's model
 * and are answered by it, as with one thread, where no message comes between; before, they answered 'no-model' (a
 * save in that window went without weights). And the host's 'drop-model' gives a forgotten model's memory back now.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { Sequential } from '../../../src-engine/models/sequential'
import type { Checkpoint, TrainSettings, WorkerEvent } from '../../../src-engine/protocol'
import { WorkerSession } from '../../../src-engine/train/session'
import { bundleWorker } from '../../helpers/bundle'
import { subset } from '../../../src-engine/data/dataset'
import { range, recordingSession, smallDigits, TINY_MLP } from './fixtures'

const SETTINGS: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.001, batchSize: 50, epochs: 1, weightDecay: 0, seed: 4, threads: 1 }
type Reply = Extract<WorkerEvent, { type: 'reply' }>
const replyTo = (events: WorkerEvent[], reqId: number): Reply | undefined => events.find((e): e is Reply => e.type === 'reply' && e.reqId === reqId)

function fewDigits(): ReturnType<typeof smallDigits> {
  const d = smallDigits()
  return { ...d, train: subset(d.train, range(200)) }
}

/** Resolves once `events` holds a reply to every one of `ids` (or fails after 20 s). */
async function repliesTo(events: WorkerEvent[], ids: number[]): Promise<Reply[]> {
  const until = performance.now() + 20_000
  while (ids.some((id) => !replyTo(events, id))) {
    if (performance.now() > until) throw new Error(`no reply to ${ids.filter((id) => !replyTo(events, id)).join(', ')}`)
    await new Promise((r) => setTimeout(r, 5))
  }
  return ids.map((id) => replyTo(events, id)!)
}

/** The replica threads' entry, bundled once for the two-thread cases. */
let entry = ''
beforeAll(async () => {
  entry = await bundleWorker('test/engine/train/replica-entry.ts')
}, 60_000)

describe('the start of a two-thread run', () => {

  it('answers predict and get-weights sent while its threads start with the run\'s model, not no-model', async () => {
    const { s, events } = recordingSession(fewDigits(), { replicaEntry: entry })
    s.handle({ type: 'start', runId: 'a', spec: TINY_MLP, settings: SETTINGS })
    await s.running
    s.handle({ type: 'start', runId: 'b', spec: TINY_MLP, settings: { ...SETTINGS, threads: 2 } })
    // a turn of the event loop: the data is loaded and the old model dropped, the replica threads are starting
    await new Promise((r) => setImmediate(r))
    expect(s['model'], 'inside the window: the old model dropped, the new one not in place').toBeNull()
    s.handle({ type: 'predict', reqId: 1, input: new Float32Array(784).fill(0.3), count: 1 })
    s.handle({ type: 'get-weights', reqId: 2 })
    const [predict, weights] = await repliesTo(events, [1, 2])
    expect(predict).toMatchObject({ ok: true })
    expect(weights).toMatchObject({ ok: true, value: { spec: TINY_MLP } })
    await s.running
    expect(events.filter((e) => e.type === 'error')).toEqual([])
  }, 30_000)

  it('answers a load-model sent in the window busy and ignores a drop-model there: the run keeps its model', async () => {
    const { s, events } = recordingSession(fewDigits(), { replicaEntry: entry })
    s.handle({ type: 'start', runId: 'a', spec: TINY_MLP, settings: SETTINGS })
    await s.running
    s.handle({ type: 'get-weights', reqId: 1 })
    const saved = replyTo(events, 1) as Extract<Reply, { ok: true }>
    const weights = Object.fromEntries(Object.entries((saved.value as { weights: Record<string, { data: Float32Array }> }).weights).map(([k, w]) => [k, w.data]))
    s.handle({ type: 'start', runId: 'b', spec: TINY_MLP, settings: { ...SETTINGS, threads: 2 } })
    await new Promise((r) => setImmediate(r))
    expect(s['model'], 'inside the window').toBeNull()
    s.handle({ type: 'load-model', reqId: 2, spec: TINY_MLP, weights })
    s.handle({ type: 'drop-model' })
    const [load] = await repliesTo(events, [2])
    await s.running
    // answered once the run's model was in place but before the run was under way, they released the run's
    // trainer and model, and the run failed on a released model
    expect(load).toMatchObject({ ok: false, code: 'busy' })
    expect(events.filter((e) => e.type === 'error')).toEqual([])
    expect(events.some((e) => e.type === 'state' && e.runId === 'b' && e.state === 'done')).toBe(true)
    expect((s['model'] as Sequential | null)?.released).toBe(false)
  }, 30_000)
})

describe('a two-thread run that diverges', () => {

  it('holds its last good weights, the same the replicas trained with, and answers with them once the threads are gone', async () => {
    const events: WorkerEvent[] = []
    const after = new Map<number, Record<string, { data: Float32Array }>>()
    const settings: TrainSettings = { ...SETTINGS, optimizer: 'SGD', lr: 0.1, batchSize: 20, threads: 2 }
    const s: WorkerSession = new WorkerSession((e) => {
      events.push(e)
      if (e.type !== 'batches') return
      for (const p of e.points) {
        s.handle({ type: 'get-weights', reqId: 100 + p.batch })
        after.set(p.batch, ((events.at(-1) as Reply & { value: Checkpoint }).value).weights)
        if (p.batch === 4) s.handle({ type: 'set-lr', lr: 1000 })
      }
    }, { loadData: () => fewDigits(), keepEveryMs: 0, batchFlushMs: 0, replicaEntry: entry })
    s.handle({ type: 'start', runId: 'two', spec: TINY_MLP, settings })
    await s.running
    const err = events.find((e) => e.type === 'error')
    const kept = err?.type === 'error' ? err.divergence?.kept : undefined
    if (kept?.from !== 'run') throw new Error(`expected the run's weights to be kept, got ${JSON.stringify(err)}`)
    s.handle({ type: 'get-weights', reqId: 1 })
    const held = (replyTo(events, 1) as Reply & { value: Checkpoint }).value
    const want = after.get(kept.batch - 1)!
    for (const k of Object.keys(want)) expect(held.weights[k].data, k).toEqual(want[k].data)
    s.handle({ type: 'predict', reqId: 2, input: new Float32Array(784).fill(0.3), count: 1 })
    expect(((replyTo(events, 2) as Reply & { value: { probs: Float32Array } }).value.probs).every(Number.isFinite)).toBe(true)
  }, 30_000)
})

describe('drop-model', () => {
  it('releases the model the host forgot (its engine memory back at once), after which it answers no-model', async () => {
    const { s, events } = recordingSession(fewDigits())
    s.handle({ type: 'start', runId: 'a', spec: TINY_MLP, settings: SETTINGS })
    await s.running
    const model = s['model'] as Sequential
    s.handle({ type: 'drop-model' })
    expect(model.released).toBe(true)
    s.handle({ type: 'predict', reqId: 1, input: new Float32Array(784), count: 1 })
    expect(replyTo(events, 1)).toMatchObject({ ok: false, code: 'no-model' })
    expect(events.filter((e) => e.type === 'error')).toEqual([])
  }, 30_000)

  it('is ignored while a run is under way', async () => {
    const { s, events } = recordingSession(fewDigits())
    s.handle({ type: 'start', runId: 'a', spec: TINY_MLP, settings: SETTINGS })
    s.handle({ type: 'pause' })
    const until = performance.now() + 20_000
    while (!events.some((e) => e.type === 'state' && e.state === 'paused') && performance.now() < until) await new Promise((r) => setTimeout(r, 5))
    s.handle({ type: 'drop-model' })
    expect((s['model'] as Sequential | null)?.released).toBe(false)
    s.handle({ type: 'stop' })
    await s.running
    expect(events.filter((e) => e.type === 'error')).toEqual([])
  }, 30_000)
})
