import { describe, expect, it } from 'vitest'
import { Trainer, countCorrect, type TrainerEvent } from '../../../src-engine/train/trainer'
import { DivergenceWatch, describeDivergence, divergenceFacts, divergenceMessage, suggestLr } from '../../../src-engine/train/divergence'
import { fromArray } from '../../../src-engine/tensor'
import type { BatchPoint, EpochReport } from '../../../src-engine/protocol'
import { asExamples, type Examples } from '../../../src-engine/train/examples'
import { SGD_SETTINGS, TINY_CNN, TINY_MLP, smallDigits } from './fixtures'
import { until } from '../../helpers'

const data = smallDigits()

function withoutSeconds(r: EpochReport): Omit<EpochReport, 'seconds'> {
  const { seconds: _s, ...rest } = r
  return rest
}

function collect(): { events: TrainerEvent[]; emit: (e: TrainerEvent) => void } {
  const events: TrainerEvent[] = []
  return { events, emit: (e) => events.push(e) }
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r))

describe('Trainer', () => {
  it('lowers the loss of a small network and learns the digits well above chance', async () => {
    const { events, emit } = collect()
    const outcome = await new Trainer({ spec: TINY_MLP, settings: SGD_SETTINGS, data }, emit).run()
    expect(outcome.state).toBe('done')
    const losses = events.flatMap((e) => (e.type === 'batch' ? [e.point.loss] : []))
    expect(losses.length).toBe(2 * 12)
    const firstFew = losses.slice(0, 3).reduce((s, v) => s + v, 0) / 3
    const lastFew = losses.slice(-3).reduce((s, v) => s + v, 0) / 3
    expect(lastFew).toBeLessThan(firstFew * 0.6)
    const [e1, e2] = outcome.reports
    expect(e2.trainLoss).toBeLessThan(e1.trainLoss)
    expect(e2.testAcc).toBeGreaterThan(0.6)
    expect(e2.confusion?.counts.reduce((s, v) => s + v, 0)).toBe(200)
    expect(e2.confidentWrong?.length).toBeGreaterThan(0)
    for (const w of e2.confidentWrong ?? []) expect(w.predicted).not.toBe(w.label)
  })

  it('gives the same numbers and weights, bit for bit, for the same seed, and others for another seed', async () => {
    const run = async (seed: number): Promise<Trainer> => {
      const t = new Trainer({ spec: TINY_CNN, settings: { ...SGD_SETTINGS, epochs: 1, seed }, data })
      await t.run()
      return t
    }
    const a = await run(11)
    const b = await run(11)
    const c = await run(12)
    expect(a.reports.map(withoutSeconds)).toEqual(b.reports.map(withoutSeconds))
    const wa = a.model.weights()
    const wb = b.model.weights()
    for (const k of Object.keys(wa)) expect(Buffer.from(wa[k].data.buffer).equals(Buffer.from(wb[k].data.buffer)), k).toBe(true)
    expect(c.reports[0].trainLoss).not.toBe(a.reports[0].trainLoss)
  })

  it('honours pause within one batch, steps exactly one batch, resumes and stops', async () => {
    const { events, emit } = collect()
    const t = new Trainer({ spec: TINY_MLP, settings: { ...SGD_SETTINGS, epochs: 50 }, data }, emit)
    const batches = (): number => events.filter((e) => e.type === 'batch').length
    const done = t.run()
    // Like a worker message: the pause arrives from the event loop while batches are running.
    await until(() => batches() >= 2)
    setImmediate(() => t.pause())
    await until(() => t.state === 'paused')
    const atPause = batches()
    await new Promise((r) => setTimeout(r, 100))
    expect(batches()).toBe(atPause)
    t.step()
    await until(() => batches() === atPause + 1 && t.state === 'paused')
    await new Promise((r) => setTimeout(r, 50))
    expect(batches()).toBe(atPause + 1)
    t.resume()
    await until(() => batches() >= atPause + 4)
    setImmediate(() => t.stop())
    const outcome = await done
    expect(outcome.state).toBe('stopped')
    const stoppedAt = batches()
    await tick()
    expect(batches()).toBe(stoppedAt)
    const states = events.flatMap((e) => (e.type === 'state' ? [e.state] : []))
    // A step runs one batch without leaving the paused state.
    expect(states).toEqual(['running', 'paused', 'running', 'stopped'])
  })

  it('stops a paused run when asked', async () => {
    const t = new Trainer({ spec: TINY_MLP, settings: SGD_SETTINGS, data })
    const done = t.run()
    setImmediate(() => t.pause())
    await until(() => t.state === 'paused')
    t.stop()
    expect((await done).state).toBe('stopped')
  })

  it('changes the learning rate live', async () => {
    const t = new Trainer({ spec: TINY_MLP, settings: SGD_SETTINGS, data })
    t.setLr(0.02)
    expect(t.optimizer.lr).toBe(0.02)
    expect(() => t.setLr(-1)).toThrow(/positive/)
  })

  it('stops itself when the loss diverges and says which learning rate to try', async () => {
    const { events, emit } = collect()
    const t = new Trainer({ spec: TINY_MLP, settings: { ...SGD_SETTINGS, lr: 500 }, data }, emit)
    const outcome = await t.run()
    expect(outcome.state).toBe('failed')
    expect(outcome.message).toMatch(/^the loss (became NaN|became Infinity|exploded to [\d.]+ \(it started at [\d.]+\)) at epoch 1 batch \d+; the learning rate 500 is too high for SGD — try 0\.01$/)
    const diverged = events.find((e) => e.type === 'diverged')
    expect(diverged).toMatchObject({ type: 'diverged', message: outcome.message, facts: { epoch: 1, optimizer: 'SGD', lr: 500, suggestedLr: 0.01 } })
    // the facts say what the English message says, and survive JSON (the web shell's wire)
    const facts = diverged?.type === 'diverged' ? diverged.facts : null
    expect(facts && describeDivergence(JSON.parse(JSON.stringify(facts)))).toBe(outcome.message)
    expect(events.at(-1)).toEqual({ type: 'state', state: 'failed', message: outcome.message })
    expect(outcome.reports).toEqual([])
  })

  it('puts back the last good weights when the loss diverges, the ones that gave a loss below the first batch\'s', async () => {
    const { events, emit } = collect()
    // every batch may be copied (keepEveryMs 0, a clock that stands still); after batch 4 the learning rate jumps,
    // as a learner may do live
    const t = new Trainer({ spec: TINY_MLP, settings: { ...SGD_SETTINGS, epochs: 1 }, data, keepEveryMs: 0, now: () => 0 }, (e) => {
      emit(e)
      if (e.type === 'batch') {
        after.set(e.point.batch, t.model.weights())
        if (e.point.batch === 4) t.setLr(1000)
      }
    })
    // the weights after each batch's update: those batch + 1 trained with
    const after = new Map<number, ReturnType<typeof t.model.weights>>([[0, t.model.weights()]])
    const outcome = await t.run()
    expect(outcome.state).toBe('failed')
    const diverged = events.find((e) => e.type === 'diverged')
    if (diverged?.type !== 'diverged' || diverged.kept === null) throw new Error('expected a divergence with kept weights')
    const { kept } = diverged
    const losses = events.flatMap((e) => (e.type === 'batch' ? [e.point.loss] : []))
    expect(kept.epoch).toBe(1)
    expect(kept.batch).toBeGreaterThan(1)
    expect(kept.batch).toBeLessThanOrEqual(losses.length)
    expect(kept.loss).toBe(losses[kept.batch - 1])
    expect(kept.loss).toBeLessThan(losses[0])
    // no later batch before the divergence had a loss below the first: the copy is the latest one it could be
    for (const l of losses.slice(kept.batch)) expect(l).toBeGreaterThanOrEqual(losses[0])
    const now = t.model.weights()
    const want = after.get(kept.batch - 1)!
    for (const k of Object.keys(want)) expect(now[k].data).toEqual(want[k].data)
    for (const w of Object.values(now)) expect(w.data.every(Number.isFinite)).toBe(true)
    // without keepEveryMs (the CLI) nothing is kept: the model holds what the diverging steps left
    const plain = new Trainer({ spec: TINY_MLP, settings: { ...SGD_SETTINGS, lr: 1000 }, data }, emit)
    await plain.run()
    expect(events.filter((e) => e.type === 'diverged').at(-1)).toMatchObject({ kept: null })
  })

  it('emits throttled snapshots with the first conv filters and every layer\'s maps', async () => {
    const { events, emit } = collect()
    let clock = 0
    const t = new Trainer({ spec: TINY_CNN, settings: { ...SGD_SETTINGS, epochs: 1 }, data, snapshotEveryMs: 1000, now: () => (clock += 100) }, emit)
    await t.run()
    const snaps = events.flatMap((e) => (e.type === 'snapshot' ? [e.snapshot] : []))
    // Start and end, plus one per simulated second of training.
    expect(snaps.length).toBeGreaterThanOrEqual(2)
    expect(snaps.length).toBeLessThan(events.filter((e) => e.type === 'batch').length)
    const s = snaps.at(-1)!
    expect(s.filters).toMatchObject({ count: 4, h: 5, w: 5 })
    expect(s.featureMaps?.map((m) => m.layer)).toEqual(['conv1', 'relu1', 'pool1', 'affine1'])
    expect(s.featureMaps?.[0].maps).toMatchObject({ count: 4, h: 24, w: 24 })
    expect(s.featureMaps?.[3].maps).toMatchObject({ count: 1, h: 1, w: 10 })
  })

  // Q2's G6: the speed counted only trainBatch, so the page said ~550/s where the run did ~380/s
  it('reports the wall-clock speed (gathering and snapshots in, pauses out) and how long an evaluation takes', async () => {
    let clock = 0
    // gathering a batch (or an evaluation chunk) of 50 takes 100 ms here, outside the training step itself
    const slowed = (d: typeof data.train): Examples => {
      const ex = asExamples(d)
      const gather = ex.gather.bind(ex)
      ex.gather = (...a: Parameters<Examples['gather']>) => {
        clock += 100
        gather(...a)
      }
      return ex
    }
    const points: BatchPoint[] = []
    const t: Trainer = new Trainer({ spec: TINY_MLP, settings: SGD_SETTINGS, data: { train: slowed(data.train), test: slowed(data.test) }, snapshotEveryMs: 0, now: () => clock }, (e) => {
      if (e.type !== 'batch') return
      points.push(e.point)
      // a 5-second pause after the third batch is not training time
      if (points.length === 3) {
        t.pause()
        setImmediate(() => {
          clock += 5000
          t.resume()
        })
      }
    })
    await t.run()
    expect(points).toHaveLength(24)
    for (const p of points) expect(p.examplesPerSec).toBeCloseTo(500, 6)
    // before the first evaluation: 200 held-out and 600 training examples (train-sample.ts) at a third of the training
    // time; then the 4 + 12 chunks' 1,600 ms
    expect(points[0].evalSeconds).toBeCloseTo((200 + 600) / 500 / 3, 9)
    expect(points.at(-1)!.evalSeconds).toBeCloseTo(1.6, 9)
  })

  it('trains an autoencoder (task reconstruct) against its own input, with no accuracy', async () => {
    const spec = {
      input: [1, 28, 28], task: 'reconstruct' as const,
      layers: [{ type: 'Affine' as const, units: 16 }, { type: 'Relu' as const }, { type: 'Affine' as const, units: 784 }, { type: 'Sigmoid' as const }, { type: 'MSE' as const }]
    }
    const outcome = await new Trainer({ spec, settings: { optimizer: 'Adam', lr: 0.01, batchSize: 50, epochs: 2, seed: 1 }, data }).run()
    expect(outcome.state).toBe('done')
    const [e1, e2] = outcome.reports
    expect(e2.trainLoss).toBeLessThan(e1.trainLoss)
    expect(e2.testLoss).toBeLessThan(e1.testLoss)
    expect([e1.trainAcc, e1.testAcc, e2.confusion]).toEqual([null, null, undefined])
  })

  it('rejects data whose examples do not fit the network\'s input', () => {
    expect(() => new Trainer({ spec: { ...TINY_MLP, input: [3, 28, 28] }, settings: SGD_SETTINGS, data })).toThrow(
      'the network expects inputs of (3, 28, 28) but the training data has examples of (1, 28, 28)'
    )
  })
})

