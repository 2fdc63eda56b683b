import type { ParamLike } from './optimizer'
import { BaseOptimizer, EPS } from './optimizer'

/** AdaGrad: h += g·g; W −= lr·g / (√h + 1e-7). Steps shrink for parameters that moved a lot. */
export class AdaGrad extends BaseOptimizer {
  readonly name = 'AdaGrad'
  constructor(lr = 0.01, weightDecay = 0) { super(lr, weightDecay, ['h']) }

  protected step(params: readonly ParamLike[], grads: readonly ParamLike[]): void {
    const { lr, weightDecay: wd } = this
    for (let k = 0; k < params.length; k++) {
      const W = params[k].data
      const g = grads[k].data
      const h = this.slots.h[k]
      for (let i = 0; i < W.length; i++) {
        const gi = g[i] + wd * W[i]
        h[i] += gi * gi
        W[i] -= (lr * gi) / (Math.sqrt(h[i]) + EPS)
      }
    }
  }
}
