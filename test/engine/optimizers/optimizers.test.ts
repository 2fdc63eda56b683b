import { describe, expect, it } from 'vitest'
import golden from '../../fixtures/golden.json'
import { makeOptimizer, OPTIMIZER_NAMES, type ParamLike } from '../../../src-engine/optimizers'
import type { OptimizerName } from '../../../src-engine/protocol'
import { fromArray } from '../../../src-engine/tensor'
import { expectClose } from '../../helpers'

const g = golden.optimizer_paths

/** Runs the golden path f(x, y) = x²/20 + y² from the start, returning the position after each step. */
function path(name: OptimizerName, lr: number, make: (v: number[]) => ParamLike, steps = g.steps): number[][] {
  const opt = makeOptimizer(name, lr)
  const W = make(g.start)
  const grad = make([0, 0])
  const out: number[][] = []
  for (let s = 0; s < steps; s++) {
    grad.data[0] = W.data[0] / 10
    grad.data[1] = 2 * W.data[1]
    opt.update([W], [grad])
    out.push(Array.from(W.data))
  }
  return out
}

const f64 = (v: number[]): ParamLike => ({ data: Float64Array.from(v) })
const f32 = (v: number[]): ParamLike => fromArray([v.length], v)

describe('optimizer paths on f(x, y) = x²/20 + y² (golden)', () => {
  for (const run of g.runs) {
    it(`${run.optimizer} (lr ${run.lr}) is where the course says after steps 1 and 30, within ${g.tolerance}`, () => {
      const p = path(run.optimizer as OptimizerName, run.lr, f64)
      expectClose(p[0], run.after_step_1, g.tolerance)
      expectClose(p[29], run.after_step_30, g.tolerance)
    })

    it(`${run.optimizer} follows the same path on float32 tensors (within float32 rounding)`, () => {
      const p = path(run.optimizer as OptimizerName, run.lr, f32)
      expectClose(p[0], run.after_step_1, 1e-6)
      expectClose(p[29], run.after_step_30, 1e-5)
    })
  }
})

describe('optimizers', () => {
  it('Nesterov follows the course rule v = μv − lr·g; W += μ²v − (1+μ)lr·g', () => {
    const p = path('Nesterov', 0.1, f64, 2)
    // step 1: v = −0.1·g; W = W + 0.81·v − 1.9·0.1·g with g = (−0.7, 4)
    const v1 = [0.07, -0.4]
    const w1 = [-7 + 0.81 * v1[0] + 0.19 * 0.7, 2 + 0.81 * v1[1] - 0.19 * 4]
    expectClose(p[0], w1, 1e-12)
    const gr = [w1[0] / 10, 2 * w1[1]]
    const v2 = [0.9 * v1[0] - 0.1 * gr[0], 0.9 * v1[1] - 0.1 * gr[1]]
    expectClose(p[1], [w1[0] + 0.81 * v2[0] - 0.19 * gr[0], w1[1] + 0.81 * v2[1] - 0.19 * gr[1]], 1e-12)
  })

  it('RMSProp follows h = 0.99h + 0.01g²; W −= lr·g/(√h + 1e-7)', () => {
    const p = path('RMSProp', 0.01, f64, 1)
    const h = [0.01 * 0.49, 0.01 * 16]
    expectClose(p[0], [-7 - (0.01 * -0.7) / (Math.sqrt(h[0]) + 1e-7), 2 - (0.01 * 4) / (Math.sqrt(h[1]) + 1e-7)], 1e-12)
  })

  it('every optimizer descends a simple bowl', () => {
    for (const name of OPTIMIZER_NAMES) {
      const lr = name === 'SGD' || name === 'Momentum' || name === 'Nesterov' ? 0.1 : 0.05
      const last = path(name, lr, f64, 200)[199]
      expect(Math.hypot(last[0], last[1]), name).toBeLessThan(Math.hypot(-7, 2))
    }
  })

  it('weight decay adds λ·W to the gradient before the rule, without touching the gradient', () => {
    const opt = makeOptimizer('SGD', 0.5, { weightDecay: 0.1 })
    const W = f64([2, -4])
    const grad = f64([1, 1])
    opt.update([W], [grad])
    expectClose(W.data, [2 - 0.5 * (1 + 0.2), -4 - 0.5 * (1 - 0.4)], 1e-12)
    expect(Array.from(grad.data)).toEqual([1, 1])
  })

  it('uses a new learning rate as soon as it is set', () => {
    const opt = makeOptimizer('SGD', 1)
    const W = f64([1])
    opt.lr = 0.25
    opt.update([W], [f64([1])])
    expect(W.data[0]).toBe(0.75)
  })

  it('exports and restores its state so a resumed run continues the same path', () => {
    for (const name of OPTIMIZER_NAMES) {
      const full = path(name, 0.05, f64, 10)
      const opt = makeOptimizer(name, 0.05)
      const W = f64(g.start)
      const step = (o: typeof opt): void => o.update([W], [f64([W.data[0] / 10, 2 * W.data[1]])])
      for (let s = 0; s < 4; s++) step(opt)
      const saved = opt.state()
      const resumed = makeOptimizer(name, 0.05)
      resumed.loadState(saved)
      for (let s = 4; s < 10; s++) step(resumed)
      // state travels as float32, so allow float32 rounding of the moments
      expectClose(W.data, full[9], 1e-5, 1e-5)
    }
  })

  it('names the keys of its state', () => {
    const opt = makeOptimizer('Adam', 0.1)
    opt.update([f64([1, 2]), f64([3])], [f64([1, 1]), f64([1])])
    expect(Object.keys(opt.state()).sort()).toEqual(['iter', 'm.0', 'm.1', 'v.0', 'v.1'])
    expect(opt.state().iter[0]).toBe(1)
  })

  it('rejects mismatched lists, a negative learning rate and an unknown name', () => {
    expect(() => makeOptimizer('SGD', 0.1).update([f64([1])], [])).toThrow('1 params but 0 grads')
    expect(() => makeOptimizer('SGD', -1)).toThrow('learning rate')
    expect(() => makeOptimizer('Lion' as OptimizerName, 0.1)).toThrow('unknown optimizer "Lion"')
  })
})

describe('optimizer state round trip', () => {
  it('hands back loaded state unchanged if saved again before the next step', () => {
    const opt = makeOptimizer('Momentum', 0.1)
    opt.update([f64([1, 2])], [f64([0.5, -1])])
    const saved = opt.state()
    const reopened = makeOptimizer('Momentum', 0.1)
    reopened.loadState(saved)
    expect(reopened.state()['v.0']).toEqual(saved['v.0'])
  })

  it('rejects saved state that does not fit the parameters', () => {
    const opt = makeOptimizer('Adam', 0.1)
    opt.loadState({ 'm.0': new Float32Array(3), 'v.0': new Float32Array(3), iter: Float32Array.of(2) })
    expect(() => opt.update([f64([1, 2])], [f64([1, 1])])).toThrow('Adam: saved state m.0 has 3 values but the param has 2')
  })
})
