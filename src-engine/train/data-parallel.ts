/**
 * Data-parallel training across threads: each step's mini-batch is cut into one slice per thread.
 * This thread trains slice 0 on the real model; replica threads (train/replica.ts) hold a copy of the
 * network, read the current parameters, train their slice and leave their gradients in shared memory.
 * Every thread's backward averages over the whole batch B, not its slice (LossLayer.backward(B)), so thread
 * k's gradient is already (n_k / B)·g_k and the gradient of the mean loss over the whole batch is just their
 * sum, in thread order; the optimizer updates once.
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
 * 1.4 ms for the SimpleConvNet's 434 K parameters with Adam, against 3.5 ms for each thread's half in
 * TypeScript. The replicas then work in this thread's memory as well, each in its own arena of it
 * (MasterLayout.memory): they read the parameters and write their gradients in place, with no copies.
 *
 * Why batch slices rather than splitting each GEMM: every layer (im2col, pooling, activations, the
 * LSTM's step loop) then runs in parallel, not only the matrix products. Results are reproducible for a
 * given seed and thread count (fixed slices, fixed ranges, fixed summation order). BatchNormalization's
 * running statistics are taken from slice 0, as in data-parallel training without synchronised batch norm.
 *
 * Synchronisation is by Atomics on a shared Int32Array; a thread spins for a moment (SPIN_MS, WAIT_SPIN_MS)
 * and then blocks in Atomics.wait — this thread too, which is allowed in a worker thread (the trainer runs in
 * the training worker, never on the app's main thread). With a PhaseTrace buffer (create({ trace })) every
 * thread records its phases, for bench/timeline.ts.
 */
import type { Worker } from 'node:worker_threads'
import type { NetSpec } from '../spec-types'
import { sizeOf, type Tensor } from '../tensor'
import type { Sequential } from '../models/sequential'
import type { OptimizerName } from '../protocol'
import { BaseOptimizer, OPTIMIZER_NAMES, WASM_RULES, rule2Of, ruleOf, type Optimizer, type Rule, type Rule2 } from '../optimizers'
import { kernelsFor } from '../optimizers/wasm/kernels'
import { engineMemory, kernelArray, releaseKernelArray } from '../kernels/gemm'
import { EngineMemoryError, type Arena, type EngineMemory } from '../kernels/wasm/memory'
import { validateSpec } from '../spec'
import { WAIT_SPIN_MS, sleepWhile, spin, wake } from './thread-sync'
import { evalRows, type ChunkWork, type RowTotals } from './evaluate'
import type { ClassOutput } from '../models/class-output'

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
   * run the whole update as WebAssembly (optimizers/wasm) on them in place.
   * `wasm` and `arenas`: the memory itself and one region of it per replica (EngineMemory.shareArenas), where a
   * replica's own kernels and buffers then live (kernels/gemm.ts useSharedMemory): its layers read this thread's
   * parameters and write their gradients at `grads[k]` in place, with no copies (null: the replicas copy them).
   */
  memory: { buffer: SharedArrayBuffer; state: number[]; grads: number[]; wasm: WebAssembly.Memory | null; arenas: Arena[] | null } | null
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
  /** Float64: a step's rule, numbers and how many threads had a slice (NUMBERS, SLICES). */
  step: SharedArrayBuffer
  x: SharedArrayBuffer
  t: SharedArrayBuffer
  results: SharedArrayBuffer
  errors: SharedArrayBuffer
  /** Held-out evaluation (CMD_EVAL): the training thread's saved buffers (BatchNormalization's running statistics), in layer order. */
  kept: SharedArrayBuffer
  /** Held-out evaluation of an image classifier: each replica's real rows' outputs (maxSlice × outPer floats a replica). */
  out: SharedArrayBuffer
  /** Output floats per example an image classifier's evaluation writes to `out` (0: none). */
  outPer: number
  master: MasterLayout | null
  /** Floats per example of input and target; the largest slice a thread receives. */
  xPer: number
  tPer: number
  maxSlice: number
  /** Per-phase timestamps for bench/timeline.ts (PhaseTrace), or null. */
  trace: SharedArrayBuffer | null
}

