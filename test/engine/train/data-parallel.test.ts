import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { Worker } from 'node:worker_threads'
import { Rng } from '../../../src-engine/rng'
import { tensor, type Tensor } from '../../../src-engine/tensor'
import type { NetSpec } from '../../../src-engine/spec-types'
import { Sequential } from '../../../src-engine/models/sequential'
import { DataParallel, PhaseTrace, leadExamples, rangePieces, sliceBounds } from '../../../src-engine/train/data-parallel'
import { spin, wake } from '../../../src-engine/train/thread-sync'
import { makeOptimizer, OPTIMIZER_NAMES } from '../../../src-engine/optimizers'
import { correctFor, targetFor } from '../../../src-engine/train/replica'
import { bundleWorker } from '../../helpers/bundle'
import { kernelArray } from '../../../src-engine/kernels/gemm'

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

/** model.grads agree with the single-thread reference `refGrads` (to 1e-6 + 1e-4 relative). */
function expectGradsNear(model: Sequential, refGrads: Float32Array[]): void {
  model.grads.forEach((g, k) => {
    for (let i = 0; i < g.data.length; i++) {
      if (Math.abs(g.data[i] - refGrads[k][i]) > 1e-6 + 1e-4 * Math.abs(refGrads[k][i])) {
        expect.fail(`grad ${model.paramKeys[k]}[${i}]: ${g.data[i]} vs single-thread ${refGrads[k][i]}`)
      }
    }
  })
}

