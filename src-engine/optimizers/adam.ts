import type { FloatArray, Rule, Rule2 } from './optimizer'
import { BaseOptimizer, EPS } from './optimizer'
import { kernelsFor } from './wasm/kernels'

/**
 * Adam in the course's form (bias correction folded into the step size):
 *   t += 1;  lr_t = lr·√(1 − β2^t) / (1 − β1^t)
 *   m += (1 − β1)(g − m);  v += (1 − β2)(g·g − v);  W −= lr_t·m / (√v + 1e-7)
 */
export class Adam extends BaseOptimizer {
  readonly name = 'Adam'
  private iter = 0
  constructor(lr = 0.001, readonly beta1 = 0.9, readonly beta2 = 0.999, weightDecay = 0) { super(lr, weightDecay, ['m', 'v']) }

  protected readonly rule = adamRule
  protected numbers(): number[] {
    this.iter++
    return [(this.lr * Math.sqrt(1 - this.beta2 ** this.iter)) / (1 - this.beta1 ** this.iter), this.beta1, this.beta2, this.weightDecay]
  }

  protected override scalars(): Record<string, number> { return { iter: this.iter } }
  protected override setScalars(s: Record<string, number>): void { this.iter = s.iter ?? 0 }
}

/** s = [m, v], h = [lr_t, β1, β2, λ] */
export const adamRule: Rule = (W, g, s, h) => {
  const [lrT, b1, b2, wd] = h
  const m = s[0]
  const v = s[1]
  const k = kernelsFor([W, g, m, v])
  if (k !== null) {
    k.adam(W.byteOffset, g.byteOffset, m.byteOffset, v.byteOffset, W.length, lrT, 1 - b1, 1 - b2, wd)
    return
  }
  if (W instanceof Float32Array && m instanceof Float32Array && v instanceof Float32Array) {
    adamF32(W, g, m, v, lrT, 1 - b1, 1 - b2, wd)
    return
  }
  for (let i = 0; i < W.length; i++) {
    const gi = g[i] + wd * W[i]
    m[i] += (1 - b1) * (gi - m[i])
    v[i] += (1 - b2) * (gi * gi - v[i])
    W[i] -= (lrT * m[i]) / (Math.sqrt(v[i]) + EPS)
  }
}

/**
 * (In engine memory the rules run as WebAssembly SIMD, wasm/rules.as.ts, with the same results.)
 * The same rule on float32 arrays, about 1.5× faster: m and v are read once and kept in locals, rounded
 * with Math.fround exactly as storing them rounds them, so the results are bit for bit the loop above's.
 */
function adamF32(W: Float32Array, g: FloatArray, m: Float32Array, v: Float32Array, lrT: number, c1: number, c2: number, wd: number): void {
  for (let i = 0; i < W.length; i++) {
    const w = W[i]
    const gi = g[i] + wd * w
    const mo = m[i]
    const vo = v[i]
    const mi = Math.fround(mo + c1 * (gi - mo))
    const vi = Math.fround(vo + c2 * (gi * gi - vo))
    m[i] = mi
    v[i] = vi
    W[i] = w - (lrT * mi) / (Math.sqrt(vi) + EPS)
  }
}

/** adamRule on the sum of two gradients (Rule2). */
export const adamRule2: Rule2 = (W, g0, g1, s, h) => {
  const [lrT, b1, b2, wd] = h
  const m = s[0]
  const v = s[1]
  const c1 = 1 - b1
  const c2 = 1 - b2
  const k = kernelsFor([W, g0, g1, m, v])
  if (k !== null) {
    k.adam2(W.byteOffset, g0.byteOffset, g1.byteOffset, m.byteOffset, v.byteOffset, W.length, lrT, c1, c2, wd)
    return
  }
  for (let i = 0; i < W.length; i++) {
    const w = W[i]
    const gi = Math.fround(g0[i] + g1[i]) + wd * w
    const mo = m[i]
    const vo = v[i]
    const mi = Math.fround(mo + c1 * (gi - mo))
    const vi = Math.fround(vo + c2 * (gi * gi - vo))
    m[i] = mi
    v[i] = vi
    W[i] = w - (lrT * mi) / (Math.sqrt(vi) + EPS)
  }
}
