import { sigmoidBackward, sigmoidForward } from '../kernels/activations'
import { Elementwise } from './elementwise'

/** Sigmoid: out = 1 / (1 + e^−x). */
export class Sigmoid extends Elementwise {
  readonly type = 'Sigmoid'
  constructor(name = 'sigmoid') { super(name) }
  protected apply(out: Float32Array, x: Float32Array, n: number): void { sigmoidForward(out, x, n) }
  protected applyBackward(dx: Float32Array, dout: Float32Array, _x: Float32Array, y: Float32Array, n: number): void {
    sigmoidBackward(dx, dout, y, n)
  }
}
