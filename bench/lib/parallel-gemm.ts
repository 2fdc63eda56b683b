/**
 * W5 on several threads: one square GEMM C = A·B shared out among this thread and the helper threads. Each
 * call is a few Atomics operations on a shared control block.
 *
 * With the WebAssembly kernel (the engine's default), the operands are engine-memory arrays (gemmOperand)
 * and every helper instantiates the kernel on that same shared WebAssembly.Memory, so nothing is copied.
 * By default (row schedule) B is packed once per call, not once per thread: the threads claim parts of B's
 * column panels and pack them into one shared buffer (packBPart); once every part is packed they claim blocks
 * of rows of A, large ones first, and multiply each by the whole packed B (gemmPackedB), whose micro-panels
 * come from L3 at n = 1024 (4 MiB packed, two L2s). With columnParts(true) (BENCH_W5_COLUMNS=1 in the lab),
 * where each thread's share of B's columns fits one L2 once packed (columnPartWidth: n = 256, 512 and 1024 on
 * two threads), thread k owns a block of C's columns instead: it packs only its part of B (every depth slab)
 * and runs every 60-row block of A through it, the one-thread gemmDeep's order on its own L2, with no barrier;
 * a thread whose part is done takes over the rows left in another part (packing that part itself if its owner
 * has not begun), a few at a time from the bottom while the owner's claims shrink from the top (claimRows).
 * Either way work is claimed, not fixed: on a shared machine one thread is often slowed down, and a fixed half
 * each would leave the other waiting. What each measured (27 November: G4 the schedule, G5 the claims, with one
 * core slowed on purpose too): the record at the top of wasm/gemm.ts; bench/gemm-ab.ts runs the two in one
 * process. The row schedule stays the default: in W5 lab pairs the column one was not confirmed (9.8 % lower
 * in the one valid quiet pair of G5's four; on a slowed core +10.9 % and −4.0 %). Waits spin briefly before
 * sleeping in Atomics.wait, because a call at n = 256 takes well under a millisecond. Without the WebAssembly kernel, each
 * thread runs the engine's gemm() on a fixed share of the rows of operands in SharedArrayBuffers.
 *
 * The same threads run the FMA-only probe at once (fmaPeak, the fma_peak row of a multi-thread W5 cell), so
 * that the products on N threads have their ceiling on N threads beside them.
 *
 * Training does not use this: the engine parallelises a step by batch slices (train/data-parallel.ts),
 * which keeps im2col, pooling and the LSTM loop parallel too. This measures what the kernel itself
 * gives on N cores, the figure issue 4's "80 GFLOPS on two threads" is about.
 */
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads'
import { gemm, kernelArray, wasmGemm } from '../../src-engine/kernels/gemm'
import { createWasmGemm, WasmGemm, type WasmGemmRegions } from '../../src-engine/kernels/wasm/gemm-wasm'
import { EngineMemory } from '../../src-engine/kernels/wasm/memory'

export interface TileInit { role: 'gemm-tile'; index: number; threads: number; control: SharedArrayBuffer; probe: SharedArrayBuffer; port: MessagePort }

/** Operands as each thread sees them; `packed` (the shared packed B) only with the WebAssembly kernel. */
interface Bound { C: Float32Array; A: Float32Array; B: Float32Array; packed: Float32Array | null; N: number; K: number; kernel: WasmGemm | null }

/** What a helper receives on bind: the buffers themselves (TypeScript kernel) or addresses in engine memory. */
type BindMessage =
  | { kind: 'ts'; C: SharedArrayBuffer; A: SharedArrayBuffer; B: SharedArrayBuffer; N: number; K: number }
  | { kind: 'wasm'; memory: WebAssembly.Memory; regions: WasmGemmRegions; C: [number, number]; A: [number, number]; B: [number, number]; packed: [number, number]; N: number; K: number }

