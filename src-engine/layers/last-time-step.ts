/** LastTimeStep: keep only the last step of a sequence, for classifying it. (N, T, H) → (N, H). */
import { shapeText, type Tensor } from '../tensor'
import type { Layer } from './layer'
import { checkDout, ensure, notForwarded, where } from './common'

export class LastTimeStep implements Layer {
  readonly type = 'LastTimeStep'
  readonly params: Tensor[] = []
  readonly grads: Tensor[] = []
  readonly paramNames: string[] = []
  private inShape: readonly number[] | null = null
  private out: Tensor | null = null
  private dx: Tensor | null = null

  constructor(readonly name = 'last') {}

  outShape(inShape: readonly number[]): number[] {
    if (inShape.length !== 2) throw new Error(`${where(this.type, this.name)}: expects (T, H) per example but got ${shapeText(inShape)}`)
    return [inShape[1]]
  }

  forward(x: Tensor, _train: boolean): Tensor {
    if (x.shape.length !== 3) throw new Error(`${where(this.type, this.name)}: expects input (N, T, H) but got ${shapeText(x.shape)}`)
    const [N, T, H] = x.shape
    this.out = ensure(this.out, [N, H])
    for (let n = 0; n < N; n++) this.out.data.set(x.data.subarray((n * T + T - 1) * H, (n * T + T) * H), n * H)
    this.inShape = x.shape
    return this.out
  }

  backward(dout: Tensor): Tensor {
    if (this.inShape === null || this.out === null) throw notForwarded(this.type, this.name)
    checkDout(this.type, this.name, dout, this.out.shape)
    const [N, T, H] = this.inShape
    this.dx = ensure(this.dx, this.inShape)
    this.dx.data.fill(0)
    for (let n = 0; n < N; n++) this.dx.data.set(dout.data.subarray(n * H, (n + 1) * H), (n * T + T - 1) * H)
    return this.dx
  }
}
