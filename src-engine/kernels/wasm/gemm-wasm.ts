/**
 * The WebAssembly SIMD GEMM (source: wasm/gemm.ts, in the module built from wasm/index.ts). Relaxed-SIMD fused multiply-add when the runtime
 * validates it, plain SIMD otherwise; `wasmGemm` is null where WebAssembly SIMD is unavailable and the
 * TypeScript GEMM is used instead.
 */
import { GEMM_RELAXED_WASM, GEMM_SIMD_WASM } from './binaries.generated'
import { EngineMemory } from './memory'

interface GemmExports {
  gemm(c: number, a: number, b: number, work: number, M: number, N: number, K: number, transA: number, transB: number, accumulate: number): void
  packedBFloats(N: number, K: number): number
  packBAll(dst: number, b: number, N: number, K: number, transB: number): void
  packBPart(dst: number, b: number, N: number, K: number, transB: number, part: number, parts: number): void
  gemmPackedB(c: number, a: number, bp: number, work: number, M: number, N: number, K: number, transA: number, accumulate: number): void
  gemmRows(c: number, a: number, b: number, M: number, N: number, K: number, transB: number, accumulate: number): void
  packBCols(dst: number, b: number, N: number, K: number, transB: number, j0: number, nc: number): void
  columnsFloats(nc: number, K: number): number
  columnRowsMax(): number
  gemmColumnRows(c: number, a: number, bp: number, work: number, M: number, N: number, K: number, j0: number, nc: number, i0: number, mc: number, transA: number, accumulate: number): void
  setScratch(ptr: number): void
  workspaceBytes(): number
  fmaPeak(steps: number, p: number): number
}

function decode(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64)
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

/** Up to this many rows of C, gemmRows (no packing) beats the packed kernel. */
const ROWS_PATH_MAX_M = 4

export type WasmVariant = 'relaxed-simd' | 'simd'

/** A kernel instance's own scratch (256 bytes, edge tiles) and packing workspace, as byte addresses. */
export interface WasmGemmRegions { readonly scratch: number; readonly work: number }

export class WasmGemm {
  readonly variant: WasmVariant
  readonly mem: EngineMemory
  private readonly exports: GemmExports
  private readonly work: number
  // staging area for operands that do not already live in engine memory
  private stage = 0
  private stageBytes = 0

  /**
   * `regions`: scratch and workspace reserved for this instance by the thread that owns `mem`'s allocator
   * (reserveRegions), for an instance on another thread that shares the memory; by default they are
   * reserved here.
   */
  constructor(module: WebAssembly.Module, variant: WasmVariant, mem: EngineMemory, regions?: WasmGemmRegions) {
    this.variant = variant
    this.mem = mem
    this.module = module
    const instance = new WebAssembly.Instance(module, { env: { memory: mem.memory } })
    this.exports = instance.exports as unknown as GemmExports
    this.exports.setScratch(regions?.scratch ?? mem.reserve(256))
    this.work = regions?.work ?? mem.reserve(this.exports.workspaceBytes())
  }

  readonly module: WebAssembly.Module

  /** Reserves, in this instance's memory, the regions of one more instance for another thread (see the constructor). */
  reserveRegions(): WasmGemmRegions {
    return { scratch: this.mem.reserve(256), work: this.mem.reserve(this.exports.workspaceBytes()) }
  }

  /**
   * The FMA-only probe (wasm/probe.ts): `steps` steps of the micro-kernel's multiply-adds and loads without
   * its memory traffic, 96 flops each. Its GFLOPS are the kernel's ceiling on this machine at this moment.
   * Returns the probe's checksum: 12 · steps · 0.001 (it uses the packing workspace as scratch).
   */
  fmaPeak(steps: number): number {
    return this.exports.fmaPeak(steps, this.work)
  }

  /** Floats of a packed op(B) (K, N) (packBPart's output). */
  packedBFloats(N: number, K: number): number {
    return this.exports.packedBFloats(N, K)
  }

