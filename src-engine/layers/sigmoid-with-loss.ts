/**
 * SigmoidWithLoss: sigmoid, then binary cross-entropy averaged over ALL elements,
 *   L = −(1/n) Σ [t·log a + (1 − t)·log(1 − a)],  a = sigmoid(x),
 * computed from x as max(x, 0) − x·t + log(1 + e^−|x|) so it never takes log(0).
 * t is shaped like x (or (N) when x is (N, 1)), with values in [0, 1], or (N) class indices for an output (N, C),
 * which stand for their one-hot rows (label-targets.ts): one yes/no per class. backward() = (a − t) / n.
 */
import { tensor, type Tensor } from '../tensor'
import { sigmoidForward } from '../kernels/activations'
import type { LossLayer } from './layer'
import { ensure, notForwarded, where } from './common'
import { targetsFor } from './label-targets'

export class SigmoidWithLoss implements LossLayer {
  readonly type = 'SigmoidWithLoss'
  private y: Tensor | null = null
  private t: Tensor | null = null
  private dx: Tensor | null = null
  /** The one-hot rows of class-index targets (kept between batches). */
  private hot: Tensor | null = null

  constructor(readonly name = 'sigmoidloss') {}

  forward(x: Tensor, labels: Tensor): number {
    const t = targetsFor(x, labels, this.hot, where(this.type, this.name))
    if (t !== labels) this.hot = t
    this.y = ensure(this.y, x.shape)
    sigmoidForward(this.y.data, x.data, x.data.length)
    let s = 0
    for (let i = 0; i < x.data.length; i++) {
      const v = x.data[i]
      s += Math.max(v, 0) - v * t.data[i] + Math.log1p(Math.exp(-Math.abs(v)))
    }
    this.t = t
    return s / x.data.length
  }

  backward(batch?: number): Tensor {
    if (this.y === null || this.t === null) throw notForwarded(this.type, this.name)
    this.dx = ensure(this.dx, this.y.shape)
    const n = this.y.data.length
    const inv = 1 / (batch === undefined ? n : (batch * n) / this.y.shape[0])
    for (let i = 0; i < this.dx.data.length; i++) this.dx.data[i] = (this.y.data[i] - this.t.data[i]) * inv
    return this.dx
  }

  /** Sigmoid probabilities, a fresh tensor shaped like x. */
  predict(x: Tensor): Tensor {
    const p = tensor(x.shape)
    sigmoidForward(p.data, x.data, x.data.length)
    return p
  }
}