// control words: generation, command, M, N, K, next unclaimed part of B, parts of B packed, next unclaimed row,
// then one "done generation" word per thread, then two words per column part (columnBlocks): its state
// (0 B unpacked, 1 being packed, 2 packed) and its next unclaimed row, then 1 when the column schedule is on (columnParts)
const GEN = 0, CMD = 1, DIM = 2, NEXT_PART = 5, PACKED = 6, NEXT_ROW = 7, DONE = 8
const CMD_GO = 1, CMD_BIND = 2, CMD_EXIT = 3, CMD_PROBE = 4
/** Rows per block are a multiple of this (the WASM micro-kernel's 6 rows and the TS one's 4 both divide 12). */
const ROW_QUANTUM = 12
/** Atomics.load polls (some tens of µs) before a waiting thread sleeps in Atomics.wait: long spins cost a whole
 * time slice when another process shares the core with both threads. */
const SPIN = 20_000
/** B is packed in this many parts, claimed like the rows, so a thread that has not started yet holds nothing up. */
const B_PARTS = 8

/** Rows of an owner's claim in its column part: gemmDeep's row block, whose C block (60 × 512) stays in L2 across the slabs. */
const PART_ROWS = 60
/** A column part's packed B at most (floats): 2 MiB, one L2 of the Xeon the figures are taken on. */
const PART_FLOATS = 512 * 1024

/**
 * Columns per part when each thread takes its own block of C's columns (all rows), packing only that part
 * of B, or 0 when that schedule does not apply: no WebAssembly kernel, one thread, fewer than two NR-column
 * panels per thread, or a part whose packed B would not fit in one L2. Parts are whole 8-column panels.
 */
export function columnPartWidth(N: number, K: number, threads: number): number {
  const panels = Math.ceil(N / 8)
  if (threads < 2 || panels < 2 * threads) return 0
  const w = Math.ceil(panels / threads) * 8
  return K * w <= PART_FLOATS ? w : 0
}

/**
 * Columns per part of the column schedule for an M×K by K×N product, or 0 when the row schedule runs instead:
 * columnPartWidth's, and at most 0x7fff quanta of rows (393,204), as many as a part's claims word counts at
 * each end (claimRows). Both what runs (block) and what the note says (noteFor) ask this.
 */
export function columnSchedule(M: number, N: number, K: number, threads: number): number {
  return Math.ceil(M / ROW_QUANTUM) <= 0x7fff ? columnPartWidth(N, K, threads) : 0
}

/**
 * Whether thread k takes part h of `parts` as its owner (from the top, PART_ROWS at a time) or as a thief (from
 * the bottom, a quantum at a time). Thread k begins at part k mod parts; with fewer parts than threads (9 panels
 * on 4 threads: 3 parts of 3) threads k and k + parts begin at the same part, and only the first owns it, else
 * two owners would each claim 60-row blocks of it as if alone.
 */
export function ownsPart(k: number, h: number, parts: number): boolean {
  return k < parts && h === k
}

/** An n-element operand every thread can read in place: engine memory with the WebAssembly kernel, else a SharedArrayBuffer. */
export function gemmOperand(n: number): Float32Array {
  return wasmGemm() !== null ? kernelArray(n) : new Float32Array(new SharedArrayBuffer(4 * n))
}

/** Rows [r0, r1) of thread k out of `threads` for M rows (the TypeScript kernel's fixed split). */
function rowsOf(k: number, threads: number, M: number): [number, number] {
  const q = Math.ceil(M / ROW_QUANTUM)
  return [Math.min(M, Math.round((k * q) / threads) * ROW_QUANTUM), Math.min(M, Math.round(((k + 1) * q) / threads) * ROW_QUANTUM)]
}

/** Returns once control[i] satisfies `ok`: polls first, then sleeps until notified. */
function waitFor(control: Int32Array, i: number, ok: (v: number) => boolean): void {
  for (let s = 0; s < SPIN; s++) if (ok(Atomics.load(control, i))) return
  for (;;) {
    const v = Atomics.load(control, i)
    if (ok(v)) return
    Atomics.wait(control, i, v, 50)
  }
}