// Control words (Int32Array): the command generation and command, then four words per thread, then READY.
export const GEN = 0
export const CMD = 1
/** Forward/backward of the thread's slice. */
export const CMD_STEP = 1
export const CMD_EXIT = 2
/** Combine the gradients of the thread's range (and run the rule on it when one is given). */
export const CMD_UPDATE = 3
/** Held-out evaluation of the thread's slice of a chunk, in inference mode (DataParallel.evaluate). */
export const CMD_EVAL = 4
export const slot = (k: number, word: 0 | 1 | 2 | 3): number => 2 + k * 4 + word // 0: slice size, 1: done generation, 2: error flag, 3: params mode
/** The control word counting the params the training thread has updated so far during a staged step (PARAMS_STAGED). */
export const readyWord = (threads: number): number => 2 + threads * 4
/** The control word where thread k (0: the training thread) says which word it is about to sleep on (its index + 1; 0: awake). */
export const sleepWord = (threads: number, k: number): number => readyWord(threads) + 1 + k
/** The control word holding a step's whole batch size B, which every slice's backward averages over. */
export const batchWord = (threads: number): number => readyWord(threads) + 1 + threads
/** The control word counting the replicas that work in the training thread's engine memory (MasterLayout.memory.arenas). */
export const inPlaceWord = (threads: number): number => batchWord(threads) + 1
/** The control word of a held-out evaluation's flags (EVAL_PER_IMAGE, the class rule: EVAL_KINDS). */
export const evalWord = (threads: number): number => inPlaceWord(threads) + 1
/** The control word holding how many of thread k's rows in a held-out chunk are real examples (the rest repeat one). */
export const realWord = (threads: number, k: number): number => evalWord(threads) + 1 + k
/**
 * The control word where replica k (1…threads − 1) says how far it has used its arena of the training thread's memory:
 * its allocator's top over 64 (it fits an int32 up to the arenas' end at 2^31), written once its network is built and
 * after every command; close() hands it to that memory (EngineMemory.noteArenaUse), which keeps what was touched.
 */
export const topWord = (threads: number, k: number): number => realWord(threads, threads) + k
/** How many control words a pool of `threads` uses. */
export const controlWords = (threads: number): number => topWord(threads, threads)
/** evalWord: the chunk is of images, whose outputs the training thread wants (the confusion matrix). */
export const EVAL_PER_IMAGE = 1
/** evalWord bits 1–2: the class rule, as an index into these. */
export const EVAL_KINDS: readonly ClassOutput[] = ['softmax', 'sigmoid', 'scores']

/** Params mode of a step (slot word 3): the pool's `params` buffer; the training thread's tensors in place; the same, each param once READY counts it. */
export const PARAMS_PUBLISHED = 0
export const PARAMS_IN_PLACE = 1
export const PARAMS_STAGED = 2
export const ERROR_BYTES = 1024
/** The most state arrays an optimizer keeps per parameter (Adam: m and v). */
export const MAX_SLOTS = 2
// Float64 words of the `step` buffer: [0] rule (index into OPTIMIZER_NAMES, −1: combine only), [1] count of
// numbers, then the numbers; [15] how many threads had a slice (whose gradients are summed).
const RULE = 0
const NCOUNT = 1
const NUMBERS = 2
const SLICES = 15
const STEP_WORDS = 16
/** Float64 words of `results` a thread writes: a step's loss and correct count; an evaluation's RowTotals (loss, correct, targets, sq). */
export const RESULT_WORDS = 4

export { requireLoss }

/**
 * Phases of a data-parallel step as PhaseTrace records them (bench/timeline.ts). The training thread: its slice's
 * forward (with the loss) and backward, the wait for the replicas, the update, 'prepare' (checking the batch the
 * replicas started, the optimizer's step numbers) and 'post' (handing the replicas their slices). A replica:
 * forward (including its ready-waits for staged parameters), backward, 'copy' (its gradient out).
 */
export const PHASES = ['forward', 'backward', 'wait', 'update', 'prepare', 'post', 'copy', 'ready-wait'] as const
export type Phase = (typeof PHASES)[number]
const TRACE_RECORDS = 1 << 16

/**
 * Optional per-phase timeline of data-parallel steps, for bench/timeline.ts: each thread appends
 * [phase, start, end] (absolute ms: performance.timeOrigin + now()) to its own region of a shared buffer.
 */
export class PhaseTrace {
  private readonly rec: Float64Array
  private n = 0
  constructor(buffer: SharedArrayBuffer, thread: number) { this.rec = new Float64Array(buffer, thread * TRACE_RECORDS * 24, TRACE_RECORDS * 3) }
  static buffer(threads: number): SharedArrayBuffer { return new SharedArrayBuffer(threads * TRACE_RECORDS * 24) }
  static now(): number { return performance.timeOrigin + performance.now() }
  add(phase: Phase, start: number): void {
    if (this.n >= TRACE_RECORDS) return
    this.rec.set([PHASES.indexOf(phase), start, PhaseTrace.now()], this.n * 3)
    this.n++
  }
  /** Thread `thread`'s records so far (those with an end time). */
  static read(buffer: SharedArrayBuffer, thread: number): { phase: Phase; start: number; end: number }[] {
    const rec = new Float64Array(buffer, thread * TRACE_RECORDS * 24, TRACE_RECORDS * 3)
    const out: { phase: Phase; start: number; end: number }[] = []
    for (let i = 0; i < TRACE_RECORDS && rec[i * 3 + 2] > 0; i++) out.push({ phase: PHASES[rec[i * 3]], start: rec[i * 3 + 1], end: rec[i * 3 + 2] })
    return out
  }
}

/**
 * What the training thread's update costs per parameter, in ns, when it runs it alone as WebAssembly
 * (MasterLayout.memory) on two threads' gradients — Adam: 434 K parameters in ≈ 1.4 ms, SGD: 3.2 M in ≈ 3.0 ms
 * (2-core build machine); and the ns of one example's forward and backward per forward multiply-add (the
 * SimpleConvNet ≈ 0.3). Only the slices' balance depends on them (leadExamples), never a result's correctness.
 * (Until the replicas worked in the training thread's memory, they spent ≈ 1.4 ns per parameter copying the
 * parameters in and their gradient out, which this thread's update time was reduced by.)
 */
