/**
 * After a run, the training thread says what its engine memory keeps for good and what its model needs of it (the
 * 'memory' event; the host retires a thread that keeps far more: train/retire.ts, lab-host.ts retireIfSpare). A
 * WebAssembly memory never shrinks, so what counts is what was ever touched: the training thread's blocks and
 * workspaces, and the parts of its memory that a two-thread run's replica used (its arena, noted at the pool's close).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { engineMemory } from '../../../src-engine/kernels/gemm'
import type { Sequential } from '../../../src-engine/models/sequential'
import { makeOptimizer } from '../../../src-engine/optimizers'
import type { Trainer } from '../../../src-engine/train/trainer'
import type { TrainSettings, WorkerEvent } from '../../../src-engine/protocol'
import { SPARE_BYTES_LIMIT, heldBytes, worthRetiring } from '../../../src-engine/train/retire'
import { bundleWorker } from '../../helpers/bundle'
import { recordingSession, smallDigits, TINY_CNN } from './fixtures'

const SETTINGS: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 1, weightDecay: 0, seed: 2, threads: 1 }
type Memory = Extract<WorkerEvent, { type: 'memory' }>
const memoryOf = (events: WorkerEvent[], runId: string): Memory[] => events.filter((e): e is Memory => e.type === 'memory' && e.runId === runId)

describe('the training thread\'s memory after a run', () => {
  let entry = ''
  beforeAll(async () => {
    entry = await bundleWorker('test/engine/train/replica-entry.ts')
  }, 60_000)

  it('is said once the run has ended: what the memory keeps, and the held model\'s weights, gradients and Adam state', async () => {
    const mem = engineMemory()!
    const { s, events } = recordingSession(smallDigits(), { reportMemory: true })
    s.handle({ type: 'start', runId: 'one', spec: TINY_CNN, settings: SETTINGS })
    await s.running
    const [m] = memoryOf(events, 'one')
    expect(m).toBeDefined()
    // after the run's last state: the host judges a thread whose run is over
    const done = events.findIndex((e) => e.type === 'state' && e.runId === 'one' && e.state === 'done')
    expect(done).toBeGreaterThanOrEqual(0)
    expect(events.indexOf(m)).toBeGreaterThan(done)
    const model = s['model'] as Sequential
    // weights and gradients (8 bytes a parameter) and Adam's m and v (8 more), asked of the model and optimizer
    const trainer = s['modelTrainer'] as Trainer
    expect(trainer.optimizer.stateValues()).toBe(2 * model.paramCount)
    expect(m.held).toBe(model.paramCount * 16)
    expect(m.touched).toBe(mem.touchedBytes)
    // every block this thread cut is counted, and a run of batch 100 keeps nowhere near the limit
    expect(m.touched).toBeGreaterThanOrEqual(mem.blockBytes.bytes)
    expect(worthRetiring(m)).toBe(false)
  }, 30_000)

  it('counts what a replica thread used of the training thread\'s memory, which the training thread\'s own allocator never sees', async () => {
    const mem = engineMemory()!
    const { s, events } = recordingSession(smallDigits(), { replicaEntry: entry, reportMemory: true })
    const ownBefore = mem.reservedBytes
    s.handle({ type: 'start', runId: 'two', spec: TINY_CNN, settings: { ...SETTINGS, threads: 2 } })
    await s.running
    expect(events.filter((e) => e.type === 'error')).toEqual([])
    const [m] = memoryOf(events, 'two')
    // the replica's network (its weights' copies, activations of its 50 examples, its workspaces) lives in its arena,
    // above everything this thread's allocator hands out
    const replica = m.touched - mem.reservedBytes
    expect(mem.reservedBytes).toBeGreaterThanOrEqual(ownBefore)
    const P = (s['model'] as Sequential).paramCount
    expect(replica).toBeGreaterThan(heldBytes({ params: P, grads: P, optimizer: 0 }) / 2)
    expect(m.touched).toBe(mem.touchedBytes)
  }, 30_000)

  it('is judged against the model\'s needs: a thread is retired only when it keeps more than the limit beyond them', () => {
    expect(worthRetiring({ touched: SPARE_BYTES_LIMIT, held: 0 })).toBe(false)
    expect(worthRetiring({ touched: SPARE_BYTES_LIMIT + 1, held: 0 })).toBe(true)
    expect(worthRetiring({ touched: SPARE_BYTES_LIMIT + 2 ** 20, held: 2 ** 20 })).toBe(false)
    expect(worthRetiring({ touched: 2 * 2 ** 20, held: 2 ** 20 }, 0)).toBe(true)
    expect(worthRetiring({ touched: 2 ** 40, held: 0 }, Infinity)).toBe(false)
  })

  it('counts the optimizer\'s state as the model\'s: a 40-million-parameter Adam model after a run is not retired', () => {
    const P = 40_000_000
    // weights, gradients, Adam's m and v: 640 MB, which its next run in a fresh thread would touch again
    const held = heldBytes({ params: P, grads: P, optimizer: 2 * P })
    expect(held).toBe(16 * P)
    expect(worthRetiring({ touched: held + 64 * 2 ** 20, held })).toBe(false)
    expect(worthRetiring({ touched: held + SPARE_BYTES_LIMIT + 1, held })).toBe(true)
    // the state is counted once used, and once loaded with a model before it is used (a model moved to a fresh thread)
    const adam = makeOptimizer('Adam', 0.001)
    expect(adam.stateValues()).toBe(0)
    const W = { data: new Float32Array(6) }
    const g = { data: new Float32Array(6).fill(0.5) }
    adam.update([W], [g])
    expect(adam.stateValues()).toBe(12)
    const moved = makeOptimizer('Adam', 0.001)
    moved.loadState(adam.state())
    expect(moved.stateValues()).toBe(12)
    moved.update([W], [g])
    expect(moved.stateValues()).toBe(12)
    const sgd = makeOptimizer('SGD', 0.1)
    sgd.update([W], [g])
    expect(sgd.stateValues()).toBe(0)
  })
})
