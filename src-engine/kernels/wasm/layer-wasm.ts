/**
 * The layer kernels of wasm/layers.ts (the engine module besides GEMM and the LSTM step): Relu forward/backward, im2col,
 * im2colT / col2imT, bias fills and sums, and max pooling, on buffers in engine memory. kernels/activations.ts, im2col.ts and pooling.ts call
 * them when every buffer lives there (operands that do not, such as a network's input batch, are
 * copied in) and keep their TypeScript loops otherwise; both give the same results.
 */
import type { EngineMemory } from './memory'
import { kernelExports } from './instance'

interface LayerExports {
  reluForward(out: number, x: number, n: number): void
  reluBackward(dx: number, dout: number, x: number, n: number): void
  im2col(col: number, x: number, N: number, C: number, H: number, W: number, FH: number, FW: number, stride: number, pad: number, OH: number, OW: number): void
  im2colT(col: number, x: number, N: number, C: number, H: number, W: number, FH: number, FW: number, stride: number, pad: number, OH: number, OW: number): void
  col2imT(dx: number, col: number, N: number, C: number, H: number, W: number, FH: number, FW: number, stride: number, pad: number, OH: number, OW: number): void
  sumPlanes(b: number, dout: number, F: number, P: number): void
  fillRows(dst: number, values: number, rows: number, len: number): void
  swapAxes(dst: number, src: number, A: number, B: number, P: number): void
  maxPoolInside(out: number, argmax: number, x: number, NC: number, H: number, W: number, PH: number, PW: number, stride: number, OH: number, OW: number): void
  maxPoolBackward(dx: number, dout: number, argmax: number, nIn: number, nOut: number): void
}

export class LayerKernels {
  // staging area for operands outside engine memory, and for max pooling's argmax (i32)
  private stage: Float32Array | null = null

  constructor(readonly mem: EngineMemory, private readonly ex: LayerExports) {}

  owns(a: ArrayBufferView): boolean {
    return this.mem.owns(a)
  }

  reluForward(out: Float32Array, x: Float32Array, n: number): void {
    this.ex.reluForward(out.byteOffset, x.byteOffset, n)
  }

  reluBackward(dx: Float32Array, dout: Float32Array, x: Float32Array, n: number): void {
    this.ex.reluBackward(dx.byteOffset, dout.byteOffset, x.byteOffset, n)
  }

  /** im2col into `col` (engine memory); x is read in place, or copied in first when it lives elsewhere. */
  im2col(col: Float32Array, x: Float32Array, N: number, C: number, H: number, W: number, FH: number, FW: number,
    stride: number, pad: number, OH: number, OW: number): void {
    const px = this.mem.owns(x) ? x.byteOffset : this.stageIn(x, N * C * H * W)
    this.ex.im2col(col.byteOffset, px, N, C, H, W, FH, FW, stride, pad, OH, OW)
  }

  /** im2colT into `col` (engine memory); x is read in place, or copied in first when it lives elsewhere. */
  im2colT(col: Float32Array, x: Float32Array, N: number, C: number, H: number, W: number, FH: number, FW: number,
    stride: number, pad: number, OH: number, OW: number): void {
    const px = this.mem.owns(x) ? x.byteOffset : this.stageIn(x, N * C * H * W)
    this.ex.im2colT(col.byteOffset, px, N, C, H, W, FH, FW, stride, pad, OH, OW)
  }

  /** col2imT: dx and col in engine memory. */
  col2imT(dx: Float32Array, col: Float32Array, N: number, C: number, H: number, W: number, FH: number, FW: number,
    stride: number, pad: number, OH: number, OW: number): void {
    this.ex.col2imT(dx.byteOffset, col.byteOffset, N, C, H, W, FH, FW, stride, pad, OH, OW)
  }

  /** swapAxes of im2col.ts: dst and src in engine memory. */
  swapAxes(dst: Float32Array, src: Float32Array, A: number, B: number, P: number): void {
    this.ex.swapAxes(dst.byteOffset, src.byteOffset, A, B, P)
  }

  /** fillRows of im2col.ts: dst and values in engine memory. */
  fillRows(dst: Float32Array, values: Float32Array, rows: number, len: number): void {
    this.ex.fillRows(dst.byteOffset, values.byteOffset, rows, len)
  }

  /** b[f] += the sum of dout (F, P) over p: b and dout in engine memory. */
  sumPlanes(b: Float32Array, dout: Float32Array, F: number, P: number): void {
    this.ex.sumPlanes(b.byteOffset, dout.byteOffset, F, P)
  }

  /** maxPoolInside of pooling.ts: out and x in engine memory, argmax anywhere (written in place when in engine memory, else copied out). */
  maxPoolInside(out: Float32Array, argmax: Int32Array, x: Float32Array, NC: number, H: number, W: number,
    PH: number, PW: number, stride: number, OH: number, OW: number): void {
    const n = NC * OH * OW
    if (this.mem.owns(argmax)) {
      this.ex.maxPoolInside(out.byteOffset, argmax.byteOffset, x.byteOffset, NC, H, W, PH, PW, stride, OH, OW)
      return
    }
    const stage = this.ensureStage(n)
    this.ex.maxPoolInside(out.byteOffset, stage.byteOffset, x.byteOffset, NC, H, W, PH, PW, stride, OH, OW)
    argmax.set(new Int32Array(stage.buffer, stage.byteOffset, n))
  }

  /** maxPoolBackward of pooling.ts: dx, dout and argmax in engine memory. */
  maxPoolBackward(dx: Float32Array, dout: Float32Array, argmax: Int32Array, nIn: number, nOut: number): void {
    this.ex.maxPoolBackward(dx.byteOffset, dout.byteOffset, argmax.byteOffset, nIn, nOut)
  }

  private ensureStage(n: number): Float32Array {
    if (this.stage === null || this.stage.length < n) {
      if (this.stage !== null) this.mem.release(this.stage)
      this.stage = this.mem.allocF32(Math.max(n, 2 * (this.stage?.length ?? 0)))
    }
    return this.stage
  }

  private stageIn(a: Float32Array, n: number): number {
    const stage = this.ensureStage(n)
    stage.set(a.subarray(0, n))
    return stage.byteOffset
  }
}

let cached: LayerKernels | null = null

/** The kernels on `mem`, or null without engine memory or WebAssembly SIMD. */
export function layerKernels(mem: EngineMemory | null): LayerKernels | null {
  if (mem === null) return null
  if (cached !== null && cached.mem === mem) return cached
  const ex = kernelExports(mem) as unknown as LayerExports | null
  cached = ex !== null && typeof ex.reluForward === 'function' ? new LayerKernels(mem, ex) : null
  return cached
}
