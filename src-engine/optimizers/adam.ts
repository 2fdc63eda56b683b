import type { ParamLike } from './optimizer'
import { BaseOptimizer, EPS } from './optimizer'

/**
 * Adam in the course's form (bias correction folded into the step size):
 *   t += 1;  lr_t = lr·√(1 − β2^t) / (1 − β1^t)
 *   m += (1 − β1)(g − m);  v += (1 − β2)(g·g − v);  W −= lr_t·m / (√v + 1e-7)
 */
export class Adam extends BaseOptimizer {
  readonly name = 'Adam'
  private iter = 0
  constructor(lr = 0.001, readonly beta1 = 0.9, readonly beta2 = 0.999, weightDecay = 0) { super(lr, weightDecay, ['m', 'v']) }

  protected step(params: readonly ParamLike[], grads: readonly ParamLike[]): void {
    const { beta1: b1, beta2: b2, weightDecay: wd } = this
    this.iter++
    const lrT = (this.lr * Math.sqrt(1 - b2 ** this.iter)) / (1 - b1 ** this.iter)
    for (let k = 0; k < params.length; k++) {
      const W = params[k].data
      const g = grads[k].data
      const m = this.slots.m[k]
      const v = this.slots.v[k]
      for (let i = 0; i < W.length; i++) {
        const gi = g[i] + wd * W[i]
        m[i] += (1 - b1) * (gi - m[i])
        v[i] += (1 - b2) * (gi * gi - v[i])
        W[i] -= (lrT * m[i]) / (Math.sqrt(v[i]) + EPS)
      }
    }
  }

  protected override scalars(): Record<string, number> { return { iter: this.iter } }
  protected override setScalars(s: Record<string, number>): void { this.iter = s.iter ?? 0 }
}
