/**
 * TimeSoftmaxWithLoss: softmax cross-entropy at every step, averaged over N·T.
 * xs (N, T, V) scores, ts (N, T) token ids. It is SoftmaxWithLoss on the (N·T, V) view.
 */
import { reshape, shapeText, type Tensor } from '../tensor'
import type { LossLayer } from './layer'
import { SoftmaxWithLoss } from './softmax-with-loss'
import { notForwarded, where } from './common'

export class TimeSoftmaxWithLoss implements LossLayer {
  readonly type = 'TimeSoftmaxWithLoss'
  private readonly inner: SoftmaxWithLoss
  private shape: readonly number[] | null = null

  constructor(readonly name = 'tsoftmax') {
    this.inner = new SoftmaxWithLoss(name)
  }

  forward(xs: Tensor, ts: Tensor): number {
    const [N, T, V] = this.check(xs)
    if (ts.data.length !== N * T) {
      throw new Error(`${where(this.type, this.name)}: targets ${shapeText(ts.shape)} do not match (${N}, ${T}) steps`)
    }
    this.shape = xs.shape
    return this.inner.forward(reshape(xs, [N * T, V]), reshape(ts, [N * T]))
  }

  backward(batch?: number): Tensor {
    if (this.shape === null) throw notForwarded(this.type, this.name)
    return reshape(this.inner.backward(batch === undefined ? undefined : batch * this.shape[1]), this.shape)
  }

  predict(xs: Tensor): Tensor {
    const [N, T, V] = this.check(xs)
    return reshape(this.inner.predict(reshape(xs, [N * T, V])), xs.shape)
  }

  private check(xs: Tensor): [number, number, number] {
    if (xs.shape.length !== 3) throw new Error(`${where(this.type, this.name)}: expects scores (N, T, V) but got ${shapeText(xs.shape)}`)
    return [xs.shape[0], xs.shape[1], xs.shape[2]]
  }
}
