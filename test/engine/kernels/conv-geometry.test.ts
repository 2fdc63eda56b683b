import { describe, expect, it } from 'vitest'
import golden from '../../fixtures/golden.json'
import { convOutSize, convOutSizeStrict, deconvOutSize } from '../../../src-engine/kernels/conv-geometry'

describe('convOutSize', () => {
  it('gives every golden output size', () => {
    for (const c of golden.conv_output_size.cases) {
      const h = convOutSize(c.input[0], c.filter[0], c.stride, c.pad)
      const w = convOutSize(c.input[1], c.filter[1], c.stride, c.pad)
      expect([h.size, w.size], JSON.stringify(c)).toEqual(c.output)
      expect(h.exact && w.exact).toBe(true)
    }
  })

  it('flags the golden invalid case as not exact and shows the fraction', () => {
    const c = golden.conv_output_size.invalid_case
    const r = convOutSize(c.input[0], c.filter[0], c.stride, c.pad)
    expect(r.exact).toBe(false)
    expect(r.formula).toBe('(7 + 2·0 − 3) / 3 + 1 = 2.33')
  })

  it('strict form names the layer and the axis instead of flooring', () => {
    expect(() => convOutSizeStrict('Convolution "conv2"', 'height', 7, 3, 3, 0))
      .toThrow('Convolution "conv2": output height (7 + 2·0 − 3) / 3 + 1 = 2.33 is not an integer')
    expect(() => convOutSizeStrict('Pooling "pool1"', 'width', 2, 5, 1, 0)).toThrow('does not fit')
    expect(convOutSizeStrict('x', 'height', 28, 5, 1, 0)).toBe(24)
  })

  it('deconvOutSize inverts convOutSize', () => {
    for (const [H, F, S, P] of [[4, 3, 1, 1], [7, 3, 2, 0], [10, 5, 3, 2], [2, 2, 2, 0]]) {
      const out = convOutSize(H, F, S, P)
      expect(deconvOutSize(out.size, F, S, P).size).toBe(H)
    }
  })
})
