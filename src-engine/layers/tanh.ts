import { tanhBackward, tanhForward } from '../kernels/activations'
import { Elementwise } from './elementwise'

/** Tanh: out = tanh(x). */
export class Tanh extends Elementwise {
  readonly type = 'Tanh'
  constructor(name = 'tanh') { super(name) }
  protected apply(out: Float32Array, x: Float32Array, n: number): void { tanhForward(out, x, n) }
  protected applyBackward(dx: Float32Array, dout: Float32Array, _x: Float32Array, y: Float32Array, n: number): void {
    tanhBackward(dx, dout, y, n)
  }
}
