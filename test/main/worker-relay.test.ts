/**
 * The relay thread between the host and a lowered training worker (src-main/worker-relay.ts): messages pass
 * both ways in order with their buffers and ports, the training worker is the relay's child (so the main
 * thread takes none of its locks), its exit and errors become the relay's, and the relay's end is its end.
 */
import { describe, expect, it } from 'vitest'
import { existsSync, readdirSync } from 'node:fs'
import { MessageChannel, type Worker } from 'node:worker_threads'
import { startRelayed, startTrainingWorker } from '../../src-main/worker-relay'
import { disposingHosts, isState, mlpSpec, record, settings } from './helpers'

const linux = process.platform === 'linux'

/** A worker that says hello (its thread id, Linux TID, workerData and environment) and echoes every message, handing its arrays back. */
const echo = new URL(`data:text/javascript,${encodeURIComponent(`import { parentPort, threadId, workerData } from 'node:worker_threads'
import { readlinkSync } from 'node:fs'
const tid = process.platform === 'linux' ? Number(readlinkSync('/proc/thread-self').split('/').pop()) : 0
parentPort.postMessage({ type: 'hello', threadId, tid, workerData, nice: process.env.BACKPROP_LAB_NICE ?? null })
parentPort.on('message', (m) => {
  if (m.type === 'exit') process.exit(m.code)
  if (m.type === 'throw') throw new Error(m.message)
  if (m.port) m.port.postMessage('through the port')
  parentPort.postMessage({ type: 'echo', n: m.n, data: m.data }, m.data ? [m.data.buffer] : [])
})`)}`)

interface Hello { type: 'hello'; threadId: number; tid: number; workerData: unknown; nice: string | null }

function messages(w: Worker) {
  const seen: unknown[] = []
  const waiters: { n: number; resolve: () => void }[] = []
  w.on('message', (m) => {
    seen.push(m)
    for (const x of [...waiters]) if (seen.length >= x.n) { waiters.splice(waiters.indexOf(x), 1); x.resolve() }
  })
  return {
    seen,
    /** Resolves once `n` messages have arrived. */
    count: (n: number) => new Promise<void>((resolve) => { if (seen.length >= n) resolve(); else waiters.push({ n, resolve }) })
  }
}

const exited = (w: Worker) => new Promise<number>((resolve) => w.once('exit', resolve))

/** Linux: whether thread `tid` of this process still exists, polled until it is gone (at most ~5 s). */
async function threadGone(tid: number): Promise<boolean> {
  for (let i = 0; i < 200 && existsSync(`/proc/self/task/${tid}`); i++) await new Promise((r) => setTimeout(r, 25))
  return !existsSync(`/proc/self/task/${tid}`)
}

