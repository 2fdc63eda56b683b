import type { ParamLike } from './optimizer'
import { BaseOptimizer } from './optimizer'

/** Momentum: v = μ·v − lr·g; W += v (μ = 0.9). */
export class Momentum extends BaseOptimizer {
  readonly name = 'Momentum'
  constructor(lr = 0.01, readonly momentum = 0.9, weightDecay = 0) { super(lr, weightDecay, ['v']) }

  protected step(params: readonly ParamLike[], grads: readonly ParamLike[]): void {
    const { lr, momentum: mu, weightDecay: wd } = this
    for (let k = 0; k < params.length; k++) {
      const W = params[k].data
      const g = grads[k].data
      const v = this.slots.v[k]
      for (let i = 0; i < W.length; i++) {
        v[i] = mu * v[i] - lr * (g[i] + wd * W[i])
        W[i] += v[i]
      }
    }
  }
}
