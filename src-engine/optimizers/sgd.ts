import type { ParamLike } from './optimizer'
import { BaseOptimizer } from './optimizer'

/** SGD: W −= lr·g. */
export class SGD extends BaseOptimizer {
  readonly name = 'SGD'
  constructor(lr = 0.01, weightDecay = 0) { super(lr, weightDecay) }

  protected step(params: readonly ParamLike[], grads: readonly ParamLike[]): void {
    const { lr, weightDecay: wd } = this
    for (let k = 0; k < params.length; k++) {
      const W = params[k].data
      const g = grads[k].data
      for (let i = 0; i < W.length; i++) W[i] -= lr * (g[i] + wd * W[i])
    }
  }
}
