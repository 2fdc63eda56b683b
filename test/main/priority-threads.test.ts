/**
 * LabHost with the real training worker (bundled from the sources): a run's training and replica threads
 * have the scheduling policy and nice value its priority asks for (read from /proc, as event-loop.test.ts
 * does), and moving the model to a worker of the other priority keeps its weights and Adam state bit for bit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { getPriority } from 'node:os'
import { LabHost } from '../../src-main/lab-host'
import { PRESETS } from '../../src-engine/models/presets'
import { SCHED_IDLE, threadPolicy } from '../../src-engine/train/thread-priority'
import { bundleEngineWorker } from '../helpers/bundle'
import { differing, isState, record, settings } from './helpers'

const linux = process.platform === 'linux'
const chrt = linux && spawnSync('chrt', ['--max'], { stdio: 'ignore' }).status === 0
const NICE = 10

/** This process's threads as [policy, nice], one entry per thread. */
function threads(): { policy: number; nice: number }[] {
  return readdirSync('/proc/self/task').map((t) => threadPolicy(Number(t))).filter((p): p is { policy: number; nice: number } => p !== null)
}

let workerPath: string
beforeAll(async () => { workerPath = await bundleEngineWorker() }, 60_000)

describe.runIf(linux)('training priority with the real worker', () => {
  let host: LabHost | undefined
  afterAll(async () => { await host?.dispose() })

  it('runs the threads of a low run under SCHED_IDLE at nice +10 and those of a normal run as this thread, carrying the model between them', async () => {
    host = new LabHost({ workerPath, transport: 'web', version: 'test' })
    const rec = record(host)
    const base = getPriority(process.pid)
    const lowered = { policy: chrt ? SCHED_IDLE : 0, nice: Math.min(19, base + NICE) }
    const isLowered = (p: { policy: number; nice: number }): boolean => p.policy === lowered.policy && p.nice === lowered.nice
    const mlp = PRESETS.find((p) => p.id === 'mlp')!.spec
    // the first run: 'low' (the default), two threads (the training thread and one replica)
    const first = await host.startRun(mlp, settings({ epochs: 50, threads: 2 }))
    expect(first.ok).toBe(true)
    await rec.waitFor((e) => e.type === 'batches', 60_000)
    expect(threads().filter(isLowered).length).toBeGreaterThanOrEqual(2)
    expect(host.stop().ok).toBe(true)
    await rec.waitFor(isState('stopped'), 60_000)
    const before = await host.getModel()
    expect(before.ok && before.value.optimizer?.name).toBe('Adam')

    expect(await host.setPriority('normal')).toEqual({ ok: true, value: { priority: 'normal', restarted: true } })
    const after = await host.getModel()
    if (!before.ok || !after.ok) throw new Error('no model')
    expect(Object.keys(before.value.optimizer?.state ?? {}).length).toBeGreaterThan(0)
    expect(after.value.optimizer?.name).toBe('Adam')
    expect(differing(before.value, after.value)).toEqual([])

    // the continued run at normal priority: no thread of this process is lowered any more
    const second = await host.startRun(mlp, settings({ epochs: 50, threads: 2, priority: 'normal' }), true, 1)
    expect(second.ok).toBe(true)
    const secondId = second.ok ? second.value.runId : ''
    await rec.waitFor((e) => e.type === 'batches' && e.runId === secondId, 60_000)
    expect(threads().filter(isLowered)).toEqual([])
    expect(threads().filter((p) => p.policy === SCHED_IDLE)).toEqual([])
    expect(host.stop().ok).toBe(true)
    await rec.waitFor((e) => e.type === 'state' && e.state === 'stopped' && e.runId === secondId, 60_000)
    expect(rec.of('error')).toEqual([])
  }, 120_000)
})
