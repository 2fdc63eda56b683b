/**
 * Convolution: out = x ⋆ W + b (cross-correlation, as every CNN framework means by "convolution").
 * x (N, C, H, W); W (FN, C, FH, FW); b (FN), one bias per output channel; out (N, FN, OH, OW).
 * The batch runs in sub-batches of a few images (subBatch): each goes through im2colT (im2col's col transposed:
 * colᵀ (C·FH·FW, n·OH·OW), kept for backward), then one GEMM W (FN, C·FH·FW) · colᵀ gives its output planes as
 * (FN, n, OH·OW), swapped to NCHW (plane copies); backward swaps the sub-batch's dout to (FN, n·OH·OW) and runs
 * one GEMM each for dW (accumulated over the sub-batches) and dcolᵀ, then col2imT. One product over several
 * images rather than one per image runs the packed GEMM closer to its peak; sub-batches rather than the whole
 * batch keep the planes in the core's L2 between the GEMM and the copies around it (for W1's 50 images per thread
 * the whole batch's planes alone are 3.5 MB, streamed through the L3 that both cores share at every stage).
 */
import { tensor, shapeText, type Tensor } from '../tensor'
import { convOutSizeStrict } from '../kernels/conv-geometry'
import { gemm } from '../kernels/gemm'
import { im2colT, col2imT, fillRows, sumPlanes, swapAxes } from '../kernels/im2col'
import type { Layer } from './layer'
import { checkDout, checkRank, ensure, notForwarded, where, kernelTensor } from './common'

/** Floats of one sub-batch's output planes (FN, n·OH·OW): 256 KiB, half of a Zen 3 core's L2. */
const SUB_FLOATS = 65536

/**
 * Images per sub-batch: forward and backward run the batch in sub-batches whose planes (and colᵀ) stay in the
 * core's L2 between the GEMM and the copies around it, instead of streaming the whole batch's through L3 (or
 * memory) at every stage; each is still one GEMM over all its images. A function of the shapes only.
 */
export function subBatch(N: number, FN: number, K: number, P: number): number {
  return Math.max(1, Math.min(N, Math.floor(SUB_FLOATS / (Math.max(FN, K) * P))))
}

export class Convolution implements Layer {
  readonly type = 'Convolution'
  readonly params: Tensor[]
  readonly grads: Tensor[]
  readonly paramNames: string[]
  private readonly W: Tensor
  private readonly b: Tensor | null
  private x: Tensor | null = null
  private col: Tensor | null = null   // each sub-batch's colᵀ (C·FH·FW, n·OH·OW), one after another
  private dcol: Tensor | null = null  // one sub-batch's dcolᵀ (C·FH·FW, S·OH·OW)
  private planes: Tensor | null = null // one sub-batch's out or dout as (FN, S·OH·OW)
  private out: Tensor | null = null   // (N, FN, OH, OW)
  private dx: Tensor | null = null    // (N, C, H, W)
  /**
   * When false, backward() computes only dW and db and returns an all-zero dx: a network's first
   * layer has no one to pass dx to, and skipping it saves the dcolᵀ GEMM and col2imT (about 40% of backward).
   */
  needsDx = true

  constructor(W: Tensor, b: Tensor | null, readonly stride = 1, readonly pad = 0, readonly name = 'conv') {
    if (W.shape.length !== 4) throw new Error(`${where(this.type, name)}: W must be (FN, C, FH, FW), got ${shapeText(W.shape)}`)
    if (b !== null && (b.shape.length !== 1 || b.shape[0] !== W.shape[0])) {
      throw new Error(`${where(this.type, name)}: b must be (${W.shape[0]}), got ${shapeText(b.shape)}`)
    }
    if (!(stride >= 1) || !(pad >= 0)) throw new Error(`${where(this.type, name)}: stride must be ≥ 1 and pad ≥ 0 (got ${stride}, ${pad})`)
    this.W = W
    this.b = b
    this.params = b === null ? [W] : [W, b]
    this.grads = this.params.map((p) => kernelTensor(p.shape))
    this.paramNames = b === null ? ['W'] : ['W', 'b']
  }

