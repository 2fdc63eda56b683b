/** A continued run in the autosave's history: its batch points and epochs are numbered after the run it continues. */
import { describe, expect, it } from 'vitest'
import { ProjectService, type ModelHost } from '../../src-main/projects'
import { validatePayload } from '../../src-main/ipc/validate'
import type { NetSpec } from '../../src-engine/spec-types'
import type { TrainSettings } from '../../src-engine/protocol'

const spec: NetSpec = { name: 'MLP', input: [1, 28, 28], layers: [{ type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }
const settings: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 2, weightDecay: 0, seed: 1, threads: 1 }
const report = (epoch: number) => ({ epoch, trainLoss: 1, trainAcc: 0.5, testLoss: 1, testAcc: 0.9, seconds: 1 })
const point = (epoch: number, batch: number) => ({ epoch, batch, batches: 2, loss: 1, examplesPerSec: 100 })

describe('the autosave history of a continued run', () => {
  it('numbers the continuation on from its offset and the first run as it came', () => {
    const p = new ProjectService({} as ModelHost, { dataDir: null })
    p.runStarted('a', spec, settings)
    p.runStarted('b', spec, settings, 2)
    for (const id of ['a', 'b']) {
      p.track({ type: 'batches', runId: id, points: [point(1, 1), point(1, 2)] })
      p.track({ type: 'epoch', runId: id, report: report(1) })
    }
    const [a, b] = p.history().runs
    expect(a.batchX).toEqual([0.5, 1])
    expect(a.epochs.map((e) => e.epoch)).toEqual([1])
    expect(b.batchX).toEqual([2.5, 3])
    expect(b.epochs.map((e) => e.epoch)).toEqual([3])
  })

  it('accepts a whole, non-negative epochOffset on train:start and nothing else', () => {
    expect(validatePayload('train:start', { spec, settings, from: 'model', epochOffset: 3 })).toMatchObject({ ok: true, value: { epochOffset: 3 } })
    expect(validatePayload('train:start', { spec, settings, from: 'model', epochOffset: -1 })).toMatchObject({ ok: false, error: { path: 'epochOffset' } })
    expect(validatePayload('train:start', { spec, settings, epochOffset: 1.5 })).toMatchObject({ ok: false, error: { path: 'epochOffset' } })
  })
})
