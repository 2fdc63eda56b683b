/**
 * GEMM: C (M, N) = op(A) (M, K) · op(B) (K, N) [+ C], row-major Float32Array, llm.c style
 * (output first, sizes last). op(A) is A (M, K), or Aᵀ when A is stored (K, M) and transA is set;
 * likewise op(B) is B (K, N), or Bᵀ when B is stored (N, K) and transB is set.
 *
 * The fast path follows the classic blocked design (Goto / BLIS):
 *  - split K into KC-deep slabs and M into MC-tall blocks so that the packed block of A stays in L2
 *    and the packed slab of B in L3 while they are reused;
 *  - pack A into MR-row micro-panels and B into NR-column micro-panels, zero-padded at the edges,
 *    so the micro-kernel reads both contiguously, never branches on edges, and so that every
 *    transpose variant is handled once, by the packing, not by four kernels;
 *  - a 4×4 register-tiled micro-kernel: 16 accumulators live in registers for a whole slab.
 * Scratch buffers are module-level and only grow; nothing is allocated in the hot loops.
 */

import { createWasmGemm, type WasmGemm, type WasmPackedB } from './wasm/gemm-wasm'
import { EngineMemory, type Arena } from './wasm/memory'

export interface GemmOptions {
  /** A is stored (K, M) and used transposed. */
  transA?: boolean
  /** B is stored (N, K) and used transposed. */
  transB?: boolean
  /** Add the product to C instead of overwriting it. */
  accumulate?: boolean
}

export type GemmFn = (
  C: Float32Array, A: Float32Array, B: Float32Array, M: number, N: number, K: number, opts?: GemmOptions
) => void

const MR = 4
const NR = 4
const KC = 256
const MC = 128
const NC = 2048

let packedA = new Float32Array(MC * KC)
let packedB = new Float32Array(NC * KC)
const edge = new Float64Array(MR * NR)

/** Pack rows i0..i0+mc of op(A), depth p0..p0+kc, as MR-row panels laid out [panel][p][r]. */
function packA(
  out: Float32Array, A: Float32Array, transA: boolean, M: number, K: number,
  i0: number, mc: number, p0: number, kc: number
): void {
  let o = 0
  for (let ir = 0; ir < mc; ir += MR) {
    const rows = Math.min(MR, mc - ir)
    for (let p = 0; p < kc; p++) {
      for (let r = 0; r < MR; r++) {
        if (r < rows) {
          const i = i0 + ir + r
          out[o++] = transA ? A[(p0 + p) * M + i] : A[i * K + p0 + p]
        } else {
          out[o++] = 0
        }
      }
    }
  }
}

/** Pack columns j0..j0+nc of op(B), depth p0..p0+kc, as NR-column panels laid out [panel][p][c]. */
function packB(
  out: Float32Array, B: Float32Array, transB: boolean, N: number, K: number,
  j0: number, nc: number, p0: number, kc: number
): void {
  let o = 0
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = Math.min(NR, nc - jr)
    if (!transB && cols === NR) {
      // the common case: four consecutive floats per row of B
      let b = p0 * N + j0 + jr
      for (let p = 0; p < kc; p++) {
        out[o] = B[b]; out[o + 1] = B[b + 1]; out[o + 2] = B[b + 2]; out[o + 3] = B[b + 3]
        o += NR
        b += N
      }
      continue
    }
    for (let p = 0; p < kc; p++) {
      for (let c = 0; c < NR; c++) {
        if (c < cols) {
          const j = j0 + jr + c
          out[o++] = transB ? B[j * K + p0 + p] : B[(p0 + p) * N + j]
        } else {
          out[o++] = 0
        }
      }
    }
  }
}

/**
 * Multiply a packed MC×KC block of A by a packed KC×NC slab of B into C (i0, j0), adding to C, or
 * overwriting it for the first K-slab of a non-accumulating call (which saves zeroing C first).
 * ap: (ceil(mc/MR), kc, MR); bp: (ceil(nc/NR), kc, NR).
 */
