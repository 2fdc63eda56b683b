import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Worker } from 'node:worker_threads'
import { Rng } from '../../../src-engine/rng'
import { tensor, type Tensor } from '../../../src-engine/tensor'
import type { NetSpec } from '../../../src-engine/spec-types'
import { Sequential } from '../../../src-engine/models/sequential'
import { DataParallel } from '../../../src-engine/train/data-parallel'
import { correctFor, targetFor } from '../../../src-engine/train/replica'
import { bundleWorker } from '../../helpers/bundle'

const spec: NetSpec = {
  input: [1, 8, 8],
  layers: [
    { type: 'Convolution', filters: 3, kernel: 3, pad: 1 },
    { type: 'Relu' },
    { type: 'Pooling', size: 2, stride: 2 },
    { type: 'Affine', units: 5 },
    { type: 'SoftmaxWithLoss' }
  ]
}

function batch(B: number, seed: number): { x: Tensor; t: Tensor } {
  const rng = new Rng(seed)
  const x = tensor([B, 1, 8, 8])
  for (let i = 0; i < x.data.length; i++) x.data[i] = rng.next()
  const t = tensor([B])
  for (let i = 0; i < B; i++) t.data[i] = rng.int(5)
  return { x, t }
}

describe('data-parallel training across threads', () => {
  let entry = ''
  const pools: DataParallel[] = []
  beforeAll(async () => {
    entry = await bundleWorker('test/engine/train/replica-entry.ts')
  }, 60_000)
  afterAll(async () => {
    for (const p of pools) await p.close()
  })

  async function pool(threads: number, model: Sequential, maxBatch: number): Promise<DataParallel> {
    const p = await DataParallel.create({
      spec, threads, seed: 1, paramCount: model.paramCount, xPer: 64, tPer: 1, maxBatch,
      spawn: (init) => new Worker(entry, { workerData: init })
    })
    pools.push(p)
    return p
  }

  for (const threads of [2, 3]) {
    it(`with ${threads} threads gives the whole batch's loss and gradient`, async () => {
      const model = Sequential.fromSpec(spec, new Rng(5))
      const { x, t } = batch(21, 9)
      // reference: the whole batch on one model
      const scores = model.forward(model.inputTensor(x.data, 21), true)
      const refLoss = model.lossLayer!.forward(scores, t)
      model.backward()
      const refGrads = model.grads.map((g) => g.data.slice())

      const dp = await pool(threads, model, 32)
      const r = dp.step(model, model.inputTensor(x.data, 21), t, targetFor(model), correctFor(model))
      expect(r.loss).toBeCloseTo(refLoss, 5)
      model.grads.forEach((g, k) => {
        for (let i = 0; i < g.data.length; i++) {
          if (Math.abs(g.data[i] - refGrads[k][i]) > 1e-6 + 1e-4 * Math.abs(refGrads[k][i])) {
            expect.fail(`grad ${model.paramKeys[k]}[${i}]: ${g.data[i]} vs single-thread ${refGrads[k][i]}`)
          }
        }
      })
    })
  }

  it('is reproducible: the same steps give the same numbers bit for bit', async () => {
    const run = async (): Promise<number[]> => {
      const model = Sequential.fromSpec(spec, new Rng(5))
      const dp = await pool(2, model, 32)
      const losses: number[] = []
      for (let s = 0; s < 5; s++) {
        const { x, t } = batch(32, 100) // the same batch: its loss must fall
        losses.push(dp.step(model, model.inputTensor(x.data, 32), t, targetFor(model), correctFor(model)).loss)
        for (let k = 0; k < model.params.length; k++) {
          const p = model.params[k].data, g = model.grads[k].data
          for (let i = 0; i < p.length; i++) p[i] -= 0.1 * g[i]
        }
      }
      return losses
    }
    const a = await run()
    const b = await run()
    expect(a).toEqual(b)
    expect(a[4]).toBeLessThan(a[0])
  })

  it('reports an error raised in a replica thread instead of hanging', async () => {
    const model = Sequential.fromSpec(spec, new Rng(5))
    const dp = await pool(2, model, 32)
    const { x } = batch(8, 3)
    // the second half (the replica's slice) names class 7, which does not exist (5 classes)
    const bad = tensor([8], Float32Array.from([0, 1, 2, 3, 7, 7, 7, 7]))
    expect(() => dp.step(model, model.inputTensor(x.data, 8), bad, targetFor(model), correctFor(model))).toThrow(/kernel thread 1: .*7/)
  })
})