  outShape(inShape: readonly number[]): number[] {
    const [FN, C, FH, FW] = this.W.shape
    if (inShape.length !== 3) throw new Error(`${where(this.type, this.name)}: expects (C, H, W) input but got ${shapeText(inShape)}`)
    if (inShape[0] !== C) throw new Error(`${where(this.type, this.name)}: input has ${inShape[0]} channels but W expects ${C}`)
    const w = where(this.type, this.name)
    return [FN, convOutSizeStrict(w, 'height', inShape[1], FH, this.stride, this.pad),
      convOutSizeStrict(w, 'width', inShape[2], FW, this.stride, this.pad)]
  }

  forward(x: Tensor, _train: boolean): Tensor {
    checkRank(this.type, this.name, x, 4, '(N, C, H, W)')
    const [N, C, H, Wd] = x.shape
    const [FN, , FH, FW] = this.W.shape
    const [, OH, OW] = this.outShape([C, H, Wd])
    const K = C * FH * FW
    const P = OH * OW
    const S = subBatch(N, FN, K, P)
    this.col = ensure(this.col, [K, N * P])
    this.out = ensure(this.out, [N, FN, OH, OW])
    this.planes = ensure(this.planes, [FN, S * P])
    const planes = this.planes.data
    const inPer = C * H * Wd
    for (let n0 = 0; n0 < N; n0 += S) {
      const n = Math.min(S, N - n0)
      // sub-batch [n0, n0 + n)'s colᵀ (K, n·P), kept for backward at K·n0·P
      const col = this.col.data.subarray(K * n0 * P, K * (n0 + n) * P)
      im2colT(col, x.data.subarray(n0 * inPer, (n0 + n) * inPer), n, C, H, Wd, FH, FW, this.stride, this.pad, OH, OW)
      // each output row starts as its bias, then the GEMM adds into it
      if (this.b !== null) fillRows(planes, this.b.data, FN, n * P)
      // (FN, K) · (K, n·P) → (FN, n, P), then to (n, FN, P)
      gemm(planes, this.W.data, col, FN, n * P, K, { accumulate: this.b !== null })
      swapAxes(this.out.data.subarray(n0 * FN * P, (n0 + n) * FN * P), planes, FN, n, P)
    }
    this.x = x
    return this.out
  }

  backward(dout: Tensor): Tensor {
    if (this.x === null || this.col === null || this.out === null) throw notForwarded(this.type, this.name)
    checkDout(this.type, this.name, dout, this.out.shape)
    const [N, C, H, Wd] = this.x.shape
    const [FN, , FH, FW] = this.W.shape
    const [, , OH, OW] = this.out.shape
    const K = C * FH * FW
    const P = OH * OW
    const S = subBatch(N, FN, K, P)
    const dW = this.grads[0].data
    const db = this.b !== null ? this.grads[1].data : null
    this.dx = ensure(this.dx, this.x.shape)
    if (this.needsDx) this.dcol = ensure(this.dcol, [K, S * P])
    else this.dx.data.fill(0)
    this.planes = ensure(this.planes, [FN, S * P])
    const doutT = this.planes.data
    if (db !== null) db.fill(0)
    const inPer = C * H * Wd
    for (let n0 = 0; n0 < N; n0 += S) {
      const n = Math.min(S, N - n0)
      const col = this.col.data.subarray(K * n0 * P, K * (n0 + n) * P)
      swapAxes(doutT, dout.data.subarray(n0 * FN * P, (n0 + n) * FN * P), n, FN, P)
      // dW (FN, K) = Σ over sub-batches of doutᵀ (FN, n·P) · (colᵀ)ᵀ (n·P, K)
      gemm(dW, doutT, col, FN, K, n * P, { transB: true, accumulate: n0 > 0 })
      if (db !== null) sumPlanes(db, doutT, FN, n * P)
      if (this.dcol !== null && this.needsDx) {
        // dcolᵀ (K, n·P) = Wᵀ (K, FN) · doutᵀ (FN, n·P), added back into the sub-batch's images
        gemm(this.dcol.data, this.W.data, doutT, K, n * P, FN, { transA: true })
        col2imT(this.dx.data.subarray(n0 * inPer, (n0 + n) * inPer), this.dcol.data, n, C, H, Wd, FH, FW, this.stride, this.pad, OH, OW)
      }
    }
    return this.dx
  }
}
