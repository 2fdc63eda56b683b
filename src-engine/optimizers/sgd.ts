import type { Rule, Rule2 } from './optimizer'
import { BaseOptimizer } from './optimizer'
import { kernelsFor } from './wasm/kernels'

/** SGD: W −= lr·g. */
export class SGD extends BaseOptimizer {
  readonly name = 'SGD'
  constructor(lr = 0.01, weightDecay = 0) { super(lr, weightDecay) }

  protected readonly rule = sgdRule
  protected numbers(): number[] { return [this.lr, this.weightDecay] }
}

/** h = [lr, λ] */
export const sgdRule: Rule = (W, g, _s, h) => {
  const [lr, wd] = h
  const k = kernelsFor([W, g])
  if (k !== null) {
    k.sgd(W.byteOffset, g.byteOffset, W.length, lr, wd)
    return
  }
  for (let i = 0; i < W.length; i++) W[i] -= lr * (g[i] + wd * W[i])
}

/** sgdRule on the sum of two gradients (Rule2). */
export const sgdRule2: Rule2 = (W, g0, g1, _s, h) => {
  const [lr, wd] = h
  const k = kernelsFor([W, g0, g1])
  if (k !== null) {
    k.sgd2(W.byteOffset, g0.byteOffset, g1.byteOffset, W.length, lr, wd)
    return
  }
  for (let i = 0; i < W.length; i++) W[i] -= lr * (Math.fround(g0[i] + g1[i]) + wd * W[i])
}
