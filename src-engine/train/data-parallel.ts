/**
 * Data-parallel training across threads: each step's mini-batch is cut into one slice per thread.
 * This thread trains slice 0 on the real model; replica threads (train/replica.ts) hold a copy of the
 * network, read the current parameters from shared memory, train their slice and write their
 * gradients back. The gradients are then combined as Σ (n_k / B)·g_k — exactly the gradient of the
 * mean loss over the whole batch — and the optimizer updates once, here.
 *
 * Why batch slices rather than splitting each GEMM: every layer (im2col, pooling, activations, the
 * LSTM's step loop) then runs in parallel, not only the matrix products. Results are reproducible for a
 * given seed and thread count (fixed slices, fixed summation order). BatchNormalization's running
 * statistics are taken from slice 0, as in data-parallel training without synchronised batch norm.
 *
 * Synchronisation is by Atomics on a shared Int32Array; this thread blocks in Atomics.wait, which is
 * allowed in a worker thread (the trainer runs in the training worker, never on the app's main thread).
 */
import type { Worker } from 'node:worker_threads'
import type { NetSpec } from '../spec-types'
import type { Tensor } from '../tensor'
import type { Sequential } from '../models/sequential'

function requireLoss(model: Sequential): NonNullable<Sequential['lossLayer']> {
  if (!model.lossLayer) throw new Error('this network has no loss layer: end it with SoftmaxWithLoss, MSE or SigmoidWithLoss to train it')
  return model.lossLayer
}

/** What a replica thread receives in workerData. */
export interface ReplicaInit {
  role: 'replica'
  index: number
  spec: NetSpec
  seed: number
  control: SharedArrayBuffer
  params: SharedArrayBuffer
  grads: SharedArrayBuffer
  x: SharedArrayBuffer
  t: SharedArrayBuffer
  results: SharedArrayBuffer
  errors: SharedArrayBuffer
  /** Floats per example of input and target; the largest slice a thread receives. */
  xPer: number
  tPer: number
  maxSlice: number
}

// Control words (Int32Array): the step generation and command, then four words per thread.
export const GEN = 0
export const CMD = 1
export const CMD_STEP = 1
export const CMD_EXIT = 2
export const slot = (k: number, word: 0 | 1 | 2): number => 2 + k * 4 + word // 0: slice size, 1: done generation, 2: error flag
export const ERROR_BYTES = 1024

export { requireLoss }

export interface StepResult { loss: number; correct: number }

export class DataParallel {
  private readonly control: Int32Array
  private readonly params: Float32Array
  private readonly grads: Float32Array[] = []
  private readonly xs: Float32Array[] = []
  private readonly ts: Float32Array[] = []
  private readonly results: Float64Array
  private readonly errors: Uint8Array
  private lastStepMs = 1000

  private constructor(
    readonly threads: number,
    private readonly workers: Worker[],
    private readonly buffers: Omit<ReplicaInit, 'role' | 'index' | 'spec' | 'seed' | 'xPer' | 'tPer' | 'maxSlice'>,
    private readonly sizes: { P: number; xPer: number; tPer: number; maxSlice: number }
  ) {
    this.control = new Int32Array(buffers.control)
    this.params = new Float32Array(buffers.params)
    this.results = new Float64Array(buffers.results)
    this.errors = new Uint8Array(buffers.errors)
    const { P, xPer, tPer, maxSlice } = sizes
    for (let k = 1; k < threads; k++) {
      this.grads[k] = new Float32Array(buffers.grads, (k - 1) * P * 4, P)
      this.xs[k] = new Float32Array(buffers.x, (k - 1) * maxSlice * xPer * 4, maxSlice * xPer)
      this.ts[k] = new Float32Array(buffers.t, (k - 1) * maxSlice * tPer * 4, maxSlice * tPer)
    }
  }

  /**
   * Starts threads − 1 replica threads for `spec` and waits until each has built its network.
   * xPer / tPer: floats per example of input and target; maxBatch: the largest batch to be split.
   */
  static async create(opts: {
    spec: NetSpec; threads: number; seed: number; paramCount: number; xPer: number; tPer: number; maxBatch: number
    spawn: (init: ReplicaInit) => Worker
  }): Promise<DataParallel> {
    const { threads, paramCount: P, xPer, tPer } = opts
    const maxSlice = Math.ceil(opts.maxBatch / threads)
    const R = threads - 1
    const buffers = {
      control: new SharedArrayBuffer(4 * (2 + threads * 4)),
      params: new SharedArrayBuffer(4 * P),
      grads: new SharedArrayBuffer(4 * P * R),
      x: new SharedArrayBuffer(4 * maxSlice * xPer * R),
      t: new SharedArrayBuffer(4 * maxSlice * tPer * R),
      results: new SharedArrayBuffer(8 * 2 * threads),
      errors: new SharedArrayBuffer(ERROR_BYTES * threads)
    }
    const workers: Worker[] = []
    try {
      for (let k = 1; k < threads; k++) {
        const w = opts.spawn({ role: 'replica', index: k, spec: opts.spec, seed: opts.seed, xPer, tPer, maxSlice, ...buffers })
        workers.push(w)
      }
      await Promise.all(workers.map((w, i) => new Promise<void>((resolve, reject) => {
        w.once('message', (m: { type?: string; message?: string }) => {
          if (m?.type === 'replica-ready') resolve()
          else reject(new Error(`kernel thread ${i + 1} could not start: ${m?.message ?? 'unknown reply'}`))
        })
        w.once('error', (e) => reject(new Error(`kernel thread ${i + 1} could not start: ${e.message}`)))
      })))
    } catch (e) {
      for (const w of workers) void w.terminate()
      throw e
    }
    return new DataParallel(threads, workers, buffers, { P, xPer, tPer, maxSlice })
  }