describe('startRelayed', () => {
  it('starts the worker as the relay\'s child, with its workerData, and passes messages both ways in order with their arrays and ports', async () => {
    const relay = startRelayed(echo, { workerData: { role: 'test', n: 3 } })
    try {
      const got = messages(relay)
      await got.count(1)
      const hello = got.seen[0] as Hello
      expect(hello).toMatchObject({ type: 'hello', workerData: { role: 'test', n: 3 } })
      // the training thread is not the one the main thread started
      expect(hello.threadId).not.toBe(relay.threadId)

      const sent: Float32Array[] = []
      for (let n = 0; n < 50; n++) {
        const data = Float32Array.from({ length: 1000 }, (_, i) => n + i / 1000)
        sent.push(data.slice())
        relay.postMessage({ type: 'data', n, data }, [data.buffer])
        expect(data.byteLength).toBe(0) // transferred, as the host's own transfers are
      }
      await got.count(51)
      const echoes = got.seen.slice(1) as { type: string; n: number; data: Float32Array }[]
      expect(echoes.map((e) => e.n)).toEqual(sent.map((_, n) => n))
      for (const e of echoes) {
        expect(e.data).toBeInstanceOf(Float32Array)
        expect(e.data).toEqual(sent[e.n])
      }

      // a port (the inference thread's feed) reaches the worker, which can use it
      const { port1, port2 } = new MessageChannel()
      const through = new Promise((resolve) => port1.once('message', resolve))
      relay.postMessage({ type: 'port', n: 50, port: port2 }, [port2])
      expect(await through).toBe('through the port')
      port1.close()
    } finally {
      await relay.terminate()
    }
  })

  it('passes the training thread\'s exit code on as its own', async () => {
    const relay = startRelayed(echo)
    const got = messages(relay)
    await got.count(1)
    const exit = exited(relay)
    relay.postMessage({ type: 'exit', code: 7 })
    expect(await exit).toBe(7)
  })

  it('re-throws the training thread\'s uncaught error, then ends', async () => {
    const relay = startRelayed(echo)
    const got = messages(relay)
    await got.count(1)
    const error = new Promise<unknown>((resolve) => relay.once('error', resolve))
    const exit = exited(relay)
    relay.postMessage({ type: 'throw', message: 'simulated engine bug' })
    expect(await error).toMatchObject({ message: 'simulated engine bug' })
    expect(await exit).toBe(1)
  })

  it.runIf(linux)('takes the training thread with it when it is ended', async () => {
    const relay = startRelayed(echo)
    const got = messages(relay)
    await got.count(1)
    const { tid } = got.seen[0] as Hello
    expect(existsSync(`/proc/self/task/${tid}`)).toBe(true)
    await relay.terminate()
    expect(await threadGone(tid)).toBe(true)
  })
})

describe('startTrainingWorker', () => {
  it.runIf(linux)('relays a worker whose environment lowers its threads, and starts one at normal priority directly', async () => {
    for (const [env, relayed] of [[{ ...process.env, BACKPROP_LAB_NICE: '10', BACKPROP_LAB_IDLE: '1' }, true], [{ ...process.env }, false], [undefined, false]] as const) {
      const w = startTrainingWorker(echo, env ? { env } : undefined)
      try {
        const got = messages(w)
        await got.count(1)
        const hello = got.seen[0] as Hello
        expect(hello.threadId === w.threadId).toBe(!relayed)
        // the relay hands its environment on
        expect(hello.nice).toBe(relayed ? '10' : null)
      } finally {
        await w.terminate()
      }
    }
  })
})

describe('LabHost with a relay that dies', () => {
  const make = disposingHosts()

  it.runIf(linux)('ends the run with worker-crashed, leaves no training thread behind, and the next run starts a fresh one', async () => {
    const threads = (): number => readdirSync('/proc/self/task').length
    const before = threads()
    const host = make()
    const rec = record(host)
    const first = host.start(mlpSpec(), settings({ seed: 3, epochs: 50 }))
    expect(first.ok).toBe(true)
    await rec.waitFor((e) => e.type === 'batches')
    const relay = (host as unknown as { worker: Worker }).worker
    expect(host.workerThreadId).toBe(relay.threadId)
    // the relay and, behind it, the training thread
    expect(threads()).toBeGreaterThanOrEqual(before + 2)
    await relay.terminate()
    const err = await rec.waitFor((e) => e.type === 'error')
    expect(err).toMatchObject({ code: 'worker-crashed', runId: first.ok ? first.value.runId : '' })
    await rec.waitFor(isState('failed'))
    expect(host.workerThreadId).toBeNull()
    for (let i = 0; i < 200 && threads() > before; i++) await new Promise((r) => setTimeout(r, 25))
    expect(threads()).toBe(before)

    const second = host.start(mlpSpec(), settings({ seed: 2 }))
    expect(second.ok).toBe(true)
    await rec.waitFor((e) => e.type === 'state' && e.state === 'done' && e.runId === (second.ok ? second.value.runId : ''))
    expect(rec.of('error')).toHaveLength(1)
  })
})
