/** Flatten: (N, d1, d2, …) → (N, d1·d2·…). A view; no data is copied either way. */
import { reshape, type Tensor } from '../tensor'
import type { Layer } from './layer'
import { checkDout, featureSize, notForwarded } from './common'

export class Flatten implements Layer {
  readonly type = 'Flatten'
  readonly params: Tensor[] = []
  readonly grads: Tensor[] = []
  readonly paramNames: string[] = []
  private inShape: readonly number[] | null = null
  private outShapeN: number[] = []

  constructor(readonly name = 'flatten') {}

  outShape(inShape: readonly number[]): number[] {
    let d = 1
    for (const s of inShape) d *= s
    return [d]
  }

  forward(x: Tensor, _train: boolean): Tensor {
    this.inShape = x.shape
    this.outShapeN = [x.shape[0], featureSize(x.shape)]
    return reshape(x, this.outShapeN)
  }

  backward(dout: Tensor): Tensor {
    if (this.inShape === null) throw notForwarded(this.type, this.name)
    checkDout(this.type, this.name, dout, this.outShapeN)
    return reshape(dout, this.inShape)
  }
}
