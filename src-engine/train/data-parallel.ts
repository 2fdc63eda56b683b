/**
 * Data-parallel training across threads: each step's mini-batch is cut into one slice per thread.
 * This thread trains slice 0 on the real model; replica threads (train/replica.ts) hold a copy of the
 * network, read the current parameters, train their slice and leave their gradients in shared memory.
 * The gradients are then combined as Σ (n_k / B)·g_k — exactly the gradient of the mean loss over the
 * whole batch — and the optimizer updates once.
 *
 * Combining and updating are split across the threads too: the flat parameter vector (params in order)
 * is cut into one range per thread, and each thread sums the gradients of its range (in the same fixed
 * order) and runs the optimizer's rule on it (optimizers/optimizer.ts: the same Rule that update()
 * runs, with the optimizer's state moved into shared memory). For that the replicas see this thread's
 * parameters and gradients in place: the engine memory is a shared WebAssembly.Memory, so their buffers
 * are SharedArrayBuffers that can be handed to the replicas when the pool is made for a model
 * (create({ model })). Tensors outside engine memory go through the `params` / `grads` buffers instead.
 * For SGD and Adam, whose rules run as WebAssembly on engine memory (optimizers/wasm), the state and the
 * replicas' gradients are placed in this thread's engine memory and this thread runs the whole update:
 * 1.9 ms for the SimpleConvNet's 434 K parameters with Adam, against 3.5 ms for each thread's half in
 * TypeScript (see MasterLayout.memory for why the replicas do not run it too).
 *
 * Why batch slices rather than splitting each GEMM: every layer (im2col, pooling, activations, the
 * LSTM's step loop) then runs in parallel, not only the matrix products. Results are reproducible for a
 * given seed and thread count (fixed slices, fixed ranges, fixed summation order). BatchNormalization's
 * running statistics are taken from slice 0, as in data-parallel training without synchronised batch norm.
 *
 * Synchronisation is by Atomics on a shared Int32Array; this thread blocks in Atomics.wait, which is
 * allowed in a worker thread (the trainer runs in the training worker, never on the app's main thread).
 */
import type { Worker } from 'node:worker_threads'
import type { NetSpec } from '../spec-types'
import type { Tensor } from '../tensor'
import type { Sequential } from '../models/sequential'
import { BaseOptimizer, OPTIMIZER_NAMES, WASM_RULES, rule2Of, ruleOf, type Optimizer, type Rule, type Rule2 } from '../optimizers'
import { kernelsFor } from '../optimizers/wasm/kernels'
import { engineMemory, kernelArray } from '../kernels/gemm'

function requireLoss(model: Sequential): NonNullable<Sequential['lossLayer']> {
  if (!model.lossLayer) throw new Error('this network has no loss layer: end it with SoftmaxWithLoss, MSE or SigmoidWithLoss to train it')
  return model.lossLayer
}

/** Where one of the training thread's tensors lives: [buffer index, byte offset], or null when outside shared memory. */
export type TensorPlace = [number, number] | null

/** The training thread's parameters and gradients as the replicas see them (create({ model })). */
export interface MasterLayout {
  buffers: SharedArrayBuffer[]
  params: TensorPlace[]
  grads: TensorPlace[]
  /**
   * When every param and gradient is in the training thread's engine memory: that memory's buffer, and the
   * byte addresses of the optimizer's state arrays (MAX_SLOTS × P floats) and of each thread's gradient
   * (P floats) beside them; the `state` and `grads` buffers are then unused. The training thread can then
   * run the whole update as WebAssembly (optimizers/wasm) on them in place. (The replicas get the buffer,
   * not the WebAssembly.Memory: a replica thread holding another thread's memory ran its own WebAssembly
   * ReLU and pooling kernels several times slower.)
   */
  memory: { buffer: SharedArrayBuffer; state: number[]; grads: number[] } | null
}

/** What a replica thread receives in workerData. */
export interface ReplicaInit {
  role: 'replica'
  index: number
  threads: number
  spec: NetSpec
  seed: number
  control: SharedArrayBuffer
  /** P floats: the parameters that are not in shared memory (published by the training thread). */
  params: SharedArrayBuffer
  /** threads × P floats: thread t's gradients at t·P (thread 0: only those not in shared memory); see MasterLayout.memory. */
  grads: SharedArrayBuffer
  /** MAX_SLOTS × P floats: the optimizer's state during split updates. */
  state: SharedArrayBuffer
  /** Float64: a step's rule, numbers and per-thread weights (NUMBERS, WEIGHTS). */
  step: SharedArrayBuffer
  x: SharedArrayBuffer
  t: SharedArrayBuffer
  results: SharedArrayBuffer
  errors: SharedArrayBuffer
  master: MasterLayout | null
  /** Floats per example of input and target; the largest slice a thread receives. */
  xPer: number
  tPer: number
  maxSlice: number
}

