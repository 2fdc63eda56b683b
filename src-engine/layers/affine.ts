/**
 * Affine: out = x·W + b. x (N, D), or (N, C, H, W) flattened to (N, C·H·W); W (D, M); b (M).
 * dx keeps the original shape of x.
 */
import { tensor, shapeText, sizeOf, type Tensor } from '../tensor'
import { gemm } from '../kernels/gemm'
import type { Layer } from './layer'
import { checkDout, ensure, featureSize, notForwarded, where, kernelTensor } from './common'

export class Affine implements Layer {
  readonly type = 'Affine'
  readonly params: Tensor[]
  readonly grads: Tensor[]
  readonly paramNames: string[]
  private readonly W: Tensor
  private readonly b: Tensor | null
  private x: Tensor | null = null
  private out: Tensor | null = null
  private dx: Tensor | null = null

  constructor(W: Tensor, b: Tensor | null, readonly name = 'affine') {
    if (W.shape.length !== 2) throw new Error(`${where(this.type, name)}: W must be (D, M), got ${shapeText(W.shape)}`)
    if (b !== null && (b.shape.length !== 1 || b.shape[0] !== W.shape[1])) {
      throw new Error(`${where(this.type, name)}: b must be (${W.shape[1]}), got ${shapeText(b.shape)}`)
    }
    this.W = W
    this.b = b
    this.params = b === null ? [W] : [W, b]
    this.grads = this.params.map((p) => kernelTensor(p.shape))
    this.paramNames = b === null ? ['W'] : ['W', 'b']
  }

  outShape(inShape: readonly number[]): number[] {
    const D = sizeOf(inShape)
    if (D !== this.W.shape[0]) {
      throw new Error(`${where(this.type, this.name)}: input ${shapeText(inShape)} has ${D} features but W expects ${this.W.shape[0]}`)
    }
    return [this.W.shape[1]]
  }

  forward(x: Tensor, _train: boolean): Tensor {
    if (x.shape.length < 2) throw new Error(`${where(this.type, this.name)}: expects input (N, D) but got ${shapeText(x.shape)}`)
    const N = x.shape[0]
    const [D, M] = this.W.shape
    this.outShape(x.shape.slice(1))
    this.out = ensure(this.out, [N, M])
    gemm(this.out.data, x.data, this.W.data, N, M, D)
    if (this.b !== null) {
      const b = this.b.data
      const o = this.out.data
      for (let n = 0; n < N; n++) for (let m = 0; m < M; m++) o[n * M + m] += b[m]
    }
    this.x = x
    return this.out
  }

  backward(dout: Tensor): Tensor {
    if (this.x === null || this.out === null) throw notForwarded(this.type, this.name)
    checkDout(this.type, this.name, dout, this.out.shape)
    const N = this.x.shape[0]
    const D = featureSize(this.x.shape)
    const M = this.W.shape[1]
    this.dx = ensure(this.dx, this.x.shape)
    gemm(this.dx.data, dout.data, this.W.data, N, D, M, { transB: true })   // (N, M)·(D, M)ᵀ
    gemm(this.grads[0].data, this.x.data, dout.data, D, M, N, { transA: true }) // (N, D)ᵀ·(N, M)
    if (this.b !== null) {
      const db = this.grads[1].data
      db.fill(0)
      for (let n = 0; n < N; n++) for (let m = 0; m < M; m++) db[m] += dout.data[n * M + m]
    }
    return this.dx
  }
}
