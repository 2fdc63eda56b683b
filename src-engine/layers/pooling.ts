/**
 * Pooling: max or average over PH×PW windows of each channel. x (N, C, H, W) → (N, C, OH, OW).
 * Max pooling ignores padded cells; average pooling counts them as zeros (see kernels/pooling.ts).
 */
import { shapeText, type Tensor } from '../tensor'
import { convOutSizeStrict } from '../kernels/conv-geometry'
import { avgPoolBackward, avgPoolForward, maxPoolBackward, maxPoolForward } from '../kernels/pooling'
import type { Layer } from './layer'
import { checkDout, checkRank, ensure, notForwarded, reblock, where } from './common'

export type PoolMode = 'max' | 'avg'

export class Pooling implements Layer {
  readonly type = 'Pooling'
  readonly params: Tensor[] = []
  readonly grads: Tensor[] = []
  readonly paramNames: string[] = []
  private x: Tensor | null = null
  private out: Tensor | null = null
  private dx: Tensor | null = null
  private argmax: Int32Array<ArrayBufferLike> = new Int32Array(0)
  // argmax's block, from kernelArray (in engine memory, where the WebAssembly kernels write and read argmax in
  // place), held here because the block is freed when this Float32Array view is garbage-collected
  private argmaxBlock: Float32Array | null = null

  constructor(
    readonly poolH: number, readonly poolW: number, readonly stride = poolH, readonly pad = 0,
    readonly mode: PoolMode = 'max', readonly name = 'pool'
  ) {
    if (!(poolH >= 1 && poolW >= 1 && stride >= 1 && pad >= 0)) {
      throw new Error(`${where(this.type, name)}: window ${poolH}×${poolW}, stride ${stride}, pad ${pad} are not valid`)
    }
    if (mode !== 'max' && mode !== 'avg') throw new Error(`${where(this.type, name)}: mode must be "max" or "avg", got "${String(mode)}"`)
    // every window must hold at least one real cell (ONNX Runtime asks the same: pad < window)
    if (pad >= Math.min(poolH, poolW)) {
      throw new Error(`${where(this.type, name)}: pad ${pad} must be smaller than the window ${poolH}×${poolW}`)
    }
  }

  outShape(inShape: readonly number[]): number[] {
    if (inShape.length !== 3) throw new Error(`${where(this.type, this.name)}: expects (C, H, W) input but got ${shapeText(inShape)}`)
    const w = where(this.type, this.name)
    return [inShape[0], convOutSizeStrict(w, 'height', inShape[1], this.poolH, this.stride, this.pad),
      convOutSizeStrict(w, 'width', inShape[2], this.poolW, this.stride, this.pad)]
  }

  forward(x: Tensor, _train: boolean): Tensor {
    checkRank(this.type, this.name, x, 4, '(N, C, H, W)')
    const [N, C, H, W] = x.shape
    const [, OH, OW] = this.outShape([C, H, W])
    this.out = ensure(this.out, [N, C, OH, OW])
    if (this.mode === 'max') {
      const n = this.out.data.length
      if (this.argmax.length !== n) {
        this.argmaxBlock = reblock(this.argmaxBlock, n)
        this.argmax = new Int32Array(this.argmaxBlock.buffer, this.argmaxBlock.byteOffset, n)
      }
      maxPoolForward(this.out.data, this.argmax, x.data, N, C, H, W, this.poolH, this.poolW, this.stride, this.pad, OH, OW)
    } else {
      avgPoolForward(this.out.data, x.data, N, C, H, W, this.poolH, this.poolW, this.stride, this.pad, OH, OW)
    }
    this.x = x
    return this.out
  }

  backward(dout: Tensor): Tensor {
    if (this.x === null || this.out === null) throw notForwarded(this.type, this.name)
    checkDout(this.type, this.name, dout, this.out.shape)
    const [N, C, H, W] = this.x.shape
    const [, , OH, OW] = this.out.shape
    this.dx = ensure(this.dx, this.x.shape)
    if (this.mode === 'max') {
      maxPoolBackward(this.dx.data, dout.data, this.argmax, this.dx.data.length, dout.data.length)
    } else {
      avgPoolBackward(this.dx.data, dout.data, N, C, H, W, this.poolH, this.poolW, this.stride, this.pad, OH, OW)
    }
    return this.dx
  }
}
