/**
 * Convolution: out = x ⋆ W + b (cross-correlation, as every CNN framework means by "convolution").
 * x (N, C, H, W); W (FN, C, FH, FW); b (FN), one bias per output channel; out (N, FN, OH, OW).
 * The batch goes through im2colT (im2col's col transposed: colᵀ (C·FH·FW, N·OH·OW)), then one GEMM
 * W (FN, C·FH·FW) · colᵀ gives the output planes as (FN, N, OH·OW), swapped to NCHW (plane copies); backward
 * swaps dout to (FN, N·OH·OW) and runs one GEMM each for dW and dcolᵀ, then col2imT. One product over the batch
 * instead of one per image: its longer rows and deeper sums run the packed GEMM closer to its peak.
 */
import { tensor, shapeText, type Tensor } from '../tensor'
import { convOutSizeStrict } from '../kernels/conv-geometry'
import { gemm } from '../kernels/gemm'
import { im2colT, col2imT, sumPlanes, swapAxes } from '../kernels/im2col'
import type { Layer } from './layer'
import { checkDout, checkRank, ensure, notForwarded, where, kernelTensor } from './common'

export class Convolution implements Layer {
  readonly type = 'Convolution'
  readonly params: Tensor[]
  readonly grads: Tensor[]
  readonly paramNames: string[]
  private readonly W: Tensor
  private readonly b: Tensor | null
  private x: Tensor | null = null
  private col: Tensor | null = null   // colᵀ (C·FH·FW, N·OH·OW)
  private dcol: Tensor | null = null  // (C·FH·FW, N·OH·OW)
  private planes: Tensor | null = null // out or dout as (FN, N·OH·OW)
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
    this.col = ensure(this.col, [K, N * P])
    this.out = ensure(this.out, [N, FN, OH, OW])
    this.planes = ensure(this.planes, [FN, N * P])
    im2colT(this.col.data, x.data, N, C, H, Wd, FH, FW, this.stride, this.pad, OH, OW)
    const planes = this.planes.data
    // each output row starts as its bias (a native fill), then the GEMM adds into it
    if (this.b !== null) for (let f = 0; f < FN; f++) planes.fill(this.b.data[f], f * N * P, (f + 1) * N * P)
    // (FN, K) · (K, N·P) → (FN, N, P), then to (N, FN, P)
    gemm(planes, this.W.data, this.col.data, FN, N * P, K, { accumulate: this.b !== null })
    swapAxes(this.out.data, planes, FN, N, P)
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
    const dW = this.grads[0].data
    this.dx = ensure(this.dx, this.x.shape)
    if (this.needsDx) this.dcol = ensure(this.dcol, [K, N * P])
    this.planes = ensure(this.planes, [FN, N * P])
    const doutT = this.planes.data
    swapAxes(doutT, dout.data, N, FN, P)
    // dW (FN, K) = doutᵀ (FN, N·P) · (colᵀ)ᵀ (N·P, K)
    gemm(dW, doutT, this.col.data, FN, K, N * P, { transB: true })
    // dcolᵀ (K, N·P) = Wᵀ (K, FN) · doutᵀ (FN, N·P)
    if (this.dcol !== null && this.needsDx) gemm(this.dcol.data, this.W.data, doutT, K, N * P, FN, { transA: true })
    if (this.b !== null) {
      const db = this.grads[1].data
      db.fill(0)
      sumPlanes(db, doutT, 1, FN, N * P)
    }
    if (this.dcol !== null && this.needsDx) {
      col2imT(this.dx.data, this.dcol.data, N, C, H, Wd, FH, FW, this.stride, this.pad, OH, OW)
    } else {
      this.dx.data.fill(0)
    }
    return this.dx
  }
}
