import type { Rule, Rule2 } from './optimizer'
import { BaseOptimizer, EPS } from './optimizer'

/** RMSProp: h = ρ·h + (1 − ρ)·g·g; W −= lr·g / (√h + 1e-7) (ρ = 0.99): AdaGrad that forgets. */
export class RMSProp extends BaseOptimizer {
  readonly name = 'RMSProp'
  constructor(lr = 0.01, readonly decay = 0.99, weightDecay = 0) { super(lr, weightDecay, ['h']) }

  protected readonly rule = rmspropRule
  protected numbers(): number[] { return [this.lr, this.decay, this.weightDecay] }
}

/** s = [h], h = [lr, ρ, λ] */
export const rmspropRule: Rule = (W, g, s, h) => {
  const [lr, rho, wd] = h
  const hh = s[0]
  for (let i = 0; i < W.length; i++) {
    const gi = g[i] + wd * W[i]
    hh[i] = rho * hh[i] + (1 - rho) * gi * gi
    W[i] -= (lr * gi) / (Math.sqrt(hh[i]) + EPS)
  }
}

/** rmspropRule on the sum of two gradients (Rule2). */
export const rmspropRule2: Rule2 = (W, g0, g1, s, h) => {
  const [lr, rho, wd] = h
  const hh = s[0]
  for (let i = 0; i < W.length; i++) {
    const w = W[i]
    const gi = Math.fround(g0[i] + g1[i]) + wd * w
    const hi = Math.fround(rho * hh[i] + (1 - rho) * gi * gi)
    hh[i] = hi
    W[i] = w - (lr * gi) / (Math.sqrt(hi) + EPS)
  }
}
