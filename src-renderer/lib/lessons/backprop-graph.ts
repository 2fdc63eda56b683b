/**
 * Data layer of the backprop-graph explainer.
 *
 * The shopping graph price = (apple·apple_count + orange·orange_count)·tax is built from the
 * engine's Affine layer: a multiply node a·b is a 1×1 Affine whose weight is a and whose input is b
 * (its backward gives dW = b·dout and dx = a·dout — "multiply swaps its inputs"), and the add node
 * is an Affine with W = [[1], [1]] (its dx copies dout to both inputs — "add passes it through").
 * Logistic regression is the engine's Affine followed by SigmoidWithLoss.
 */
import { fromArray } from '../../../src-engine/tensor'
import { Affine } from '../../../src-engine/layers/affine'
import { SigmoidWithLoss } from '../../../src-engine/layers/sigmoid-with-loss'

export interface ShopValues { apple: number; appleCount: number; orange: number; orangeCount: number; tax: number }
export const SHOP_DEFAULT: ShopValues = { apple: 100, appleCount: 2, orange: 150, orangeCount: 3, tax: 1.1 }

export type NodeId = 'mulApple' | 'mulOrange' | 'add' | 'mulTax'

export interface ShopGraph {
  /** Forward values on each edge. */
  appleTotal: number
  orangeTotal: number
  subtotal: number
  price: number
  /** Gradient of price w.r.t. each edge / input (dprice/d·). */
  grads: { price: number; subtotal: number; appleTotal: number; orangeTotal: number } & ShopValues
  /** Backward order, as the stepper walks it: each node with its upstream and local gradients. */
  steps: { node: NodeId; upstream: number; local: [number, number]; out: [number, number] }[]
}

/** A multiply node a·b as a 1×1 Affine layer (weight a, input b). */
function mulNode(a: number, b: number) {
  const layer = new Affine(fromArray([1, 1], [a]), null, 'mul')
  const out = layer.forward(fromArray([1, 1], [b]), false).data[0]
  return {
    out,
    backward(dout: number): [number, number] {
      const db = layer.backward(fromArray([1, 1], [dout])).data[0]
      return [layer.grads[0].data[0], db]
    }
  }
}

/** An add node a + b as an Affine layer with W = [[1], [1]]. */
function addNode(a: number, b: number) {
  const layer = new Affine(fromArray([2, 1], [1, 1]), null, 'add')
  const out = layer.forward(fromArray([1, 2], [a, b]), false).data[0]
  return {
    out,
    backward(dout: number): [number, number] {
      const d = layer.backward(fromArray([1, 1], [dout])).data
      return [d[0], d[1]]
    }
  }
}

export function shopGraph(v: ShopValues = SHOP_DEFAULT): ShopGraph {
  const mA = mulNode(v.apple, v.appleCount)
  const mO = mulNode(v.orange, v.orangeCount)
  const add = addNode(mA.out, mO.out)
  const mT = mulNode(v.tax, add.out)
  const dPrice = 1
  const [dTax, dSubtotal] = mT.backward(dPrice)
  const [dAppleTotal, dOrangeTotal] = add.backward(dSubtotal)
  const [dApple, dAppleCount] = mA.backward(dAppleTotal)
  const [dOrange, dOrangeCount] = mO.backward(dOrangeTotal)
  return {
    appleTotal: mA.out, orangeTotal: mO.out, subtotal: add.out, price: mT.out,
    grads: {
      price: dPrice, subtotal: dSubtotal, appleTotal: dAppleTotal, orangeTotal: dOrangeTotal,
      apple: dApple, appleCount: dAppleCount, orange: dOrange, orangeCount: dOrangeCount, tax: dTax
    },
    steps: [
      { node: 'mulTax', upstream: dPrice, local: [add.out, v.tax], out: [dTax, dSubtotal] },
      { node: 'add', upstream: dSubtotal, local: [1, 1], out: [dAppleTotal, dOrangeTotal] },
      { node: 'mulApple', upstream: dAppleTotal, local: [v.appleCount, v.apple], out: [dApple, dAppleCount] },
      { node: 'mulOrange', upstream: dOrangeTotal, local: [v.orangeCount, v.orange], out: [dOrange, dOrangeCount] }
    ]
  }
}

export interface LogisticResult {
  z: number
  a: number
  loss: number
  /** dL/dz = a − y (SigmoidWithLoss backward). */
  dz: number
  dw: number[]
  db: number
}

/** One example through Affine (w, b) → SigmoidWithLoss, forward and backward, from the engine. */
export function logistic(x: readonly number[], w: readonly number[], b: number, y: number): LogisticResult {
  const D = x.length
  const affine = new Affine(fromArray([D, 1], w), fromArray([1], [b]), 'affine')
  const loss = new SigmoidWithLoss('loss')
  const z = affine.forward(fromArray([1, D], x), true)
  const L = loss.forward(z, fromArray([1, 1], [y]))
  const a = loss.predict(z).data[0]
  const dz = loss.backward()
  affine.backward(dz)
  return { z: z.data[0], a, loss: L, dz: dz.data[0], dw: Array.from(affine.grads[0].data), db: affine.grads[1].data[0] }
}
