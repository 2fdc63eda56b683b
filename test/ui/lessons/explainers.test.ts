/**
 * Every explainer's data layer reproduces the course's worked numbers (test/fixtures/golden.json),
 * and the conv stepper agrees with the engine's Convolution layer on random inputs.
 */
import { describe, expect, it } from 'vitest'
import golden from '../../fixtures/golden.json'
import { convolve, convBackward, convolveBank, EXTRA_FILTERS, WORKED_INPUT, WORKED_FILTER, WORKED_BIAS, type ConvSetup } from '../../../src-renderer/lib/lessons/conv'
import { outputSize, receptiveFields, sizeFixes, editorIssues, windowPositions } from '../../../src-renderer/lib/lessons/output-size'
import { pool, POOL_EXAMPLE, SHIFT_A, SHIFT_B } from '../../../src-renderer/lib/lessons/pooling'
import { optimizerPath, GOLDEN_LR } from '../../../src-renderer/lib/lessons/optimizer-paths'
import { gradientOfSquares, errorCurve } from '../../../src-renderer/lib/lessons/numerical-gradient'
import { shopGraph, logistic } from '../../../src-renderer/lib/lessons/backprop-graph'
import { compareRecurrent, RECURRENT_DEFAULT, survival } from '../../../src-renderer/lib/lessons/rnn-lstm'
import { scaledSoftmaxRow, selfAttention, tokenize, WORKED_ROW } from '../../../src-renderer/lib/lessons/attention'
import { Rng } from '../../../src-engine/rng'
import { fromArray } from '../../../src-engine/tensor'
import { Convolution } from '../../../src-engine/layers/convolution'
import { OPTIMIZER_NAMES } from '../../../src-engine/optimizers'

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.length)
  for (let i = 0; i < expected.length; i++) {
    if (!(Math.abs(actual[i] - expected[i]) <= tol)) {
      throw new Error(`${what}[${i}]: got ${actual[i]}, expected ${expected[i]} (tolerance ${tol})`)
    }
  }
}

