/**
 * Two things the training page asks the worker for: a language-model run with `stateful` on trains
 * statefully (truncated BPTT, the state carried across batches), and an autoencoder's reconstruction row
 * and code plane computed from a loaded model (a reopened project) on held-out digits ('ae-views').
 */
import { describe, expect, it } from 'vitest'
import { WorkerSession } from '../../../src-engine/train/session'
import { Trainer } from '../../../src-engine/train/trainer'
import { textExamples } from '../../../src-engine/train/examples'
import { textCorpus } from '../../../src-engine/data/text'
import { PRESETS } from '../../../src-engine/models/presets'
import type { Checkpoint, CodePlane, Snapshot, TrainSettings, WorkerEvent } from '../../../src-engine/protocol'
import type { NetSpec } from '../../../src-engine/spec-types'
import { TINY_MLP, smallDigits } from './fixtures'

type Reply = Extract<WorkerEvent, { type: 'reply' }>
const losses = (run: string, ev: WorkerEvent[]): number[] =>
  ev.filter((e): e is Extract<WorkerEvent, { type: 'batches' }> => e.type === 'batches' && e.runId === run).flatMap((e) => e.points.map((p) => p.loss))
const lastReply = (ev: WorkerEvent[], reqId: number): Reply => ev.filter((e): e is Reply => e.type === 'reply' && e.reqId === reqId).at(-1)!

describe('stateful language-model runs', () => {
  const T = 4
  const corpus = textCorpus('the cat sat on the mat. '.repeat(40), 0.1)
  const V = corpus.vocab.chars.length
  const spec: NetSpec = {
    input: [T], task: 'language-model',
    layers: [{ type: 'TimeEmbedding', dim: 8 }, { type: 'TimeLSTM', hidden: 16 }, { type: 'TimeAffine', units: 'vocab' }, { type: 'TimeSoftmaxWithLoss' }]
  }
  const data = () => ({ train: textExamples(corpus.train, T, V), test: textExamples(corpus.test, T, V), description: 'text', vocab: V, chars: corpus.vocab.chars })
  const settings: TrainSettings = { data: { kind: 'text', file: 'builtin' }, optimizer: 'Adam', lr: 0.01, batchSize: 8, epochs: 2, weightDecay: 0, seed: 2, threads: 1, clip: 5 }

  /** The batch losses of the same run trained by a Trainer directly. */
  async function direct(stateful: boolean): Promise<number[]> {
    const out: number[] = []
    await new Trainer({ spec: { ...spec, vocab: V }, data: data(), settings: { ...settings, stateful }, snapshotEveryMs: 0 }, (e) => {
      if (e.type === 'batch') out.push(e.point.loss)
    }).run()
    return out
  }

  it('reach the trainer: the run reads the text in lanes and carries the state, as a stateful Trainer does', async () => {
    const events: WorkerEvent[] = []
    const s = new WorkerSession((e) => events.push(e), { loadData: () => data() })
    s.handle({ type: 'start', runId: 'sf', spec, settings: { ...settings, stateful: true } })
    await s.running
    expect(events.filter((e) => e.type === 'error')).toEqual([])
    const got = losses('sf', events)
    const stateful = await direct(true)
    const stateless = await direct(false)
    expect(got).toEqual(stateful)
    expect(got).not.toEqual(stateless)
    // one batch per lane step: floor(windows / batch size) batches an epoch
    const lanes = data().train.lanes!(8).length
    const first = events.find((e): e is Extract<WorkerEvent, { type: 'batches' }> => e.type === 'batches')!
    expect(first.points[0].batches).toBe(lanes)
  })

  it('start no replica threads: a stateful run trains on one thread whatever the form\'s thread count', async () => {
    const events: WorkerEvent[] = []
    // a replica file that does not exist: starting a replica thread would fail the run
    const s = new WorkerSession((e) => events.push(e), { loadData: () => data(), replicaEntry: '/nonexistent/replica.mjs' })
    s.handle({ type: 'start', runId: 'sf2', spec, settings: { ...settings, epochs: 1, threads: 2, stateful: true } })
    await s.running
    expect(events.filter((e) => e.type === 'error')).toEqual([])
    expect(events.filter((e) => e.type === 'state' && e.runId === 'sf2').at(-1)).toMatchObject({ state: 'done' })
  })

  it('refuse a stateful flag that is not true or false, and a stateful run on digits', async () => {
    const events: WorkerEvent[] = []
    const s = new WorkerSession((e) => events.push(e), { loadData: () => smallDigits() })
    s.handle({ type: 'start', runId: 'x', spec, settings: { ...settings, stateful: 'yes' } })
    expect(events.at(-1)).toMatchObject({ type: 'error', message: 'settings.stateful must be true or false' })
    s.handle({ type: 'start', runId: 'y', spec: TINY_MLP, settings: { ...settings, data: { kind: 'mnist' }, stateful: true } })
    await s.running
    expect(events.find((e) => e.type === 'error' && e.runId === 'y')).toMatchObject({ message: expect.stringContaining('stateful training reads a text in order') })
  })
})

