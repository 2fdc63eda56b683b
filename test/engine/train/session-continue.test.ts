/** "Continue training" on the worker: a run started from the model the last run trained keeps its weights
 * and, with the same optimizer, the optimizer's state (Adam's moments and step count). */
import { describe, expect, it } from 'vitest'
import type { WorkerSession } from '../../../src-engine/train/session'
import type { Checkpoint, EpochReport, TrainSettings, WorkerEvent } from '../../../src-engine/protocol'
import { TINY_MLP, recordingSession, smallDigits } from './fixtures'

const data = smallDigits()
const SETTINGS: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.01, batchSize: 20, epochs: 2, weightDecay: 0, seed: 5, threads: 1 }

const session = () => recordingSession(data)

const losses = (run: string, ev: WorkerEvent[]): number[] =>
  ev.filter((e): e is Extract<WorkerEvent, { type: 'batches' }> => e.type === 'batches' && e.runId === run).flatMap((e) => e.points.map((p) => p.loss))
const reports = (run: string, ev: WorkerEvent[]): EpochReport[] =>
  ev.filter((e): e is Extract<WorkerEvent, { type: 'epoch' }> => e.type === 'epoch' && e.runId === run).map((e) => e.report)

async function weights(s: WorkerSession, events: WorkerEvent[], reqId: number): Promise<Checkpoint> {
  s.handle({ type: 'get-weights', reqId })
  const r = events.at(-1) as Extract<WorkerEvent, { type: 'reply' }>
  expect(r).toMatchObject({ type: 'reply', reqId, ok: true })
  return (r as { value: Checkpoint }).value
}

describe('continuing the run the session just trained', () => {
  it('starts from the trained weights and carries Adam\'s state on', async () => {
    const { s, events } = session()
    s.handle({ type: 'start', runId: 'a', spec: TINY_MLP, settings: SETTINGS })
    await s.running
    const trained = await weights(s, events, 1)
    const stepsA = Array.from(trained.optimizer!.state.iter)[0]
    expect(stepsA).toBeGreaterThan(0)
    const lastA = reports('a', events).at(-1)!.trainLoss

    // a fresh run for comparison: its first loss is the untrained network's
    s.handle({ type: 'start', runId: 'fresh', spec: TINY_MLP, settings: { ...SETTINGS, epochs: 1 } })
    await s.running
    const freshFirst = losses('fresh', events)[0]

    const again = session()
    again.s.handle({ type: 'start', runId: 'a', spec: TINY_MLP, settings: SETTINGS })
    await again.s.running
    again.s.handle({ type: 'start', runId: 'b', spec: TINY_MLP, settings: { ...SETTINGS, epochs: 1, lr: 0.005 }, fromModel: true })
    await again.s.running
    const firstB = losses('b', again.events)[0]
    // the continued run begins where the first ended, not where a new network begins
    expect(Math.abs(firstB - lastA)).toBeLessThan(0.5 * lastA)
    expect(freshFirst - firstB).toBeGreaterThan(3 * Math.abs(firstB - lastA))
    // Adam's step count went on (a changed learning rate keeps the state)
    const after = await weights(again.s, again.events, 2)
    expect(after.optimizer?.name).toBe('Adam')
    expect(Array.from(after.optimizer!.state.iter)).toEqual([stepsA + stepsA / 2])
  })

  it('starts the optimizer fresh when the learner chose another one', async () => {
    const { s, events } = session()
    s.handle({ type: 'start', runId: 'a', spec: TINY_MLP, settings: SETTINGS })
    await s.running
    const stepsA = Array.from((await weights(s, events, 1)).optimizer!.state.iter)[0]
    s.handle({ type: 'start', runId: 'b', spec: TINY_MLP, settings: { ...SETTINGS, epochs: 1, optimizer: 'RMSProp', lr: 0.001 }, fromModel: true })
    await s.running
    const b = losses('b', events)
    expect(Math.abs(b[0] - reports('a', events).at(-1)!.trainLoss)).toBeLessThan(0.5 * reports('a', events).at(-1)!.trainLoss)
    // and back to Adam: its count restarts from 0 (RMSProp's state is not Adam's)
    s.handle({ type: 'start', runId: 'c', spec: TINY_MLP, settings: { ...SETTINGS, epochs: 1 }, fromModel: true })
    await s.running
    const after = await weights(s, events, 2)
    expect(Array.from(after.optimizer!.state.iter)).toEqual([stepsA / 2])
  })
})