describe('conv stepper', () => {
  const g = golden.conv2d_single_channel
  const base: ConvSetup = { input: [g.input_hw], filter: [g.filter_hw], bias: 0, stride: g.stride, pad: g.pad }

  it('reproduces the course example without and with bias', () => {
    const r = convolve(base)
    if (!r.ok) throw new Error('expected a valid setup')
    expectClose(r.out, g.output_without_bias.flat(), 0, 'no bias')
    const rb = convolve({ ...base, bias: g.bias })
    if (!rb.ok) throw new Error('expected a valid setup')
    expectClose(rb.out, g.output_with_bias.flat(), 0, 'bias')
    expect(WORKED_INPUT).toEqual([g.input_hw])
    expect(WORKED_FILTER).toEqual([g.filter_hw])
    expect(WORKED_BIAS).toBe(g.bias)
  })

  it('shows nine products per window whose sum plus bias is the output cell', () => {
    const r = convolve({ ...base, bias: 3 })
    if (!r.ok) throw new Error('expected a valid setup')
    const first = r.steps[0]
    expect(first.terms).toHaveLength(9)
    expect(first.terms.map((t) => t.value * t.weight)).toEqual([2, 0, 3, 0, 1, 4, 3, 0, 2])
    for (const s of r.steps) expect(s.sum + 3).toBe(s.out)
  })

  it('matches the engine Convolution layer on random inputs for several pads, strides and channel counts', () => {
    const rng = new Rng(11)
    const cases = [
      { C: 1, H: 5, W: 5, F: 3, stride: 1, pad: 0 }, { C: 2, H: 5, W: 5, F: 3, stride: 2, pad: 1 },
      { C: 3, H: 6, W: 4, F: 2, stride: 2, pad: 0 }, { C: 2, H: 7, W: 7, F: 3, stride: 2, pad: 0 },
      { C: 1, H: 4, W: 6, F: 3, stride: 1, pad: 2 }, { C: 3, H: 3, W: 3, F: 3, stride: 1, pad: 1 }
    ]
    for (const c of cases) {
      const grid = (C: number, H: number, W: number): number[][][] =>
        Array.from({ length: C }, () => Array.from({ length: H }, () => Array.from({ length: W }, () => Math.round(rng.normal() * 100) / 10)))
      const s: ConvSetup = { input: grid(c.C, c.H, c.W), filter: grid(c.C, c.F, c.F), bias: 0.5, stride: c.stride, pad: c.pad }
      const r = convolve(s)
      if (!r.ok) throw new Error(`case ${JSON.stringify(c)} should be valid`)
      // an independent layer built here, fed the same numbers
      const layer = new Convolution(fromArray([1, c.C, c.F, c.F], s.filter.flat(2)), fromArray([1], [0.5]), c.stride, c.pad)
      const ref = layer.forward(fromArray([1, c.C, c.H, c.W], s.input.flat(2)), false).data
      expectClose(r.out, ref, 1e-5, `out ${JSON.stringify(c)}`)
      // the shown multiply-adds add up to the same cells
      expectClose(r.steps.map((st) => st.sum + 0.5), ref, 1e-3, `steps ${JSON.stringify(c)}`)
      expect(r.col.length).toBe(r.OH * r.OW * c.C * c.F * c.F)
      // backward: dx of the layer equals col2im(doutᵀ·W) (convBackward throws if not) and dW = Σ dout·col
      const dout = Array.from({ length: r.OH * r.OW }, () => rng.normal())
      const b = convBackward(s, dout)
      const K = c.C * c.F * c.F
      const dW = new Array<number>(K).fill(0)
      for (let p = 0; p < r.OH * r.OW; p++) for (let k = 0; k < K; k++) dW[k] += dout[p] * r.col[p * K + k]
      expectClose(b.dW, dW, 1e-3, 'dW')
      expect(b.db).toBeCloseTo(dout.reduce((a, v) => a + v, 0), 4)
    }
  })

  it('explains invalid settings instead of computing', () => {
    const r = convolve({ ...base, input: [[[1, 2, 3, 4, 5, 6, 7], ...Array(6).fill([1, 2, 3, 4, 5, 6, 7])]], stride: 3 })
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.reason).toBe('not-integer')
  })
})

describe('conv stepper: a bank of filters', () => {
  it('gives one feature map per filter from one layer with weights (FN, C, FH, FW); each map is that filter alone', () => {
    const s: ConvSetup = { input: WORKED_INPUT, filter: WORKED_FILTER, bias: WORKED_BIAS, stride: 1, pad: 0 }
    const extra = EXTRA_FILTERS.map((f, i) => ({ filter: [f], bias: i - 1 }))
    const bank = convolveBank(s, extra)!
    expect(bank.wShape).toEqual([3, 1, 3, 3])
    expect(bank.bShape).toEqual([3])
    expect(bank.maps).toHaveLength(3)
    // the course's filter keeps its golden output; the others agree with a one-filter layer each
    expect(bank.maps[0]).toEqual(golden.conv2d_single_channel.output_with_bias)
    extra.forEach((e, i) => {
      const one = convolve({ ...s, filter: e.filter, bias: e.bias })
      if (!one.ok) throw new Error('invalid')
      expect(bank.maps[i + 1].flat()).toEqual(Array.from(one.out))
    })
    // vertical edges of the worked input: Σ of each window's left column minus its right column, bias −1
    expect(bank.maps[1]).toEqual([[(1 + 0 + 3) - (3 + 2 + 1) - 1, (2 + 1 + 0) - (0 + 3 + 2) - 1], [(0 + 3 + 2) - (2 + 1 + 0) - 1, (1 + 0 + 3) - (3 + 2 + 1) - 1]])
    expect(convolveBank({ ...s, stride: 2 }, extra)).toBeNull()
  })
})