// Control words (Int32Array): the command generation and command, then four words per thread.
export const GEN = 0
export const CMD = 1
/** Forward/backward of the thread's slice. */
export const CMD_STEP = 1
export const CMD_EXIT = 2
/** Combine the gradients of the thread's range (and run the rule on it when one is given). */
export const CMD_UPDATE = 3
export const slot = (k: number, word: 0 | 1 | 2 | 3): number => 2 + k * 4 + word // 0: slice size, 1: done generation, 2: error flag, 3: split mode
export const ERROR_BYTES = 1024
/** The most state arrays an optimizer keeps per parameter (Adam: m and v). */
export const MAX_SLOTS = 2
// Float64 words of the `step` buffer: [0] rule (index into OPTIMIZER_NAMES, −1: combine only), [1] count of
// numbers, then the numbers; [15] count of weights (the threads that had a slice), the weights from [16].
const RULE = 0
const NCOUNT = 1
const NUMBERS = 2
const WCOUNT = 15
const WEIGHTS = 16

export { requireLoss }

export interface StepResult { loss: number; correct: number }

/** Thread j's range of the flat parameter vector, as pieces of params: [param index, start, end] within the param. */
export type Piece = [number, number, number]

/**
 * Cuts P = Σ sizes into `threads` contiguous ranges (boundaries on 16-float lines, so no two threads write
 * one cache line) and returns each range as pieces of params.
 */
export function rangePieces(sizes: readonly number[], threads: number): Piece[][] {
  const P = sizes.reduce((a, b) => a + b, 0)
  const cut = (j: number): number => (j >= threads ? P : Math.min(P, Math.round((j * P) / threads / 16) * 16))
  const out: Piece[][] = []
  for (let j = 0; j < threads; j++) {
    const lo = cut(j)
    const hi = cut(j + 1)
    const pieces: Piece[] = []
    let off = 0
    sizes.forEach((n, k) => {
      const a = Math.max(lo, off)
      const b = Math.min(hi, off + n)
      if (a < b) pieces.push([k, a - off, b - off])
      off += n
    })
    out.push(pieces)
  }
  return out
}

/** Offsets of each param in the flat vector. */
export function flatOffsets(sizes: readonly number[]): number[] {
  const out: number[] = []
  let off = 0
  for (const n of sizes) {
    out.push(off)
    off += n
  }
  return out
}

/** Views of the training thread's tensors (or of the fallback buffer, at the flat offsets, where a tensor is not shared). */
export function masterViews(places: readonly TensorPlace[], buffers: readonly SharedArrayBuffer[], sizes: readonly number[], fallback: Float32Array): Float32Array[] {
  const offs = flatOffsets(sizes)
  return places.map((p, k) => (p === null ? fallback.subarray(offs[k], offs[k] + sizes[k]) : new Float32Array(buffers[p[0]], p[1], sizes[k])))
}

const CHUNK = 4096

function scale(g: Float32Array, w: number, a: number, b: number): void {
  for (let i = a; i < b; i++) g[i] *= w
}

/** g = g·w0 + s·w1 over [a, b), rounded as two steps would be: fround is the float32 that g·w0 was stored as. */
function addFirst(g: Float32Array, w0: number, s: Float32Array, d: number, w1: number, a: number, b: number): void {
  for (let i = a; i < b; i++) g[i] = Math.fround(w0 * g[i]) + w1 * s[d + i]
}

function addScaled(g: Float32Array, s: Float32Array, d: number, w: number, a: number, b: number): void {
  for (let i = a; i < b; i++) g[i] += w * s[d + i]
}

/**
 * Thread j's part of a split update: for every value of its range, g = Σ_t w_t·g_t in thread order
 * (written into the master gradient: g_0 is scaled first, then each other thread's gradient added, as one
 * thread would), then `rule` (if any) on W, g and the state. Chunked so that a chunk's gradients are still
 * in cache when the rule reads them. With two threads and a `rule2` (the same rule reading both
 * gradients), one pass instead, and the combined gradient is not written.
 */
