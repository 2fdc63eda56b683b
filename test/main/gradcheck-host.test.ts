/**
 * model:gradcheck end to end on the real worker: the dispatcher validates the payload, LabHost forwards
 * it to the training thread, and the answer is the engine's own explainer check (the same rows as
 * explainGradients in this process); the planted bug and a sampled check travel with it; a check while
 * a run trains is refused with the worded 'busy' case, and a bad payload with a worded bad-payload; a check under
 * way is cancelled (model:gradcheck-cancel) and answers reason 'cancelled'.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LabHost } from '../../src-main/lab-host'
import { createDispatcher } from '../../src-main/ipc/handlers'
import { PRESETS } from '../../src-engine/models/presets'
import { explainGradients } from '../../src-engine/train/gradcheck-run'
import type { NetSpec } from '../../src-engine/spec-types'
import { isState, record, settings } from './helpers'
import { bundleEngineWorker } from '../helpers/bundle'

const CNN: NetSpec = {
  input: [1, 6, 6],
  layers: [
    { type: 'Convolution', filters: 2, kernel: 3, pad: 1 }, { type: 'Relu' }, { type: 'Pooling', mode: 'max', size: 2, stride: 2 },
    { type: 'Affine', units: 3 }, { type: 'SoftmaxWithLoss' }
  ]
}

let host: LabHost
let path: string
beforeAll(async () => { path = await bundleEngineWorker() }, 60_000)
afterAll(async () => { await host?.dispose() })

describe('model:gradcheck on the real worker', () => {
  it('answers the engine\'s explainer check of a small network, with the planted bug and sampled', async () => {
    host = new LabHost({ workerPath: path, transport: 'web', version: 'test' })
    const handle = createDispatcher(host)
    const r = await handle('model:gradcheck', { spec: CNN, seed: 1 }, true)
    if (!r.ok) throw new Error(JSON.stringify(r.error))
    const { ms, ...check } = r.value as ReturnType<typeof explainGradients> & { ms: number }
    expect(ms).toBeGreaterThan(0)
    expect(check).toEqual(explainGradients(CNN, 1))
    if (!check.ok) throw new Error('expected rows')
    expect(check.rows.map((x) => [x.name, x.checked])).toEqual([['x', 72], ['conv1.W', 18], ['conv1.b', 2], ['affine1.W', 54], ['affine1.b', 3]])
    expect(check.allAgree).toBe(true)

    const bad = await handle('model:gradcheck', { spec: CNN, seed: 1, bug: true }, true)
    expect(bad).toMatchObject({ ok: true, value: { ok: true, bug: true, allAgree: false } })
    // the worker put ReLU's own backward back
    expect(await handle('model:gradcheck', { spec: CNN, seed: 1 }, true)).toMatchObject({ ok: true, value: { ok: true, allAgree: true } })

    const sampled = await handle('model:gradcheck', { spec: PRESETS.find((p) => p.id === 'simple-convnet')!.spec, samples: 3 }, true)
    expect(sampled).toMatchObject({ ok: true, value: { ok: true, sampled: true } })
    if (sampled.ok) expect((sampled.value as { rows: { checked: number }[] }).rows.every((x) => x.checked === 3)).toBe(true)
    // every element of a full-size network would take minutes: the engine says so instead
    expect(await handle('model:gradcheck', { spec: PRESETS.find((p) => p.id === 'simple-convnet')!.spec }, true)).toMatchObject({ ok: true, value: { ok: false, reason: 'too-large' } })
  }, 60_000)

  it('cancels a check under way: it answers reason cancelled, and the thread checks again at once', async () => {
    const handle = createDispatcher(host)
    expect(await handle('model:gradcheck-cancel', undefined, true)).toEqual({ ok: true, value: { cancelled: false } })
    // the full-size ConvNet, 50 elements per array, with the planted bug: seconds of work on the training thread
    const asked = handle('model:gradcheck', { spec: PRESETS.find((p) => p.id === 'simple-convnet')!.spec, samples: 50, bug: true }, true)
    let cancelled = false
    for (let i = 0; i < 1000 && !cancelled; i++) {
      await new Promise((r) => setTimeout(r, 1))
      const c = await handle('model:gradcheck-cancel', undefined, true)
      cancelled = c.ok && (c.value as { cancelled: boolean }).cancelled
    }
    expect(cancelled).toBe(true)
    expect(await asked).toMatchObject({ ok: true, value: { ok: false, reason: 'cancelled' } })
    // the bug it planted is gone, and nothing is left cancelled
    expect(await handle('model:gradcheck', { spec: CNN, seed: 1 }, true)).toMatchObject({ ok: true, value: { ok: true, allAgree: true, bug: false } })
  }, 60_000)

  it('refuses a bad payload and a check while a run trains, with worded reasons', async () => {
    const handle = createDispatcher(host)
    const bad = await handle('model:gradcheck', { spec: CNN, samples: 0 }, true)
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-payload', path: 'samples', params: { case: 'min', field: 'samples', limit: 1 } } })
    const rec = record(host)
    const started = host.start(PRESETS.find((p) => p.id === 'mlp')!.spec, settings({ optimizer: 'SGD', lr: 0.01, batchSize: 100, epochs: 5, seed: 1 }))
    expect(started.ok).toBe(true)
    await rec.waitFor(isState('running'), 30_000)
    const busy = await handle('model:gradcheck', { spec: CNN }, true)
    expect(busy).toMatchObject({ ok: false, error: { code: 'busy', params: { case: 'gradcheck', state: 'running' } } })
    expect(host.stop().ok).toBe(true)
    await rec.waitFor(isState('stopped'), 30_000)
    expect(await handle('model:gradcheck', { spec: CNN }, true)).toMatchObject({ ok: true, value: { ok: true } })
  }, 60_000)
})