describe('data-parallel training across threads', () => {
  let entry = ''
  const pools: DataParallel[] = []
  beforeAll(async () => {
    entry = await bundleWorker('test/engine/train/replica-entry.ts')
  }, 60_000)
  // every test's pools closed after it: a later test's pool then gets the training thread's arenas again
  afterEach(async () => {
    for (const p of pools.splice(0)) await p.close()
  })

  /** A pool; with `split`, made for `model` (combining and updating split across the threads), and for `optimizer`. */
  async function pool(threads: number, model: Sequential, maxBatch: number, split = false, net: NetSpec = spec,
    optimizer?: (typeof OPTIMIZER_NAMES)[number]): Promise<DataParallel> {
    const p = await DataParallel.create({
      spec: net, threads, seed: 1, paramCount: model.paramCount, xPer: 64, tPer: 1, maxBatch,
      spawn: (init) => new Worker(entry, { workerData: init }),
      model: split ? model : undefined,
      optimizer
    })
    pools.push(p)
    return p
  }

  it('refuses to start when a thread stops before it is ready, rather than waiting for ever', async () => {
    const model = Sequential.fromSpec(spec, new Rng(5))
    const started = DataParallel.create({
      spec, threads: 2, seed: 1, paramCount: model.paramCount, xPer: 64, tPer: 1, maxBatch: 8,
      // a thread that ends at once without an error (before, nothing settled the start)
      spawn: () => new Worker('process.exit(0)', { eval: true })
    })
    const timeout = new Promise((resolve) => setTimeout(() => resolve('still waiting'), 5000))
    await expect(Promise.race([started, timeout])).rejects.toThrow('kernel thread 1 could not start: it stopped (exit code 0)')
  })

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
      expectGradsNear(model, refGrads)
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

  // BatchNormalization's gamma, beta and gradients are ordinary arrays, not engine memory: they take the
  // route through the pool's own shared buffers, while the other layers' tensors are read in place.
  const bnSpec: NetSpec = {
    input: [1, 8, 8],
    layers: [
      { type: 'Convolution', filters: 3, kernel: 3, pad: 1 },
      { type: 'BatchNormalization' },
      { type: 'Relu' },
      { type: 'Pooling', size: 2, stride: 2 },
      { type: 'Affine', units: 5 },
      { type: 'SoftmaxWithLoss' }
    ]
  }

  for (const threads of [2, 3]) {
    it(`with ${threads} threads, a pool made for the model combines the whole batch's gradient across threads`, async () => {
      // (without BatchNormalization, whose slices normalise with their own statistics)
      const model = Sequential.fromSpec(spec, new Rng(5))
      const { x, t } = batch(21, 9)
      model.lossLayer!.forward(model.forward(model.inputTensor(x.data, 21), true), t)
      model.backward()
      const refGrads = model.grads.map((g) => g.data.slice())
      const dp = await pool(threads, model, 32, true)
      dp.forwardBackward(model, model.inputTensor(x.data, 21), t, targetFor(model), correctFor(model))
      dp.combine(model)
      expectGradsNear(model, refGrads)
    })
  }

  /** `steps` steps of forwardBackward + update; returns the losses and the final parameters. */
  async function train(threads: number, split: boolean, optimizer: (typeof OPTIMIZER_NAMES)[number], B = 21, steps = 4): Promise<{ losses: number[]; params: Float32Array[] }> {
    const model = Sequential.fromSpec(bnSpec, new Rng(5))
    const dp = await pool(threads, model, 32, split, bnSpec)
    const opt = makeOptimizer(optimizer, 0.05, { weightDecay: 0.01 })
    const losses: number[] = []
    for (let s = 0; s < steps; s++) {
      const { x, t } = batch(B, 100 + s)
      losses.push(dp.forwardBackward(model, model.inputTensor(x.data, B), t, targetFor(model), correctFor(model)).loss)
      dp.update(model, opt)
    }
    return { losses, params: model.params.map((p) => p.data.slice()) }
  }

  for (const name of OPTIMIZER_NAMES) {
    it(`${name}: the update split across threads is bit for bit the optimizer's own update of the combined gradient`, async () => {
      const whole = await train(2, false, name)
      const split = await train(2, true, name)
      expect(split.losses).toEqual(whole.losses)
      split.params.forEach((p, k) => expect(p, `param ${k}`).toEqual(whole.params[k]))
    })
  }

  it('splits updates reproducibly with 3 threads, and with fewer examples than threads', async () => {
    const a = await train(3, true, 'Adam')
    const b = await train(3, true, 'Adam')
    expect(a).toEqual(b)
    expect(a.losses.every(Number.isFinite)).toBe(true)
    const whole = await train(3, false, 'Adam', 2)
    const split = await train(3, true, 'Adam', 2)
    expect(split).toEqual(whole)
  })

  it('keeps the optimizer state it had before the pool, and hands it back in state()', async () => {
    const model = Sequential.fromSpec(spec, new Rng(5))
    const ref = Sequential.fromSpec(spec, new Rng(5))
    const opt = makeOptimizer('Adam', 0.01)
    const refOpt = makeOptimizer('Adam', 0.01)
    // one step on one thread first: the state then moves into the pool's shared memory
    for (const [m, o] of [[model, opt], [ref, refOpt]] as const) {
      const { x, t } = batch(16, 7)
      m.lossLayer!.forward(m.forward(m.inputTensor(x.data, 16), true), t)
      m.backward()
      o.update(m.params, m.grads)
    }
    const dp = await pool(2, model, 16, true)
    const { x, t } = batch(16, 8)
    dp.forwardBackward(model, model.inputTensor(x.data, 16), t, targetFor(model), correctFor(model))
    dp.update(model, opt)
    ref.lossLayer!.forward(ref.forward(ref.inputTensor(x.data, 16), true), t)
    ref.backward()
    refOpt.update(ref.params, ref.grads)
    model.params.forEach((p, k) => {
      for (let i = 0; i < p.data.length; i++) expect(Math.abs(p.data[i] - ref.params[k].data[i])).toBeLessThan(1e-6)
    })
    const s = opt.state()
    const r = refOpt.state()
    expect(Object.keys(s).sort()).toEqual(Object.keys(r).sort())
    expect(s.iter[0]).toBe(2)
    for (const key of Object.keys(r)) for (let i = 0; i < r[key].length; i++) expect(Math.abs(s[key][i] - r[key][i])).toBeLessThan(1e-6)
  })

  // update(…, next): the replicas start the next batch while the training thread updates (SGD, Adam)
  for (const [name, threads] of [['Adam', 2], ['SGD', 2], ['Adam', 3]] as const) {
    it(`${name}, ${threads} threads: starting the next batch during the update changes no number, whatever batch comes next`, async () => {
      const batches = [batch(21, 200), batch(21, 201), batch(21, 202), batch(13, 203), batch(21, 204), batch(21, 205)]
      // the batch announced to update() before each step; step 3 trains another one than announced
      const announced = batches.map((b, s) => (s === 3 ? batch(13, 299) : b))
      const run = async (ahead: boolean): Promise<{ losses: number[]; params: Float32Array[]; started: number }> => {
        const model = Sequential.fromSpec(spec, new Rng(5))
        const dp = await pool(threads, model, 32, true, spec, name)
        expect(dp.lookahead).toBe(name)
        const opt = makeOptimizer(name, 0.05, { weightDecay: 0.01 })
        const losses: number[] = []
        let started = 0
        for (let s = 0; s < batches.length; s++) {
          const { x, t } = batches[s]
          const n = t.data.length
          losses.push(dp.forwardBackward(model, model.inputTensor(x.data, n), t, targetFor(model), correctFor(model)).loss)
          const next = announced[s + 1]
          dp.update(model, opt, ahead && next ? { x: model.inputTensor(next.x.data, next.t.data.length), t: next.t } : undefined)
          // (a look inside: the replicas are under way)
          if ((dp as unknown as { ahead: unknown }).ahead !== null) started++
        }
        return { losses, params: model.params.map((p) => p.data.slice()), started }
      }
      const plain = await run(false)
      const ahead = await run(true)
      expect(plain.started).toBe(0)
      expect(ahead.started).toBe(batches.length - 1)
      expect(ahead.losses).toEqual(plain.losses)
      ahead.params.forEach((p, k) => expect(p, `param ${k}`).toEqual(plain.params[k]))
      expect(ahead.losses[5]).toBeLessThan(ahead.losses[0])
    })
  }

  it('with a PhaseTrace buffer, records every thread\'s phases of each step in order, and trains the same numbers', async () => {
    const run = async (trace?: SharedArrayBuffer): Promise<{ losses: number[]; params: Float32Array[] }> => {
      const model = Sequential.fromSpec(spec, new Rng(5))
      const dp = await DataParallel.create({
        spec, threads: 2, seed: 1, paramCount: model.paramCount, xPer: 64, tPer: 1, maxBatch: 32,
        spawn: (init) => new Worker(entry, { workerData: init }), model, optimizer: 'Adam', trace
      })
      pools.push(dp)
      const opt = makeOptimizer('Adam', 0.05)
      const losses: number[] = []
      for (let s = 0; s < 3; s++) {
        const { x, t } = batch(21, 300 + s)
        losses.push(dp.forwardBackward(model, model.inputTensor(x.data, 21), t, targetFor(model), correctFor(model)).loss)
        // the next batch announced, except after the last (so the replicas are done when run() returns)
        const next = batch(21, 301 + s)
        dp.update(model, opt, s < 2 ? { x: model.inputTensor(next.x.data, 21), t: next.t } : undefined)
      }
      return { losses, params: model.params.map((p) => p.data.slice()) }
    }
    const trace = PhaseTrace.buffer(2)
    const traced = await run(trace)
    expect(traced).toEqual(await run())
    const main = PhaseTrace.read(trace, 0)
    // the training thread: forward, backward and the wait, then an update that posts the next batch (not the last)
    const step = ['prepare', 'forward', 'backward', 'wait']
    expect(main.map((r) => r.phase)).toEqual([...step, 'prepare', 'post', 'update', ...step, 'prepare', 'post', 'update', ...step])
    // the replica: three steps (the first posted by forwardBackward, the others during the updates)
    const replica = PhaseTrace.read(trace, 1).filter((r) => r.phase !== 'ready-wait')
    expect(replica.map((r) => r.phase)).toEqual(Array.from({ length: 3 }, () => ['forward', 'backward', 'copy']).flat())
    for (const recs of [main, replica]) {
      for (let i = 0; i < recs.length; i++) {
        expect(recs[i].end).toBeGreaterThanOrEqual(recs[i].start)
        if (i > 0) expect(recs[i].start).toBeGreaterThanOrEqual(recs[i - 1].end)
      }
    }
  })

  it('with the training thread\'s smaller slice, still gives the whole batch\'s gradient', async () => {
    const model = Sequential.fromSpec(spec, new Rng(5))
    const { x, t } = batch(21, 9)
    model.lossLayer!.forward(model.forward(model.inputTensor(x.data, 21), true), t)
    model.backward()
    const refGrads = model.grads.map((g) => g.data.slice())
    const dp = await pool(2, model, 32, true, spec, 'Adam')
    dp.forwardBackward(model, model.inputTensor(x.data, 21), t, targetFor(model), correctFor(model))
    dp.combine(model)
    expectGradsNear(model, refGrads)
  })

  it('a replica works in the training thread\'s engine memory: in place for that model, and another model\'s step leaves its weights alone', async () => {
    const model = Sequential.fromSpec(spec, new Rng(5))
    const other = Sequential.fromSpec(spec, new Rng(6))
    const dp = await pool(2, model, 32, true, spec, 'Adam')
    expect(dp.replicasInPlace).toBe(1)
    const before = model.params.map((p) => p.data.slice())
    // another network on the same pool: its parameters are published, and the replica must not write them
    // over the pool's model, whose tensors it otherwise reads in place
    const { x, t } = batch(21, 9)
    other.lossLayer!.forward(other.forward(other.inputTensor(x.data, 21), true), t)
    other.backward()
    const refOther = other.grads.map((g) => g.data.slice())
    dp.step(other, other.inputTensor(x.data, 21), t, targetFor(other), correctFor(other))
    expectGradsNear(other, refOther)
    model.params.forEach((p, k) => expect(p.data, `param ${k}`).toEqual(before[k]))
    // and the pool's own model afterwards: in place again, the whole batch's gradient
    model.lossLayer!.forward(model.forward(model.inputTensor(x.data, 21), true), t)
    model.backward()
    const ref = model.grads.map((g) => g.data.slice())
    dp.forwardBackward(model, model.inputTensor(x.data, 21), t, targetFor(model), correctFor(model))
    dp.combine(model)
    expectGradsNear(model, ref)
  })

  it('gives its gradient and state blocks back only once close() has settled: a closing pool\'s replica may still write its gradient slot', async () => {
    const model = Sequential.fromSpec(spec, new Rng(5))
    const dp = await pool(2, model, 32, true, spec, 'Adam')
    const own = new Set([...dp['grads'], ...dp['state']].map((a) => a.byteOffset))
    expect(own.size).toBeGreaterThan(0)
    const closing = dp.close()
    dp.releaseBuffers() // too early: nothing comes back
    expect(own.has(kernelArray(model.paramCount).byteOffset)).toBe(false)
    await closing
    dp.releaseBuffers()
    expect(own.has(kernelArray(model.paramCount).byteOffset)).toBe(true)
  })

  it('lends the arenas to one pool at a time: a second open pool copies, training the same numbers bit for bit, and a pool after close() works in place again', async () => {
    /** Adam steps, each but the last starting the next batch during the update (staged), the last without (in place). */
    const train = async (dp: DataParallel, model: Sequential): Promise<{ losses: number[]; params: Float32Array[] }> => {
      const opt = makeOptimizer('Adam', 0.05, { weightDecay: 0.01 })
      const losses: number[] = []
      for (let s = 0; s < 5; s++) {
        // one batch over and over (its loss must fall), a new copy each time: the replica's slice is compared, not assumed
        const { x, t } = batch(21, 400)
        losses.push(dp.forwardBackward(model, model.inputTensor(x.data, 21), t, targetFor(model), correctFor(model)).loss)
        const next = batch(21, 400)
        dp.update(model, opt, s < 3 ? { x: model.inputTensor(next.x.data, 21), t: next.t } : undefined)
      }
      return { losses, params: model.params.map((p) => p.data.slice()) }
    }
    const a = Sequential.fromSpec(spec, new Rng(5))
    const first = await pool(2, a, 32, true, spec, 'Adam')
    expect(first.replicasInPlace).toBe(1)
    // the first pool is open: the second one's replica keeps its own memory and copies parameters and gradients
    const b = Sequential.fromSpec(spec, new Rng(5))
    const second = await pool(2, b, 32, true, spec, 'Adam')
    expect(second.replicasInPlace).toBe(0)
    expect(second.lookahead).toBe('Adam')
    const copied = await train(second, b)
    const inPlace = await train(first, a)
    expect(copied.losses).toEqual(inPlace.losses)
    copied.params.forEach((p, k) => expect(p, `param ${k}`).toEqual(inPlace.params[k]))
    expect(copied.losses[4]).toBeLessThan(copied.losses[0])
    // both closed, the arenas are back: the next pool works in place
    for (const p of pools.splice(0)) await p.close()
    const c = Sequential.fromSpec(spec, new Rng(5))
    const third = await pool(2, c, 32, true, spec, 'Adam')
    expect(third.replicasInPlace).toBe(1)
    expect((await train(third, c)).losses).toEqual(inPlace.losses)
  })

  it('gives the arenas back when a pool fails before its threads start (its buffers too large to allocate)', async () => {
    // 2^40 examples a batch: the input buffer cannot be allocated, after the pool has made its blocks in engine memory
    await expect(pool(2, Sequential.fromSpec(spec, new Rng(5)), 2 ** 40, true)).rejects.toThrow()
    const model = Sequential.fromSpec(spec, new Rng(5))
    expect((await pool(2, model, 32, true)).replicasInPlace).toBe(1)
  })

  it('reports an error in a batch the replicas started early when that batch is trained, and not when another one is', async () => {
    const model = Sequential.fromSpec(spec, new Rng(5))
    const dp = await pool(2, model, 32, true, spec, 'Adam')
    const opt = makeOptimizer('Adam', 0.01)
    const good = batch(8, 3)
    // the replica's slice names class 7, which does not exist (5 classes)
    const bad = { x: good.x, t: tensor([8], Float32Array.from([0, 1, 2, 3, 7, 7, 7, 7])) }
    const fb = (b: { x: Tensor; t: Tensor }): number => dp.forwardBackward(model, model.inputTensor(b.x.data, 8), b.t, targetFor(model), correctFor(model)).loss
    fb(good)
    dp.update(model, opt, bad)
    expect(fb(good)).toBeGreaterThan(0) // another batch than announced: the failed early step is dropped
    dp.update(model, opt, bad)
    expect(() => fb(bad)).toThrow(/kernel thread 1: .*7/)
  })

  it('refuses a batch larger than it was prepared for, quoting that batch size, and takes every batch up to it', async () => {
    const model = Sequential.fromSpec(spec, new Rng(5))
    // a lead (Adam): the replica's slice is the larger one, so its buffers hold more than half of 9
    const dp = await pool(2, model, 9, true, spec, 'Adam')
    for (let B = 1; B <= 9; B++) {
      const { x, t } = batch(B, B)
      expect(dp.forwardBackward(model, model.inputTensor(x.data, B), t, targetFor(model), correctFor(model)).loss).toBeGreaterThan(0)
      dp.combine(model)
    }
    const { x, t } = batch(12, 1)
    expect(() => dp.forwardBackward(model, model.inputTensor(x.data, 12), t, targetFor(model), correctFor(model))).toThrow('data-parallel: batch of 12 is larger than the 9 prepared for')
  })

  it('cuts batches evenly, or with a smaller first slice for a lead', () => {
    expect(sliceBounds(100, 2)).toEqual([0, 50, 100])
    expect(sliceBounds(21, 3)).toEqual([0, 7, 14, 21])
    expect(sliceBounds(2, 3)).toEqual([0, 1, 2])
    expect(sliceBounds(100, 2, 3.26)).toEqual([0, 48, 100])
    expect(sliceBounds(100, 3, 3)).toEqual([0, 31, 66, 100])
    // every thread keeps at least one example
    expect(sliceBounds(3, 2, 50)).toEqual([0, 1, 3])
    expect(sliceBounds(1, 2, 5)).toEqual([0, 1])
    // the SimpleConvNet with Adam leads by its update's 1.4 ms, about five examples; the Keras CNN with SGD by
    // its 3 ms, between one and two of its larger examples (the replicas copy nothing that would make up for it)
    expect(leadExamples(865_000, 431_080, 'Adam')).toBeGreaterThan(5)
    expect(leadExamples(865_000, 431_080, 'Adam')).toBeLessThan(6)
    expect(leadExamples(7_050_000, 3_274_634, 'SGD')).toBeGreaterThan(1)
    expect(leadExamples(7_050_000, 3_274_634, 'SGD')).toBeLessThan(2)
    expect(leadExamples(865_000, 431_080, 'Momentum')).toBe(0)
  })

  it('cuts the flat parameters into contiguous ranges on 16-float lines', () => {
    const sizes = [270, 30, 4000, 5, 1]
    const pieces = rangePieces(sizes, 3)
    const covered: number[] = []
    const offs = [0, 270, 300, 4300, 4305]
    for (const range of pieces) for (const [k, a, b] of range) for (let i = a; i < b; i++) covered.push(offs[k] + i)
    expect(covered).toEqual(Array.from({ length: 4306 }, (_, i) => i))
    for (const range of pieces.slice(1)) expect((offs[range[0][0]] + range[0][1]) % 16).toBe(0)
  })
})