export function updateRange(
  pieces: readonly Piece[], offs: readonly number[], W: readonly Float32Array[], G: readonly Float32Array[],
  source: (t: number, k: number) => { a: Float32Array; base: number }, weights: readonly number[],
  rule: Rule | null, state: readonly Float32Array[], numbers: readonly number[], rule2: Rule2 | null = null
): void {
  const T = weights.length
  const srcs: { a: Float32Array; base: number }[] = []
  if (T === 2 && rule2 !== null) {
    // one pass: the rule reads both gradients (the combined one is not kept)
    for (const [k, a0, b0] of pieces) {
      const s1 = source(1, k)
      const o = offs[k]
      rule2(W[k].subarray(a0, b0), G[k].subarray(a0, b0), weights[0], s1.a.subarray(s1.base + a0, s1.base + b0), weights[1],
        state.map((s) => s.subarray(o + a0, o + b0)), numbers)
    }
    return
  }
  for (const [k, a0, b0] of pieces) {
    for (let t = 1; t < T; t++) srcs[t] = source(t, k)
    const g = G[k]
    for (let a = a0; a < b0; a += CHUNK) {
      const b = Math.min(b0, a + CHUNK)
      if (T === 1) scale(g, weights[0], a, b)
      else addFirst(g, weights[0], srcs[1].a, srcs[1].base, weights[1], a, b)
      for (let t = 2; t < T; t++) addScaled(g, srcs[t].a, srcs[t].base, weights[t], a, b)
      if (rule !== null) {
        const o = offs[k]
        rule(W[k].subarray(a, b), g.subarray(a, b), state.map((s) => s.subarray(o + a, o + b)), numbers)
      }
    }
  }
}

/** The rule of a split update, from the `step` buffer (null: combine only). */
export function readRule(step: Float64Array): { rule: Rule | null; rule2: Rule2 | null; numbers: number[] } {
  const r = step[RULE]
  const numbers = Array.from(step.subarray(NUMBERS, NUMBERS + step[NCOUNT]))
  return { rule: r < 0 ? null : ruleOf(OPTIMIZER_NAMES[r]), rule2: r < 0 ? null : rule2Of(OPTIMIZER_NAMES[r]), numbers }
}

/** The slice weights n_k / B of the threads that had a slice. */
export function readWeights(step: Float64Array): number[] {
  return Array.from(step.subarray(WEIGHTS, WEIGHTS + step[WCOUNT]))
}

function placeOf(t: Tensor, buffers: SharedArrayBuffer[]): TensorPlace {
  const buf = t.data.buffer
  if (!(buf instanceof SharedArrayBuffer)) return null
  let i = buffers.indexOf(buf)
  if (i < 0) i = buffers.push(buf) - 1
  return [i, t.data.byteOffset]
}

export class DataParallel {
  private readonly control: Int32Array
  private readonly params: Float32Array
  private readonly grads: Float32Array[] = []
  private readonly state: Float32Array[] = []
  private readonly stepBuf: Float64Array
  private readonly xs: Float32Array[] = []
  private readonly ts: Float32Array[] = []
  private readonly results: Float64Array
  private readonly errors: Uint8Array
  private lastStepMs = 1000
  private readonly sizes: number[]
  private readonly offs: number[]
  private readonly pieces: Piece[][]
  /** This thread's W and g as the update sees them (its tensors, or the fallback buffers). */
  private readonly W: Float32Array[] = []
  private readonly G: Float32Array[] = []
  /** Every param whole, as one range: the update when this thread runs all of it. */
  private readonly allPieces: Piece[]
  /** The state and the threads' gradients are in this thread's engine memory (MasterLayout.memory). */
  private readonly inMemory: boolean
  /** The last forwardBackward's slice weights n_k / B, until combined. */
  private pending: { weights: number[]; split: boolean } | null = null