describe('output-size calculator', () => {
  it('gives every course case', () => {
    for (const c of golden.conv_output_size.cases) {
      const r = outputSize({ H: c.input[0], W: c.input[1], FH: c.filter[0], FW: c.filter[1], stride: c.stride, pad: c.pad })
      expect(r.ok).toBe(true)
      expect([r.h.size, r.w.size]).toEqual(c.output)
    }
  })

  it('rejects the invalid case and suggests what the editor suggests; stride 4 fits but skips a column', () => {
    const c = golden.conv_output_size.invalid_case
    const s = { H: c.input[0], W: c.input[1], FH: c.filter[0], FW: c.filter[1], stride: c.stride, pad: c.pad }
    const r = outputSize(s)
    expect(r.ok).toBe(false)
    expect(r.problem).toBe('not-integer')
    expect(r.h.formula).toContain('2.33')
    const fixes = sizeFixes(s)
    expect(fixes.strides).toEqual([1, 2])
    expect(fixes.pads).toEqual([1])
    expect(fixes.skipping).toEqual([4])
    // the same strides and pads as the editor's message for that layer
    const [issue] = editorIssues(s)
    expect(issue.values).toMatchObject({ strides: '1, 2', pads: '1' })
    // a 5-wide filter on 12: span 7 only fits strides 1 and 7; 7 > 5 skips cells, so the editor offers 1 alone
    expect(sizeFixes({ H: 12, W: 12, FH: 5, FW: 5, stride: 2, pad: 0 }, 8)).toMatchObject({ strides: [1], skipping: [7] })
  })

  it('draws the window where it lands, hanging over the edge only when the stride does not divide the span', () => {
    const at = (w: { x: number; fits: boolean }[]): string => w.map((p) => `${p.x}${p.fits ? '' : '!'}`).join(' ')
    // 7, F3, S2: 0 2 4 and the window ends at the edge (a 3 × 3 output), nothing hangs over
    expect(at(windowPositions(7, 3, 2, 0))).toBe('0 2 4')
    // 7, F3, S3: 0 3, then 6 would need cells 6..8 of 7
    expect(at(windowPositions(7, 3, 3, 0))).toBe('0 3 6!')
    // padding 1 on 4 with stride 1: six cells, four windows
    expect(at(windowPositions(4, 3, 1, 1))).toBe('0 1 2 3')
    // a window wider than the row never fits
    expect(at(windowPositions(2, 3, 1, 0))).toBe('0!')
    expect(windowPositions(64, 1, 1, 0)).toHaveLength(40)
  })

  it('grows the receptive field by k − 1 per stride-1 conv layer and doubles the step after pooling', () => {
    expect(receptiveFields(3, 3, false).map((r) => r.rf)).toEqual([3, 5, 7])
    expect(receptiveFields(2, 3, true).map((r) => r.rf)).toEqual([3, 4, 8, 10])
  })
})

describe('pooling', () => {
  it('max-pools the course example 2×2, stride 2', () => {
    const r = pool(POOL_EXAMPLE, 2, 2, 'max')!
    expect(POOL_EXAMPLE).toEqual(golden.max_pool_2x2_stride2.input_hw)
    expect(r.out).toEqual(golden.max_pool_2x2_stride2.output)
    expect(r.winners[0][0]).toEqual({ y: 0, x: 1 })
  })

  it('gives the same output for the input and its shift (3×3 window, stride 3)', () => {
    const g = golden.max_pool_robust_to_shift
    expect(SHIFT_A).toEqual(g.input_a)
    expect(SHIFT_B).toEqual(g.input_b_shifted_right_by_one)
    expect(pool(SHIFT_A, g.window, g.stride, 'max')!.out).toEqual(g.output_both)
    expect(pool(SHIFT_B, g.window, g.stride, 'max')!.out).toEqual(g.output_both)
  })

  it('averages too, and refuses a window that does not tile the grid', () => {
    expect(pool(POOL_EXAMPLE, 2, 2, 'avg')!.out).toEqual([[1, 1.5], [2.25, 1]])
    expect(pool(POOL_EXAMPLE, 3, 2, 'max')).toBeNull()
  })
})

