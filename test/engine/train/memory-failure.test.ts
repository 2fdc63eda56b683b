/**
 * A run out of engine memory fails with facts the page words (params case 'memory', the sizes in MB), not only
 * the memory's English. The session test leaves this file's engine memory full, so it comes last.
 */
import { describe, expect, it } from 'vitest'
import { EngineMemory, EngineMemoryError } from '../../../src-engine/kernels/wasm/memory'
import { engineMemory } from '../../../src-engine/kernels/gemm'
import { memoryFacts } from '../../../src-engine/train/errors'
import type { TrainSettings, WorkerEvent } from '../../../src-engine/protocol'
import type { NetSpec } from '../../../src-engine/spec-types'
import { Sequential } from '../../../src-engine/models/sequential'
import { Rng } from '../../../src-engine/rng'
import { recordingSession, smallDigits } from './fixtures'

const MIB = 1024 * 1024

describe('out of engine memory', () => {
  it('throws an EngineMemoryError with both sizes, found again in a replica thread\'s text', () => {
    const mem = new EngineMemory()
    // lending arenas keeps this allocator below them: a workspace past where they begin does not fit
    const arenas = mem.shareArenas(1)!
    const from = arenas[0].base
    let thrown: unknown = null
    try {
      mem.reserve(from)
    } catch (e) {
      thrown = e
    }
    expect(thrown).toBeInstanceOf(EngineMemoryError)
    const e = thrown as EngineMemoryError
    expect(e.limit).toBe(from)
    expect(e.needs).toBeGreaterThan(from)
    expect(memoryFacts(e)).toEqual({ case: 'memory', needs: Math.ceil(e.needs / MIB), limit: from / MIB })
    // as a replica thread reports it (data-parallel.ts reads it back from its text)
    const again = EngineMemoryError.fromMessage(`kernel thread 1: ${e.message}`)
    expect(again).toBeInstanceOf(EngineMemoryError)
    expect([again!.needs, again!.limit]).toEqual([e.needs, e.limit])
    expect(again!.message).toBe(`kernel thread 1: ${e.message}`)
    expect(EngineMemoryError.fromMessage('kernel thread 1: boom')).toBeNull()
    expect(memoryFacts(new Error(e.message))).toBeNull()
  })

  it('fails a run with code train-failed and the memory\'s facts in MB, for the page to say what to make smaller', async () => {
    const mem = engineMemory()
    expect(mem, 'the WebAssembly GEMM and its engine memory').not.toBeNull()
    // this thread's memory all but full: new buffers are ordinary arrays, and the first GEMM that stages one
    // (a weight of 784 x 256 floats, 0.8 MB) needs a workspace that no longer fits
    const arenas = mem!.shareArenas(1)!
    mem!.reserve(arenas[0].base - 256 * 1024 - mem!.reservedBytes)
    const spec: NetSpec = { input: [1, 28, 28], layers: [{ type: 'Affine', units: 256 }, { type: 'Relu' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }
    const settings: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'SGD', lr: 0.1, batchSize: 50, epochs: 1, weightDecay: 0, seed: 1, threads: 1 }
    const { s, events } = recordingSession(smallDigits())
    s.handle({ type: 'start', runId: 'oom', spec, settings })
    await s.running
    const failed = events.filter((e): e is Extract<WorkerEvent, { type: 'error' }> => e.type === 'error')
    expect(failed).toHaveLength(1)
    expect(failed[0].code).toBe('train-failed')
    const params = failed[0].params as Record<string, unknown>
    expect(params.case).toBe('memory')
    expect(params.limit).toBe(arenas[0].base / MIB)
    expect(params.needs).toBeGreaterThan(arenas[0].base / MIB)
    expect(params.detail).toMatch(/^engine memory: out of memory/)
    expect(events.some((e) => e.type === 'state' && e.state === 'failed')).toBe(true)
    mem!.returnArenas(arenas)
    // the failed run is over: weights load (an opened project's, say) instead of being refused as 'busy', and a
    // pause finds no run to pause
    const weights = Object.fromEntries(Object.entries(Sequential.fromSpec(spec, new Rng(2)).weights()).map(([k, t]) => [k, t.data]))
    s.handle({ type: 'load-model', reqId: 1, spec, weights })
    expect(events.find((e) => e.type === 'reply' && e.reqId === 1)).toMatchObject({ ok: true })
    s.handle({ type: 'pause' })
    expect(events.at(-1)).toMatchObject({ type: 'error', code: 'no-run' })
  }, 30_000)
})
