/**
 * Checks shared by the recurrent layers (TimeRNN: one block, TimeLSTM: four gate blocks). In this file H is
 * the hidden size: Wx (D, blocks·H), Wh (H, blocks·H), b (blocks·H).
 */
import { shapeText, type Tensor } from '../tensor'
import { where } from './common'

/** Throws, naming the layer, unless Wx, Wh and b fit one another for `blocks` fused affines. */
export function checkRecurrentParams(type: string, name: string, Wx: Tensor, Wh: Tensor, b: Tensor, blocks: number): void {
  const H = Wh.shape[0]
  const width = blocks * H
  const hText = blocks === 1 ? 'H' : `${blocks}H`
  if (Wh.shape.length !== 2 || Wh.shape[1] !== width) throw new Error(`${where(type, name)}: Wh must be (H, ${hText}), got ${shapeText(Wh.shape)}`)
  if (Wx.shape.length !== 2 || Wx.shape[1] !== width) throw new Error(`${where(type, name)}: Wx must be (D, ${width}), got ${shapeText(Wx.shape)}`)
  if (b.shape.length !== 1 || b.shape[0] !== width) throw new Error(`${where(type, name)}: b must be (${width}), got ${shapeText(b.shape)}`)
}

/** One example's output shape (T, H) for its input (T, D); throws naming the layer otherwise. */
export function sequenceOutShape(type: string, name: string, inShape: readonly number[], D: number, H: number): number[] {
  if (inShape.length !== 2 || inShape[1] !== D) {
    throw new Error(`${where(type, name)}: expects (T, ${D}) per example but got ${shapeText(inShape)}`)
  }
  return [inShape[0], H]
}
