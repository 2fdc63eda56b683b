/** Shared test helpers: element-wise comparison with readable failures, the layer gradient check, polling. */
import { expect } from 'vitest'
import { Rng } from '../src-engine/rng'
import { tensor, type Tensor } from '../src-engine/tensor'
import type { Layer } from '../src-engine/layers/layer'
import { checkLayerGradients, type GradientReport } from '../src-engine/train/gradient-check'

/**
 * Expects |actual[i] − expected[i]| ≤ atol + rtol·|expected[i]| for every i; a failure names the
 * first bad index and both values.
 */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, atol = 1e-6, rtol = 0): void {
  expect(actual.length, 'length').toBe(expected.length)
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]
    const e = expected[i]
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      expect.fail(`index ${i}: got ${a}, expected ${e} (|diff| ${Math.abs(a - e)} > ${atol + rtol * Math.abs(e)})`)
    }
  }
}

/** A tensor of standard-normal values scaled by `scale`, from the seeded generator. */
export function randn(rng: Rng, shape: readonly number[], scale = 1): Tensor {
  const t = tensor(shape)
  for (let i = 0; i < t.data.length; i++) t.data[i] = rng.normal() * scale
  return t
}

/**
 * Gradient-checks a layer on input x with a random dout (L = Σ out·dout): every relative error
 * (input and each parameter) must be below `tol`. Returns the report for further checks.
 */
export function checkLayer(layer: Layer, x: Tensor, opts: { seed?: number; tol?: number; h?: number; train?: boolean } = {}): GradientReport {
  const rng = new Rng(opts.seed ?? 7)
  const out = layer.forward(x, opts.train ?? true)
  const dout = randn(rng, out.shape)
  const r = checkLayerGradients(layer, x, dout, { h: opts.h, train: opts.train })
  const tol = opts.tol ?? 1e-3
  for (const c of r.results) {
    if (c.tooSmall) expect.fail(`${layer.type} "${layer.name}" ${c.name}: gradient below float32 noise; the check would prove nothing`)
    if (!(c.relError < tol)) {
      expect.fail(`${layer.type} "${layer.name}" ${c.name}: relative error ${c.relError.toExponential(2)} ≥ ${tol}; ` +
        `worst index ${c.worstIndex}: numeric ${c.numeric}, analytic ${c.analytic}`)
    }
  }
  return r
}

/** Polls `cond` every 2 ms until it holds; throws `message` after `ms` (a safety net, not a timed assertion). */
export async function until(cond: () => boolean, ms = 20_000, message = 'timed out waiting'): Promise<void> {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error(message)
    await new Promise((r) => setTimeout(r, 2))
  }
}
