/**
 * TimeEmbedding: token ids (N, T) → vectors (N, T, D) by looking up rows of W (V, D).
 * Ids arrive as float values in a Float32Array; backward scatters dout into dW and returns
 * a zero gradient for the ids (they are not differentiable).
 */
import { tensor, shapeText, type Tensor } from '../tensor'
import type { Layer } from './layer'
import { checkDout, ensure, notForwarded, where } from './common'

export class TimeEmbedding implements Layer {
  readonly type = 'TimeEmbedding'
  readonly params: Tensor[]
  readonly grads: Tensor[]
  readonly paramNames = ['W']
  private ids: Tensor | null = null
  private out: Tensor | null = null
  private dx: Tensor | null = null

  constructor(W: Tensor, readonly name = 'embed') {
    if (W.shape.length !== 2) throw new Error(`${where(this.type, name)}: W must be (V, D), got ${shapeText(W.shape)}`)
    this.params = [W]
    this.grads = [tensor(W.shape)]
  }

  outShape(inShape: readonly number[]): number[] {
    if (inShape.length !== 1) throw new Error(`${where(this.type, this.name)}: expects token ids (T) per example but got ${shapeText(inShape)}`)
    return [inShape[0], this.params[0].shape[1]]
  }

  forward(ids: Tensor, _train: boolean): Tensor {
    if (ids.shape.length !== 2) throw new Error(`${where(this.type, this.name)}: expects ids (N, T) but got ${shapeText(ids.shape)}`)
    const [V, D] = this.params[0].shape
    const [N, T] = ids.shape
    this.out = ensure(this.out, [N, T, D])
    const W = this.params[0].data
    for (let r = 0; r < N * T; r++) {
      const id = ids.data[r]
      if (!Number.isInteger(id) || id < 0 || id >= V) {
        throw new Error(`${where(this.type, this.name)}: token id ${id} at position ${r} is outside the vocabulary 0..${V - 1}`)
      }
      this.out.data.set(W.subarray(id * D, (id + 1) * D), r * D)
    }
    this.ids = ids
    return this.out
  }

  backward(dout: Tensor): Tensor {
    if (this.ids === null || this.out === null) throw notForwarded(this.type, this.name)
    checkDout(this.type, this.name, dout, this.out.shape)
    const D = this.params[0].shape[1]
    const dW = this.grads[0].data
    dW.fill(0)
    const ids = this.ids.data
    for (let r = 0; r < ids.length; r++) {
      const row = ids[r] * D
      for (let k = 0; k < D; k++) dW[row + k] += dout.data[r * D + k]
    }
    this.dx = ensure(this.dx, this.ids.shape)
    return this.dx
  }
}