function macroKernel(
  C: Float32Array, N: number, ap: Float32Array, bp: Float32Array,
  i0: number, mc: number, j0: number, nc: number, kc: number, overwrite: boolean
): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const bBase = (jr / NR) * kc * NR
    const cols = Math.min(NR, nc - jr)
    for (let ir = 0; ir < mc; ir += MR) {
      const rows = Math.min(MR, mc - ir)
      let ai = (ir / MR) * kc * MR
      let bi = bBase
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0
      let c10 = 0, c11 = 0, c12 = 0, c13 = 0
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0
      let c30 = 0, c31 = 0, c32 = 0, c33 = 0
      for (let p = 0; p < kc; p++) {
        const a0 = ap[ai], a1 = ap[ai + 1], a2 = ap[ai + 2], a3 = ap[ai + 3]
        const b0 = bp[bi], b1 = bp[bi + 1], b2 = bp[bi + 2], b3 = bp[bi + 3]
        c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3
        c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3
        c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3
        c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3
        ai += MR
        bi += NR
      }
      const c = (i0 + ir) * N + j0 + jr
      if (overwrite && rows === MR && cols === NR) {
        C[c] = c00; C[c + 1] = c01; C[c + 2] = c02; C[c + 3] = c03
        const c1 = c + N
        C[c1] = c10; C[c1 + 1] = c11; C[c1 + 2] = c12; C[c1 + 3] = c13
        const c2 = c1 + N
        C[c2] = c20; C[c2 + 1] = c21; C[c2 + 2] = c22; C[c2 + 3] = c23
        const c3 = c2 + N
        C[c3] = c30; C[c3 + 1] = c31; C[c3 + 2] = c32; C[c3 + 3] = c33
      } else if (rows === MR && cols === NR) {
        C[c] += c00; C[c + 1] += c01; C[c + 2] += c02; C[c + 3] += c03
        const c1 = c + N
        C[c1] += c10; C[c1 + 1] += c11; C[c1 + 2] += c12; C[c1 + 3] += c13
        const c2 = c1 + N
        C[c2] += c20; C[c2 + 1] += c21; C[c2 + 2] += c22; C[c2 + 3] += c23
        const c3 = c2 + N
        C[c3] += c30; C[c3 + 1] += c31; C[c3 + 2] += c32; C[c3 + 3] += c33
      } else {
        edge[0] = c00; edge[1] = c01; edge[2] = c02; edge[3] = c03
        edge[4] = c10; edge[5] = c11; edge[6] = c12; edge[7] = c13
        edge[8] = c20; edge[9] = c21; edge[10] = c22; edge[11] = c23
        edge[12] = c30; edge[13] = c31; edge[14] = c32; edge[15] = c33
        for (let r = 0; r < rows; r++) {
          for (let cc = 0; cc < cols; cc++) {
            const at = c + r * N + cc
            C[at] = overwrite ? edge[r * NR + cc] : C[at] + edge[r * NR + cc]
          }
        }
      }
    }
  }
}

/** The blocked, packed TypeScript GEMM (see the file comment). */
export function gemmBlocked(
  C: Float32Array, A: Float32Array, B: Float32Array, M: number, N: number, K: number, opts: GemmOptions = {}
): void {
  const transA = opts.transA === true
  const transB = opts.transB === true
  const accumulate = opts.accumulate === true
  if (M === 0 || N === 0) return
  if (K === 0) {
    if (!accumulate) C.fill(0, 0, M * N)
    return
  }
  for (let j0 = 0; j0 < N; j0 += NC) {
    const nc = Math.min(NC, N - j0)
    for (let p0 = 0; p0 < K; p0 += KC) {
      const kc = Math.min(KC, K - p0)
      const needB = Math.ceil(nc / NR) * NR * kc
      if (packedB.length < needB) packedB = new Float32Array(needB)
      packB(packedB, B, transB, N, K, j0, nc, p0, kc)
      for (let i0 = 0; i0 < M; i0 += MC) {
        const mc = Math.min(MC, M - i0)
        const needA = Math.ceil(mc / MR) * MR * kc
        if (packedA.length < needA) packedA = new Float32Array(needA)
        packA(packedA, A, transA, M, K, i0, mc, p0, kc)
        macroKernel(C, N, packedA, packedB, i0, mc, j0, nc, kc, p0 === 0 && !accumulate)
      }
    }
  }
}

/**
 * The WebAssembly SIMD GEMM (kernels/wasm/gemm-wasm.ts) when this runtime has WebAssembly SIMD: relaxed
 * SIMD fused multiply-add where it validates (Electron; Node 20 with --experimental-wasm-relaxed-simd),
 * plain SIMD otherwise. null → the TypeScript GEMM above. BACKPROP_LAB_GEMM=ts forces TypeScript.
 */
let wasm: WasmGemm | null = (() => {
  // read through globalThis: the renderer imports this file too, and has no `process`
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.BACKPROP_LAB_GEMM
  if (env === 'ts') return null
  try {
    return createWasmGemm()
  } catch {
    return null
  }
})()

/** Multiply-adds below which gemmWasm hands the product to the TypeScript kernel. */
export const WASM_MIN_WORK = 8192

/** C = op(A)·op(B) [+ C] through the WebAssembly kernel; operands in engine memory are read in place. */
export function gemmWasm(
  C: Float32Array, A: Float32Array, B: Float32Array, M: number, N: number, K: number, opts: GemmOptions = {}
): void {
  if (wasm === null) throw new Error('gemmWasm: this runtime has no WebAssembly SIMD')
  if (M === 0 || N === 0) return
  // Tiny products stay in TypeScript: the call and operand copies would cost more than the work, and the
  // TypeScript kernel sums in float64, which keeps gradient checks of small networks below float32 noise.
  if (M * N * K < WASM_MIN_WORK) {
    gemmBlocked(C, A, B, M, N, K, opts)
    return
  }
  wasm.gemm(C, A, B, M, N, K, opts.transA === true, opts.transB === true, opts.accumulate === true)
}

