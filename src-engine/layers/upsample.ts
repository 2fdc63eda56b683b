/**
 * Upsample: enlarge each channel by an integer scale, nearest or bilinear (half-pixel, like
 * PyTorch's align_corners=False and ONNX Resize). x (N, C, H, W) → (N, C, H·s, W·s). No parameters.
 * Used by autoencoder decoders.
 */
import { shapeText, type Tensor } from '../tensor'
import {
  linearTaps, upsampleBilinearBackward, upsampleBilinearForward, upsampleNearestBackward, upsampleNearestForward,
  type LinearTaps
} from '../kernels/upsample'
import type { Layer } from './layer'
import { checkDout, checkRank, ensure, notForwarded, where } from './common'

export type UpsampleMode = 'nearest' | 'bilinear'

export class Upsample implements Layer {
  readonly type = 'Upsample'
  readonly params: Tensor[] = []
  readonly grads: Tensor[] = []
  readonly paramNames: string[] = []
  private x: Tensor | null = null
  private out: Tensor | null = null
  private dx: Tensor | null = null
  private ty: LinearTaps | null = null
  private tx: LinearTaps | null = null

  constructor(readonly scale: number, readonly mode: UpsampleMode = 'nearest', readonly name = 'upsample') {
    if (!(Number.isInteger(scale) && scale >= 1)) throw new Error(`${where(this.type, name)}: scale must be a whole number ≥ 1, got ${scale}`)
    if (mode !== 'nearest' && mode !== 'bilinear') throw new Error(`${where(this.type, name)}: mode must be "nearest" or "bilinear", got "${String(mode)}"`)
  }

  outShape(inShape: readonly number[]): number[] {
    if (inShape.length !== 3) throw new Error(`${where(this.type, this.name)}: expects (C, H, W) input but got ${shapeText(inShape)}`)
    return [inShape[0], inShape[1] * this.scale, inShape[2] * this.scale]
  }

  forward(x: Tensor, _train: boolean): Tensor {
    checkRank(this.type, this.name, x, 4, '(N, C, H, W)')
    const [N, C, H, W] = x.shape
    const s = this.scale
    this.out = ensure(this.out, [N, C, H * s, W * s])
    if (this.mode === 'nearest') {
      upsampleNearestForward(this.out.data, x.data, N * C, H, W, s)
    } else {
      if (this.ty === null || this.ty.i0.length !== H * s) this.ty = linearTaps(H, s)
      if (this.tx === null || this.tx.i0.length !== W * s) this.tx = linearTaps(W, s)
      upsampleBilinearForward(this.out.data, x.data, N * C, H, W, this.ty, this.tx)
    }
    this.x = x
    return this.out
  }

  backward(dout: Tensor): Tensor {
    if (this.x === null || this.out === null) throw notForwarded(this.type, this.name)
    checkDout(this.type, this.name, dout, this.out.shape)
    const [N, C, H, W] = this.x.shape
    this.dx = ensure(this.dx, this.x.shape)
    if (this.mode === 'nearest') {
      upsampleNearestBackward(this.dx.data, dout.data, N * C, H, W, this.scale)
    } else {
      upsampleBilinearBackward(this.dx.data, dout.data, N * C, H, W, this.ty as LinearTaps, this.tx as LinearTaps)
    }
    return this.dx
  }
}