describe('ae-views: an autoencoder\'s row and code plane from a loaded model', () => {
  const digits = smallDigits()
  const ae = PRESETS.find((p) => p.id === 'ae-2d')!.spec
  const settings: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.003, batchSize: 50, epochs: 1, weightDecay: 0, seed: 1, threads: 1 }

  function session(): { s: WorkerSession; events: WorkerEvent[]; asked: unknown[] } {
    const events: WorkerEvent[] = []
    const asked: unknown[] = []
    const s = new WorkerSession((e) => events.push(e), { loadData: (source, testFraction) => { asked.push({ source, testFraction }); return digits } })
    return { s, events, asked }
  }

  it('gives a reopened model the same row and code plane as the model it was saved from, on the data asked for', async () => {
    const a = session()
    a.s.handle({ type: 'start', runId: 'ae', spec: ae, settings })
    await a.s.running
    const lastSnap = a.events.filter((e): e is Extract<WorkerEvent, { type: 'snapshot' }> => e.type === 'snapshot').map((e) => e.snapshot).filter((x) => x.codes).at(-1)
    a.s.handle({ type: 'get-weights', reqId: 1 })
    const cp = (lastReply(a.events, 1) as { value: Checkpoint }).value
    a.s.handle({ type: 'ae-views', reqId: 2, data: { kind: 'mnist' } })
    const trained = (lastReply(a.events, 2) as { value: Snapshot }).value

    // "reopen": a fresh worker loads the weights, then shows the views without training
    const b = session()
    b.s.handle({ type: 'load-model', reqId: 1, spec: ae, weights: Object.fromEntries(Object.entries(cp.weights).map(([k, t]) => [k, t.data])) })
    expect(lastReply(b.events, 1)).toMatchObject({ ok: true })
    b.s.handle({ type: 'ae-views', reqId: 2, data: { kind: 'idx', dir: '/data/fashion' }, testFraction: 0.3 })
    const reply = lastReply(b.events, 2)
    expect(reply).toMatchObject({ ok: true })
    expect(b.asked).toEqual([{ source: { kind: 'idx', dir: '/data/fashion' }, testFraction: 0.3 }])
    const views = (reply as { value: Snapshot }).value
    const codes = views.codes as CodePlane
    expect(codes).toMatchObject({ layer: 'affine3', dims: 2, count: 200 })
    expect(codes.points).toHaveLength(400)
    expect(Array.from(codes.points)).toEqual(Array.from(trained.codes!.points))
    expect(Array.from(codes.labels)).toEqual(Array.from(digits.test.labels))
    // the same held-out digits a run's snapshots place on the plane
    expect(lastSnap?.codes && Array.from(lastSnap.codes.labels)).toEqual(Array.from(codes.labels))
    expect(views.reconstructions?.inputs.count).toBe(10)
    expect(Array.from(views.reconstructions!.outputs.data)).toEqual(Array.from(trained.reconstructions!.outputs.data))
    // and they are not the untrained network's
    const c = session()
    c.s.handle({ type: 'start', runId: 'fresh', spec: ae, settings: { ...settings, lr: 1e-9 } })
    c.s.handle({ type: 'stop' })
    await c.s.running
    c.s.handle({ type: 'ae-views', reqId: 3, data: { kind: 'mnist' } })
    expect(Array.from((lastReply(c.events, 3) as { value: Snapshot }).value.codes!.points)).not.toEqual(Array.from(codes.points))
  })

  it('answers no-model before any model, not-autoencoder for a classifier, and checks its data', async () => {
    const { s, events } = session()
    s.handle({ type: 'ae-views', reqId: 1, data: { kind: 'mnist' } })
    expect(lastReply(events, 1)).toMatchObject({ ok: false, code: 'no-model' })
    s.handle({ type: 'start', runId: 'mlp', spec: TINY_MLP, settings })
    await s.running
    s.handle({ type: 'ae-views', reqId: 2, data: { kind: 'mnist' } })
    expect(lastReply(events, 2)).toMatchObject({ ok: false, code: 'not-autoencoder' })
    s.handle({ type: 'ae-views', reqId: 3, data: { kind: 'idx' } })
    expect(lastReply(events, 3)).toMatchObject({ ok: false, message: 'data.dir must be a folder path' })
  })
})
