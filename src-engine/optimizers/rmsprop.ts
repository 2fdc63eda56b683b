import type { ParamLike } from './optimizer'
import { BaseOptimizer, EPS } from './optimizer'

/** RMSProp: h = ρ·h + (1 − ρ)·g·g; W −= lr·g / (√h + 1e-7) (ρ = 0.99): AdaGrad that forgets. */
export class RMSProp extends BaseOptimizer {
  readonly name = 'RMSProp'
  constructor(lr = 0.01, readonly decay = 0.99, weightDecay = 0) { super(lr, weightDecay, ['h']) }

  protected step(params: readonly ParamLike[], grads: readonly ParamLike[]): void {
    const { lr, decay: rho, weightDecay: wd } = this
    for (let k = 0; k < params.length; k++) {
      const W = params[k].data
      const g = grads[k].data
      const h = this.slots.h[k]
      for (let i = 0; i < W.length; i++) {
        const gi = g[i] + wd * W[i]
        h[i] = rho * h[i] + (1 - rho) * gi * gi
        W[i] -= (lr * gi) / (Math.sqrt(h[i]) + EPS)
      }
    }
  }
}