const UPDATE_NS: Partial<Record<OptimizerName, number>> = { Adam: 3.3, SGD: 0.9 }
const TRAIN_NS_PER_MAC = 0.3

/**
 * How many examples fewer than an even share the training thread takes when it updates while the replicas
 * start the next step (update() with `next`): the update's time, in examples.
 * A function of the network, the optimizer and the thread count only, so runs stay reproducible.
 */
export function leadExamples(macsPerExample: number, paramCount: number, optimizer: OptimizerName): number {
  const u = UPDATE_NS[optimizer]
  if (u === undefined || !(macsPerExample > 0)) return 0
  return (paramCount * u) / (macsPerExample * TRAIN_NS_PER_MAC)
}

/**
 * Where a batch of B is cut: thread k trains [bounds[k], bounds[k + 1]). Even slices; with `lead` > 0 (and at
 * least one example per thread) the training thread's slice is smaller by (threads − 1)/threads · lead, the
 * rest shared evenly by the replicas.
 */
export function sliceBounds(B: number, threads: number, lead = 0): number[] {
  const T = Math.min(threads, B)
  const out = [0]
  if (lead > 0 && T === threads && T > 1) {
    const n0 = Math.min(B - (T - 1), Math.max(1, Math.round((B - (T - 1) * lead) / T)))
    out.push(n0)
    for (let k = 2; k <= T; k++) out.push(n0 + Math.round(((k - 1) * (B - n0)) / (T - 1)))
    return out
  }
  for (let k = 1; k <= T; k++) out.push(Math.round((k * B) / T))
  return out
}

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

function add(g: Float32Array, s: Float32Array, d: number, a: number, b: number): void {
  for (let i = a; i < b; i++) g[i] += s[d + i]
}

/**
 * Thread j's part of a split update: for every value of its range, g = Σ_t g_t over the T threads that had a
 * slice, in thread order (written into the master gradient, g_0's place: each other thread's gradient added, as
 * one thread would; each is already its share of the batch's), then `rule` (if any) on W, g and the state.
 * Chunked so that a chunk's gradients are still in cache when the rule reads them. With two threads and a
 * `rule2` (the same rule reading both gradients), one pass instead, and the combined gradient is not written.
 */
