/**
 * SoftmaxWithLoss: softmax over the last axis of x (N, C), then the mean cross-entropy with eps 1e-7
 * inside the log (as the course). Targets t: class indices (N) stored as floats, or a tensor shaped
 * like x (one-hot or soft labels). backward() = (y − t) / N, the course's famously clean gradient
 * (/ batch for a slice of a larger batch: LossLayer.backward).
 */
import { tensor, shapeText, sameShape, type Tensor } from '../tensor'
import { crossEntropyDense, crossEntropyIndices, softmaxForward } from '../kernels/softmax'
import type { LossLayer } from './layer'
import { ensure, notForwarded, where } from './common'

export class SoftmaxWithLoss implements LossLayer {
  readonly type = 'SoftmaxWithLoss'
  private y: Tensor | null = null
  private t: Tensor | null = null
  private dense = false
  private dx: Tensor | null = null

  constructor(readonly name = 'softmax') {}

  forward(x: Tensor, t: Tensor): number {
    const [N, C] = this.check(x)
    this.y = ensure(this.y, x.shape)
    softmaxForward(this.y.data, x.data, N, C)
    if (sameShape(t.shape, x.shape)) {
      this.dense = true
    } else if (t.data.length === N) {
      this.dense = false
      for (let n = 0; n < N; n++) {
        const k = t.data[n]
        if (!(Number.isInteger(k) && k >= 0 && k < C)) {
          throw new Error(`${where(this.type, this.name)}: target ${n} is ${k}, not a class index in 0…${C - 1}`)
        }
      }
    } else {
      throw new Error(`${where(this.type, this.name)}: targets ${shapeText(t.shape)} fit neither (${N}) class indices nor scores ${shapeText(x.shape)}`)
    }
    this.t = t
    return this.dense ? crossEntropyDense(this.y.data, t.data, N, C) : crossEntropyIndices(this.y.data, t.data, N, C)
  }

  backward(batch?: number): Tensor {
    if (this.y === null || this.t === null) throw notForwarded(this.type, this.name)
    const [N, C] = this.y.shape
    this.dx = ensure(this.dx, this.y.shape)
    const dx = this.dx.data
    const y = this.y.data
    const t = this.t.data
    const inv = 1 / (batch ?? N)
    if (this.dense) {
      for (let i = 0; i < N * C; i++) dx[i] = (y[i] - t[i]) * inv
    } else {
      for (let n = 0; n < N; n++) {
        for (let c = 0; c < C; c++) dx[n * C + c] = y[n * C + c] * inv
        dx[n * C + t[n]] -= inv
      }
    }
    return this.dx
  }

  /** Softmax probabilities (N, C); a fresh tensor, so it can be kept. */
  predict(x: Tensor): Tensor {
    const [N, C] = this.check(x)
    const p = tensor(x.shape)
    softmaxForward(p.data, x.data, N, C)
    return p
  }

  private check(x: Tensor): [number, number] {
    if (x.shape.length !== 2) throw new Error(`${where(this.type, this.name)}: expects scores (N, C) but got ${shapeText(x.shape)}`)
    return [x.shape[0], x.shape[1]]
  }
}
