/**
 * Data layer of the optimizer-paths explainer: the engine's optimizers (the same classes that train
 * networks) stepping one 2-parameter "network" (x, y) downhill on f(x, y) = x²/20 + y².
 * Float64 parameters, so the paths match the course's numbers to 1e-6.
 */
import { makeOptimizer } from '../../../src-engine/optimizers'
import type { OptimizerName } from '../../../src-engine/protocol'

export const START: readonly [number, number] = [-7, 2]

/** The course's settings: each optimizer with the learning rate its figure uses. */
export const GOLDEN_LR: Record<'SGD' | 'Momentum' | 'AdaGrad' | 'Adam', number> = { SGD: 0.95, Momentum: 0.1, AdaGrad: 1.5, Adam: 0.3 }
/** Settings for the two the course does not draw, chosen to show their character on the same bowl. */
export const EXTRA_LR: Record<'Nesterov' | 'RMSProp', number> = { Nesterov: 0.1, RMSProp: 0.15 }
export const PATH_OPTIMIZERS: readonly OptimizerName[] = ['SGD', 'Momentum', 'Nesterov', 'AdaGrad', 'RMSProp', 'Adam']

export function defaultLr(name: OptimizerName): number {
  return (GOLDEN_LR as Record<string, number>)[name] ?? (EXTRA_LR as Record<string, number>)[name] ?? 0.1
}

export const f = (x: number, y: number): number => (x * x) / 20 + y * y
export const gradF = (x: number, y: number): [number, number] => [x / 10, 2 * y]

/** The path (steps + 1 points, the start first) of optimizer `name` with learning rate lr. */
export function optimizerPath(name: OptimizerName, lr: number, steps = 30, start: readonly [number, number] = START): [number, number][] {
  const opt = makeOptimizer(name, lr)
  const p = { data: Float64Array.from(start) }
  const g = { data: new Float64Array(2) }
  const path: [number, number][] = [[p.data[0], p.data[1]]]
  for (let s = 0; s < steps; s++) {
    const [gx, gy] = gradF(p.data[0], p.data[1])
    g.data[0] = gx
    g.data[1] = gy
    opt.update([p], [g])
    path.push([p.data[0], p.data[1]])
  }
  return path
}

/**
 * Whether a path ends higher on f than it started (or off every scale): the learning rate is too large for the
 * steep y direction (plain SGD past lr 1 overshoots the valley floor by more each step) and the run diverges.
 */
export function diverged(path: readonly (readonly [number, number])[]): boolean {
  const [x, y] = path[path.length - 1]
  const v = f(x, y)
  return !Number.isFinite(v) || v > f(path[0][0], path[0][1])
}

/** Contour levels of f that look evenly spaced on the plot (f grows quadratically). */
export function contourLevels(n = 10, max = 4.5): number[] {
  return Array.from({ length: n }, (_, i) => max * ((i + 1) / n) ** 2)
}