export function updateRange(
  pieces: readonly Piece[], offs: readonly number[], W: readonly Float32Array[], G: readonly Float32Array[],
  source: (t: number, k: number) => { a: Float32Array; base: number }, T: number,
  rule: Rule | null, state: readonly Float32Array[], numbers: readonly number[], rule2: Rule2 | null = null
): void {
  const srcs: { a: Float32Array; base: number }[] = []
  if (T === 2 && rule2 !== null) {
    // one pass: the rule reads both gradients (the combined one is not kept)
    for (const [k, a0, b0] of pieces) {
      const s1 = source(1, k)
      const o = offs[k]
      rule2(W[k].subarray(a0, b0), G[k].subarray(a0, b0), s1.a.subarray(s1.base + a0, s1.base + b0),
        state.map((s) => s.subarray(o + a0, o + b0)), numbers)
    }
    return
  }
  for (const [k, a0, b0] of pieces) {
    for (let t = 1; t < T; t++) srcs[t] = source(t, k)
    const g = G[k]
    for (let a = a0; a < b0; a += CHUNK) {
      const b = Math.min(b0, a + CHUNK)
      for (let t = 1; t < T; t++) add(g, srcs[t].a, srcs[t].base, a, b)
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

/** How many threads had a slice in the step being combined (runSplit). */
export function readSlices(step: Float64Array): number {
  return step[SLICES]
}

/** A model's saved buffers that are not parameters (BatchNormalization's running statistics), in layer order. */
export function savedBuffers(model: Sequential): Float32Array[] {
  return model.layers.flatMap((l) => (l.buffers ?? []).map((b) => b.tensor.data))
}

/** Whether held-out evaluation wants `spec`'s outputs per example: an image classifier's (evaluate.ts perImage). */
function classifiesImages(spec: NetSpec): boolean {
  return spec.task !== 'reconstruct' && spec.task !== 'language-model'
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
  /** Held-out evaluation: this thread's saved buffers for the replicas, their outputs per example, and the chunk's. */
  private readonly kept: Float32Array
  private readonly outs: Float32Array[] = []
  private evalProbs = new Float32Array(0)
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
  /** The last forwardBackward's count of threads with a slice, whose gradients are summed, until combined. */
  private pending: { slices: number; split: boolean } | null = null
  /** The optimizer whose update() may start the replicas on the next batch meanwhile (create({ optimizer })), or null. */
  readonly lookahead: OptimizerName | null
  /** Examples the training thread gives up to the replicas in every batch (sliceBounds). */
  private readonly lead: number
  /** A step the replicas started in update(…, next): its generation and the batch's size. */
  private ahead: { gen: number; B: number } | null = null
  private readonly trace: PhaseTrace | null
  /** The replicas' announcement words (sleepWord): whom a store to GEN or READY may have to wake. */
  private readonly sleepers: number[]

  private constructor(
    readonly threads: number,
    private readonly workers: Worker[],
    private readonly buffers: Omit<ReplicaInit, 'role' | 'index' | 'threads' | 'spec' | 'seed' | 'xPer' | 'tPer' | 'maxSlice' | 'outPer'>,
    /** maxBatch: the largest batch create() was told of (every batch up to it fits the replicas' input buffers). */
    private readonly dims: { P: number; xPer: number; tPer: number; maxSlice: number; maxBatch: number; outPer: number },
    private readonly model: Sequential | null,
    inMemory: { state: Float32Array[]; grads: Float32Array[] } | null,
    lookahead: { optimizer: OptimizerName; lead: number } | null,
    /** The arenas of the training thread's memory this pool's replicas allocate in, given back by close(). */
    private readonly lent: { mem: EngineMemory; arenas: Arena[] } | null
  ) {
    this.lookahead = lookahead?.optimizer ?? null
    this.trace = buffers.trace ? new PhaseTrace(buffers.trace, 0) : null
    this.lead = lookahead?.lead ?? 0
    this.control = new Int32Array(buffers.control)
    this.sleepers = Array.from({ length: threads - 1 }, (_, i) => sleepWord(threads, i + 1))
    this.params = new Float32Array(buffers.params)
    this.results = new Float64Array(buffers.results)
    this.errors = new Uint8Array(buffers.errors)
    this.stepBuf = new Float64Array(buffers.step)
    this.kept = new Float32Array(buffers.kept)
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
      this.outs[k] = new Float32Array(buffers.out, (k - 1) * maxSlice * dims.outPer * 4, maxSlice * dims.outPer)
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
   * threads (update()); without it this thread combines alone. With `model` and the `optimizer` that will
   * update it, update() can also start the replicas on the next batch while it updates (update(…, next)),
   * when this thread runs the whole update (SGD, Adam): the replicas then take a larger share of every batch
   * (leadExamples), as this thread spends that time updating.
   */
  static async create(opts: {
    spec: NetSpec; threads: number; seed: number; paramCount: number; xPer: number; tPer: number; maxBatch: number
    spawn: (init: ReplicaInit) => Worker
    model?: Sequential
    optimizer?: OptimizerName
    /** PhaseTrace.buffer(threads): record each thread's phases there (bench/timeline.ts). */
    trace?: SharedArrayBuffer
  }): Promise<DataParallel> {
    const { threads, paramCount: P, xPer, tPer } = opts
    const R = threads - 1
    let master: MasterLayout | null = null
    let inMemory: { state: Float32Array[]; grads: Float32Array[] } | null = null
    let lent: { mem: EngineMemory; arenas: Arena[] } | null = null
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
          // the replicas' arenas are lent below, just before the threads start (wasm, arenas)
          master.memory = { buffer, state: state.map((a) => a.byteOffset), grads: grads.map((a) => a.byteOffset), wasm: null, arenas: null }
        }
      }
    }
    let lookahead: { optimizer: OptimizerName; lead: number } | null = null
    if (inMemory && opts.optimizer !== undefined && WASM_RULES.has(opts.optimizer) && kernelsFor(inMemory.state) !== null && threads > 1) {
      lookahead = { optimizer: opts.optimizer, lead: leadExamples(validateSpec(opts.spec).totalMacs, P, opts.optimizer) }
    }
    // the largest slice a replica can receive
    let maxSlice = Math.ceil(opts.maxBatch / threads)
    for (let B = 1; B <= opts.maxBatch && lookahead !== null; B++) {
      const b = sliceBounds(B, threads, lookahead.lead)
      for (let k = 1; k + 1 < b.length; k++) maxSlice = Math.max(maxSlice, b[k + 1] - b[k])
    }
    // held-out evaluation on the threads (evaluate()) needs the model: its saved buffers go to the replicas, and an
    // image classifier's outputs per example come back
    const keptFloats = opts.model ? savedBuffers(opts.model).reduce((a, b) => a + b.length, 0) : 0
    const outPer = opts.model && classifiesImages(opts.spec) ? sizeOf(validateSpec(opts.spec).outputShape ?? []) : 0
    const buffers = {
      control: new SharedArrayBuffer(4 * controlWords(threads)),
      params: new SharedArrayBuffer(4 * P),
      grads: new SharedArrayBuffer(inMemory ? 0 : 4 * P * threads),
      state: new SharedArrayBuffer(master && !inMemory ? 4 * P * MAX_SLOTS : 0),
      step: new SharedArrayBuffer(8 * STEP_WORDS),
      x: new SharedArrayBuffer(4 * maxSlice * xPer * R),
      t: new SharedArrayBuffer(4 * maxSlice * tPer * R),
      results: new SharedArrayBuffer(8 * RESULT_WORDS * threads),
      errors: new SharedArrayBuffer(ERROR_BYTES * threads),
      kept: new SharedArrayBuffer(4 * keptFloats),
      out: new SharedArrayBuffer(4 * maxSlice * outPer * R),
      outPer,
      master,
      trace: opts.trace ?? null
    }
    // the replicas' arenas, lent to this pool alone until close(): meanwhile this thread's allocations stay below
    // them; null while another pool holds them (this pool's replicas then copy). Lent only here, after everything
    // above that can throw (the lookahead's validateSpec, buffers too large to allocate), so a failure there cannot
    // leave them lent for good (every later pool copying, this thread capped below them); the catch below gives them
    // back if a thread does not start.
    const engine = engineMemory()
    if (master?.memory && engine !== null) {
      const arenas = engine.shareArenas(R)
      if (arenas) {
        lent = { mem: engine, arenas }
        master.memory.wasm = engine.memory
        master.memory.arenas = arenas
      }
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
          else reject(threadError(`kernel thread ${i + 1} could not start: ${m?.message ?? 'unknown reply'}`))
        })
        w.once('error', (e) => reject(threadError(`kernel thread ${i + 1} could not start: ${e.message}`)))
        // a thread that ends without a word (no error event) must not leave the start waiting for ever: the session
        // holds requests for the run's model until the start settles (session.ts awaitingModel)
        w.once('exit', (code) => reject(new Error(`kernel thread ${i + 1} could not start: it stopped (exit code ${code})`)))
      })))
    } catch (e) {
      // the arenas come back only once no replica can still be allocating in them
      void Promise.all(workers.map((w) => w.terminate())).then(() => { if (lent) giveBack(lent, new Int32Array(buffers.control), threads) })
      throw e
    }
    return new DataParallel(threads, workers, buffers, { P, xPer, tPer, maxSlice, maxBatch: opts.maxBatch, outPer }, opts.model ?? null, inMemory, lookahead, lent)
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
   * The examples this thread trains of a batch of B (forwardBackward's slice 0): its layers' blocks are of that
   * many examples, so held-out evaluation in chunks of it reuses them (trainer.ts evalChunk).
   */
  ownSlice(model: Sequential, B: number): number {
    const split = model === this.model && this.buffers.master !== null
    return sliceBounds(B, this.threads, split ? this.lead : 0)[1]
  }

  /**
   * One forward/backward over the batch, split across threads; the gradients stay with the threads
   * until combine() or update().
   */
  forwardBackward(model: Sequential, x: Tensor, t: Tensor, target: (scores: Tensor, x: Tensor, t: Tensor) => Tensor,
    countCorrect: (scores: Tensor, t: Tensor) => number): StepResult {
    const started = performance.now()
    const tq = this.trace ? PhaseTrace.now() : 0
    const B = x.shape[0]
    const { P, xPer, tPer } = this.dims
    if (model.paramCount !== P) throw new Error(`data-parallel: the model has ${model.paramCount} parameters, expected ${P}`)
    const split = model === this.model && this.buffers.master !== null
    const bounds = sliceBounds(B, this.threads, split ? this.lead : 0)
    if (!this.fits(bounds)) throw new Error(`data-parallel: batch of ${B} is larger than the ${this.dims.maxBatch} prepared for`)
    const T = bounds.length - 1
    let gen: number
    const ahead = this.ahead
    this.ahead = null
    if (ahead !== null && split && ahead.B === B && this.holds(x, t, bounds)) {
      // the replicas started this batch during the last update (update(…, next))
      gen = ahead.gen
    } else {
      if (ahead !== null) this.wait(ahead.gen, false) // another batch after all: that step's results are not used
      gen = this.begin(model, x, t, bounds, split ? PARAMS_IN_PLACE : PARAMS_PUBLISHED)
    }

    // slice 0, here, on the real model
    const n0 = bounds[1]
    const x0 = model.inputTensor(x.data.subarray(0, n0 * xPer), n0)
    const t0 = { shape: [n0, ...t.shape.slice(1)], data: t.data.subarray(0, n0 * tPer) }
    const tr = this.trace
    tr?.add('prepare', tq)
    let t0ms = tr ? PhaseTrace.now() : 0
    const scores = model.forward(x0, true)
    const loss0 = requireLoss(model).forward(scores, target(scores, x0, t0))
    const correct0 = countCorrect(scores, t0)
    if (tr) { tr.add('forward', t0ms); t0ms = PhaseTrace.now() }
    model.backward(B)
    if (tr) { tr.add('backward', t0ms); t0ms = PhaseTrace.now() }
    if (split) {
      // gradients outside shared memory go where the other threads can read them
      const gp = this.buffers.master!.grads
      model.grads.forEach((g, k) => { if (gp[k] === null) this.G[k].set(g.data) })
    }

    this.wait(gen)
    tr?.add('wait', t0ms)
    let loss = (n0 / B) * loss0
    let correct = correct0
    for (let k = 1; k < T; k++) {
      loss += ((bounds[k + 1] - bounds[k]) / B) * this.results[RESULT_WORDS * k]
      correct += this.results[RESULT_WORDS * k + 1]
    }
    // each slice's gradient is already its share of the batch's (backward(B)): they are summed as they are
    this.pending = { slices: T, split }
    this.lastStepMs = performance.now() - started
    return { loss, correct }
  }

  /**
   * Whether evaluate() can run held-out chunks of B examples for `model` on the threads: the pool was made for it
   * (create({ model })), and B is a batch size it trains (its slices fit the replicas' buffers).
   */
  evaluates(model: Sequential, B: number): boolean {
    return model === this.model && B <= this.dims.maxBatch && this.fits(sliceBounds(B, this.threads, this.buffers.master !== null ? this.lead : 0))
  }

  /**
   * Held-out evaluation of one chunk x of B examples (its first n real, the rest repeating one), split across the
   * threads as a training batch of B is (sliceBounds), so every thread's layers write into the blocks its slice of a
   * batch cut: each thread runs evaluate.ts evalRows on its slice, in inference mode, with this thread's parameters
   * and saved buffers (BatchNormalization's running statistics: the replicas' own are of their slices), and the
   * totals are summed in thread order. Each example's outputs are those of one thread (the same kernels on the same
   * rows); the loss is a sum of slices' means, so it differs from one thread's in its last bits. An image classifier's
   * outputs (n × C, row order) come back for the confusion matrix. Only when evaluates(model, B).
   */
  evaluate(model: Sequential, x: Tensor, t: Tensor, n: number, work: ChunkWork): { totals: RowTotals; probs: Float32Array | null } {
    const B = x.shape[0]
    if (!this.evaluates(model, B)) throw new Error(`data-parallel: cannot evaluate chunks of ${B} on these threads`)
    const split = this.buffers.master !== null
    const bounds = sliceBounds(B, this.threads, split ? this.lead : 0)
    const T = bounds.length - 1
    const { xPer, tPer, outPer } = this.dims
    if (work.perImage && outPer === 0) throw new Error('data-parallel: this pool was not made for an image classifier\'s evaluation')
    // a batch the replicas started during the last update is not trained after all (the epoch has ended)
    if (this.ahead !== null) this.wait(this.ahead.gen, false)
    this.ahead = null
    let off = 0
    for (const b of savedBuffers(model)) {
      this.kept.set(b, off)
      off += b.length
    }
    Atomics.store(this.control, evalWord(this.threads), (work.perImage ? EVAL_PER_IMAGE : 0) | (EVAL_KINDS.indexOf(work.kind) << 1))
    for (let k = 0; k < this.threads; k++) Atomics.store(this.control, realWord(this.threads, k), k < T ? Math.max(0, Math.min(n, bounds[k + 1]) - bounds[k]) : 0)
    const gen = this.begin(model, x, t, bounds, split ? PARAMS_IN_PLACE : PARAMS_PUBLISHED, CMD_EVAL)
    const n0 = bounds[1]
    const x0 = model.inputTensor(x.data.subarray(0, n0 * xPer), n0)
    const t0 = { shape: [n0, ...t.shape.slice(1)], data: t.data.subarray(0, n0 * tPer) }
    const mine = evalRows(model, x0, t0, Math.min(n, n0), work)
    let probs: Float32Array | null = null
    if (work.perImage) {
      if (this.evalProbs.length < this.dims.maxBatch * outPer) this.evalProbs = new Float32Array(this.dims.maxBatch * outPer)
      probs = this.evalProbs.subarray(0, n * outPer)
      probs.set(mine.probs!)
    }
    this.wait(gen)
    const totals = { ...mine.totals }
    for (let k = 1; k < T; k++) {
      const real = Atomics.load(this.control, realWord(this.threads, k))
      if (real === 0) continue
      const r = RESULT_WORDS * k
      totals.loss += this.results[r]
      totals.correct += this.results[r + 1]
      totals.targets += this.results[r + 2]
      totals.sq += this.results[r + 3]
      if (probs !== null) probs.set(this.outs[k].subarray(0, real * outPer), bounds[k] * outPer)
    }
    return { totals, probs }
  }

  /** Each replica's slice fits its input buffers. */
  private fits(bounds: readonly number[]): boolean {
    for (let k = 1; k + 1 < bounds.length; k++) if (bounds[k + 1] - bounds[k] > this.dims.maxSlice) return false
    return true
  }

  /** The replicas' input buffers hold their slices of x and t (bit for bit). */
  private holds(x: Tensor, t: Tensor, bounds: readonly number[]): boolean {
    const { xPer, tPer } = this.dims
    const same = (a: Float32Array, b: Float32Array): boolean => {
      const u = new Int32Array(a.buffer, a.byteOffset, a.length)
      const v = new Int32Array(b.buffer, b.byteOffset, b.length)
      for (let i = 0; i < u.length; i++) if (u[i] !== v[i]) return false
      return true
    }
    for (let k = 1; k + 1 < bounds.length; k++) {
      const n = bounds[k + 1] - bounds[k]
      if (Atomics.load(this.control, slot(k, 0)) !== n) return false
      if (!same(x.data.subarray(bounds[k] * xPer, bounds[k + 1] * xPer), this.xs[k].subarray(0, n * xPer))) return false
      if (!same(t.data.subarray(bounds[k] * tPer, bounds[k + 1] * tPer), this.ts[k].subarray(0, n * tPer))) return false
    }
    return true
  }

  /** Hands each replica its slice of x and t and how to read the parameters (slot word 3), and posts the step (or `cmd`). */
  private begin(model: Sequential, x: Tensor, t: Tensor, bounds: readonly number[], mode: number, cmd = CMD_STEP): number {
    const { xPer, tPer } = this.dims
    const T = bounds.length - 1
    // publish the parameters the replicas cannot see in place
    const places = mode === PARAMS_PUBLISHED ? null : this.buffers.master!.params
    let off = 0
    model.params.forEach((p, k) => {
      if (places === null || places[k] === null) this.params.set(p.data, off)
      off += p.data.length
    })
    Atomics.store(this.control, batchWord(this.threads), bounds[T])
    for (let k = 1; k < this.threads; k++) {
      const n = k < T ? bounds[k + 1] - bounds[k] : 0
      Atomics.store(this.control, slot(k, 0), n)
      Atomics.store(this.control, slot(k, 3), mode)
      if (n > 0) {
        this.xs[k].set(x.data.subarray(bounds[k] * xPer, bounds[k + 1] * xPer))
        this.ts[k].set(t.data.subarray(bounds[k] * tPer, bounds[k + 1] * tPer))
      }
    }
    return this.post(cmd)
  }

  /** After forwardBackward(): model.grads = Σ_k g_k, each thread's gradient already its share of the batch's. */
  combine(model: Sequential): void {
    const p = this.takePending(model)
    if (p.split) {
      this.runSplit(model, p.slices, -1, [])
      return
    }
    const grads = model.grads
    for (let k = 1; k < p.slices; k++) {
      const src = this.grads[k]
      let o = 0
      for (const g of grads) {
        const d = g.data
        for (let i = 0; i < d.length; i++) d[i] += src[o + i]
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
   *
   * `next`: the batch the next forwardBackward() will train, when known. If this thread runs the whole update
   * (create({ optimizer })), the replicas start on their slices of it at once, each layer's forward as soon as
   * its parameters are updated (PARAMS_STAGED), so that they work while this thread updates; forwardBackward()
   * then finds them under way. The results are those without `next`. Until that forwardBackward(), the
   * parameters must not be changed (the replicas may still be reading them); another batch there is trained
   * afresh.
   */
  update(model: Sequential, optimizer: Optimizer, next?: { x: Tensor; t: Tensor }): void {
    if (!(optimizer instanceof BaseOptimizer) || !this.pending?.split || optimizer.slotNames.length > MAX_SLOTS) {
      this.combine(model)
      optimizer.update(model.params, model.grads)
      return
    }
    const tq = this.trace ? PhaseTrace.now() : 0
    const p = this.takePending(model)
    const numbers = optimizer.beginFlatStep(model.params, this.state.slice(0, optimizer.slotNames.length))
    if (this.inMemory && WASM_RULES.has(optimizer.name) && kernelsFor([this.W[0], this.G[0], this.grads[0], this.state[0]]) !== null) {
      // WebAssembly here, in one pass over every parameter, takes less than waking the replicas for their
      // share in TypeScript; and with `next` they train meanwhile instead
      const source = (t: number, k: number): { a: Float32Array; base: number } => ({ a: this.grads[t], base: this.offs[k] })
      const rule = ruleOf(optimizer.name)
      const rule2 = rule2Of(optimizer.name)
      const bounds = next === undefined ? null : sliceBounds(next.x.shape[0], this.threads, this.lead)
      if (next === undefined || bounds === null || !this.startsAhead(optimizer) || !this.fits(bounds)) {
        updateRange(this.allPieces, this.offs, this.W, this.G, source, p.slices, rule, this.state, numbers, rule2)
        return
      }
      // the replicas start the next batch now; they write their gradients over this step's (read here) only
      // once the READY word counts every param
      const R = readyWord(this.threads)
      Atomics.store(this.control, R, 0)
      this.trace?.add('prepare', tq)
      let t0ms = this.trace ? PhaseTrace.now() : 0
      const gen = this.begin(model, next.x, next.t, bounds, PARAMS_STAGED)
      if (this.trace) { this.trace.add('post', t0ms); t0ms = PhaseTrace.now() }
      for (const piece of this.allPieces) {
        updateRange([piece], this.offs, this.W, this.G, source, p.slices, rule, this.state, numbers, rule2)
        Atomics.store(this.control, R, piece[0] + 1)
        wake(this.control, R, this.sleepers)
      }
      Atomics.store(this.control, R, model.params.length)
      wake(this.control, R, this.sleepers)
      this.trace?.add('update', t0ms)
      this.ahead = { gen, B: next.x.shape[0] }
      return
    }
    this.runSplit(model, p.slices, OPTIMIZER_NAMES.indexOf(optimizer.name), numbers)
  }

  /** How many replicas read this thread's parameters and write their gradients in its engine memory, without copies. */
  get replicasInPlace(): number {
    return Atomics.load(this.control, inPlaceWord(this.threads))
  }

  /**
   * Whether update(model, optimizer, next) starts the replicas on `next` while it updates: the pool was made for
   * this optimizer (create({ optimizer })) and this thread runs its whole update (SGD, Adam in engine memory).
   * The trainer asks before it gathers the next batch early.
   */
  startsAhead(optimizer: Optimizer): boolean {
    return this.lookahead !== null && optimizer.name === this.lookahead
  }

  private takePending(model: Sequential): { slices: number; split: boolean } {
    const p = this.pending
    if (p === null) throw new Error('data-parallel: combine() or update() without a forwardBackward() before it')
    if (p.split && model !== this.model) throw new Error('data-parallel: update() for another model than the pool was made for')
    this.pending = null
    return p
  }

  /** Every thread combines (and updates, rule ≥ 0) its range; then this thread takes back what is not shared. */
  private runSplit(model: Sequential, slices: number, rule: number, numbers: readonly number[]): void {
    if (numbers.length > SLICES - NUMBERS) throw new Error(`data-parallel: ${numbers.length} optimizer numbers do not fit`)
    this.stepBuf[RULE] = rule
    this.stepBuf[NCOUNT] = numbers.length
    this.stepBuf.set(numbers, NUMBERS)
    this.stepBuf[SLICES] = slices
    const gen = this.post(CMD_UPDATE)
    const { rule: r, rule2 } = readRule(this.stepBuf)
    updateRange(this.pieces[0], this.offs, this.W, this.G, (t, k) => ({ a: this.grads[t], base: this.offs[k] }), slices, r, this.state, numbers, rule2)
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
    wake(this.control, GEN, this.sleepers)
    return gen
  }

  /**
   * Waits until every replica finished command `gen`; a thread that stops answering ends the run instead of
   * hanging it. `report`: throw a replica's error (false: the step's results are discarded anyway).
   */
  private wait(gen: number, report = true): void {
    const limit = Math.max(10_000, 20 * this.lastStepMs)
    for (let k = 1; k < this.threads; k++) {
      const deadline = performance.now() + limit
      spin(() => Atomics.load(this.control, slot(k, 1)) !== gen, WAIT_SPIN_MS)
      for (let done = Atomics.load(this.control, slot(k, 1)); done !== gen; done = Atomics.load(this.control, slot(k, 1))) {
        if (performance.now() > deadline) throw new Error(`kernel thread ${k} stopped answering; start the run again (or use 1 thread)`)
        // no shorter timeout: a timed-out wait takes FutexEmulation's mutex again, on a thread that may be starved
        sleepWhile(this.control, sleepWord(this.threads, 0), slot(k, 1), done, Math.max(1, deadline - performance.now()))
      }
      if (report && Atomics.load(this.control, slot(k, 2)) !== 0) {
        const bytes = this.errors.slice(k * ERROR_BYTES, (k + 1) * ERROR_BYTES)
        const end = bytes.indexOf(0)
        const text = new TextDecoder().decode(bytes.subarray(0, end < 0 ? bytes.length : end))
        throw threadError(text)
      }
    }
  }

  /** Stops the replica threads, and then gives their arenas back to the training thread's memory. */
  async close(): Promise<void> {
    Atomics.store(this.control, CMD, CMD_EXIT)
    Atomics.add(this.control, GEN, 1)
    Atomics.notify(this.control, GEN)
    await Promise.all(this.workers.map((w) => w.terminate()))
    this.closed = true
    // terminate() settles once a thread has exited: nothing of this pool allocates in the arenas any more
    if (this.lent) giveBack(this.lent, this.control, this.threads)
  }

  /** Set once close() has settled: no replica writes its gradients any more. */
  private closed = false

  /**
   * Gives the pool's gradient and optimizer-state blocks in engine memory back at once (each was its own
   * block: create()). For the trainer that drops its model after close(): the optimizer keeps the state
   * arrays it was given (beginFlatStep), so they go only when it goes too (Trainer.release).
   */
  releaseBuffers(): void {
    // not before close() has settled: a replica still finishing a batch it started early (the lookahead) writes
    // its gradient slot, which the next model could hold by then; an open or closing pool's blocks wait for the collector
    if (!this.inMemory || !this.closed) return
    for (const a of [...this.grads, ...this.state]) releaseKernelArray(a)
  }
}

/**
 * Gives a pool's arenas back to the training thread's memory once its replicas have exited, telling it first how far
 * each replica used its arena (topWord), so that the memory knows what it keeps (EngineMemory.touchedBytes).
 */
function giveBack(lent: { mem: EngineMemory; arenas: Arena[] }, control: Int32Array, threads: number): void {
  lent.arenas.forEach((arena, i) => lent.mem.noteArenaUse(arena, Atomics.load(control, topWord(threads, i + 1)) * 64))
  lent.mem.returnArenas(lent.arenas)
}

/** A replica thread's failure, from its text: one out of engine memory stays one, so the run's failure can say what to make smaller. */
function threadError(text: string): Error {
  return EngineMemoryError.fromMessage(text) ?? new Error(text)
}