describe('sleepWhile / wake: a thread notifies only a thread that said it is about to sleep', () => {
  let entry = ''
  beforeAll(async () => {
    entry = await bundleWorker('test/engine/train/sleep-wake-entry.ts')
  }, 60_000)

  it('loses no wake-up in many rounds of ping-pong with random delays on either side (a lost one hangs: the timeout)', async () => {
    const rounds = 12_000
    const control = new SharedArrayBuffer(24)
    const workers = (['a', 'b'] as const).map((side) => new Worker(entry, { workerData: { control, side, rounds } }))
    try {
      const [a, b] = await Promise.all(workers.map((w) => new Promise<{ sleeps: number; notifies: number; order: number }>((resolve, reject) => {
        w.once('message', resolve)
        w.once('error', reject)
      })))
      // the last round's words (a's and b's for its parity) hold it, the other two the round before
      expect(new Int32Array(control).slice(0, 4)).toEqual(Int32Array.from([rounds - 1, rounds, rounds - 1, rounds]))
      expect(a.order + b.order).toBe(0)
      // a notify is only for a partner that announced its sleep: at most one per sleep (each side sleeps on a word
      // of its round's parity, so a late look never finds the announcement of the partner's next round: the entry)
      expect(a.notifies).toBeLessThanOrEqual(b.sleeps)
      expect(b.notifies).toBeLessThanOrEqual(a.sleeps)
    } finally {
      await Promise.all(workers.map((w) => w.terminate()))
    }
  }, 30_000)

  it('spin: stops when the condition ends, and gives up after its time on a core', () => {
    let n = 0
    expect(spin(() => ++n < 1000, 60_000)).toBe(true)
    expect(n).toBe(1000)
    expect(spin(() => true, 1)).toBe(false) // returns at all (a hang fails on the test's timeout)
  })

  it('skips the notify when nobody announced a sleep on that word', () => {
    const control = new Int32Array(4)
    Atomics.store(control, 0, 1)
    expect(wake(control, 0, [2, 3])).toBe(false)
    Atomics.store(control, 3, 1 + 1) // asleep on word 1, not 0
    expect(wake(control, 0, [2, 3])).toBe(false)
    Atomics.store(control, 2, 0 + 1)
    expect(wake(control, 0, [2, 3])).toBe(true)
  })
})
