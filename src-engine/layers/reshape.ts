/**
 * Reshape: (N, …) → (N, …shape). One entry of `shape` may be −1, meaning "whatever makes the
 * sizes match". A view; no data is copied.
 */
import { reshape, shapeText, sizeOf, type Tensor } from '../tensor'
import type { Layer } from './layer'
import { checkDout, notForwarded, where } from './common'

export class Reshape implements Layer {
  readonly type = 'Reshape'
  readonly params: Tensor[] = []
  readonly grads: Tensor[] = []
  readonly paramNames: string[] = []
  private inShape: readonly number[] | null = null
  private outShapeN: number[] = []

  constructor(readonly shape: readonly number[], readonly name = 'reshape') {
    if (!Array.isArray(shape)) throw new Error(`${where(this.type, name)}: shape must be a list of sizes, got ${String(shape)}`)
    if (shape.filter((d) => d === -1).length > 1 || shape.some((d) => !(Number.isInteger(d) && (d > 0 || d === -1)))) {
      throw new Error(`${where(this.type, name)}: shape ${shapeText(shape)} must hold positive sizes and at most one −1`)
    }
  }

  outShape(inShape: readonly number[]): number[] {
    const n = sizeOf(inShape)
    const known = this.shape.reduce((a, d) => (d === -1 ? a : a * d), 1)
    const out = this.shape.map((d) => (d === -1 ? n / known : d))
    if (sizeOf(out) !== n || out.some((d) => !Number.isInteger(d))) {
      throw new Error(`${where(this.type, this.name)}: cannot reshape ${shapeText(inShape)} (${n} values) to ${shapeText(this.shape)}`)
    }
    return out
  }

  forward(x: Tensor, _train: boolean): Tensor {
    this.inShape = x.shape
    this.outShapeN = [x.shape[0], ...this.outShape(x.shape.slice(1))]
    return reshape(x, this.outShapeN)
  }

  backward(dout: Tensor): Tensor {
    if (this.inShape === null) throw notForwarded(this.type, this.name)
    checkDout(this.type, this.name, dout, this.outShapeN)
    return reshape(dout, this.inShape)
  }
}
