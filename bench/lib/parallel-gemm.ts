/**
 * W5 on several threads: one square GEMM split into row blocks, block 0 on this thread and one block
 * per helper thread, every block computed by the engine's own gemm() (kernels/gemm.ts). Operands live
 * in SharedArrayBuffers bound once with bind(); each call is then only a few Atomics operations.
 *
 * Training does not use this: the engine parallelises a step by batch slices (train/data-parallel.ts),
 * which keeps im2col, pooling and the LSTM loop parallel too. This measures what the kernel itself
 * gives on N cores, the figure issue 4's "80 GFLOPS on two threads" is about.
 */
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads'
import { gemm } from '../../src-engine/kernels/gemm'

export interface TileInit { role: 'gemm-tile'; index: number; threads: number; control: SharedArrayBuffer; port: MessagePort }
interface Bound { C: Float32Array; A: Float32Array; B: Float32Array }

// control words: generation, command, M, N, K, then one "done generation" word per thread
const GEN = 0, CMD = 1, DIM = 2, DONE = 5
const CMD_GO = 1, CMD_BIND = 2, CMD_EXIT = 3
/** Rows per block are a multiple of this (the WASM micro-kernel's 6 rows and the TS one's 4 both divide 12). */
const ROW_QUANTUM = 12

/** Rows [r0, r1) of thread k out of `threads` for M rows. */
function rowsOf(k: number, threads: number, M: number): [number, number] {
  const q = Math.ceil(M / ROW_QUANTUM)
  return [Math.min(M, Math.round((k * q) / threads) * ROW_QUANTUM), Math.min(M, Math.round(((k + 1) * q) / threads) * ROW_QUANTUM)]
}

function block(b: Bound, k: number, threads: number, M: number, N: number, K: number): void {
  const [r0, r1] = rowsOf(k, threads, M)
  if (r1 > r0) gemm(b.C.subarray(r0 * N, r1 * N), b.A.subarray(r0 * K, r1 * K), b.B, r1 - r0, N, K)
}

/** The helper thread's loop (started by parallelGemm through the bench bundle). */
export function runTileWorker(init: TileInit): void {
  const control = new Int32Array(init.control)
  let bound: Bound | null = null
  let seen = Atomics.load(control, GEN)
  init.port.postMessage('ready')
  for (;;) {
    Atomics.wait(control, GEN, seen)
    seen = Atomics.load(control, GEN)
    const cmd = Atomics.load(control, CMD)
    if (cmd === CMD_EXIT) return
    if (cmd === CMD_BIND) {
      const m = receiveMessageOnPort(init.port)
      const s = m?.message as { C: SharedArrayBuffer; A: SharedArrayBuffer; B: SharedArrayBuffer }
      bound = { C: new Float32Array(s.C), A: new Float32Array(s.A), B: new Float32Array(s.B) }
    } else if (cmd === CMD_GO && bound) {
      block(bound, init.index, init.threads, control[DIM], control[DIM + 1], control[DIM + 2])
    }
    Atomics.store(control, DONE + init.index, seen)
    Atomics.notify(control, DONE + init.index)
  }
}

export interface ParallelGemm {
  /** Shares these operands (Float32Arrays over SharedArrayBuffers, whole buffers) with the helpers. */
  bind(C: Float32Array, A: Float32Array, B: Float32Array): void
  /** C (M, N) = A (M, K) · B (K, N) on the bound operands. */
  gemm(C: Float32Array, A: Float32Array, B: Float32Array, M: number, N: number, K: number): void
  close(): Promise<void>
  note: string
}

/** Starts threads − 1 helper threads running `entry` (a file that routes role 'gemm-tile' to runTileWorker). */
export async function parallelGemm(threads: number, entry: string): Promise<ParallelGemm> {
  const control = new Int32Array(new SharedArrayBuffer(4 * (DONE + threads)))
  const workers: Worker[] = []
  const ports: MessagePort[] = []
  for (let k = 1; k < threads; k++) {
    const ch = new MessageChannel()
    const init: TileInit = { role: 'gemm-tile', index: k, threads, control: control.buffer as SharedArrayBuffer, port: ch.port2 }
    const w = new Worker(entry, { workerData: init, transferList: [ch.port2] })
    await new Promise<void>((resolve, reject) => {
      ch.port1.once('message', () => resolve())
      w.once('error', reject)
    })
    workers.push(w)
    ports.push(ch.port1)
  }
  let bound: Bound | null = null
  const run = (cmd: number): void => {
    const gen = control[GEN] + 1
    Atomics.store(control, CMD, cmd)
    Atomics.store(control, GEN, gen)
    Atomics.notify(control, GEN)
    if (cmd === CMD_GO) block(bound!, 0, threads, control[DIM], control[DIM + 1], control[DIM + 2])
    for (let k = 1; k < threads; k++) {
      while (Atomics.load(control, DONE + k) !== gen) Atomics.wait(control, DONE + k, Atomics.load(control, DONE + k), 1000)
    }
  }
  const pg: ParallelGemm = {
    note: `row blocks across ${threads} threads`,
    bind(C, A, B) {
      for (const a of [C, A, B]) {
        if (!(a.buffer instanceof SharedArrayBuffer) || a.byteOffset !== 0) throw new Error('parallelGemm: operands must be whole SharedArrayBuffers')
      }
      bound = { C, A, B }
      for (const p of ports) p.postMessage({ C: C.buffer, A: A.buffer, B: B.buffer })
      run(CMD_BIND)
    },
    gemm(C, A, B, M, N, K) {
      if (!bound || bound.C !== C || bound.A !== A || bound.B !== B) pg.bind(C, A, B)
      control[DIM] = M
      control[DIM + 1] = N
      control[DIM + 2] = K
      run(CMD_GO)
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