describe('optimizer paths', () => {
  const g = golden.optimizer_paths
  for (const run of g.runs) {
    it(`${run.optimizer} lr ${run.lr} follows the course path at steps 1 and 30`, () => {
      expect(GOLDEN_LR[run.optimizer as keyof typeof GOLDEN_LR]).toBe(run.lr)
      const path = optimizerPath(run.optimizer as 'SGD', run.lr, g.steps, g.start as [number, number])
      expect(path).toHaveLength(31)
      expect(path[0]).toEqual(g.start)
      expectClose(path[1], run.after_step_1, g.tolerance, `${run.optimizer} step 1`)
      expectClose(path[30], run.after_step_30, g.tolerance, `${run.optimizer} step 30`)
    })
  }

  it('draws every engine optimizer and ends nearer the minimum than it started', () => {
    for (const name of OPTIMIZER_NAMES) {
      const p = optimizerPath(name, name === 'RMSProp' ? 0.15 : 0.1, 60)
      const [x, y] = p[p.length - 1]
      expect(x * x / 20 + y * y, name).toBeLessThan(49 / 20 + 4)
    }
  })
})

describe('numerical gradient', () => {
  it('reproduces the course gradients of x0² + x1²', () => {
    for (const c of golden.numerical_gradient.cases) {
      expectClose(gradientOfSquares(c.at as [number, number]), c.grad, 1e-6, `at ${c.at}`)
    }
  })

  it('shows truncation error at large h and rounding error at tiny h, with a sweet spot between', () => {
    const curve = errorCurve()
    const big = curve[curve.length - 1]
    const tiny = curve[0]
    const best = curve.reduce((a, b) => (b.error < a.error ? b : a))
    expect(big.error).toBeCloseTo(1, 5) // central difference of x³ is off by exactly h²
    expect(tiny.error).toBeGreaterThan(1e-3)
    expect(best.error).toBeLessThan(tiny.error / 10)
    expect(best.error).toBeLessThan(big.error / 100)
    expect(best.h).toBeGreaterThan(1e-4)
    expect(best.h).toBeLessThan(1e-1)
  })
})

describe('backprop graph', () => {
  const g = golden.computational_graph_shopping
  it('computes the shopping price and every gradient with the engine Affine layer', () => {
    const r = shopGraph()
    expect(r.price).toBeCloseTo(g.price, 3)
    const want = g.gradients_of_price
    expect(r.grads.apple).toBeCloseTo(want.apple, 5)
    expect(r.grads.appleCount).toBeCloseTo(want.apple_count, 4)
    expect(r.grads.orange).toBeCloseTo(want.orange, 5)
    expect(r.grads.orangeCount).toBeCloseTo(want.orange_count, 4)
    expect(r.grads.tax).toBeCloseTo(want.tax, 3)
    // add passes the gradient through; multiply swaps its inputs
    expect(r.grads.appleTotal).toBe(r.grads.subtotal)
    expect(r.steps[2].out[0]).toBeCloseTo(r.steps[2].upstream * 2, 5)
  })

  it('gives logistic regression gradients −(y − a)·x and −(y − a)', () => {
    const x = [1.5, -2], w = [0.4, 0.3]
    for (const y of [0, 1]) {
      const r = logistic(x, w, 0.1, y)
      const a = 1 / (1 + Math.exp(-(1.5 * 0.4 - 2 * 0.3 + 0.1)))
      expect(r.a).toBeCloseTo(a, 6)
      expect(r.loss).toBeCloseTo(-(y * Math.log(a) + (1 - y) * Math.log(1 - a)), 6)
      expectClose(r.dw, x.map((xi) => -(y - a) * xi), 1e-6, 'dw')
      expect(r.db).toBeCloseTo(-(y - a), 6)
    }
  })
})

