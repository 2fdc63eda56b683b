import type { Rule, Rule2 } from './optimizer'
import { BaseOptimizer } from './optimizer'

/** Momentum: v = μ·v − lr·g; W += v (μ = 0.9). */
export class Momentum extends BaseOptimizer {
  readonly name = 'Momentum'
  constructor(lr = 0.01, readonly momentum = 0.9, weightDecay = 0) { super(lr, weightDecay, ['v']) }

  protected readonly rule = momentumRule
  protected numbers(): number[] { return [this.lr, this.momentum, this.weightDecay] }
}

/** s = [v], h = [lr, μ, λ] */
export const momentumRule: Rule = (W, g, s, h) => {
  const [lr, mu, wd] = h
  const v = s[0]
  for (let i = 0; i < W.length; i++) {
    v[i] = mu * v[i] - lr * (g[i] + wd * W[i])
    W[i] += v[i]
  }
}

/** momentumRule on the sum of two gradients (Rule2). */
export const momentumRule2: Rule2 = (W, g0, g1, s, h) => {
  const [lr, mu, wd] = h
  const v = s[0]
  for (let i = 0; i < W.length; i++) {
    const w = W[i]
    const gi = Math.fround(g0[i] + g1[i])
    const vi = Math.fround(mu * v[i] - lr * (gi + wd * w))
    v[i] = vi
    W[i] = w + vi
  }
}
