/**
 * The inference thread's logic (train/inference.ts) over a real MessageChannel, without threads: the
 * training session feeds it its model and, when asked through shared memory, fresh weights; its answers
 * agree with the training session's own predict for the same weights.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { MessageChannel, type MessagePort } from 'node:worker_threads'
import { InferenceSession, type FeedPort, type InferenceFeed } from '../../../src-engine/train/inference'
import { WorkerSession } from '../../../src-engine/train/session'
import { Sequential } from '../../../src-engine/models/sequential'
import { Rng } from '../../../src-engine/rng'
import type { WorkerEvent } from '../../../src-engine/protocol'
import { TINY_CNN, TINY_MLP } from './fixtures'

const ports: MessagePort[] = []
afterEach(() => {
  for (const p of ports.splice(0)) p.close()
})

function weightsOf(m: Sequential): Record<string, Float32Array> {
  return Object.fromEntries(Object.entries(m.weights()).map(([k, t]) => [k, t.data]))
}

/** An odd input: not a digit, just values in 0..1 that differ everywhere. */
function input(seed: number): Float32Array {
  const x = new Float32Array(784)
  for (let i = 0; i < x.length; i++) x[i] = ((i * 7919 + seed * 104729) % 1000) / 1000
  return x
}

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 5))
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !cond(); i++) await tick()
  expect(cond()).toBe(true)
}

/** A training session and an inference session joined like the host joins them. */
function pair(freshMs = 0) {
  let now = 0
  const trainEvents: WorkerEvent[] = []
  const inferEvents: WorkerEvent[] = []
  const training = new WorkerSession((e) => trainEvents.push(e), { loadData: () => { throw new Error('no data in this test') } })
  const { port1, port2 } = new MessageChannel()
  ports.push(port1, port2)
  const inference = new InferenceSession((e) => inferEvents.push(e), port1 as unknown as FeedPort, freshMs, () => now)
  training.handle({ type: 'infer-port', port: port2 })
  // what the training session does before each event it posts (batch points, between batches)
  const poll = (): void => (training as unknown as { feed: InferenceFeed }).feed.poll()
  return { training, inference, trainEvents, inferEvents, poll, advance: (ms: number) => (now += ms) }
}

/** Counts the messages posted on `ports` from now on; returns the count so far. */
function countPosts(list: MessagePort[]): () => number {
  let n = 0
  for (const p of list) {
    const post = p.postMessage.bind(p)
    p.postMessage = ((m: unknown, t?: readonly ArrayBuffer[]) => { n++; post(m, t as ArrayBuffer[]) }) as MessagePort['postMessage']
  }
  return () => n
}

function replies(events: WorkerEvent[], reqId: number): Extract<WorkerEvent, { type: 'reply' }> {
  const r = events.find((e): e is Extract<WorkerEvent, { type: 'reply' }> => e.type === 'reply' && e.reqId === reqId)
  expect(r, `reply ${reqId}`).toBeDefined()
  return r!
}

