import { reluBackward, reluForward } from '../kernels/activations'
import { Elementwise } from './elementwise'

/** Relu: out = max(0, x). */
export class Relu extends Elementwise {
  readonly type = 'Relu'
  constructor(name = 'relu') { super(name) }
  protected apply(out: Float32Array, x: Float32Array, n: number): void { reluForward(out, x, n) }
  protected applyBackward(dx: Float32Array, dout: Float32Array, x: Float32Array, _y: Float32Array, n: number): void {
    reluBackward(dx, dout, x, n)
  }
}