/** Thread k's part of one product. */
function block(b: Bound, control: Int32Array, k: number, threads: number): void {
  const M = control[DIM], N = control[DIM + 1], K = control[DIM + 2]
  if (b.kernel === null || b.packed === null) {
    const [r0, r1] = rowsOf(k, threads, M)
    if (r1 > r0) gemm(b.C.subarray(r0 * N, r1 * N), b.A.subarray(r0 * K, r1 * K), b.B, r1 - r0, N, K)
    return
  }
  const w = control[DONE + 3 * threads] === 1 ? columnSchedule(M, N, K, threads) : 0
  if (w > 0) columnBlocks(b.kernel, b, control, k, threads, M, N, K, w)
  else rowBlocks(b.kernel, b, control, k, threads, M, N, K)
}

/**
 * The column schedule: thread k packs part k of B (columns [k·w, k·w + w), every depth slab: one L2) and runs
 * every block of rows of A through it, as the one-thread gemmDeep does with its 512-column blocks; no thread
 * reads another's B and there is no barrier. A thread whose part is done goes on to the next part: it packs
 * that part itself if its owner has not begun (a thread the machine has not run yet), else waits until it is
 * packed, and takes rows that are left there (that B comes from L3: better than idle). The owner claims its
 * rows from the top, PART_ROWS at a time (gemmDeep's block) until another thread has come, then smaller ones as
 * the part runs out; the others take ROW_QUANTUM rows at a time from the bottom. So a slowed owner is never
 * left holding a long last claim while the other thread waits, and a thief, itself perhaps slowed, does not
 * take a large slice that it then runs with its B from L3.
 */
function columnBlocks(kernel: WasmGemm, b: Bound, control: Int32Array, k: number, threads: number, M: number, N: number, K: number, w: number): void {
  const parts = Math.ceil(N / w)
  const quanta = Math.ceil(M / ROW_QUANTUM)
  for (let s = 0; s < parts; s++) {
    const h = (k + s) % parts
    const state = DONE + threads + 2 * h, claims = state + 1
    const j0 = h * w, nc = Math.min(w, N - j0)
    const panels = b.packed!.subarray(j0 * K, j0 * K + kernel.columnsFloats(nc, K))
    if (Atomics.compareExchange(control, state, 0, 1) === 0) {
      kernel.packBColumns(panels, b.B, N, K, false, j0, nc)
      Atomics.store(control, state, 2)
      Atomics.notify(control, state)
    } else {
      if (quantaLeft(Atomics.load(control, claims), quanta) <= 0) continue
      waitFor(control, state, (v) => v === 2)
    }
    const owner = ownsPart(k, h, parts)
    for (let c = claimRows(control, claims, quanta, owner, threads); c !== null; c = claimRows(control, claims, quanta, owner, threads)) {
      const r0 = c[0] * ROW_QUANTUM, r1 = Math.min(M, c[1] * ROW_QUANTUM)
      kernel.gemmColumnRows(b.C, b.A, panels, M, N, K, j0, nc, r0, r1 - r0, false, false)
    }
  }
}

/** Quanta left in a column part's claims word: ROW_QUANTUM-row quanta taken from the top (low 16 bits) and bottom (above). */
function quantaLeft(v: number, quanta: number): number {
  return quanta - (v & 0xffff) - (v >>> 16)
}

/**
 * Claims rows of a column part, as quanta [q0, q1) of ROW_QUANTUM rows, or null when none are left: from the
 * top for its owner (PART_ROWS, or once another thread takes rows from the bottom, a 1/(2·threads) share of
 * those left, so the owner's last claims shrink), from the bottom one quantum at a time for the others. One
 * word holds both ends, so the two never overlap.
 */
