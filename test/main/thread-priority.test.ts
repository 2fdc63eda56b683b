/**
 * train/thread-priority.ts in real threads (it changes the calling thread's scheduling, so never on
 * the test's own): nice +N, SCHED_IDLE through chrt with nice as the fallback, nothing when not asked.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { getPriority, tmpdir } from 'node:os'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { LabHost } from '../../src-main/lab-host'
import { bundleEntry } from '../helpers/bundle'
import { mlpSpec, settings } from './helpers'

const linux = process.platform === 'linux'
const chrt = linux && spawnSync('chrt', ['--max'], { stdio: 'ignore' }).status === 0

let lib: string
beforeAll(async () => { lib = await bundleEntry('src-engine/train/thread-priority.ts', 'cjs') }, 60_000)

interface Outcome { lowered: unknown; self: { policy: number; nice: number } | null; child: { policy: number; nice: number } | null }

/** Lowers a fresh thread with `env`; reports what it returned, what /proc shows for it, and for a thread it then starts. */
function lowerIn(env: Record<string, string | undefined>): Promise<Outcome> {
  const code = `const { parentPort, workerData, Worker } = require('node:worker_threads')
const m = require(workerData.lib)
const lowered = m.lowerThreadPriority(workerData.env)
const self = m.threadPolicy('thread-self')
const child = new Worker("require('node:worker_threads').parentPort.postMessage(require(require('node:worker_threads').workerData).threadPolicy('thread-self'))", { eval: true, workerData: workerData.lib })
child.once('message', (c) => parentPort.postMessage({ lowered, self, child: c }))`
  return new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: { lib, env } })
    w.once('message', (m: Outcome) => { resolve(m); void w.terminate() })
    w.once('error', reject)
  })
}

describe('lowerThreadPriority', () => {
  const base = linux ? getPriority(process.pid) : 0

  it('does nothing unless asked (the CLI and benchmarks)', async () => {
    const r = await lowerIn({ PATH: process.env.PATH })
    expect(r.lowered).toBeNull()
    if (linux) expect(r.self).toEqual({ policy: 0, nice: base })
  })

  it.runIf(linux)('renices the thread only: nice +N, the normal policy, inherited by the threads it starts', async () => {
    const r = await lowerIn({ PATH: process.env.PATH, BACKPROP_LAB_NICE: '10' })
    const nice = Math.min(19, base + 10)
    expect(r.lowered).toEqual({ policy: 'nice', nice })
    expect(r.self).toEqual({ policy: 0, nice })
    expect(r.child).toEqual({ policy: 0, nice })
    expect(getPriority(process.pid)).toBe(base)
  })

  it.runIf(chrt)('asks for SCHED_IDLE through chrt, which the threads it starts (replicas) inherit', async () => {
    const r = await lowerIn({ PATH: process.env.PATH, BACKPROP_LAB_NICE: '10', BACKPROP_LAB_IDLE: '1' })
    const nice = Math.min(19, base + 10)
    expect(r.lowered).toEqual({ policy: 'idle', nice })
    expect(r.self).toEqual({ policy: 5, nice })
    expect(r.child).toEqual({ policy: 5, nice })
  })

  it.runIf(linux)('falls back to nice when chrt cannot be run', async () => {
    const r = await lowerIn({ PATH: '/nonexistent', BACKPROP_LAB_NICE: '10', BACKPROP_LAB_IDLE: '1' })
    const nice = Math.min(19, base + 10)
    expect(r.lowered).toEqual({ policy: 'nice', nice })
    expect(r.self).toEqual({ policy: 0, nice })
  })
})

describe('LabHost', () => {
  /** A worker that writes down the priority it is asked for, and what the host sends it. */
  const envWorker = new URL(`data:text/javascript,${encodeURIComponent(`import { workerData } from 'node:worker_threads'
import { renameSync, writeFileSync } from 'node:fs'
writeFileSync(workerData.out + '.part', JSON.stringify({ nice: process.env.BACKPROP_LAB_NICE ?? null, idle: process.env.BACKPROP_LAB_IDLE ?? null }))
renameSync(workerData.out + '.part', workerData.out)`)}`)

  async function askedFor(over: { trainingNice?: number; trainingIdle?: boolean }): Promise<unknown> {
    const out = join(mkdtempSync(join(tmpdir(), 'lab-priority-')), 'env.json')
    const host = new LabHost({ workerPath: envWorker, transport: 'web', version: 't', workerOptions: { workerData: { out } }, ...over })
    try {
      expect(host.start(mlpSpec(), settings()).ok).toBe(true)
      for (let i = 0; i < 400 && !existsSync(out); i++) await new Promise((r) => setTimeout(r, 25))
      return JSON.parse(readFileSync(out, 'utf8'))
    } finally {
      await host.dispose()
    }
  }

  it('asks its training worker for nice +10 and SCHED_IDLE by default', async () => {
    expect(await askedFor({})).toEqual({ nice: '10', idle: '1' })
  })

  it('asks for nice alone with trainingIdle false, and for nothing with trainingNice 0', async () => {
    expect(await askedFor({ trainingIdle: false })).toEqual({ nice: '10', idle: '0' })
    expect(await askedFor({ trainingNice: 0 })).toEqual({ nice: null, idle: null })
  })

  /** app:info's priorityChoice of LabHosts made (with `over` each) in a fresh thread lowered with `env` first. */
  async function choiceIn(env: Record<string, string | undefined>, over: object[]): Promise<unknown[]> {
    const host = await bundleEntry('src-main/lab-host.ts', 'cjs')
    const code = `const { parentPort, workerData } = require('node:worker_threads')
require(workerData.lib).lowerThreadPriority(workerData.env)
const { LabHost } = require(workerData.host)
parentPort.postMessage(workerData.over.map((o) => { const r = new LabHost({ workerPath: 'unused.js', transport: 'web', version: 't', ...o }).info(); return r.ok && r.value.priorityChoice }))`
    return new Promise((resolve, reject) => {
      const w = new Worker(code, { eval: true, workerData: { lib, host, env, over } })
      w.once('message', (m: unknown[]) => { resolve(m); void w.terminate() })
      w.once('error', reject)
    })
  }

  it.runIf(chrt)('offers the choice of priority exactly when a low run differs: at nice 19 for SCHED_IDLE, not under SCHED_IDLE', async () => {
    // this thread at nice 19 already: 'low' still means SCHED_IDLE, though not with trainingIdle false
    expect(await choiceIn({ PATH: process.env.PATH, BACKPROP_LAB_NICE: '19' }, [{}, { trainingIdle: false }])).toEqual([true, false])
    // this thread under SCHED_IDLE: a 'normal' worker is too, and nice means nothing there
    expect(await choiceIn({ PATH: process.env.PATH, BACKPROP_LAB_NICE: '1', BACKPROP_LAB_IDLE: '1' }, [{}, { trainingIdle: false }])).toEqual([false, false])
    // below nice 19, as usual: both differ
    const below = getPriority(process.pid) < 19
    expect(await choiceIn({ PATH: process.env.PATH }, [{}, { trainingIdle: false }])).toEqual([below, below])
  }, 60_000)
})
