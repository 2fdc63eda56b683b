/** TimeAffine: the same Affine at every step. x (N, T, D) → (N, T, M); W (D, M), b (M). */
import { tensor, shapeText, type Tensor } from '../tensor'
import { gemm } from '../kernels/gemm'
import type { Layer } from './layer'
import { checkDout, ensure, notForwarded, reblock, where, kernelTensor } from './common'

export class TimeAffine implements Layer {
  readonly type = 'TimeAffine'
  readonly params: Tensor[]
  readonly grads: Tensor[]
  readonly paramNames = ['W', 'b']
  private x: Tensor | null = null
  private out: Tensor | null = null
  private dx: Tensor | null = null
  private ones: Float32Array | null = null // (N·T) ones for db

  constructor(W: Tensor, b: Tensor, readonly name = 'taffine') {
    if (W.shape.length !== 2 || b.shape.length !== 1 || b.shape[0] !== W.shape[1]) {
      throw new Error(`${where(this.type, name)}: W must be (D, M) and b (M), got ${shapeText(W.shape)} and ${shapeText(b.shape)}`)
    }
    this.params = [W, b]
    this.grads = [kernelTensor(W.shape), kernelTensor(b.shape)]
  }

  outShape(inShape: readonly number[]): number[] {
    const D = this.params[0].shape[0]
    if (inShape.length !== 2 || inShape[1] !== D) throw new Error(`${where(this.type, this.name)}: expects (T, ${D}) per example but got ${shapeText(inShape)}`)
    return [inShape[0], this.params[0].shape[1]]
  }

  forward(x: Tensor, _train: boolean): Tensor {
    if (x.shape.length !== 3) throw new Error(`${where(this.type, this.name)}: expects input (N, T, D) but got ${shapeText(x.shape)}`)
    const [N, T] = x.shape
    this.outShape(x.shape.slice(1))
    const [D, M] = this.params[0].shape
    this.out = ensure(this.out, [N, T, M])
    // every row starts as the bias (native copies), then the GEMM adds x·W into it
    const b = this.params[1].data, o = this.out.data
    for (let r = 0; r < N * T; r++) o.set(b, r * M)
    gemm(o, x.data, this.params[0].data, N * T, M, D, { accumulate: true })
    this.x = x
    return this.out
  }

  backward(dout: Tensor): Tensor {
    if (this.x === null || this.out === null) throw notForwarded(this.type, this.name)
    checkDout(this.type, this.name, dout, this.out.shape)
    const [N, T, D] = this.x.shape
    const M = this.params[0].shape[1]
    this.dx = ensure(this.dx, this.x.shape)
    gemm(this.dx.data, dout.data, this.params[0].data, N * T, D, M, { transB: true })
    gemm(this.grads[0].data, this.x.data, dout.data, D, M, N * T, { transA: true })
    // db = Σ over the N·T rows of dout: a (1, N·T)·(N·T, M) product with a row of ones
    if (this.ones === null || this.ones.length !== N * T) {
      this.ones = reblock(this.ones, N * T).fill(1)
    }
    gemm(this.grads[1].data, this.ones, dout.data, 1, M, N * T)
    return this.dx
  }
}