export function claimRows(control: Int32Array, at: number, quanta: number, owner: boolean, threads: number): [number, number] | null {
  for (;;) {
    const v = Atomics.load(control, at)
    const top = v & 0xffff, bottom = v >>> 16
    const left = quanta - top - bottom
    if (left <= 0) return null
    const most = PART_ROWS / ROW_QUANTUM
    const size = owner ? Math.min(left, bottom === 0 ? most : Math.max(1, Math.min(most, Math.ceil(left / (2 * threads))))) : 1
    if (Atomics.compareExchange(control, at, v, owner ? v + size : v + size * 0x10000) !== v) continue
    return owner ? [top, top + size] : [quanta - bottom - size, quanta - bottom]
  }
}

/**
 * The row schedule (where the column one does not apply): B packed once by all threads into one shared
 * buffer, then blocks of rows of A claimed by guided self-scheduling, each through the whole packed B.
 */
function rowBlocks(kernel: WasmGemm, b: Bound, control: Int32Array, k: number, threads: number, M: number, N: number, K: number): void {
  for (let part = Atomics.add(control, NEXT_PART, 1); part < B_PARTS; part = Atomics.add(control, NEXT_PART, 1)) {
    kernel.packBPart(b.packed!, b.B, N, K, false, part, B_PARTS)
    if (Atomics.add(control, PACKED, 1) === B_PARTS - 1) Atomics.notify(control, PACKED)
  }
  waitFor(control, PACKED, (v) => v >= B_PARTS)
  const packed = { N, K, panels: b.packed! }
  // rows by guided self-scheduling: each grab takes a 1/(2·threads) share of the rows left (whole multiples of
  // ROW_QUANTUM), so a thread that the machine slows down does less, and the last grabs are small
  for (;;) {
    const r = Atomics.load(control, NEXT_ROW)
    if (r >= M) return
    const rows = Math.min(M - r, Math.max(ROW_QUANTUM, Math.ceil((M - r) / (2 * threads * ROW_QUANTUM)) * ROW_QUANTUM))
    if (Atomics.compareExchange(control, NEXT_ROW, r, r + rows) !== r) continue
    kernel.gemmPackedB(b.C.subarray(r * N, (r + rows) * N), b.A.subarray(r * K, (r + rows) * K), packed, rows, false, false)
  }
}

/**
 * Thread k's share of a probe window (CMD_PROBE): the FMA-only loop (WasmGemm.fmaPeak, `control[DIM + 1]` steps
 * per call) over and over for `control[DIM]` ms, its own GFLOPS and flops written to out[2k], out[2k + 1].
 */
function probeWindow(kernel: WasmGemm, control: Int32Array, out: Float64Array, k: number): void {
  const ms = control[DIM], steps = control[DIM + 1]
  const t0 = performance.now()
  let calls = 0, t = 0
  do {
    kernel.fmaPeak(steps)
    calls++
    t = performance.now() - t0
  } while (t < ms)
  const flops = 96 * steps * calls
  out[2 * k] = flops / (t / 1000) / 1e9
  out[2 * k + 1] = flops
}

/** A helper's view of the bound operands; with the WebAssembly kernel, a kernel instance of its own on the shared memory. */
function bindHelper(m: BindMessage, previous: Bound | null): Bound {
  if (m.kind === 'ts') return { C: new Float32Array(m.C), A: new Float32Array(m.A), B: new Float32Array(m.B), packed: null, N: m.N, K: m.K, kernel: null }
  // wraps the memory without allocating from it (the regions were reserved by the thread that owns it), anew
  // at every bind so that it knows the memory's current buffer; the compiled module is reused
  const mem = new EngineMemory(m.memory)
  const prev = previous?.kernel
  const kernel = prev ? new WasmGemm(prev.module, prev.variant, mem, m.regions) : createWasmGemm(mem, m.regions)
  if (kernel === null) throw new Error('parallelGemm: no WebAssembly SIMD in the helper thread')
  const view = ([at, n]: [number, number]): Float32Array => {
    const v = new Float32Array(mem.buffer, at, n)
    // never let the kernel stage a copy: its allocator here does not know the owner's blocks
    if (!mem.owns(v)) throw new Error('parallelGemm: operand outside the shared engine memory')
    return v
  }
  return { C: view(m.C), A: view(m.A), B: view(m.B), packed: view(m.packed), N: m.N, K: m.K, kernel }
}

