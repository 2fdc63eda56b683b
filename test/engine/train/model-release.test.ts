/**
 * The training thread gives a dropped model's engine memory back at once (Sequential.release, Trainer.release,
 * WorkerSession.dropModel), instead of waiting for the garbage collector: after a big run, the next model's
 * weights are in engine memory again and a two-thread run after it works in place. A model that was to replace
 * it and never came (a refused start, refused weights) leaves the old one answering.
 *
 * This file's last test fills the engine memory up to its soft limit, so it runs last and alone in this file.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { Rng } from '../../../src-engine/rng'
import { Sequential } from '../../../src-engine/models/sequential'
import { engineMemory } from '../../../src-engine/kernels/gemm'
import { SOFT_LIMIT, sizeClass } from '../../../src-engine/kernels/wasm/memory'
import { MAX_SLOTS, type DataParallel } from '../../../src-engine/train/data-parallel'
import type { Trainer } from '../../../src-engine/train/trainer'
import type { TrainSettings, WorkerEvent } from '../../../src-engine/protocol'
import type { NetSpec } from '../../../src-engine/spec-types'
import { bundleWorker } from '../../helpers/bundle'
import { subset } from '../../../src-engine/data/dataset'
import { range, recordingSession, smallDigits, TINY_MLP } from './fixtures'

/** A model whose second Affine weight (1568 x 512, a 3.5 MiB block) outweighs everything else it allocates but its workspaces. */
const SPEC: NetSpec = {
  input: [1, 28, 28],
  layers: [
    { type: 'Convolution', filters: 8, kernel: 3, pad: 1 },
    { type: 'Relu' },
    { type: 'Pooling', size: 2, stride: 2 },
    { type: 'Affine', units: 512 },
    { type: 'Relu' },
    { type: 'Affine', units: 10 },
    { type: 'SoftmaxWithLoss' }
  ]
}
const SETTINGS: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.001, batchSize: 50, epochs: 1, weightDecay: 0, seed: 4, threads: 1 }
/**
 * 200 training and 200 held-out digits: the runs only need to have allocated their blocks. The batch sizes keep the
 * workspaces out of the 3.5 MiB size class (50 and 200 examples: blocks of 1.25–1.5 and 5–6 MiB), so that a block the layers give
 * back when the batch shape changes cannot serve the next model's 3.5 MiB weights by chance.
 */
function fewDigits(): ReturnType<typeof smallDigits> {
  const d = smallDigits()
  return { ...d, train: subset(d.train, range(200)) }
}
const errors = (events: WorkerEvent[]): WorkerEvent[] => events.filter((e) => e.type === 'error')
type Reply = Extract<WorkerEvent, { type: 'reply' }>
const reply = (events: WorkerEvent[], reqId: number): Reply => events.filter((e): e is Reply => e.type === 'reply' && e.reqId === reqId).at(-1)!
/** The value of a reply that succeeded (fails the test otherwise). */
function value<T>(events: WorkerEvent[], reqId: number): T {
  const r = reply(events, reqId)
  if (!r.ok) expect.fail(`request ${reqId} failed: ${r.message}`)
  return r.value as T
}

