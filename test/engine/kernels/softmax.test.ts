import { describe, expect, it } from 'vitest'
import golden from '../../fixtures/golden.json'
import { crossEntropyDense, crossEntropyIndices, softmaxForward } from '../../../src-engine/kernels/softmax'
import { expectClose } from '../../helpers'

describe('softmax and cross-entropy kernels', () => {
  it('give the golden softmax of (0.3, 2.9, 4.0)', () => {
    const p = new Float32Array(3)
    softmaxForward(p, Float32Array.from(golden.softmax_and_cross_entropy.softmax_of), 1, 3)
    expectClose(p, golden.softmax_and_cross_entropy.softmax, 1e-7)
  })

  it('give the golden attention-row softmax', () => {
    const p = new Float32Array(3)
    softmaxForward(p, Float32Array.from(golden.self_attention_row.scaled), 1, 3)
    expectClose(p, golden.self_attention_row.softmax, 1e-6)
  })

  it('do not overflow for huge scores and rows sum to one', () => {
    const p = new Float32Array(6)
    softmaxForward(p, Float32Array.from([1000, 1010, 990, -1e4, 0, 1e4]), 2, 3)
    expect(p.every(Number.isFinite)).toBe(true)
    expect(p[0] + p[1] + p[2]).toBeCloseTo(1, 6)
    expect(p[5]).toBe(1)
  })

  it('give the golden cross-entropy values with eps 1e-7', () => {
    const g = golden.softmax_and_cross_entropy.cross_entropy
    expect(g.eps).toBe(1e-7)
    for (const c of g.cases) {
      const y = Float32Array.from(c.y)
      expect(crossEntropyIndices(y, Float32Array.from([g.target_one_hot_index]), 1, 10)).toBeCloseTo(c.loss, 6)
      const onehot = new Float32Array(10)
      onehot[g.target_one_hot_index] = 1
      expect(crossEntropyDense(y, onehot, 1, 10)).toBeCloseTo(c.loss, 6)
    }
  })
})
