/**
 * LabHost's side of retiring the training thread after a run (lab-host.ts retireIfSpare, train/retire.ts), with the
 * fake worker saying how much engine memory it keeps (workerData.memory): a fresh thread takes the model only when the
 * thread keeps more than the limit beyond what the model needs, the page hears nothing of it, requests made meanwhile
 * wait for it, and what the host says about the held model is unchanged.
 */
import { describe, expect, it } from 'vitest'
import { SPARE_BYTES_LIMIT } from '../../src-engine/train/retire'
import { disposingHosts, isState, mlpSpec, record, settings } from './helpers'

const make = disposingHosts()
const MiB = 2 ** 20
/** A host whose fake thread says it keeps `touched` bytes, its model `held`, after every run. */
const keeping = (touched: number, held = 1 * MiB, extra: Record<string, unknown> = {}) =>
  make({ workerOptions: { workerData: { tickMs: 2, batches: 20, memory: { touched, held }, ...extra } } })
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
/** Waits until the host's training thread is another than `thread` (or `ms` pass). */
async function replaced(host: ReturnType<typeof make>, thread: number | null, ms = 5000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(5)) if (host.workerThreadId !== thread) return true
  return false
}

describe('LabHost retiring its training thread', () => {
  it('retires a thread that keeps more than the limit beyond its model, and keeps one that does not', async () => {
    const big = keeping(SPARE_BYTES_LIMIT + 2 * MiB)
    const small = keeping(SPARE_BYTES_LIMIT + MiB)
    for (const host of [big, small]) {
      const rec = record(host)
      host.start(mlpSpec(), settings())
      await rec.waitFor(isState('done'))
      const thread = host.workerThreadId
      expect(await replaced(host, thread, host === big ? 5000 : 300)).toBe(host === big)
      // the held model answers from wherever it is now, and the page heard no error
      const m = await host.getModel()
      expect(m.ok && m.value.spec).toEqual(mlpSpec())
      expect(host.heldModel()).toEqual({ ok: true, value: { spec: mlpSpec() } })
      expect(rec.of('error')).toEqual([])
    }
  })

  it('keeps model:held as it was: a run stopped before its first batch still names no model after the move', async () => {
    const host = keeping(4 * SPARE_BYTES_LIMIT, 0, { startMs: 100 })
    const rec = record(host)
    host.start(mlpSpec(), settings())
    // stopped while its data loads: 'running', then 'stopped', no batch
    expect(host.stop().ok).toBe(true)
    await rec.waitFor(isState('stopped'))
    const thread = host.workerThreadId
    expect(await replaced(host, thread)).toBe(true)
    await host.getModel()
    expect(host.heldModel()).toEqual({ ok: true, value: null })
    expect(rec.of('batches')).toEqual([])
  })

  it("ignores a run's memory event that comes while the next run trains: that run keeps the thread, retired after it", async () => {
    // the first run's event comes 100 ms after its end, into the run started at once after it (20 batches, 200 ms)
    const host = keeping(4 * SPARE_BYTES_LIMIT, MiB, { tickMs: 10, memoryMs: 100 })
    const rec = record(host)
    host.start(mlpSpec(), settings())
    await rec.waitFor(isState('done'))
    const first = host.workerThreadId
    // at once (an experiment's queue starts so)
    const next = await host.startRun(mlpSpec(), settings({ epochs: 1 }), true, 1)
    if (!next.ok) throw new Error(next.error.message)
    const memoryCame = new Promise<void>((resolve) => setTimeout(resolve, 150))
    await rec.waitFor((e) => e.type === 'state' && e.state === 'done' && e.runId === next.value.runId)
    await memoryCame
    // the first run's event came mid-run and moved nothing: the thread that trained both is the first one (a host that
    // took it would have moved the model away, mid-run or right after the start)
    expect(host.workerThreadId).toBe(first)
    expect(rec.of('batches').length).toBeGreaterThan(0)
    const thread = host.workerThreadId
    expect(await replaced(host, thread)).toBe(true)
    // and the run after that, from the moved model, trains on the fresh thread
    const third = await host.startRun(mlpSpec(), settings({ epochs: 1 }), true, 2)
    if (!third.ok) throw new Error(third.error.message)
    expect(host.workerThreadId).not.toBe(thread)
    await rec.waitFor((e) => e.type === 'state' && e.state === 'done' && e.runId === third.value.runId)
    expect(rec.of('error')).toEqual([])
  })
})