  private constructor(
    readonly threads: number,
    private readonly workers: Worker[],
    private readonly buffers: Omit<ReplicaInit, 'role' | 'index' | 'threads' | 'spec' | 'seed' | 'xPer' | 'tPer' | 'maxSlice'>,
    private readonly dims: { P: number; xPer: number; tPer: number; maxSlice: number },
    private readonly model: Sequential | null,
    inMemory: { state: Float32Array[]; grads: Float32Array[] } | null
  ) {
    this.control = new Int32Array(buffers.control)
    this.params = new Float32Array(buffers.params)
    this.results = new Float64Array(buffers.results)
    this.errors = new Uint8Array(buffers.errors)
    this.stepBuf = new Float64Array(buffers.step)
    const { P, xPer, tPer, maxSlice } = dims
    if (inMemory) {
      this.grads.push(...inMemory.grads)
      this.state.push(...inMemory.state)
    } else {
      for (let k = 0; k < threads; k++) this.grads[k] = new Float32Array(buffers.grads, k * P * 4, P)
      if (buffers.master) for (let s = 0; s < MAX_SLOTS; s++) this.state[s] = new Float32Array(buffers.state, s * P * 4, P)
    }
    for (let k = 1; k < threads; k++) {
      this.xs[k] = new Float32Array(buffers.x, (k - 1) * maxSlice * xPer * 4, maxSlice * xPer)
      this.ts[k] = new Float32Array(buffers.t, (k - 1) * maxSlice * tPer * 4, maxSlice * tPer)
    }
    this.sizes = model ? model.params.map((p) => p.data.length) : []
    this.offs = flatOffsets(this.sizes)
    this.pieces = rangePieces(this.sizes, threads)
    this.allPieces = rangePieces(this.sizes, 1)[0]
    this.inMemory = inMemory !== null
    if (model && buffers.master) {
      const m = buffers.master
      model.params.forEach((p, k) => { this.W[k] = m.params[k] === null ? this.params.subarray(this.offs[k], this.offs[k] + this.sizes[k]) : p.data })
      model.grads.forEach((g, k) => { this.G[k] = m.grads[k] === null ? this.grads[0].subarray(this.offs[k], this.offs[k] + this.sizes[k]) : g.data })
    }
  }