  /**
   * Packs share `part` of `parts` of op(B) (K, N) into `panels` (packedBFloats(N, K) floats), both in engine
   * memory: threads that share the memory each pack one part of the same B, then use it with gemmPackedB.
   */
  packBPart(panels: Float32Array, B: Float32Array, N: number, K: number, transB: boolean, part: number, parts: number): WasmPackedB {
    if (!this.mem.owns(B) || !this.mem.owns(panels) || panels.length < this.exports.packedBFloats(N, K)) {
      throw new Error('packBPart: B and the panels must be in engine memory, the panels packedBFloats(N, K) long')
    }
    this.exports.packBPart(panels.byteOffset, B.byteOffset, N, K, transB ? 1 : 0, part, parts)
    return { N, K, panels }
  }

  /** Floats of packBColumns's output for `nc` columns of a depth-K op(B). */
  columnsFloats(nc: number, K: number): number {
    return this.exports.columnsFloats(nc, K)
  }

  /** Rows at most gemmColumnRows takes per call. */
  columnRowsMax(): number {
    return this.exports.columnRowsMax()
  }

  /**
   * Packs columns j0..j0+nc of op(B) (K, N), every depth slab, into `panels` (columnsFloats(nc, K) floats),
   * both in engine memory: the B of a thread that owns those columns of C (bench/lib/parallel-gemm.ts).
   */
  packBColumns(panels: Float32Array, B: Float32Array, N: number, K: number, transB: boolean, j0: number, nc: number): void {
    if (!this.mem.owns(B) || !this.mem.owns(panels) || panels.length < this.exports.columnsFloats(nc, K) || j0 < 0 || nc < 1 || j0 + nc > N) {
      throw new Error('packBColumns: B and the panels must be in engine memory, the panels columnsFloats(nc, K) long, the columns inside N')
    }
    this.exports.packBCols(panels.byteOffset, B.byteOffset, N, K, transB ? 1 : 0, j0, nc)
  }

  /**
   * C[i0..i0+mc, j0..j0+nc] = op(A)[i0..i0+mc, :]·op(B)[:, j0..j0+nc] (+ C when accumulate), with those columns
   * packed by packBColumns; C (M, N) and A in engine memory, mc ≤ columnRowsMax().
   */
  gemmColumnRows(C: Float32Array, A: Float32Array, panels: Float32Array, M: number, N: number, K: number, j0: number, nc: number, i0: number, mc: number, transA: boolean, accumulate: boolean): void {
    if (!this.mem.owns(C) || !this.mem.owns(A) || !this.mem.owns(panels) || mc > this.exports.columnRowsMax() || i0 < 0 || i0 + mc > M || j0 < 0 || j0 + nc > N) {
      throw new Error('gemmColumnRows: C, A and the panels must be in engine memory, the block inside C, at most columnRowsMax() rows')
    }
    this.exports.gemmColumnRows(C.byteOffset, A.byteOffset, panels.byteOffset, this.work, M, N, K, j0, nc, i0, mc, transA ? 1 : 0, accumulate ? 1 : 0)
  }

  /**
   * C (M, N) = op(A)·op(B) (+ C when accumulate), as kernels/gemm.ts. Operands outside engine memory are
   * copied in (and C back out); tensors allocated from engine memory go through without a copy.
   */
  gemm(C: Float32Array, A: Float32Array, B: Float32Array, M: number, N: number, K: number, transA: boolean, transB: boolean, accumulate: boolean): void {
    const mem = this.mem
    const na = M * K, nb = K * N, nc = M * N
    const needA = !mem.owns(A), needB = !mem.owns(B), needC = !mem.owns(C)
    const bytes = ((needA ? na : 0) + (needB ? nb : 0) + (needC ? nc : 0)) * 4
    if (bytes > this.stageBytes) {
      this.stageBytes = Math.max(bytes, this.stageBytes * 2)
      this.stage = mem.reserve(this.stageBytes)
    }
    const heap = new Float32Array(mem.buffer)
    let at = this.stage
    const place = (arr: Float32Array, n: number, copy: boolean, need: boolean): number => {
      if (!need) return arr.byteOffset
      const ptr = at
      at += n * 4
      if (copy) heap.set(arr.subarray(0, n), ptr >> 2)
      return ptr
    }
    const pa = place(A, na, true, needA)
    const pb = place(B, nb, true, needB)
    const pc = place(C, nc, accumulate, needC)
    // a few rows of a non-transposed A (batch-1 inference): stream B, no packing
    if (M <= ROWS_PATH_MAX_M && !transA) this.exports.gemmRows(pc, pa, pb, M, N, K, transB ? 1 : 0, accumulate ? 1 : 0)
    else this.exports.gemm(pc, pa, pb, this.work, M, N, K, transA ? 1 : 0, transB ? 1 : 0, accumulate ? 1 : 0)
    if (needC) C.set(heap.subarray(pc >> 2, (pc >> 2) + nc))
  }

