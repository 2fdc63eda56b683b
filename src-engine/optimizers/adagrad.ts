import type { Rule, Rule2 } from './optimizer'
import { BaseOptimizer, EPS } from './optimizer'

/** AdaGrad: h += g·g; W −= lr·g / (√h + 1e-7). Steps shrink for parameters that moved a lot. */
export class AdaGrad extends BaseOptimizer {
  readonly name = 'AdaGrad'
  constructor(lr = 0.01, weightDecay = 0) { super(lr, weightDecay, ['h']) }

  protected readonly rule = adagradRule
  protected numbers(): number[] { return [this.lr, this.weightDecay] }
}

/** s = [h], h = [lr, λ] */
export const adagradRule: Rule = (W, g, s, h) => {
  const [lr, wd] = h
  const hh = s[0]
  for (let i = 0; i < W.length; i++) {
    const gi = g[i] + wd * W[i]
    hh[i] += gi * gi
    W[i] -= (lr * gi) / (Math.sqrt(hh[i]) + EPS)
  }
}

/** adagradRule on the sum of two gradients (Rule2). */
export const adagradRule2: Rule2 = (W, g0, g1, s, h) => {
  const [lr, wd] = h
  const hh = s[0]
  for (let i = 0; i < W.length; i++) {
    const w = W[i]
    const gi = Math.fround(g0[i] + g1[i]) + wd * w
    const hi = Math.fround(hh[i] + gi * gi)
    hh[i] = hi
    W[i] = w - (lr * gi) / (Math.sqrt(hi) + EPS)
  }
}