describe('RNN vs LSTM', () => {
  it('returns a gradient norm per time step from both layers, vanishing faster in the RNN', () => {
    const r = compareRecurrent({ ...RECURRENT_DEFAULT, scale: 0.5 })
    expect(r.rnn).toHaveLength(RECURRENT_DEFAULT.T)
    expect(r.lstm).toHaveLength(RECURRENT_DEFAULT.T)
    expect(r.rnn[RECURRENT_DEFAULT.T - 1]).toBeCloseTo(r.lstm[RECURRENT_DEFAULT.T - 1], 5) // same dout at the last step
    expect(survival(r.rnn)).toBeLessThan(1e-3)
    expect(survival(r.lstm)).toBeGreaterThan(survival(r.rnn) * 100)
    expect(r.gates.map((gm) => gm.name)).toEqual(['f', 'g', 'i', 'o', 'c', 'h'])
    const f = r.gates[0].data
    expect(Math.min(...f)).toBeGreaterThan(0)
    expect(Math.max(...f)).toBeLessThan(1)
  })
})

describe('self-attention', () => {
  it('reproduces the course row 110, 90, 80 → 13.75, 11.25, 10 → softmax', () => {
    const g = golden.self_attention_row
    const r = scaledSoftmaxRow(WORKED_ROW.scores, WORKED_ROW.dk)
    expect(WORKED_ROW.scores).toEqual(g.qk_row_for_first_word)
    expect(WORKED_ROW.dk).toBe(g.key_dim)
    expectClose(r.scaled, g.scaled, 1e-12, 'scaled')
    expectClose(r.weights, g.softmax, 1e-6, 'softmax')
  })

  it('turns a sentence into rows of weights that sum to one, with QKᵀ from Q and K', () => {
    const a = selfAttention(tokenize('the cat sat on the mat.'))
    expect(a.words).toEqual(['the', 'cat', 'sat', 'on', 'the', 'mat'])
    expect(a.X[0]).toEqual(a.X[4])
    for (const row of a.weights) expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5)
    const dot = a.Q[1].reduce((s, q, k) => s + q * a.K[2][k], 0)
    expect(a.scores[1][2]).toBeCloseTo(dot, 5)
    expect(a.scaled[1][2]).toBeCloseTo(dot / 2, 5)
    const o = a.V[0].map((_, k) => a.weights[3].reduce((s, w, j) => s + w * a.V[j][k], 0))
    expectClose(a.out[3], o, 1e-5, 'weighted sum')
  })
})

describe('shape flow', () => {
  const pc = golden.parameter_counts

  it('counts the course linear chain without bias: 6 + 3 + 4 = 13', async () => {
    const { linearParams } = await import('../../../src-renderer/lib/lessons/shapes')
    const each = pc.linear_chain_no_bias.layers.map(([i, o]) => linearParams(i, o, false))
    expect(each).toEqual(pc.linear_chain_no_bias.each)
    expect(each.reduce((a, b) => a + b, 0)).toBe(pc.linear_chain_no_bias.total)
  })

  it('shows why a fully connected layer on a full-HD image explodes and how a convolution cuts it', async () => {
    const { shapeFlow, exampleSpec } = await import('../../../src-renderer/lib/lessons/shapes')
    const hd = shapeFlow(exampleSpec('hd-affine'))
    expect(hd.rows[0].params).toBe(pc.full_hd_rgb_to_one_unit_linear_no_bias.inputs)
    const g = pc.full_hd_rgb_conv16_5x5_stride5_then_linear_to_1_no_bias
    const conv = shapeFlow(exampleSpec('hd-conv'))
    expect(conv.rows[0].outShape).toEqual(g.conv_out_chw)
    expect(conv.rows.map((r) => r.params)).toEqual([g.conv_params, g.linear_params])
    expect(conv.total).toBe(g.total)
  })

  it('follows the book ConvNet and the course Keras CNN layer by layer', async () => {
    const { shapeFlow, exampleSpec } = await import('../../../src-renderer/lib/lessons/shapes')
    const book = shapeFlow(exampleSpec('simple-convnet'))
    // the course lists the layers up to the scores; the loss layer follows them
    const scored = book.rows.slice(0, -1)
    expect(book.rows[book.rows.length - 1].type).toBe('SoftmaxWithLoss')
    expect(scored.map((r) => r.outShape)).toEqual(pc.simple_convnet_from_book.output_shapes_chw)
    expect(scored.map((r) => r.params)).toEqual(pc.simple_convnet_from_book.params)
    expect(book.total).toBe(pc.simple_convnet_from_book.total)
    const keras = shapeFlow(exampleSpec('keras-cnn'))
    expect(keras.total).toBe(pc.keras_cnn_from_course.total)
  })
})

