import { leakyReluBackward, leakyReluForward } from '../kernels/activations'
import { Elementwise } from './elementwise'
import { where } from './common'

/** LeakyRelu: out = x for x > 0, alpha·x otherwise (alpha 0.01 by default). */
export class LeakyRelu extends Elementwise {
  readonly type = 'LeakyRelu'
  constructor(readonly alpha = 0.01, name = 'lrelu') {
    super(name)
    if (!(alpha >= 0)) throw new Error(`${where('LeakyRelu', name)}: alpha must be ≥ 0, got ${alpha}`)
  }
  protected apply(out: Float32Array, x: Float32Array, n: number): void { leakyReluForward(out, x, this.alpha, n) }
  protected applyBackward(dx: Float32Array, dout: Float32Array, x: Float32Array, _y: Float32Array, n: number): void {
    leakyReluBackward(dx, dout, x, this.alpha, n)
  }
}
