/** The optimizers and makeOptimizer(name, lr, opts), the one switch over optimizer names. */
import type { OptimizerName } from '../protocol'
import type { Optimizer, Rule, Rule2 } from './optimizer'
import { SGD, sgdRule, sgdRule2 } from './sgd'
import { Momentum, momentumRule, momentumRule2 } from './momentum'
import { Nesterov, nesterovRule, nesterovRule2 } from './nesterov'
import { AdaGrad, adagradRule, adagradRule2 } from './adagrad'
import { RMSProp, rmspropRule, rmspropRule2 } from './rmsprop'
import { Adam, adamRule, adamRule2 } from './adam'

export type { Optimizer, ParamLike, FloatArray, Rule, Rule2 } from './optimizer'
export { BaseOptimizer } from './optimizer'
export { SGD, Momentum, Nesterov, AdaGrad, RMSProp, Adam }

export interface OptimizerOptions {
  /** L2 weight decay λ (default 0). */
  weightDecay?: number
  /** Momentum / Nesterov μ (default 0.9). */
  momentum?: number
  /** RMSProp decay ρ (default 0.99). */
  decay?: number
  /** Adam β1, β2 (default 0.9, 0.999). */
  beta1?: number
  beta2?: number
}

export const OPTIMIZER_NAMES: readonly OptimizerName[] = ['SGD', 'Momentum', 'Nesterov', 'AdaGrad', 'RMSProp', 'Adam']

const RULES: Record<OptimizerName, Rule> = {
  SGD: sgdRule, Momentum: momentumRule, Nesterov: nesterovRule, AdaGrad: adagradRule, RMSProp: rmspropRule, Adam: adamRule
}

/** The element-wise update rule of an optimizer (data-parallel threads run it on their range of a step). */
export function ruleOf(name: OptimizerName): Rule {
  const r = RULES[name]
  if (!r) throw new Error(`unknown optimizer "${String(name)}"; use one of ${OPTIMIZER_NAMES.join(', ')}`)
  return r
}

const RULES2: Record<OptimizerName, Rule2> = {
  SGD: sgdRule2, Momentum: momentumRule2, Nesterov: nesterovRule2, AdaGrad: adagradRule2, RMSProp: rmspropRule2, Adam: adamRule2
}

/** Optimizers whose rules (and Rule2s) run as WebAssembly on arrays in engine memory (wasm/rules.as.ts). */
export const WASM_RULES: ReadonlySet<OptimizerName> = new Set<OptimizerName>(['SGD', 'Adam'])

/** The rule that combines two threads' gradients in the same pass (every optimizer has one; null only for an unknown name). */
export function rule2Of(name: OptimizerName): Rule2 | null {
  return RULES2[name] ?? null
}

/** A new optimizer by name with learning rate lr. */
export function makeOptimizer(name: OptimizerName, lr: number, opts: OptimizerOptions = {}): Optimizer {
  const wd = opts.weightDecay ?? 0
  switch (name) {
    case 'SGD': return new SGD(lr, wd)
    case 'Momentum': return new Momentum(lr, opts.momentum ?? 0.9, wd)
    case 'Nesterov': return new Nesterov(lr, opts.momentum ?? 0.9, wd)
    case 'AdaGrad': return new AdaGrad(lr, wd)
    case 'RMSProp': return new RMSProp(lr, opts.decay ?? 0.99, wd)
    case 'Adam': return new Adam(lr, opts.beta1 ?? 0.9, opts.beta2 ?? 0.999, wd)
    default: throw new Error(`unknown optimizer "${String(name)}"; use one of ${OPTIMIZER_NAMES.join(', ')}`)
  }
}
