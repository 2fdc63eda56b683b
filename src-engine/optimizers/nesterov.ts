import type { Rule, Rule2 } from './optimizer'
import { BaseOptimizer } from './optimizer'

/**
 * Nesterov's accelerated gradient in the course's form (the look-ahead folded into the update):
 *   v = μ·v − lr·g;  W += μ²·v − (1 + μ)·lr·g   (μ = 0.9)
 */
export class Nesterov extends BaseOptimizer {
  readonly name = 'Nesterov'
  constructor(lr = 0.01, readonly momentum = 0.9, weightDecay = 0) { super(lr, weightDecay, ['v']) }

  protected readonly rule = nesterovRule
  protected numbers(): number[] { return [this.lr, this.momentum, this.weightDecay] }
}

/** s = [v], h = [lr, μ, λ] */
export const nesterovRule: Rule = (W, g, s, h) => {
  const [lr, mu, wd] = h
  const v = s[0]
  for (let i = 0; i < W.length; i++) {
    const gi = g[i] + wd * W[i]
    v[i] = mu * v[i] - lr * gi
    W[i] += mu * mu * v[i] - (1 + mu) * lr * gi
  }
}

/** nesterovRule on the sum of two gradients (Rule2). */
export const nesterovRule2: Rule2 = (W, g0, g1, s, h) => {
  const [lr, mu, wd] = h
  const v = s[0]
  for (let i = 0; i < W.length; i++) {
    const w = W[i]
    const gi = Math.fround(g0[i] + g1[i]) + wd * w
    const vi = Math.fround(mu * v[i] - lr * gi)
    v[i] = vi
    W[i] = w + (mu * mu * vi - (1 + mu) * lr * gi)
  }
}
