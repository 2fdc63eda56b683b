/**
 * Predictions during training come from the inference thread (train/inference.ts) with the real
 * worker: the host starts it on the first prediction, sends predictions there while a run trains once
 * it holds the model, and falls back to the training thread when it is gone; after the run, the
 * training thread answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Worker } from 'node:worker_threads'
import { LabHost } from '../../src-main/lab-host'
import { PRESETS } from '../../src-engine/models/presets'
import { image, isState, record, settings } from './helpers'
import { bundleEngineWorker } from '../helpers/bundle'

let path: string
beforeAll(async () => { path = await bundleEngineWorker() }, 60_000)

type Infer = { worker: Worker; ready: boolean } | null
const inferOf = (host: LabHost): Infer => (host as unknown as { infer: Infer }).infer

describe('predictions during training', () => {
  let host: LabHost
  afterAll(async () => { await host?.dispose() })

  it('are answered by the inference thread while the run trains, by the training thread otherwise', async () => {
    host = new LabHost({ workerPath: path, transport: 'web', version: 'test' })
    const rec = record(host)
    const mlp = PRESETS.find((p) => p.id === 'mlp')!
    expect(host.start(mlp.spec, settings({ batchSize: 200, epochs: 50 })).ok).toBe(true)
    await rec.waitFor((e) => e.type === 'batches', 60_000)
    expect(host.run.state).toBe('running')

    // the first prediction starts the thread and is answered by the training thread
    const first = await host.predict(image(0.3))
    expect(first.ok).toBe(true)
    const infer = inferOf(host)
    expect(infer).not.toBeNull()
    for (let i = 0; i < 200 && !inferOf(host)?.ready; i++) await new Promise((r) => setTimeout(r, 20))
    expect(inferOf(host)?.ready).toBe(true)

    // from now on predictions go to it
    let sent = 0
    const post = infer!.worker.postMessage.bind(infer!.worker)
    infer!.worker.postMessage = ((m: unknown, t?: readonly ArrayBuffer[]) => { sent++; post(m, t as ArrayBuffer[]) }) as Worker['postMessage']
    for (let i = 0; i < 5; i++) {
      const p = await host.predict(image(i / 5), i === 4)
      expect(p.ok).toBe(true)
      if (!p.ok) continue
      expect(p.value.probs).toHaveLength(10)
      expect(p.value.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4)
      expect(p.value.engineMs).toBeGreaterThanOrEqual(0)
      if (i === 4) expect(p.value.maps?.length).toBeGreaterThan(0)
    }
    expect(sent).toBe(5)

    // its weights follow the training (through shared memory): the same image's answer changes
    const probsOf = async (): Promise<string> => {
      const p = await host.predict(image(0.5))
      return p.ok ? p.value.probs.join() : ''
    }
    const was = await probsOf()
    let now = was
    for (let i = 0; i < 100 && now === was; i++) {
      await new Promise((r) => setTimeout(r, 50))
      now = await probsOf()
    }
    expect(now).not.toBe(was)
    const asked = sent

    // a dead inference thread costs nothing but itself: the training thread answers
    await infer!.worker.terminate()
    const after = await host.predict(image(0.7))
    expect(after.ok).toBe(true)
    expect(sent).toBe(asked)

    // once the run has stopped, the training thread answers, with the final weights
    expect(host.stop().ok).toBe(true)
    await rec.waitFor(isState('stopped'), 30_000)
    const fresh = inferOf(host)
    let sentAfter = 0
    if (fresh) fresh.worker.postMessage = (() => { sentAfter++ }) as typeof fresh.worker.postMessage
    const done = await host.predict(image(0.1))
    expect(done.ok).toBe(true)
    expect(sentAfter).toBe(0)
  }, 120_000)
})