/** The helper thread's loop (started by parallelGemm through the bench bundle). */
export function runTileWorker(init: TileInit): void {
  const control = new Int32Array(init.control)
  const probeOut = new Float64Array(init.probe)
  let bound: Bound | null = null
  // the probe's own kernel instance and memory, made at the first probe (it needs no operands)
  let probeKernel: WasmGemm | null = null
  let seen = Atomics.load(control, GEN)
  init.port.postMessage('ready')
  for (;;) {
    const last = seen
    waitFor(control, GEN, (v) => v !== last)
    seen = Atomics.load(control, GEN)
    const cmd = Atomics.load(control, CMD)
    if (cmd === CMD_EXIT) return
    if (cmd === CMD_BIND) {
      bound = bindHelper(receiveMessageOnPort(init.port)?.message as BindMessage, bound)
    } else if (cmd === CMD_GO && bound) {
      block(bound, control, init.index, init.threads)
    } else if (cmd === CMD_PROBE) {
      probeKernel ??= createWasmGemm()
      if (probeKernel) probeWindow(probeKernel, control, probeOut, init.index)
    }
    Atomics.store(control, DONE + init.index, seen)
    Atomics.notify(control, DONE + init.index)
  }
}

export interface ParallelGemm {
  /**
   * Shares these operands with the helpers, for products with these N and K: engine-memory arrays from
   * gemmOperand with the WebAssembly kernel, otherwise Float32Arrays over whole SharedArrayBuffers.
   */
  bind(C: Float32Array, A: Float32Array, B: Float32Array, N: number, K: number): void
  /** C (M, N) = A (M, K) · B (K, N) on the bound operands. */
  gemm(C: Float32Array, A: Float32Array, B: Float32Array, M: number, N: number, K: number): void
  /**
   * The FMA-only probe (wasm/probe.ts) on every thread at once for `ms` milliseconds, `steps` steps per call:
   * the threads' GFLOPS summed (the ceiling of the W5 figures on this many threads), and the flops done.
   * Null without the WebAssembly kernel.
   */
  fmaPeak(ms: number, steps: number): { gflops: number; flops: number } | null
  close(): Promise<void>
  /** How the products are shared out (the row schedule's). */
  note: string
  /**
   * Takes the column schedule where it applies (on), or the row schedule for every shape (off, the default:
   * the column one is not confirmed faster in W5 pairs, see wasm/gemm.ts); for A/B runs and tests.
   */
  columnParts(on: boolean): void
  /** How products with these N and K, and M rows (N by default: W5's products are square), are shared out. */
  noteFor(N: number, K: number, M?: number): string
}

