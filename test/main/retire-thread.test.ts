/**
 * LabHost retires the training thread after a run that leaves it far more engine memory than its model needs (a
 * WebAssembly memory never shrinks: train/retire.ts, lab-host.ts retireIfSpare): the model moves into a fresh thread.
 * Two hosts on the real worker train the same runs, one retiring its thread after every run (spareMemoryBytes 0), one
 * never (Infinity): the held model, its predictions, a run continued from it and a fresh run after it are the same bit
 * for bit, and nothing the page hears says so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Checkpoint } from '../../src-engine/protocol'
import { LabHost } from '../../src-main/lab-host'
import { bundleEngineWorker } from '../helpers/bundle'
import { differing, image, mlpSpec, record, settings } from './helpers'

let workerPath: string
beforeAll(async () => { workerPath = await bundleEngineWorker() }, 60_000)

describe('retiring the training thread after a run', () => {
  const hosts: LabHost[] = []
  afterAll(async () => { await Promise.all(hosts.map((h) => h.dispose())) })

  it('moves the model to a fresh thread: the same weights, optimizer state, predictions and continued run as a kept thread', async () => {
    const make = (spare: number) => {
      const host = new LabHost({ workerPath, transport: 'web', version: 'test', spareMemoryBytes: spare })
      hosts.push(host)
      return { host, rec: record(host) }
    }
    const kept = make(Infinity)
    const retired = make(0)
    const spec = mlpSpec()
    const base = settings({ threads: 2, seed: 5, epochs: 1 })
    /** Runs on both hosts; resolves once each has ended it (and the retiring one has replaced its thread). */
    const runBoth = async (fromModel: boolean, epochOffset?: number): Promise<void> => {
      for (const { host, rec } of [kept, retired]) {
        const r = await host.startRun(spec, base, fromModel, epochOffset)
        if (!r.ok) throw new Error(r.error.message)
        const thread = host.workerThreadId
        await rec.waitFor((e) => e.type === 'state' && e.runId === r.value.runId && e.state === 'done', 90_000)
        // a request right after the run waits for the move rather than failing or reaching the old thread
        const m = await host.getModel()
        expect(m.ok).toBe(true)
        if (host === retired.host) {
          for (let i = 0; i < 400 && host.workerThreadId === thread; i++) await new Promise((res) => setTimeout(res, 25))
        }
        expect(thread).not.toBeNull()
        expect(host.workerThreadId !== thread).toBe(host === retired.host)
      }
    }
    const model = async (host: LabHost): Promise<Checkpoint> => {
      const m = await host.getModel()
      if (!m.ok) throw new Error(m.error.message)
      return m.value
    }

    await runBoth(false)
    const threadAfterFirst = retired.host.workerThreadId
    const [a, b] = [await model(kept.host), await model(retired.host)]
    expect(b.optimizer?.name).toBe('Adam')
    expect(Object.keys(b.optimizer?.state ?? {}).length).toBeGreaterThan(0)
    expect(differing(a, b)).toEqual([])
    // the retiring host's thread was replaced after the run; the held model answers from the fresh one
    expect(threadAfterFirst).not.toBeNull()
    const input = image(0.4)
    const [pa, pb] = [await kept.host.predict(input), await retired.host.predict(input)]
    if (!pa.ok || !pb.ok) throw new Error('no prediction')
    expect(pb.value.probs).toEqual(pa.value.probs)

    // carried on from the held model (epochs numbered on), then a fresh run: bit for bit the same on both
    await runBoth(true, 1)
    expect(differing(await model(kept.host), await model(retired.host))).toEqual([])
    await runBoth(false)
    expect(differing(await model(kept.host), await model(retired.host))).toEqual([])
    // the page heard nothing of it: no error, and every run's epoch report alike
    expect(retired.rec.of('error')).toEqual([])
    expect(kept.rec.of('error')).toEqual([])
    expect(retired.rec.of('epoch').map((e) => e.report.testLoss)).toEqual(kept.rec.of('epoch').map((e) => e.report.testLoss))
  }, 240_000)
})
