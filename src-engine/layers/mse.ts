/**
 * MSE: the mean squared error over ALL elements, L = (1/n) Σ (x − t)², with n = N·(features).
 * (PyTorch's MSELoss and Keras' "mse" report the same number. The course's mean_squared_error is
 * ½ Σ (y − t)² per example; ours keeps losses comparable across image sizes.) t is shaped like x, or (N) class
 * indices for an output (N, C), which stand for their one-hot rows (label-targets.ts): a classifier trained with MSE.
 * backward() = 2 (x − t) / n.
 */
import { clone, sizeOf, type Tensor } from '../tensor'
import type { LossLayer } from './layer'
import { ensure, notForwarded, where } from './common'
import { targetsFor } from './label-targets'

export class MSE implements LossLayer {
  readonly type = 'MSE'
  private x: Tensor | null = null
  private t: Tensor | null = null
  private dx: Tensor | null = null
  /** The one-hot rows of class-index targets (kept between batches). */
  private hot: Tensor | null = null

  constructor(readonly name = 'mse') {}

  forward(x: Tensor, labels: Tensor): number {
    const t = targetsFor(x, labels, this.hot, where(this.type, this.name))
    if (t !== labels) this.hot = t
    let s = 0
    for (let i = 0; i < x.data.length; i++) {
      const d = x.data[i] - t.data[i]
      s += d * d
    }
    this.x = x
    this.t = t
    return s / x.data.length
  }

  backward(batch?: number): Tensor {
    if (this.x === null || this.t === null) throw notForwarded(this.type, this.name)
    this.dx = ensure(this.dx, this.x.shape)
    const n = sizeOf(this.x.shape)
    const k = 2 / (batch === undefined ? n : (batch * n) / this.x.shape[0])
    for (let i = 0; i < this.dx.data.length; i++) this.dx.data[i] = k * (this.x.data[i] - this.t.data[i])
    return this.dx
  }

  /** The output itself (a copy). */
  predict(x: Tensor): Tensor {
    return clone(x)
  }
}