  /**
   * Starts threads − 1 replica threads for `spec` and waits until each has built its network.
   * xPer / tPer: floats per example of input and target; maxBatch: the largest batch to be split.
   * With `model` (the network this thread will train), combining and updating are split across the
   * threads (update()); without it this thread combines alone.
   */
  static async create(opts: {
    spec: NetSpec; threads: number; seed: number; paramCount: number; xPer: number; tPer: number; maxBatch: number
    spawn: (init: ReplicaInit) => Worker
    model?: Sequential
  }): Promise<DataParallel> {
    const { threads, paramCount: P, xPer, tPer } = opts
    const maxSlice = Math.ceil(opts.maxBatch / threads)
    const R = threads - 1
    let master: MasterLayout | null = null
    let inMemory: { state: Float32Array[]; grads: Float32Array[] } | null = null
    if (opts.model) {
      const model = opts.model
      if (model.paramCount !== P) throw new Error(`data-parallel: the model has ${model.paramCount} parameters, expected ${P}`)
      const bufs: SharedArrayBuffer[] = []
      master = { buffers: bufs, params: model.params.map((p) => placeOf(p, bufs)), grads: model.grads.map((g) => placeOf(g, bufs)), memory: null }
      const mem = engineMemory()
      if (mem !== null && model.params.every((p) => mem.owns(p.data)) && model.grads.every((g) => mem.owns(g.data))) {
        // each its own block: the optimizer keeps the state arrays it is given (beginFlatStep), which keeps them allocated
        const state = Array.from({ length: MAX_SLOTS }, () => kernelArray(P))
        const grads = Array.from({ length: threads }, () => kernelArray(P))
        const buffer: ArrayBufferLike = mem.memory.buffer
        if (buffer instanceof SharedArrayBuffer && [...state, ...grads].every((a) => mem.owns(a))) {
          inMemory = { state, grads }
          master.memory = { buffer, state: state.map((a) => a.byteOffset), grads: grads.map((a) => a.byteOffset) }
        }
      }
    }
    const buffers = {
      control: new SharedArrayBuffer(4 * (2 + threads * 4)),
      params: new SharedArrayBuffer(4 * P),
      grads: new SharedArrayBuffer(inMemory ? 0 : 4 * P * threads),
      state: new SharedArrayBuffer(master && !inMemory ? 4 * P * MAX_SLOTS : 0),
      step: new SharedArrayBuffer(8 * (WEIGHTS + threads)),
      x: new SharedArrayBuffer(4 * maxSlice * xPer * R),
      t: new SharedArrayBuffer(4 * maxSlice * tPer * R),
      results: new SharedArrayBuffer(8 * 2 * threads),
      errors: new SharedArrayBuffer(ERROR_BYTES * threads),
      master
    }
    const workers: Worker[] = []
    try {
      for (let k = 1; k < threads; k++) {
        const w = opts.spawn({ role: 'replica', index: k, threads, spec: opts.spec, seed: opts.seed, xPer, tPer, maxSlice, ...buffers })
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
    return new DataParallel(threads, workers, buffers, { P, xPer, tPer, maxSlice }, opts.model ?? null, inMemory)
  }

  /**
   * One forward/backward over the batch x (B, ...) with targets t (B, ...), split across threads.
   * Leaves the combined gradient in model.grads; the caller runs the optimizer (or use
   * forwardBackward() and update(), which also splits the optimizer's work).
   */
  step(model: Sequential, x: Tensor, t: Tensor, target: (scores: Tensor, x: Tensor, t: Tensor) => Tensor,
    countCorrect: (scores: Tensor, t: Tensor) => number): StepResult {
    const r = this.forwardBackward(model, x, t, target, countCorrect)
    this.combine(model)
    return r
  }

  /**
   * One forward/backward over the batch, split across threads; the gradients stay with the threads
   * until combine() or update().
   */
  forwardBackward(model: Sequential, x: Tensor, t: Tensor, target: (scores: Tensor, x: Tensor, t: Tensor) => Tensor,
    countCorrect: (scores: Tensor, t: Tensor) => number): StepResult {
    const started = performance.now()
    const B = x.shape[0]
    const T = Math.min(this.threads, B)
    const { P, xPer, tPer } = this.dims
    if (Math.ceil(B / this.threads) > this.dims.maxSlice) throw new Error(`data-parallel: batch of ${B} is larger than the ${this.dims.maxSlice * this.threads} prepared for`)
    if (model.paramCount !== P) throw new Error(`data-parallel: the model has ${model.paramCount} parameters, expected ${P}`)
    const split = model === this.model && this.buffers.master !== null
    const bounds: number[] = [0]
    for (let k = 1; k <= T; k++) bounds.push(Math.round((k * B) / T))
    // publish the parameters the replicas cannot see in place
    const places = split ? this.buffers.master!.params : null
    let off = 0
    model.params.forEach((p, k) => {
      if (places === null || places[k] === null) this.params.set(p.data, off)
      off += p.data.length
    })
    for (let k = 1; k < this.threads; k++) {
      const n = k < T ? bounds[k + 1] - bounds[k] : 0
      Atomics.store(this.control, slot(k, 0), n)
      Atomics.store(this.control, slot(k, 3), split ? 1 : 0)
      if (n > 0) {
        this.xs[k].set(x.data.subarray(bounds[k] * xPer, bounds[k + 1] * xPer))
        this.ts[k].set(t.data.subarray(bounds[k] * tPer, bounds[k + 1] * tPer))
      }
    }
    const gen = this.post(CMD_STEP)

    // slice 0, here, on the real model
    const n0 = bounds[1]
    const x0 = model.inputTensor(x.data.subarray(0, n0 * xPer), n0)
    const t0 = { shape: [n0, ...t.shape.slice(1)], data: t.data.subarray(0, n0 * tPer) }
    const scores = model.forward(x0, true)
    const loss0 = requireLoss(model).forward(scores, target(scores, x0, t0))
    const correct0 = countCorrect(scores, t0)
    model.backward()
    if (split) {
      // gradients outside shared memory go where the other threads can read them
      const gp = this.buffers.master!.grads
      model.grads.forEach((g, k) => { if (gp[k] === null) this.G[k].set(g.data) })
    }

    this.wait(gen)
    let loss = (n0 / B) * loss0
    let correct = correct0
    const weights = [n0 / B]
    for (let k = 1; k < T; k++) {
      weights.push((bounds[k + 1] - bounds[k]) / B)
      loss += weights[k] * this.results[2 * k]
      correct += this.results[2 * k + 1]
    }
    this.pending = { weights, split }
    this.lastStepMs = performance.now() - started
    return { loss, correct }
  }

  /** After forwardBackward(): model.grads = Σ (n_k / B)·g_k. */
  combine(model: Sequential): void {
    const p = this.takePending(model)
    if (p.split) {
      this.runSplit(model, p.weights, -1, [])
      return
    }
    const grads = model.grads
    const w0 = p.weights[0]
    for (const g of grads) for (let i = 0; i < g.data.length; i++) g.data[i] *= w0
    for (let k = 1; k < p.weights.length; k++) {
      const wk = p.weights[k]
      const src = this.grads[k]
      let o = 0
      for (const g of grads) {
        const d = g.data
        for (let i = 0; i < d.length; i++) d[i] += wk * src[o + i]
        o += d.length
      }
    }
  }

  /**
   * After forwardBackward(): combines the gradients and runs the optimizer, each thread on its range of the
   * parameters when it can (the optimizer's state then lives in shared memory); the result is what
   * `optimizer.update(model.params, combined grads)` computes. Afterwards model.grads holds the combined
   * gradient, except on two threads, whose one-pass rules (Rule2) do not write it (use combine()
   * when the gradient itself is wanted).
   */
  update(model: Sequential, optimizer: Optimizer): void {
    if (!(optimizer instanceof BaseOptimizer) || !this.pending?.split || optimizer.slotNames.length > MAX_SLOTS) {
      this.combine(model)
      optimizer.update(model.params, model.grads)
      return
    }
    const p = this.takePending(model)
    const numbers = optimizer.beginFlatStep(model.params, this.state.slice(0, optimizer.slotNames.length))
    if (this.inMemory && WASM_RULES.has(optimizer.name) && kernelsFor([this.W[0], this.G[0], this.grads[0], this.state[0]]) !== null) {
      // WebAssembly here, in one pass over every parameter, takes less than waking the replicas for their
      // share in TypeScript (their threads cannot run this thread's kernels: see MasterLayout.memory)
      updateRange(this.allPieces, this.offs, this.W, this.G, (t, k) => ({ a: this.grads[t], base: this.offs[k] }), p.weights,
        ruleOf(optimizer.name), this.state, numbers, rule2Of(optimizer.name))
      return
    }
    this.runSplit(model, p.weights, OPTIMIZER_NAMES.indexOf(optimizer.name), numbers)
  }

  private takePending(model: Sequential): { weights: number[]; split: boolean } {
    const p = this.pending
    if (p === null) throw new Error('data-parallel: combine() or update() without a forwardBackward() before it')
    if (p.split && model !== this.model) throw new Error('data-parallel: update() for another model than the pool was made for')
    this.pending = null
    return p
  }

  /** Every thread combines (and updates, rule ≥ 0) its range; then this thread takes back what is not shared. */
  private runSplit(model: Sequential, weights: number[], rule: number, numbers: readonly number[]): void {
    if (numbers.length > WCOUNT - NUMBERS) throw new Error(`data-parallel: ${numbers.length} optimizer numbers do not fit`)
    this.stepBuf[RULE] = rule
    this.stepBuf[NCOUNT] = numbers.length
    this.stepBuf.set(numbers, NUMBERS)
    this.stepBuf.set(weights, WEIGHTS)
    this.stepBuf[WCOUNT] = weights.length
    const gen = this.post(CMD_UPDATE)
    const { rule: r, rule2 } = readRule(this.stepBuf)
    updateRange(this.pieces[0], this.offs, this.W, this.G, (t, k) => ({ a: this.grads[t], base: this.offs[k] }), weights, r, this.state, numbers, rule2)
    this.wait(gen)
    const m = this.buffers.master!
    model.params.forEach((p, k) => { if (m.params[k] === null) p.data.set(this.W[k]) })
    model.grads.forEach((g, k) => { if (m.grads[k] === null) g.data.set(this.G[k]) })
  }

  /** Posts a command to every replica; returns its generation. */
  private post(cmd: number): number {
    const gen = this.control[GEN] + 1
    for (let k = 1; k < this.threads; k++) Atomics.store(this.control, slot(k, 2), 0)
    Atomics.store(this.control, CMD, cmd)
    Atomics.store(this.control, GEN, gen)
    Atomics.notify(this.control, GEN)
    return gen
  }

  /** Waits until every replica finished command `gen`; a thread that stops answering ends the run instead of hanging it. */
  private wait(gen: number): void {
    const limit = Math.max(10_000, 20 * this.lastStepMs)
    for (let k = 1; k < this.threads; k++) {
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
  }

  /** Stops the replica threads. */
  async close(): Promise<void> {
    Atomics.store(this.control, CMD, CMD_EXIT)
    Atomics.add(this.control, GEN, 1)
    Atomics.notify(this.control, GEN)
    await Promise.all(this.workers.map((w) => w.terminate()))
  }
}