describe('training helpers', () => {
  it('counts arg-max hits', () => {
    expect(countCorrect(fromArray([3, 2], [0.1, 0.9, 2, 1, 0, 0]), fromArray([3], [1, 0, 1]))).toBe(2)
  })

  it('flags NaN at once and a loss that climbs far above its start', () => {
    expect(new DivergenceWatch().check(NaN)).toEqual({ loss: NaN, reason: 'not-finite' })
    const w = new DivergenceWatch()
    for (const l of [2.3, 2.2, 2.1, 2.0]) expect(w.check(l)).toBeNull()
    expect(w.check(2.5)).toBeNull()
    for (const l of [14, 15, 16]) w.check(l)
    expect(w.check(16)?.reason).toBe('exploded')
    expect(suggestLr('SGD', 5)).toBe(0.01)
    expect(suggestLr('Adam', 0.002)).toBe(0.0002)
  })

  it('words a divergence from its facts, the same English sentence as before', () => {
    const exploded = divergenceFacts({ loss: 11.857, reason: 'exploded' }, 1, 5, 'Adam', 10, 2.7311)
    expect(exploded).toEqual({ reason: 'exploded', loss: 11.857, firstLoss: 2.7311, epoch: 1, batch: 5, optimizer: 'Adam', lr: 10, suggestedLr: 0.001 })
    expect(describeDivergence(exploded)).toBe('the loss exploded to 11.86 (it started at 2.73) at epoch 1 batch 5; the learning rate 10 is too high for Adam — try 0.001')
    expect(divergenceMessage({ loss: 11.857, reason: 'exploded' }, 2, 3, 'SGD', 0.02, null)).toBe('the loss exploded to 11.86 at epoch 2 batch 3; the learning rate 0.02 is too high for SGD — try 0.002')
    for (const [loss, name] of [[NaN, 'NaN'], [Infinity, 'Infinity'], [-Infinity, '-Infinity']] as const) {
      const f = divergenceFacts({ loss, reason: 'not-finite' }, 3, 37, 'SGD', 5, 2.3)
      expect(f).toEqual({ reason: 'not-finite', loss: name, epoch: 3, batch: 37, optimizer: 'SGD', lr: 5, suggestedLr: 0.01 })
      expect(JSON.parse(JSON.stringify(f))).toEqual(f)
      expect(describeDivergence(f)).toBe(`the loss became ${name} at epoch 3 batch 37; the learning rate 5 is too high for SGD — try 0.01`)
    }
  })
})
