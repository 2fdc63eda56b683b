/**
 * The worker entry on a real thread. The TypeScript entry is bundled with rolldown (what
 * electron-vite uses underneath) into a temporary .mjs (test/helpers/bundle.ts), then started with
 * worker_threads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Worker } from 'node:worker_threads'
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import type { WorkerEvent } from '../../src-engine/protocol'
import { TINY_MLP } from './train/fixtures'
import { bundleEngineWorker } from '../helpers/bundle'
import { copyBuilt, removeCopy } from '../helpers/built-copy'
import { until as poll } from '../helpers'

let entry = ''

beforeAll(async () => {
  entry = await bundleEngineWorker()
}, 60_000)

afterAll(() => {
  if (entry) rmSync(dirname(entry), { recursive: true, force: true })
})

function collect(w: Worker): WorkerEvent[] {
  const events: WorkerEvent[] = []
  w.on('message', (e: WorkerEvent) => events.push(e))
  return events
}

const until = (cond: () => boolean, ms = 30_000): Promise<void> => poll(cond, ms, 'timed out waiting for the worker')

describe('training worker on a real thread', () => {
  it('says ready, rejects unknown commands, trains, pauses within a batch, predicts and stops', async () => {
    const w = new Worker(entry)
    const events = collect(w)
    try {
      await until(() => events.some((e) => e.type === 'ready'))
      w.postMessage({ type: 'no-such-command' })
      await until(() => events.some((e) => e.type === 'error'))
      expect(events.find((e) => e.type === 'error')).toMatchObject({ code: 'unknown-command' })

      w.postMessage({
        type: 'start', runId: 'w1', spec: TINY_MLP,
        settings: { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.001, batchSize: 50, epochs: 20, weightDecay: 0, seed: 1, threads: 1 }
      })
      const points = (): number => events.reduce((n, e) => n + (e.type === 'batches' ? e.points.length : 0), 0)
      await until(() => points() > 0)
      w.postMessage({ type: 'pause' })
      await until(() => events.some((e) => e.type === 'state' && e.state === 'paused'))
      const paused = points()
      await new Promise((r) => setTimeout(r, 300))
      expect(points()).toBe(paused)

      w.postMessage({ type: 'predict', reqId: 9, input: new Float32Array(784), count: 1 })
      await until(() => events.some((e) => e.type === 'reply'))
      const reply = events.find((e) => e.type === 'reply') as Extract<WorkerEvent, { type: 'reply'; ok: true }>
      expect(reply).toMatchObject({ reqId: 9, ok: true })
      const probs = (reply.value as { probs: Float32Array }).probs
      expect(probs.length).toBe(10)

      w.postMessage({ type: 'stop' })
      await until(() => events.some((e) => e.type === 'state' && e.state === 'stopped'))
    } finally {
      await w.terminate()
    }
  })

  it('trains with two threads, starting its replica thread from its own file', async () => {
    const w = new Worker(entry)
    const events = collect(w)
    try {
      await until(() => events.some((e) => e.type === 'ready'))
      w.postMessage({
        type: 'start', runId: 'w2', spec: TINY_MLP,
        settings: { data: { kind: 'mnist' }, optimizer: 'SGD', lr: 0.1, batchSize: 50, epochs: 5, weightDecay: 0, seed: 1, threads: 2 }
      })
      const points = (): BatchPointLike[] => events.flatMap((e) => (e.type === 'batches' ? e.points : []))
      await until(() => points().length >= 20)
      w.postMessage({ type: 'stop' })
      await until(() => events.some((e) => e.type === 'state' && e.state === 'stopped'))
      expect(events.filter((e) => e.type === 'error')).toEqual([])
      const losses = points().map((p) => p.loss)
      expect(losses.slice(-5).reduce((a, b) => a + b, 0)).toBeLessThan(losses.slice(0, 5).reduce((a, b) => a + b, 0))
    } finally {
      await w.terminate()
    }
  })
})

type BatchPointLike = { loss: number }

/**
 * The worker chunk electron-vite emitted for the app (out/main/chunks/worker-*.js), if it is newer than worker.ts: in a
 * copy of out/main taken once (test/helpers/built-copy.ts), which a rebuild meanwhile cannot pull away.
 */
function bundledChunk(): string | null {
  built = existsSync(resolve(__dirname, '../../out/main/chunks')) ? copyBuilt('out/main') : null
  if (built === null) return null
  const dir = join(built, 'chunks')
  const name = readdirSync(dir).find((f) => /^worker-[\w-]+\.js$/.test(f))
  if (!name) return null
  const file = join(dir, name)
  return statSync(file).mtimeMs >= statSync(resolve(__dirname, '../../src-engine/worker.ts')).mtimeMs ? file : null
}

let built: string | null = null
const chunk = bundledChunk()
afterAll(() => removeCopy(built))

describe.skipIf(chunk === null)('the worker chunk bundled by electron-vite', () => {
  it('starts under plain Node, says ready and answers commands', async () => {
    const w = new Worker(chunk!)
    const events = collect(w)
    try {
      await until(() => events.some((e) => e.type === 'ready'))
      w.postMessage({ type: 'nope' })
      w.postMessage({ type: 'gradcheck', reqId: 1, spec: { input: [1, 4, 4], layers: [{ type: 'Affine', units: 3 }, { type: 'SoftmaxWithLoss' }] }, seed: 1 })
      await until(() => events.some((e) => e.type === 'reply'))
      expect(events.find((e) => e.type === 'error')).toMatchObject({ code: 'unknown-command' })
      expect(events.find((e) => e.type === 'reply')).toMatchObject({ reqId: 1, ok: true, value: { ok: true } })
      // Two threads: the chunk starts a copy of itself (CommonJS __filename) as the replica.
      w.postMessage({
        type: 'start', runId: 'c2', spec: TINY_MLP,
        settings: { data: { kind: 'mnist' }, optimizer: 'SGD', lr: 0.1, batchSize: 50, epochs: 5, weightDecay: 0, seed: 1, threads: 2 }
      })
      await until(() => events.some((e) => e.type === 'batches'))
      w.postMessage({ type: 'stop' })
      await until(() => events.some((e) => e.type === 'state' && e.state === 'stopped'))
      expect(events.filter((e) => e.type === 'error').length).toBe(1)
    } finally {
      await w.terminate()
    }
  })
})
