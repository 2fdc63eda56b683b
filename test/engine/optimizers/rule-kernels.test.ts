import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { Rng } from '../../../src-engine/rng'
import { kernelArray } from '../../../src-engine/kernels/gemm'
import { adamRule, adamRule2 } from '../../../src-engine/optimizers/adam'
import { sgdRule, sgdRule2 } from '../../../src-engine/optimizers/sgd'
import { Adam, BaseOptimizer, OPTIMIZER_NAMES, SGD, makeOptimizer, rule2Of, ruleOf } from '../../../src-engine/optimizers'
import { kernelsFor } from '../../../src-engine/optimizers/wasm/kernels'
import { RULES_WASM } from '../../../src-engine/optimizers/wasm/rules.generated'
// @ts-expect-error plain JavaScript build script
import { compileRules } from '../../../scripts/asc.mjs'

// The optimizers' rules run as WebAssembly (optimizers/wasm/rules.as.ts) when every array is in engine
// memory, and as TypeScript loops otherwise: both must give the same float32 values, bit for bit.

/** Values of mixed signs and magnitudes, with zeros, in engine memory (a) and in an ordinary array (b). */
function pair(n: number, rng: Rng, positive = false): { a: Float32Array; b: Float32Array } {
  const a = kernelArray(n)
  for (let i = 0; i < n; i++) {
    const r = rng.next()
    const v = r < 0.05 ? 0 : (rng.next() - (positive ? 0 : 0.5)) * 10 ** (rng.int(7) - 4)
    a[i] = positive ? Math.abs(v) : v
  }
  return { a, b: a.slice() }
}

const SIZES = [1, 3, 4, 5, 7, 64, 1001]

describe('optimizer rules as WebAssembly', () => {
  it('runs on engine memory here (so the comparisons below compare the two paths)', () => {
    expect(kernelsFor([kernelArray(8), kernelArray(8)])).not.toBeNull()
    expect(kernelsFor([kernelArray(8), new Float32Array(8)])).toBeNull()
    expect(kernelsFor([new Float64Array(8)])).toBeNull()
  })

  it('the built module (rules.generated.ts) is what rules.as.ts compiles to now', () => {
    expect(Buffer.from(compileRules()).toString('base64')).toBe(RULES_WASM)
    expect(readFileSync('src-engine/optimizers/wasm/rules.as.ts', 'utf8')).toContain('export function adam2')
  }, 60_000)

  for (const wd of [0, 0.01]) {
    it(`Adam and its two-gradient rule agree with the TypeScript loops over 4 steps (weight decay ${wd})`, () => {
      const rng = new Rng(3)
      for (const n of SIZES) {
        const W = pair(n, rng)
        const m = pair(n, rng)
        const v = pair(n, rng, true)
        for (let step = 1; step <= 4; step++) {
          const g0 = pair(n, rng)
          const g1 = pair(n, rng)
          const h = [0.01 * Math.sqrt(1 - 0.999 ** step) / (1 - 0.9 ** step), 0.9, 0.999, wd]
          if (step % 2 === 1) {
            adamRule(W.a, g0.a, [m.a, v.a], h)
            adamRule(W.b, g0.b, [m.b, v.b], h)
          } else {
            // two threads' gradients summed in the same pass (data-parallel slices)
            adamRule2(W.a, g0.a, g1.a, [m.a, v.a], h)
            adamRule2(W.b, g0.b, g1.b, [m.b, v.b], h)
          }
          expect(W.a, `W, n ${n}, step ${step}`).toEqual(W.b)
          expect(m.a, `m, n ${n}, step ${step}`).toEqual(m.b)
          expect(v.a, `v, n ${n}, step ${step}`).toEqual(v.b)
        }
      }
    })

    it(`SGD and its two-gradient rule agree with the TypeScript loops (weight decay ${wd})`, () => {
      const rng = new Rng(4)
      for (const n of SIZES) {
        const W = pair(n, rng)
        const g0 = pair(n, rng)
        const g1 = pair(n, rng)
        sgdRule(W.a, g0.a, [], [0.05, wd])
        sgdRule(W.b, g0.b, [], [0.05, wd])
        expect(W.a, `n ${n}`).toEqual(W.b)
        sgdRule2(W.a, g0.a, g1.a, [], [0.05, wd])
        sgdRule2(W.b, g0.b, g1.b, [], [0.05, wd])
        expect(W.a, `n ${n} (two gradients)`).toEqual(W.b)
      }
    })
  }

  it('an optimizer keeps float32 state in engine memory, and updates as it does on ordinary arrays', () => {
    const rng = new Rng(5)
    for (const make of [() => new Adam(0.01, 0.9, 0.999, 0.001), () => new SGD(0.1, 0.001)]) {
      const W = pair(333, rng)
      const onEngine = make()
      const plain = make()
      for (let s = 0; s < 3; s++) {
        const g = pair(333, rng)
        onEngine.update([{ data: W.a }], [{ data: g.a }])
        plain.update([{ data: W.b }], [{ data: g.b }])
      }
      expect(W.a).toEqual(W.b)
      expect(onEngine.state()).toEqual(plain.state())
    }
  })
})

describe('two-gradient rules (Rule2)', () => {
  for (const name of OPTIMIZER_NAMES) {
    it(`${name}: one pass over two gradients is bit for bit the rule on their float32 sum`, () => {
      const rule = ruleOf(name)
      const rule2 = rule2Of(name)
      expect(rule2).not.toBeNull()
      const rng = new Rng(6)
      const nSlots = (makeOptimizer(name, 0.01) as BaseOptimizer).slotNames.length
      for (const n of SIZES) {
        const W = pair(n, rng).b
        const W2 = W.slice()
        const s = Array.from({ length: nSlots }, () => pair(n, rng, true).b)
        const s2 = s.map((a) => a.slice())
        const h = name === 'Adam' ? [0.003, 0.9, 0.999, 0.01] : name === 'SGD' || name === 'AdaGrad' ? [0.05, 0.01] : [0.05, 0.9, 0.01]
        for (let step = 0; step < 3; step++) {
          const g0 = pair(n, rng).b
          const g1 = pair(n, rng).b
          const g = new Float32Array(n)
          for (let i = 0; i < n; i++) g[i] = g0[i] + g1[i]
          rule(W, g, s, h)
          rule2!(W2, g0, g1, s2, h)
          expect(W2, `W, n ${n}`).toEqual(W)
          s.forEach((a, j) => expect(s2[j], `state ${j}, n ${n}`).toEqual(a))
        }
      }
    })
  }
})