/**
 * op(B) prepared once for many products with the same B (an LSTM's Wh at every time step): packed
 * for the WebAssembly kernel, or just remembered for the TypeScript one. It is a snapshot when packed:
 * pack again after B changes.
 */
export interface PackedB {
  readonly K: number
  readonly N: number
  readonly wasm: WasmPackedB | null
  readonly B: Float32Array
  readonly transB: boolean
}

/**
 * Prepares op(B) (K, N) — B stored (K, N), or (N, K) with transB — for gemmPrepacked. Pass the previous
 * PackedB of the same operand as `reuse` to pack into its memory again.
 */
export function prepackB(B: Float32Array, K: number, N: number, transB = false, reuse: PackedB | null = null): PackedB {
  const useWasm = wasm !== null && impl === gemmWasm && K > 0 && N > 0
  return { K, N, B, transB, wasm: useWasm ? wasm!.packB(B, N, K, transB, reuse?.wasm) : null }
}

/** C (M, N) = op(A)·op(B) [+ C] with B prepared by prepackB (opts.transB is taken from the packing). */
export function gemmPrepacked(C: Float32Array, A: Float32Array, B: PackedB, M: number, opts: GemmOptions = {}): void {
  if (M === 0 || B.N === 0) return
  if (B.wasm !== null && M * B.N * B.K >= WASM_MIN_WORK && !(M <= 4 && opts.transA !== true)) {
    wasm!.gemmPackedB(C, A, B.wasm, M, opts.transA === true, opts.accumulate === true)
  } else {
    gemm(C, A, B.B, M, B.N, B.K, { transA: opts.transA, transB: B.transB, accumulate: opts.accumulate })
  }
}

/** Which GEMM the engine uses: 'wasm-relaxed-simd', 'wasm-simd' or 'typescript'. */
export function gemmBackend(): 'wasm-relaxed-simd' | 'wasm-simd' | 'typescript' {
  return impl === gemmWasm && wasm !== null ? (wasm.variant === 'relaxed-simd' ? 'wasm-relaxed-simd' : 'wasm-simd') : 'typescript'
}

/**
 * A zeroed Float32Array for a layer buffer: in engine memory when the WebAssembly GEMM is in use (it
 * then reads and writes the buffer without copies), an ordinary array otherwise.
 */
export function kernelArray(n: number): Float32Array {
  return wasm !== null && impl === gemmWasm ? wasm.mem.allocF32(n) : new Float32Array(n)
}

/** Returns a kernelArray to engine memory at once; the caller must not use it afterwards. */
export function releaseKernelArray(a: Float32Array): void {
  wasm?.mem.release(a)
}

/**
 * A kernelArray's block again as `n` zeroed values when its size class holds them (EngineMemory.refit), else null:
 * the caller must then not use `a` any more. Null for an ordinary array (the TypeScript GEMM in use).
 */
export function refitKernelArray(a: Float32Array, n: number): Float32Array | null {
  return wasm?.mem.refit(a, n) ?? null
}

let impl: GemmFn = wasm !== null ? gemmWasm : gemmBlocked

/**
 * The GEMM every layer calls. It delegates to the current implementation (the WebAssembly one when
 * available, else the blocked TypeScript one), so another GEMM can be swapped in with setGemm().
 */
export function gemm(
  C: Float32Array, A: Float32Array, B: Float32Array, M: number, N: number, K: number, opts?: GemmOptions
): void {
  impl(C, A, B, M, N, K, opts)
}

/** Replace the implementation behind gemm() (same signature and semantics); returns the previous one. */
export function setGemm(fn: GemmFn): GemmFn {
  const prev = impl
  impl = fn
  return prev
}

/**
 * The engine memory that kernelArray allocates from while the WebAssembly GEMM is in use, else null: for
 * other WebAssembly kernels that work on the same buffers in place (kernels/wasm/lstm-wasm.ts).
 */
export function engineMemory(): EngineMemory | null {
  return wasm !== null && impl === gemmWasm ? wasm.mem : null
}

/**
 * From now on this thread's kernels and kernelArray work in `arena` of `memory`, another thread's engine
 * memory (EngineMemory.shareArenas there): a data-parallel replica, whose layers then read the training
 * thread's parameters and write their gradients where that thread's update reads them, without copies
 * (train/replica.ts). Call it before any layer is built. False (nothing changed) while the TypeScript GEMM
 * is in use.
 */
export function useSharedMemory(memory: WebAssembly.Memory, arena: Arena): boolean {
  if (wasm === null || impl !== gemmWasm) return false
  const shared = createWasmGemm(new EngineMemory(memory, arena))
  if (shared === null) return false
  wasm = shared
  return true
}

/**
 * The WebAssembly GEMM instance behind gemm() and kernelArray, or null while the TypeScript GEMM is in use:
 * for code that drives the kernel from several threads over the shared engine memory (bench/lib/parallel-gemm.ts).
 */
export function wasmGemm(): WasmGemm | null {
  return wasm !== null && impl === gemmWasm ? wasm : null
}