describe('softmax and cross-entropy', () => {
  const g = golden.softmax_and_cross_entropy
  it('reproduces the course softmax of 0.3, 2.9, 4.0 and its cross-entropy cases', async () => {
    const { softmax, crossEntropy, COURSE_SCORES, COURSE_PROBS, COURSE_TARGET } = await import('../../../src-renderer/lib/lessons/softmax')
    expect(COURSE_SCORES).toEqual(g.softmax_of)
    expectClose(softmax(COURSE_SCORES), g.softmax, 1e-6, 'softmax')
    expect(COURSE_TARGET).toBe(g.cross_entropy.target_one_hot_index)
    expect([COURSE_PROBS.right, COURSE_PROBS.wrong]).toEqual(g.cross_entropy.cases.map((c) => c.y))
    g.cross_entropy.cases.forEach((c) => expect(crossEntropy(c.y, COURSE_TARGET)).toBeCloseTo(c.loss, 6))
  })

  it('gives loss −log p[t], perplexity e^loss and gradient p − one-hot from SoftmaxWithLoss', async () => {
    const { softmaxWithLoss } = await import('../../../src-renderer/lib/lessons/softmax')
    const r = softmaxWithLoss([0.3, 2.9, 4.0], 1)
    expect(r.loss).toBeCloseTo(-Math.log(0.24519181), 5)
    expect(r.perplexity).toBeCloseTo(1 / 0.24519181, 3)
    expectClose(r.grad, [0.01821127, 0.24519181 - 1, 0.73659691], 1e-6, 'grad')
  })
})

describe('output-size: the editor names the layer', () => {
  it('reports the course invalid case at conv1 with the size-not-integer code', async () => {
    const { editorIssues } = await import('../../../src-renderer/lib/lessons/output-size')
    const c = golden.conv_output_size.invalid_case
    const issues = editorIssues({ H: c.input[0], W: c.input[1], FH: c.filter[0], FW: c.filter[1], stride: c.stride, pad: c.pad })
    expect(issues.length).toBeGreaterThan(0)
    expect(issues[0].layerName).toBe('conv1')
    expect(issues[0].code).toBe('conv-size-not-integer')
    expect(editorIssues({ H: 7, W: 7, FH: 3, FW: 3, stride: 2, pad: 0 })).toEqual([])
  })
})

describe('the softmax explainer\'s loss figure', () => {
  // Q2's G5: "L = −log p_A = 10.6402" where −log p_A is 10.6444: the engine's loss adds 10⁻⁷, which the formula hid
  it('writes the 10⁻⁷ the loss adds, so L can be recomputed from the p shown, and says why (en, ko)', async () => {
    const { render, screen, fireEvent, cleanup } = await import('@testing-library/svelte')
    const { i18n } = await import('../../../src-renderer/i18n/index.svelte')
    const SoftmaxLoss = (await import('../../../src-renderer/components/explainers/SoftmaxLoss.svelte')).default
    for (const lang of ['en', 'ko'] as const) {
      i18n.set(lang)
      render(SoftmaxLoss)
      const ranges = screen.getAllByTestId('sm-score')
      for (const [i, v] of [-4, 6, 5.9].entries()) await fireEvent.input(ranges[i], { target: { value: String(v) } })
      await fireEvent.change(screen.getByTestId('sm-target'), { target: { value: '0' } })
      const pA = Math.exp(-4) / (Math.exp(-4) + Math.exp(6) + Math.exp(5.9))
      const shown = -Math.log(pA + 1e-7)
      expect(shown.toFixed(4)).toBe('10.6402')
      expect(screen.getByTestId('sm-loss').textContent).toContain(`−log(pA + 10⁻⁷) = ${shown.toFixed(4)}`)
      expect(screen.getByTestId('sm-delta').textContent).toContain('16.1')
      cleanup()
    }
    i18n.set('en')
  })
})
