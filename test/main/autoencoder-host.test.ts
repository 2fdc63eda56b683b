/**
 * LabHost with the real worker and an autoencoder: snapshots carry the reconstruction row and the
 * 2-D code plane through the host, model:predict answers with the reconstruction, and model:decode
 * draws an image from a code (and explains a code of the wrong size, or a model that is no autoencoder).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LabHost } from '../../src-main/lab-host'
import { createDispatcher } from '../../src-main/ipc/handlers'
import { PRESETS } from '../../src-engine/models/presets'
import type { Snapshot } from '../../src-engine/protocol'
import { image, record, settings } from './helpers'
import { bundleEngineWorker } from '../helpers/bundle'

let path: string
beforeAll(async () => { path = await bundleEngineWorker() }, 60_000)

describe('LabHost with an autoencoder', () => {
  let host: LabHost
  afterAll(async () => { await host?.dispose() })

  it('streams reconstructions and codes, predicts reconstructions and decodes codes', async () => {
    host = new LabHost({ workerPath: path, transport: 'web', version: 'test' })
    const handle = createDispatcher(host)
    const rec = record(host)
    const before = await handle('model:decode', { code: [0, 0] }, true)
    expect(before).toMatchObject({ ok: false, error: { code: 'no-model' } })

    const ae = PRESETS.find((p) => p.id === 'ae-2d')!
    const r = host.start(ae.spec, settings({ optimizer: 'Adam', lr: 0.003, batchSize: 100, epochs: 1, seed: 1, threads: 1 }))
    expect(r.ok).toBe(true)
    await rec.waitFor((e) => e.type === 'state' && (e.state === 'done' || e.state === 'failed'), 120_000)
    expect(rec.of('error')[0]?.message).toBeUndefined()
    const epoch = rec.of('epoch')[0] as { report: { reconstructionLoss: number; reconstructionMse: number } }
    expect(epoch.report.reconstructionMse).toBeLessThan(0.0672) // below the mean image's held-out MSE
    const snaps = rec.of('snapshot') as unknown as { snapshot: Snapshot }[]
    const last = snaps.at(-1)!.snapshot
    expect(last.reconstructions?.inputs.count).toBe(10)
    expect(last.codes).toMatchObject({ layer: 'affine3', dims: 2, count: 1000 })

    const pred = await handle('model:predict', { input: image(0.2), maps: true }, true)
    expect(pred.ok).toBe(true)
    if (pred.ok) {
      const v = pred.value as { probs: number[]; maps: { layer: string }[] }
      expect(v.probs).toHaveLength(784)
      expect(v.maps.map((m) => m.layer)).toContain('affine3')
    }

    const dec = await handle('model:decode', { code: [last.codes!.points[0], last.codes!.points[1]] }, true)
    expect(dec.ok, JSON.stringify(dec)).toBe(true)
    if (dec.ok) {
      const v = dec.value as { image: number[]; h: number; w: number }
      expect([v.h, v.w]).toEqual([28, 28])
      expect(v.image).toHaveLength(784)
      expect(v.image.every((p) => p >= 0 && p <= 1)).toBe(true)
    }
    const wrong = await handle('model:decode', { code: [1, 2, 3] }, true)
    expect(wrong).toMatchObject({ ok: false })
    if (!wrong.ok) expect(wrong.error.message).toContain('2 values per example')
    const bad = await handle('model:decode', { code: [1, 'x'] }, true)
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-payload', path: 'code.1' } })

    // a reopened project asks for the same views from the model the host holds (here: the finished run's)
    const views = await handle('model:ae-views', { data: { kind: 'mnist' } }, true)
    expect(views.ok, JSON.stringify(views).slice(0, 300)).toBe(true)
    if (views.ok) {
      const v = views.value as Snapshot
      expect(v.codes).toMatchObject({ layer: 'affine3', dims: 2, count: 1000 })
      expect(Array.from(v.codes!.labels)).toEqual(Array.from(last.codes!.labels))
      expect(v.reconstructions?.outputs.count).toBe(10)
    }

    // a classifier has no code to decode
    const mlp = PRESETS.find((p) => p.id === 'mlp')!
    host.start(mlp.spec, settings({ optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 1, seed: 1, threads: 1 }))
    await rec.waitFor((e) => e.type === 'state' && e.state === 'running', 30_000)
    const notAe = await handle('model:decode', { code: [0, 0] }, true)
    expect(notAe).toMatchObject({ ok: false, error: { code: 'not-autoencoder' } })
    // while a run trains, its snapshots carry the views
    expect(await handle('model:ae-views', { data: { kind: 'mnist' } }, true)).toMatchObject({ ok: false, error: { code: 'busy' } })
    host.stop()
  }, 180_000)
})