describe('a dropped model\'s engine memory', () => {
  let entry = ''
  beforeAll(async () => {
    entry = await bundleWorker('test/engine/train/replica-entry.ts')
  }, 60_000)

  it('is reused whole by the same network built after release(), and the released model refuses to run', () => {
    const mem = engineMemory()
    expect(mem, 'the WebAssembly GEMM and its engine memory').not.toBeNull()
    const a = Sequential.fromSpec(TINY_MLP, new Rng(1))
    const x = a.inputTensor(new Float32Array(7 * 784).fill(0.5), 7)
    a.forward(x, true)
    const top = mem!.reservedBytes
    a.release()
    const b = Sequential.fromSpec(TINY_MLP, new Rng(1))
    b.forward(x, true)
    // every parameter, gradient and workspace block of `a` served `b`: nothing new was cut from the memory
    expect(mem!.reservedBytes).toBe(top)
    expect(() => a.forward(x, false)).toThrow(/released/)
    expect(() => a.weights()).toThrow(/released/)
  })

  it('comes back when the start or the weights meant to replace the model are refused: the old model still answers', async () => {
    const { s, events } = recordingSession(fewDigits())
    s.handle({ type: 'start', runId: 'a', spec: TINY_MLP, settings: { ...SETTINGS, batchSize: 100 } })
    await s.running
    const input = new Float32Array(784).fill(0.3)
    s.handle({ type: 'predict', reqId: 1, input, count: 1 })
    const probs = value<{ probs: Float32Array }>(events, 1).probs
    // a network for 8x8 inputs on 28x28 digits: refused while it is set up (after the old model was dropped)
    s.handle({ type: 'start', runId: 'b', spec: { ...TINY_MLP, input: [1, 8, 8] }, settings: SETTINGS })
    await s.running
    expect(events.some((e) => e.type === 'state' && e.runId === 'b' && e.state === 'failed')).toBe(true)
    s.handle({ type: 'predict', reqId: 2, input, count: 1 })
    expect(value<{ probs: Float32Array }>(events, 2).probs).toEqual(probs)
    // weights that do not fit the network they come with
    s.handle({ type: 'load-model', reqId: 3, spec: TINY_MLP, weights: { 'affine1.W': new Float32Array(3) } })
    expect(reply(events, 3).ok).toBe(false)
    s.handle({ type: 'predict', reqId: 4, input, count: 1 })
    expect(value<{ probs: Float32Array }>(events, 4).probs).toEqual(probs)
    // and the run it came from can still be continued (its optimizer state came back with it)
    s.handle({ type: 'get-weights', reqId: 5 })
    expect(Object.keys(value<{ optimizer?: { state: object } }>(events, 5).optimizer?.state ?? {}).length).toBeGreaterThan(0)
  }, 30_000)

  it('says why a start failed even when the old model cannot be put back, and then holds none', async () => {
    const { s, events } = recordingSession(fewDigits())
    s.handle({ type: 'start', runId: 'a', spec: TINY_MLP, settings: { ...SETTINGS, batchSize: 100 } })
    await s.running
    // the start is refused at setup (8x8 inputs on 28x28 digits), and rebuilding the old 28x28 model fails too
    const build = Sequential.fromSpec.bind(Sequential)
    const spy = vi.spyOn(Sequential, 'fromSpec').mockImplementation((spec, rng) => {
      if (spec.input[1] === 28) throw new Error('engine memory: out of memory (needs 2 bytes, limit 1)')
      return build(spec, rng)
    })
    try {
      s.handle({ type: 'start', runId: 'b', spec: { ...TINY_MLP, input: [1, 8, 8] }, settings: SETTINGS })
      await s.running
    } finally {
      spy.mockRestore()
    }
    // the failure that matters is the start's own, and the run ends as failed instead of hanging
    const failure = events.find((e) => e.type === 'error' && e.runId === 'b')
    expect(failure && 'message' in failure ? failure.message : '').not.toMatch(/engine memory/)
    expect(events.some((e) => e.type === 'state' && e.runId === 'b' && e.state === 'failed')).toBe(true)
    s.handle({ type: 'predict', reqId: 1, input: new Float32Array(784), count: 1 })
    expect(reply(events, 1)).toMatchObject({ ok: false, code: 'no-model' })
  }, 30_000)

  it('serves the next run: after a run near the soft limit, the next model\'s weights are in engine memory and a two-thread run works in place', async () => {
    const mem = engineMemory()!
    const { s, events } = recordingSession(fewDigits(), { replicaEntry: entry })
    s.handle({ type: 'start', runId: 'big', spec: SPEC, settings: SETTINGS })
    await s.running
    expect(errors(events)).toEqual([])
    const first = s['model'] as Sequential
    // Leave only room for the two-thread pool's own arrays (MAX_SLOTS state and 2 gradients, P floats each, in
    // 3.5 MB blocks) and a little more: everything else the next run needs must come from the first run's blocks.
    const block = sizeClass(first.paramCount * 4).size
    expect(block).toBe(3.5 * 1024 * 1024)
    const room = (MAX_SLOTS + 2) * block + 2 * 1024 * 1024
    mem.reserve(SOFT_LIMIT - room - mem.reservedBytes)
    s.handle({ type: 'start', runId: 'two', spec: SPEC, settings: { ...SETTINGS, threads: 2 } })
    await s.running
    expect(errors(events)).toEqual([])
    const second = s['model'] as Sequential
    expect(second).not.toBe(first)
    second.params.forEach((p, k) => expect(mem.owns(p.data), `${second.paramKeys[k]} in engine memory`).toBe(true))
    const pool = (s['trainer'] as Trainer)['parallel'] as DataParallel | null
    expect(pool?.replicasInPlace).toBe(1)
    expect(first.released).toBe(true)
  }, 60_000)
})