describe('inference thread', () => {
  it('answers no-model until the training thread has a model, then exactly what the training thread answers', async () => {
    const { training, inference, trainEvents, inferEvents } = pair()
    inference.handle({ type: 'predict', reqId: 1, input: input(1), count: 1 })
    expect(replies(inferEvents, 1)).toMatchObject({ ok: false, code: 'no-model' })

    const model = Sequential.fromSpec(TINY_CNN, new Rng(5))
    training.handle({ type: 'load-model', reqId: 2, spec: TINY_CNN, weights: weightsOf(model) })
    await until(() => inferEvents.some((e) => e.type === 'ready'))

    for (const [k, seed] of [[3, 3], [4, 4]]) {
      inference.handle({ type: 'predict', reqId: k, input: input(seed), count: 1, maps: true })
      training.handle({ type: 'predict', reqId: k, input: input(seed), count: 1 })
      const ours = replies(inferEvents, k)
      const theirs = replies(trainEvents, k)
      expect(ours.ok && theirs.ok).toBe(true)
      const a = (ours as { value: { probs: Float32Array; maps: unknown[]; ms: number } }).value
      const b = (theirs as { value: { probs: Float32Array } }).value
      expect(Array.from(a.probs)).toEqual(Array.from(b.probs))
      expect(a.maps.length).toBeGreaterThan(0)
      expect(a.ms).toBeGreaterThanOrEqual(0)
    }
  })

  it('asks for fresh weights after answering, once its copy is freshMs old, and then answers with them', async () => {
    const { training, inference, inferEvents, poll, advance } = pair(100)
    const first = Sequential.fromSpec(TINY_MLP, new Rng(1))
    training.handle({ type: 'load-model', reqId: 1, spec: TINY_MLP, weights: weightsOf(first) })
    await until(() => inferEvents.some((e) => e.type === 'ready'))
    const x = input(9)
    const probsOf = (m: Sequential): number[] => Array.from(m.predict(m.inputTensor(x, 1)).probs.data)

    // The training thread's model changes in place (as training does): the copy does not see it yet.
    const changed = Sequential.fromSpec(TINY_MLP, new Rng(2))
    const trainingModel = (training as unknown as { model: Sequential }).model
    trainingModel.loadWeights(weightsOf(changed))
    inference.handle({ type: 'predict', reqId: 2, input: x, count: 1 })
    const stale = replies(inferEvents, 2) as { value: { probs: Float32Array } }
    expect(Array.from(stale.value.probs)).toEqual(probsOf(first))

    // 100 ms later an answer is followed by a request for weights; a later answer uses them, and the
    // threads post nothing to each other meanwhile (a post could wait for a starved training thread).
    const posted = countPosts(ports)
    advance(100)
    inference.handle({ type: 'predict', reqId: 3, input: x, count: 1 })
    expect(Array.from((replies(inferEvents, 3) as { value: { probs: Float32Array } }).value.probs)).toEqual(probsOf(first))
    let reqId = 4
    await until(() => {
      poll() // the training thread, between batches
      inference.handle({ type: 'predict', reqId, input: x, count: 1 })
      return Array.from((replies(inferEvents, reqId++) as { value: { probs: Float32Array } }).value.probs).join() === probsOf(changed).join()
    })
    expect(posted()).toBe(0)

    // and it asks again only once that copy is freshMs old
    trainingModel.loadWeights(weightsOf(first))
    for (let i = 0; i < 5; i++) {
      await tick()
      poll()
      inference.handle({ type: 'predict', reqId, input: x, count: 1 })
      expect(Array.from((replies(inferEvents, reqId++) as { value: { probs: Float32Array } }).value.probs)).toEqual(probsOf(changed))
    }
    advance(100)
    inference.handle({ type: 'predict', reqId: reqId++, input: x, count: 1 })
    await until(() => {
      poll() // the training thread, between batches
      inference.handle({ type: 'predict', reqId, input: x, count: 1 })
      return Array.from((replies(inferEvents, reqId++) as { value: { probs: Float32Array } }).value.probs).join() === probsOf(first).join()
    })
    expect(posted()).toBe(0)
  })

  it('keeps answering with the last weights that loaded when the training weights are not finite', async () => {
    const { training, inference, inferEvents, poll, advance } = pair(100)
    const first = Sequential.fromSpec(TINY_MLP, new Rng(1))
    training.handle({ type: 'load-model', reqId: 1, spec: TINY_MLP, weights: weightsOf(first) })
    await until(() => inferEvents.some((e) => e.type === 'ready'))
    const x = input(3)
    const expected = Array.from(first.predict(first.inputTensor(x, 1)).probs.data)
    const w = Object.values((training as unknown as { model: Sequential }).model.weights())[0]
    w.data[0] = NaN
    advance(100)
    for (let reqId = 2; reqId < 12; reqId++) {
      inference.handle({ type: 'predict', reqId, input: x, count: 1 })
      expect(Array.from((replies(inferEvents, reqId) as { value: { probs: Float32Array } }).value.probs)).toEqual(expected)
      await tick()
      poll()
    }
  })

  it('refuses anything but a well-formed predict', () => {
    const { inference, inferEvents } = pair()
    inference.handle({ type: 'get-weights', reqId: 1 })
    inference.handle({ type: 'predict', reqId: 2, input: [0, 1], count: 1 })
    inference.handle({ type: 'predict', reqId: 3, input: new Float32Array(784), count: 0 })
    for (const id of [1, 2, 3]) expect(replies(inferEvents, id)).toMatchObject({ ok: false, code: 'bad-command' })
  })

  it('the training session refuses an infer-port without a port', () => {
    const events: WorkerEvent[] = []
    const s = new WorkerSession((e) => events.push(e), { loadData: () => { throw new Error('unused') } })
    s.handle({ type: 'infer-port', port: 3 })
    expect(events).toMatchObject([{ type: 'error', code: 'bad-command' }])
  })
})
