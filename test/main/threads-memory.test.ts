/**
 * A run's memory estimate counts its replica threads: on more than one thread every thread keeps its own weights
 * and gradients (train/replica.ts, data-parallel.ts: 14 bytes a parameter a thread, measured, and 3 MiB of workspaces), so a network that fits on one thread but not on the threads asked for is refused at train:start
 * with the count that fits, in en and ko, before a worker runs out of memory in its first step.
 */
import { describe, expect, it } from 'vitest'
import { MEMORY_LIMIT_BYTES, validateSpec } from '../../src-engine/spec'
import { REPLICA_BYTES_PER_PARAM, THREAD_WORKSPACE_BYTES, threadsMemoryBytes, threadsThatFit } from '../../src-engine/spec-lint'
import type { NetSpec } from '../../src-engine/spec-types'
import { disposingHosts, mlpSpec, settings } from './helpers'

/** 3×224×224 → Affine(units): 150,528 × units weights, 20 bytes each on one thread, 14 more per thread on two or more. */
const wide = (units: number): NetSpec => ({ name: 'wide', input: [3, 224, 224], layers: [{ type: 'Flatten' }, { type: 'Affine', units }, { type: 'SoftmaxWithLoss' }] })

describe('the memory estimate on threads', () => {
  it('adds each thread\'s gradients and weights to the network\'s estimate once a run has two, and finds the threads that fit', () => {
    const r = validateSpec(wide(200))
    expect(r.ok).toBe(true)
    expect(r.totalParams).toBe(150_528 * 200 + 200)
    expect(threadsMemoryBytes(r.memoryBytes!, r.totalParams, 1)).toBe(r.memoryBytes)
    // on T threads: T flat gradients (the training thread's too), T − 1 replicas' weights and the pool's shared weights
    // (13.5 bytes a parameter a thread measured by H9), and three more threads' kernel workspaces
    expect(threadsMemoryBytes(r.memoryBytes!, r.totalParams, 4)).toBe(r.memoryBytes! + 4 * 14 * r.totalParams + 3 * THREAD_WORKSPACE_BYTES)
    expect(REPLICA_BYTES_PER_PARAM).toBe(14)
    // 0.73 GiB on one thread (weights ×5, the batch's layer outputs), 1.52 on two, 1.92 on three, 2.31 on four
    expect(threadsThatFit(r.memoryBytes!, r.totalParams, 8)).toBe(3)
    expect(threadsThatFit(r.memoryBytes!, r.totalParams, 2)).toBe(2)
    // 1.01 GiB on one thread, 2.19 on two
    const wider = validateSpec(wide(300))
    expect(threadsThatFit(wider.memoryBytes!, wider.totalParams, 2)).toBe(1)
    // a small network fits on every thread; one over the limit on one thread fits on none (validateSpec refuses it)
    const small = validateSpec(mlpSpec())
    expect(threadsThatFit(small.memoryBytes!, small.totalParams, 64)).toBe(64)
    expect(threadsThatFit(MEMORY_LIMIT_BYTES + 1, 1000, 4)).toBe(0)
  })
})

describe('train:start on more threads than the network fits', () => {
  const host = disposingHosts()

  it('is refused with the estimate and the thread count that fits; as many threads as fit start', async () => {
    const h = host()
    const r = h.start(wide(450), settings({ threads: 4 }))
    // 67.7 M parameters: 1.43 GiB on one thread, 4.97 GiB on four
    expect(r).toMatchObject({ ok: false, error: { code: 'train-failed', path: 'settings.threads', params: { case: 'threads', threads: 4, fits: 1, limit: 2048 } } })
    if (r.ok) return
    expect(r.error.params!.needs).toBe(Math.ceil((validateSpec(wide(450)).memoryBytes! + 4 * 14 * (150_528 * 450 + 450) + 3 * THREAD_WORKSPACE_BYTES) / 2 ** 20))
    expect(r.error.params!.needs).toBe(5095)
    expect(r.error.message).toContain('set threads to 1.')
    // the sizes grouped as the page says them ("3,868 MB", not "3868 MB"): this text shows when the page's words cannot
    expect(r.error.message).toContain(`needs about ${r.error.params!.needs!.toLocaleString('en-US')} MB`)
    expect(r.error.message).toContain('more than the 2,048 MB limit')
    // a stateful run trains on one thread whatever it asks, and fits
    expect(h.start(wide(450), settings({ threads: 4, stateful: true }))).toMatchObject({ ok: true })
  })
})