  /** Packs op(B) (K, N) once into engine memory for gemmPackedB (into `reuse` when it has the same size). */
  packB(B: Float32Array, N: number, K: number, transB: boolean, reuse?: WasmPackedB | null): WasmPackedB {
    const floats = this.exports.packedBFloats(N, K)
    const panels = reuse && reuse.panels.length === floats ? reuse.panels : this.mem.allocF32(floats)
    let pb = B.byteOffset
    if (!this.mem.owns(B)) {
      this.reserveStage(K * N * 4)
      new Float32Array(this.mem.buffer).set(B.subarray(0, K * N), this.stage >> 2)
      pb = this.stage
    }
    this.exports.packBAll(panels.byteOffset, pb, N, K, transB ? 1 : 0)
    return { N, K, panels }
  }

  /** C (M, N) = op(A)·B (+ C when accumulate) with B packed by packB. */
  gemmPackedB(C: Float32Array, A: Float32Array, B: WasmPackedB, M: number, transA: boolean, accumulate: boolean): void {
    const { N, K } = B
    const mem = this.mem
    const na = M * K, nc = M * N
    const needA = !mem.owns(A), needC = !mem.owns(C)
    this.reserveStage(((needA ? na : 0) + (needC ? nc : 0)) * 4)
    const heap = new Float32Array(mem.buffer)
    const pa = needA ? this.stage : A.byteOffset
    if (needA) heap.set(A.subarray(0, na), pa >> 2)
    const pc = needC ? this.stage + (needA ? na * 4 : 0) : C.byteOffset
    if (needC && accumulate) heap.set(C.subarray(0, nc), pc >> 2)
    this.exports.gemmPackedB(pc, pa, B.panels.byteOffset, this.work, M, N, K, transA ? 1 : 0, accumulate ? 1 : 0)
    if (needC) C.set(heap.subarray(pc >> 2, (pc >> 2) + nc))
  }

  private reserveStage(bytes: number): void {
    if (bytes > this.stageBytes) {
      this.stageBytes = Math.max(bytes, this.stageBytes * 2)
      this.stage = this.mem.reserve(this.stageBytes)
    }
  }
}

/** op(B) packed once by WasmGemm.packB, for products that reuse it (it holds a copy: later changes to B are not seen). */
export interface WasmPackedB { readonly N: number; readonly K: number; readonly panels: Float32Array }

/** Instantiate the best variant this runtime supports, or null without WebAssembly SIMD. */
export function createWasmGemm(mem: EngineMemory = new EngineMemory(), regions?: WasmGemmRegions): WasmGemm | null {
  if (typeof WebAssembly === 'undefined') return null
  const relaxed = decode(GEMM_RELAXED_WASM)
  if (WebAssembly.validate(relaxed)) return new WasmGemm(new WebAssembly.Module(relaxed), 'relaxed-simd', mem, regions)
  const simd = decode(GEMM_SIMD_WASM)
  if (WebAssembly.validate(simd)) return new WasmGemm(new WebAssembly.Module(simd), 'simd', mem, regions)
  return null
}
