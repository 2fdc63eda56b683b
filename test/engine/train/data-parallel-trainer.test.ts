import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Trainer, type TrainerEvent, type TrainerSettings } from '../../../src-engine/train/trainer'
import { startThreads } from '../../../src-engine/train/threads'
import { sliceBounds, type DataParallel } from '../../../src-engine/train/data-parallel'
import { subsetExamples } from '../../../src-engine/train/train-sample'
import { evaluate } from '../../../src-engine/train/evaluate'
import { engineMemory } from '../../../src-engine/kernels/gemm'
import type { NetSpec } from '../../../src-engine/spec-types'
import { SGD_SETTINGS, TINY_CNN, smallDigits } from './fixtures'
import { bundleWorker } from '../../helpers/bundle'

// The trainer on two threads, as a run with --threads 2 uses it: the update split across the threads.
const data = smallDigits()

describe('Trainer on two threads', () => {
  let entry = ''
  const pools: DataParallel[] = []
  beforeAll(async () => {
    entry = await bundleWorker('test/engine/train/replica-entry.ts')
  }, 60_000)
  afterAll(async () => {
    for (const p of pools) await p.close()
  })

  async function run(settings: TrainerSettings, emit?: (e: TrainerEvent) => void): Promise<{ t: Trainer; losses: number[] }> {
    const losses: number[] = []
    const t = new Trainer({ spec: TINY_CNN, settings, data }, (e) => {
      if (e.type === 'batch') losses.push(e.point.loss)
      emit?.(e)
    })
    const dp = await startThreads(t, 2, entry)
    if (dp) pools.push(dp)
    await t.run()
    return { t, losses }
  }

  for (const optimizer of ['Adam', 'SGD', 'Momentum'] as const) {
    it(`${optimizer}: the same seed gives the same loss curve and weights, bit for bit, and the loss falls`, async () => {
      const settings: TrainerSettings = { ...SGD_SETTINGS, optimizer, lr: optimizer === 'Adam' ? 0.003 : 0.05, epochs: 1, seed: 21 }
      const a = await run(settings)
      const b = await run(settings)
      expect(a.losses.length).toBeGreaterThan(5)
      expect(a.losses).toEqual(b.losses)
      const wa = a.t.model.weights()
      const wb = b.t.model.weights()
      for (const k of Object.keys(wa)) expect(Array.from(wa[k].data), k).toEqual(Array.from(wb[k].data))
      expect(a.losses.slice(-3).reduce((s, v) => s + v, 0)).toBeLessThan(a.losses.slice(0, 3).reduce((s, v) => s + v, 0))
      // the optimizer's state (moved into shared memory for the split update) is still there to save
      if (optimizer !== 'SGD') expect(Object.keys(a.t.optimizer.state()).length).toBeGreaterThan(0)
    })
  }

  for (const [optimizer, clip, early] of [['Adam', 0, true], ['SGD', 0, true], ['Momentum', 0, false], ['Adam', 0.5, false]] as const) {
    it(`${optimizer}${clip > 0 ? ' with clipping' : ''}: gathers the next batch before the update ${early ? 'and hands it over' : 'only when the replicas start it then (not here)'}`, async () => {
      const settings: TrainerSettings = { ...SGD_SETTINGS, optimizer, lr: 0.01, epochs: 1, seed: 8, clip }
      const t = new Trainer({ spec: TINY_CNN, settings, data }, () => {})
      const dp = (await startThreads(t, 2, entry))!
      pools.push(dp)
      const log: string[] = []
      const gather = t.data.train.gather.bind(t.data.train)
      t.data.train.gather = (ix, x, tt) => { log.push('gather'); gather(ix, x, tt) }
      const fb = dp.forwardBackward.bind(dp)
      dp.forwardBackward = (...a) => { log.push('train'); return fb(...a) }
      const update = dp.update.bind(dp)
      dp.update = (m, o, next) => { log.push(next ? 'update with next' : 'update'); update(m, o, next) }
      await t.run()
      const batches = 600 / SGD_SETTINGS.batchSize
      const want: string[] = []
      for (let b = 0; b < batches; b++) {
        if (!early) want.push('gather', 'train', ...(clip > 0 ? [] : ['update']))
        else want.push(...(b === 0 ? ['gather'] : []), ...(b + 1 < batches ? ['gather', 'train', 'update with next'] : ['train', 'update']))
      }
      // then the training sample's chunks, gathered after the epoch's last update (train-sample.ts)
      expect(log.slice(0, want.length)).toEqual(want)
      expect(log.slice(want.length).every((s) => s === 'gather')).toBe(true)
    })
  }

  it('with gradient clipping, combines first and still trains reproducibly', async () => {
    const settings: TrainerSettings = { ...SGD_SETTINGS, optimizer: 'Adam', lr: 0.003, epochs: 1, seed: 4, clip: 0.5 }
    const a = await run(settings)
    const b = await run(settings)
    expect(a.losses).toEqual(b.losses)
    expect(a.losses.every(Number.isFinite)).toBe(true)
  })

  it('a classifier ending in MSE or SigmoidWithLoss: each thread takes its slice\'s labels as one-hot rows, and the loss falls', async () => {
    // (label-losses.test.ts: how well they learn, on one thread)
    for (const loss of ['MSE', 'SigmoidWithLoss'] as const) {
      const spec = { ...TINY_CNN, task: 'classify' as const, layers: [...TINY_CNN.layers.slice(0, -1), { type: loss }] }
      const losses: number[] = []
      const t = new Trainer({ spec, settings: { ...SGD_SETTINGS, optimizer: 'Adam', lr: 0.003, epochs: 1, seed: 3 }, data }, (e) => {
        if (e.type === 'batch') losses.push(e.point.loss)
      })
      const dp = (await startThreads(t, 2, entry))!
      pools.push(dp)
      const out = await t.run()
      expect(out.state, loss).toBe('done')
      expect(losses.length).toBe(12)
      expect(out.reports[0].testLoss, loss).toBeLessThan(losses[0])
    }
  })

  it('evaluates the held-out examples on both threads, each its slice of a batch: every example as one thread, no blocks of its own', async () => {
    // BatchNormalization in inference mode uses the training thread's running statistics (a replica's own are of its
    // slices), Dropout passes through; a batch of 64 leaves a last chunk of 8, all of it in the training thread's slice
    const spec: NetSpec = {
      input: [1, 28, 28],
      layers: [
        { type: 'Convolution', filters: 4, kernel: 5 }, { type: 'BatchNormalization' }, { type: 'Relu' }, { type: 'Pooling', size: 2, stride: 2 },
        { type: 'Dropout', rate: 0.3 }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }
      ]
    }
    const B = 64
    const t = new Trainer({ spec, settings: { ...SGD_SETTINGS, optimizer: 'Adam', lr: 0.003, batchSize: B, epochs: 1, seed: 6 }, data, snapshotEveryMs: 0 })
    const dp = (await startThreads(t, 2, entry))!
    pools.push(dp)
    const chunks: number[] = []
    const evaluateOnThreads = dp.evaluate.bind(dp)
    dp.evaluate = (m, x, tt, n, w) => { chunks.push(n); return evaluateOnThreads(m, x, tt, n, w) }
    const mem = engineMemory()!
    let before = 0
    const work = t.work()
    for (let u = work.next(); !u.done; u = work.next()) if (u.value === 'batch') before = mem.blockBytes.bytes
    // the 200 held-out examples, then the 600 of the training sample (train-sample.ts: all of them, fewer than 1,000)
    expect(chunks).toEqual([64, 64, 64, 8, ...new Array<number>(9).fill(64), 24])
    // this thread's slice of each chunk runs in its slice of a batch's blocks (the replica's in its own arena)
    expect(mem.blockBytes.bytes - before).toBeLessThan(2 * B * 28 * 28 * 4)
    const report = t.reports[0]
    // one thread over the same weights, in chunks of the batch
    const one = evaluate(t.model, t.data.test, B)
    let r = one.next()
    while (!r.done) r = one.next()
    expect(report.testAcc).toBe(r.value.acc)
    expect(report.confusion).toEqual(r.value.confusion)
    expect(report.confidentWrong).toEqual(r.value.confidentWrong)
    expect(Math.abs(report.testLoss! - r.value.loss) / r.value.loss).toBeLessThan(1e-7)
    // the training sample (all 600 here) as one thread evaluates it
    const sample = evaluate(t.model, t.data.train, B)
    let rs = sample.next()
    while (!rs.done) rs = sample.next()
    expect(report.trainEvalAcc).toBe(rs.value.acc)
    // a last short chunk whose real rows run past the training thread's slice into the replica's (there, real < n)
    const n0 = sliceBounds(B, 2, (dp as unknown as { lead: number }).lead)[1]
    const rows = new Uint32Array(B + n0 + 5).map((_, i) => i)
    const part = subsetExamples(t.data.test, rows)
    const pooled = finish(evaluate(t.model, part, B, (m, x, tt, n, w) => dp.evaluate(m, x, tt, n, w)))
    const alone = finish(evaluate(t.model, part, B))
    expect(pooled.acc).toBe(alone.acc)
    expect(pooled.confusion).toEqual(alone.confusion)
    expect(pooled.confidentWrong).toEqual(alone.confidentWrong)
    expect(Math.abs(pooled.loss - alone.loss) / alone.loss).toBeLessThan(1e-7)
  })
})

function finish<T>(g: Generator<unknown, T, void>): T {
  for (;;) {
    const r = g.next()
    if (r.done) return r.value
  }
}
