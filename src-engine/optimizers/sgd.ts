import type { Rule } from './optimizer'
import { BaseOptimizer } from './optimizer'

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
  for (let i = 0; i < W.length; i++) W[i] -= lr * (g[i] + wd * W[i])
}
