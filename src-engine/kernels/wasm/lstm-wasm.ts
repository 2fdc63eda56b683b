/**
 * The fused LSTM step kernels of wasm/lstm.ts (lstmForwardStep, lstmBackwardStep): the element-wise
 * part of one time step — gate nonlinearities, cell and hidden state, and in backward the gate
 * gradients, dL/dc and db — four hidden units at a time with WebAssembly SIMD, on buffers that live in
 * engine memory (no copies). layers/time-lstm.ts calls them and keeps a TypeScript loop with the same
 * semantics for runtimes without WebAssembly SIMD and for buffers outside engine memory.
 */
import type { EngineMemory } from './memory'
import { kernelExports } from './instance'

interface LstmExports {
  lstmForwardStep(gates: number, gateStride: number, hw: number, b: number, cPrev: number, hPrev: number,
    cs: number, hs: number, seqStride: number, N: number, H: number): void
  lstmBackwardStep(dh: number, dhs: number, gates: number, cs: number, cPrev: number, cPrevStride: number,
    dc: number, dAt: number, dA: number, db: number, gateStride: number, seqStride: number, N: number, H: number): number
}

/** Byte address of element `at` of a view into engine memory. */
const addr = (a: Float32Array, at = 0): number => a.byteOffset + 4 * at

export class LstmKernels {
  constructor(readonly mem: EngineMemory, private readonly ex: LstmExports) {}

  /** True when every array views engine memory (the kernels can address it). */
  owns(...arrays: Float32Array[]): boolean {
    for (const a of arrays) if (!this.mem.owns(a)) return false
    return true
  }

  /**
   * One forward step for N rows (see lstmForwardStep in wasm/lstm.ts). Offsets (`…At`) and strides are
   * in floats: row n of the gates starts at gatesAt + n·gateStride, of cs and hs at seqAt + n·seqStride.
   */
  forwardStep(gates: Float32Array, gatesAt: number, gateStride: number, hw: Float32Array, b: Float32Array,
    cPrev: Float32Array, hPrev: Float32Array, cs: Float32Array, hs: Float32Array, seqAt: number, seqStride: number,
    N: number, H: number): void {
    this.ex.lstmForwardStep(addr(gates, gatesAt), gateStride, addr(hw), addr(b), addr(cPrev), addr(hPrev),
      addr(cs, seqAt), addr(hs, seqAt), seqStride, N, H)
  }

  /** One backward step for N rows (see lstmBackwardStep in wasm/lstm.ts); returns Σ_n ‖dL/dh_t‖. */
  backwardStep(dh: Float32Array, dhs: Float32Array, gates: Float32Array, gatesAt: number, cs: Float32Array, seqAt: number,
    cPrev: Float32Array, cPrevAt: number, cPrevStride: number, dc: Float32Array, dAt: Float32Array, dA: Float32Array,
    db: Float32Array, gateStride: number, seqStride: number, N: number, H: number): number {
    return this.ex.lstmBackwardStep(addr(dh), addr(dhs, seqAt), addr(gates, gatesAt), addr(cs, seqAt),
      addr(cPrev, cPrevAt), cPrevStride, addr(dc), addr(dAt), addr(dA, gatesAt), addr(db), gateStride, seqStride, N, H)
  }
}

/** The kernels on `mem`, or null without engine memory or WebAssembly SIMD. */
export function lstmKernels(mem: EngineMemory | null): LstmKernels | null {
  if (mem === null) return null
  if (cached !== null && cached.mem === mem) return cached
  const ex = kernelExports(mem) as unknown as LstmExports | null
  cached = ex !== null && typeof ex.lstmForwardStep === 'function' ? new LstmKernels(mem, ex) : null
  return cached
}

let cached: LstmKernels | null = null
