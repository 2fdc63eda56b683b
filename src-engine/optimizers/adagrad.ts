import type { Rule } from './optimizer'
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
