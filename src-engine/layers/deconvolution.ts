/**
 * Deconvolution (transposed convolution), as PyTorch's ConvTranspose2d and ONNX ConvTranspose:
 * each input pixel stamps its filter, scaled by its value, onto the output at stride S; then P
 * rows/columns are cropped from every edge. It is the adjoint (backward-for-input) of Convolution.
 * x (N, C, H, W); W (C, FN, FH, FW); b (FN); out (N, FN, OH, OW), OH = (H − 1)·S − 2P + FH.
 * Forward runs a GEMM then col2im; backward runs im2col then two GEMMs, mirroring Convolution.
 */
import { tensor, shapeText, type Tensor } from '../tensor'
import { deconvOutSize } from '../kernels/conv-geometry'
import { gemm } from '../kernels/gemm'
import { col2im, im2col } from '../kernels/im2col'
import type { Layer } from './layer'
import { checkDout, checkRank, ensure, notForwarded, where, kernelTensor } from './common'

export class Deconvolution implements Layer {
  readonly type = 'Deconvolution'
  readonly params: Tensor[]
  readonly grads: Tensor[]
  readonly paramNames: string[]
  private readonly W: Tensor
  private readonly b: Tensor | null
  private x: Tensor | null = null
  private col: Tensor | null = null  // (N·H·W, FN·FH·FW): forward stamps, then backward's im2col of dout
  private out: Tensor | null = null  // (N, FN, OH, OW)
  private dx: Tensor | null = null

  constructor(W: Tensor, b: Tensor | null, readonly stride = 1, readonly pad = 0, readonly name = 'deconv') {
    if (W.shape.length !== 4) throw new Error(`${where(this.type, name)}: W must be (C, FN, FH, FW), got ${shapeText(W.shape)}`)
    if (b !== null && (b.shape.length !== 1 || b.shape[0] !== W.shape[1])) {
      throw new Error(`${where(this.type, name)}: b must be (${W.shape[1]}), got ${shapeText(b.shape)}`)
    }
    if (!(stride >= 1) || !(pad >= 0)) throw new Error(`${where(this.type, name)}: stride must be ≥ 1 and pad ≥ 0 (got ${stride}, ${pad})`)
    this.W = W
    this.b = b
    this.params = b === null ? [W] : [W, b]
    this.grads = this.params.map((p) => kernelTensor(p.shape))
    this.paramNames = b === null ? ['W'] : ['W', 'b']
  }

  outShape(inShape: readonly number[]): number[] {
    const [C, FN, FH, FW] = this.W.shape
    if (inShape.length !== 3) throw new Error(`${where(this.type, this.name)}: expects (C, H, W) input but got ${shapeText(inShape)}`)
    if (inShape[0] !== C) throw new Error(`${where(this.type, this.name)}: input has ${inShape[0]} channels but W expects ${C}`)
    const oh = deconvOutSize(inShape[1], FH, this.stride, this.pad)
    const ow = deconvOutSize(inShape[2], FW, this.stride, this.pad)
    if (!oh.exact || !ow.exact) {
      throw new Error(`${where(this.type, this.name)}: output size ${oh.formula} × ${ow.formula} is not positive; lower the pad`)
    }
    return [FN, oh.size, ow.size]
  }

  forward(x: Tensor, _train: boolean): Tensor {
    checkRank(this.type, this.name, x, 4, '(N, C, H, W)')
    const [N, C, H, Wd] = x.shape
    const [, FN, FH, FW] = this.W.shape
    const [, OH, OW] = this.outShape([C, H, Wd])
    const K = FN * FH * FW
    const P = H * Wd
    this.col = ensure(this.col, [N * P, K])
    this.out = ensure(this.out, [N, FN, OH, OW])
    for (let n = 0; n < N; n++) {
      // col_n (P, K) = x_nᵀ (P, C) · W (C, K): every input pixel's stamp
      gemm(this.col.data.subarray(n * P * K, (n + 1) * P * K), x.data.subarray(n * C * P, (n + 1) * C * P), this.W.data, P, K, C, { transA: true })
    }
    col2im(this.out.data, this.col.data, N, FN, OH, OW, FH, FW, this.stride, this.pad, H, Wd)
    if (this.b !== null) {
      const Q = OH * OW
      for (let n = 0; n < N; n++) {
        for (let f = 0; f < FN; f++) {
          const bf = this.b.data[f]
          for (let i = (n * FN + f) * Q, e = i + Q; i < e; i++) this.out.data[i] += bf
        }
      }
    }
    this.x = x
    return this.out
  }

  backward(dout: Tensor): Tensor {
    if (this.x === null || this.out === null || this.col === null) throw notForwarded(this.type, this.name)
    checkDout(this.type, this.name, dout, this.out.shape)
    const [N, C, H, Wd] = this.x.shape
    const [, FN, FH, FW] = this.W.shape
    const [, , OH, OW] = this.out.shape
    const K = FN * FH * FW
    const P = H * Wd
    im2col(this.col.data, dout.data, N, FN, OH, OW, FH, FW, this.stride, this.pad, H, Wd)
    this.dx = ensure(this.dx, this.x.shape)
    const dW = this.grads[0].data
    for (let n = 0; n < N; n++) {
      const colN = this.col.data.subarray(n * P * K, (n + 1) * P * K)
      const xN = this.x.data.subarray(n * C * P, (n + 1) * C * P)
      // dx_n (C, P) = W (C, K) · col_nᵀ (K, P);  dW (C, K) += x_n (C, P) · col_n (P, K)
      gemm(this.dx.data.subarray(n * C * P, (n + 1) * C * P), this.W.data, colN, C, P, K, { transB: true })
      gemm(dW, xN, colN, C, K, P, { accumulate: n > 0 })
    }
    if (this.b !== null) {
      const db = this.grads[1].data
      db.fill(0)
      const Q = OH * OW
      for (let n = 0; n < N; n++) {
        for (let f = 0; f < FN; f++) {
          let s = 0
          for (let i = (n * FN + f) * Q, e = i + Q; i < e; i++) s += dout.data[i]
          db[f] += s
        }
      }
    }
    return this.dx
  }
}