  /**
   * One forward/backward over the batch x (B, ...) with targets t (B, ...), split across threads.
   * Leaves the combined gradient in model.grads; the caller runs the optimizer.
   */
  step(model: Sequential, x: Tensor, t: Tensor, target: (scores: Tensor, x: Tensor, t: Tensor) => Tensor,
    countCorrect: (scores: Tensor, t: Tensor) => number): StepResult {
    const started = performance.now()
    const B = x.shape[0]
    const T = Math.min(this.threads, B)
    const { P, xPer, tPer, maxSlice } = this.sizes
    if (Math.ceil(B / this.threads) > maxSlice) throw new Error(`data-parallel: batch of ${B} is larger than the ${maxSlice * this.threads} prepared for`)
    const bounds: number[] = [0]
    for (let k = 1; k <= T; k++) bounds.push(Math.round((k * B) / T))
    // publish the current parameters
    let off = 0
    for (const p of model.params) {
      this.params.set(p.data, off)
      off += p.data.length
    }
    const gen = this.control[GEN] + 1
    for (let k = 1; k < this.threads; k++) {
      const n = k < T ? bounds[k + 1] - bounds[k] : 0
      Atomics.store(this.control, slot(k, 0), n)
      Atomics.store(this.control, slot(k, 2), 0)
      if (n > 0) {
        this.xs[k].set(x.data.subarray(bounds[k] * xPer, bounds[k + 1] * xPer))
        this.ts[k].set(t.data.subarray(bounds[k] * tPer, bounds[k + 1] * tPer))
      }
    }
    Atomics.store(this.control, CMD, CMD_STEP)
    Atomics.store(this.control, GEN, gen)
    Atomics.notify(this.control, GEN)

    // slice 0, here, on the real model
    const n0 = bounds[1]
    const x0 = model.inputTensor(x.data.subarray(0, n0 * xPer), n0)
    const t0 = { shape: [n0, ...t.shape.slice(1)], data: t.data.subarray(0, n0 * tPer) }
    const scores = model.forward(x0, true)
    const loss0 = requireLoss(model).forward(scores, target(scores, x0, t0))
    const correct0 = countCorrect(scores, t0)
    model.backward()

    // wait for the replicas; a thread that stops answering ends the run instead of hanging it
    const limit = Math.max(10_000, 20 * this.lastStepMs)
    for (let k = 1; k < T; k++) {
      const deadline = performance.now() + limit
      while (Atomics.load(this.control, slot(k, 1)) !== gen) {
        if (performance.now() > deadline) throw new Error(`kernel thread ${k} stopped answering; start the run again (or use 1 thread)`)
        Atomics.wait(this.control, slot(k, 1), Atomics.load(this.control, slot(k, 1)), 200)
      }
      if (Atomics.load(this.control, slot(k, 2)) !== 0) {
        const bytes = this.errors.slice(k * ERROR_BYTES, (k + 1) * ERROR_BYTES)
        const end = bytes.indexOf(0)
        throw new Error(new TextDecoder().decode(bytes.subarray(0, end < 0 ? bytes.length : end)))
      }
    }

    // combine: g = Σ (n_k / B) g_k, in a fixed order
    let loss = (n0 / B) * loss0
    let correct = correct0
    const grads = model.grads
    const w0 = n0 / B
    for (const g of grads) for (let i = 0; i < g.data.length; i++) g.data[i] *= w0
    for (let k = 1; k < T; k++) {
      const wk = (bounds[k + 1] - bounds[k]) / B
      loss += wk * this.results[2 * k]
      correct += this.results[2 * k + 1]
      const src = this.grads[k]
      let o = 0
      for (const g of grads) {
        const d = g.data
        for (let i = 0; i < d.length; i++) d[i] += wk * src[o + i]
        o += d.length
      }
    }
    if (off !== P) throw new Error(`data-parallel: the model has ${off} parameters, expected ${P}`)
    this.lastStepMs = performance.now() - started
    return { loss, correct }
  }

  /** Stops the replica threads. */
  async close(): Promise<void> {
    Atomics.store(this.control, CMD, CMD_EXIT)
    Atomics.add(this.control, GEN, 1)
    Atomics.notify(this.control, GEN)
    await Promise.all(this.workers.map((w) => w.terminate()))
  }
}