/** Starts threads − 1 helper threads running `entry` (a file that routes role 'gemm-tile' to runTileWorker). */
export async function parallelGemm(threads: number, entry: string): Promise<ParallelGemm> {
  const control = new Int32Array(new SharedArrayBuffer(4 * (DONE + 3 * threads + 1)))
  const probeOut = new Float64Array(new SharedArrayBuffer(16 * threads))
  const workers: Worker[] = []
  const ports: MessagePort[] = []
  for (let k = 1; k < threads; k++) {
    const ch = new MessageChannel()
    const init: TileInit = { role: 'gemm-tile', index: k, threads, control: control.buffer as SharedArrayBuffer, probe: probeOut.buffer as SharedArrayBuffer, port: ch.port2 }
    const w = new Worker(entry, { workerData: init, transferList: [ch.port2] })
    await new Promise<void>((resolve, reject) => {
      ch.port1.once('message', () => resolve())
      w.once('error', reject)
    })
    workers.push(w)
    ports.push(ch.port1)
  }
  const kernel = wasmGemm()
  // each helper's kernel scratch and workspace, reserved once in this thread's engine memory
  const regions = kernel ? ports.map(() => kernel.reserveRegions()) : []
  let bound: Bound | null = null
  const run = (cmd: number): void => {
    const gen = control[GEN] + 1
    Atomics.store(control, NEXT_PART, 0)
    Atomics.store(control, PACKED, 0)
    Atomics.store(control, NEXT_ROW, 0)
    control.fill(0, DONE + threads, DONE + 3 * threads)
    Atomics.store(control, CMD, cmd)
    Atomics.store(control, GEN, gen)
    Atomics.notify(control, GEN)
    if (cmd === CMD_GO) block(bound!, control, 0, threads)
    if (cmd === CMD_PROBE) probeWindow(kernel!, control, probeOut, 0)
    for (let k = 1; k < threads; k++) waitFor(control, DONE + k, (v) => v === gen)
  }
  const pg: ParallelGemm = {
    note: kernel ? `row blocks claimed by ${threads} threads, B packed once` : `row blocks across ${threads} threads`,
    columnParts(on) {
      control[DONE + 3 * threads] = on ? 1 : 0
    },
    noteFor(N, K, M = N) {
      if (!kernel || control[DONE + 3 * threads] !== 1) return pg.note
      const w = columnSchedule(M, N, K, threads)
      return w > 0 ? `${w}-column parts of C and B, one per thread, rows of an unfinished part taken over` : pg.note
    },
    bind(C, A, B, N, K) {
      if (kernel) {
        const mem = kernel.mem
        if (![C, A, B].every((a) => mem.owns(a))) throw new Error('parallelGemm: operands must come from gemmOperand (engine memory)')
        if (bound?.packed) mem.release(bound.packed)
        // room for the shared packed B of the row schedule or the parts of the column one (part h at h·w·K)
        const packed = mem.allocF32(Math.max(kernel.packedBFloats(N, K), N * K + columnPartWidth(N, K, threads) * K))
        if (!mem.owns(packed)) throw new Error('parallelGemm: engine memory is full')
        bound = { C, A, B, packed, N, K, kernel }
        const at = (a: Float32Array): [number, number] => [a.byteOffset, a.length]
        ports.forEach((p, i) => {
          const m: BindMessage = { kind: 'wasm', memory: mem.memory, regions: regions[i], C: at(C), A: at(A), B: at(B), packed: at(packed), N, K }
          p.postMessage(m)
        })
      } else {
        for (const a of [C, A, B]) {
          if (!(a.buffer instanceof SharedArrayBuffer) || a.byteOffset !== 0) throw new Error('parallelGemm: operands must be whole SharedArrayBuffers')
        }
        bound = { C, A, B, packed: null, N, K, kernel: null }
        for (const p of ports) {
          const m: BindMessage = { kind: 'ts', C: C.buffer as SharedArrayBuffer, A: A.buffer as SharedArrayBuffer, B: B.buffer as SharedArrayBuffer, N, K }
          p.postMessage(m)
        }
      }
      run(CMD_BIND)
    },
    gemm(C, A, B, M, N, K) {
      if (!bound || bound.C !== C || bound.A !== A || bound.B !== B || bound.N !== N || bound.K !== K) pg.bind(C, A, B, N, K)
      control[DIM] = M
      control[DIM + 1] = N
      control[DIM + 2] = K
      run(CMD_GO)
    },
    fmaPeak(ms, steps) {
      if (!kernel) return null
      control[DIM] = Math.max(1, Math.round(ms))
      control[DIM + 1] = steps
      probeOut.fill(0)
      run(CMD_PROBE)
      let gflops = 0, flops = 0
      for (let k = 0; k < threads; k++) {
        gflops += probeOut[2 * k]
        flops += probeOut[2 * k + 1]
      }
      return { gflops, flops }
    },
    async close() {
      Atomics.store(control, CMD, CMD_EXIT)
      Atomics.add(control, GEN, 1)
      Atomics.notify(control, GEN)
      await Promise.all(workers.map((w) => w.terminate()))
    }
  }
  return pg
}
