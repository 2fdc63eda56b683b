/**
 * Base of the element-wise activation layers (Relu, LeakyRelu, Sigmoid, Tanh): any input shape,
 * output of the same shape; x and the output are kept for backward. Subclasses supply the kernels.
 */
import type { Tensor } from '../tensor'
import type { Layer } from './layer'
import { checkDout, ensure, notForwarded } from './common'

/** Shared plumbing: buffers, checks and the empty parameter lists. */
export abstract class Elementwise implements Layer {
  abstract readonly type: string
  readonly params: Tensor[] = []
  readonly grads: Tensor[] = []
  readonly paramNames: string[] = []
  protected x: Tensor | null = null
  protected out: Tensor | null = null
  private dx: Tensor | null = null

  constructor(readonly name: string) {}

  outShape(inShape: readonly number[]): number[] {
    return [...inShape]
  }

  forward(x: Tensor, _train: boolean): Tensor {
    this.out = ensure(this.out, x.shape)
    this.apply(this.out.data, x.data, x.data.length)
    this.x = x
    return this.out
  }

  backward(dout: Tensor): Tensor {
    if (this.x === null || this.out === null) throw notForwarded(this.type, this.name)
    checkDout(this.type, this.name, dout, this.out.shape)
    this.dx = ensure(this.dx, this.x.shape)
    this.applyBackward(this.dx.data, dout.data, this.x.data, this.out.data, dout.data.length)
    return this.dx
  }

  protected abstract apply(out: Float32Array, x: Float32Array, n: number): void
  protected abstract applyBackward(dx: Float32Array, dout: Float32Array, x: Float32Array, y: Float32Array, n: number): void
}
