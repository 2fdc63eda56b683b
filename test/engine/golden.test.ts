/**
 * The course's worked numbers that belong to no single kernel test. (Convolution, output sizes,
 * pooling, softmax/cross-entropy and optimizer paths are checked in kernels/, layers/ and optimizers/.)
 * The recurrent cells are checked against golden.json's own equations, evaluated here in float64
 * from the layer's weights, so the engine's gate slicing is tested against the course, not itself.
 */
import { describe, expect, it } from 'vitest'
import golden from '../fixtures/golden.json'
import { Rng } from '../../src-engine/rng'
import { fromArray } from '../../src-engine/tensor'
import type { NetSpec } from '../../src-engine/spec-types'
import { buildNetwork } from '../../src-engine/layers/build'
import { Affine } from '../../src-engine/layers/affine'
import { SigmoidWithLoss } from '../../src-engine/layers/sigmoid-with-loss'
import { numericalGradient } from '../../src-engine/train/gradient-check'
import { TimeRNN } from '../../src-engine/layers/time-rnn'
import { TimeLSTM } from '../../src-engine/layers/time-lstm'
import { LSTM_GATES } from '../../src-engine/layers/lstm-gates'
import { tensor, type Tensor } from '../../src-engine/tensor'
import { expectClose } from '../helpers'

describe('golden: numerical gradient', () => {
  it('central differences with h = 1e-4 give the gradient of x0² + x1² at every golden point', () => {
    for (const c of golden.numerical_gradient.cases) {
      const x = Float64Array.from(c.at)
      const grad = numericalGradient(() => x[0] * x[0] + x[1] * x[1], x, 1e-4)
      expectClose(grad, c.grad, 1e-6)
      expect(Array.from(x)).toEqual(c.at)
    }
  })
})

describe('golden: parameter counts', () => {
  const count = (spec: NetSpec): number[] =>
    buildNetwork(spec, new Rng(1)).layers.map((l) => l.params.reduce((s, p) => s + p.data.length, 0)).filter((n) => n > 0)

  it('bias-free linear layers of the golden (in, out) sizes have 6 + 3 + 4 = 13 weights', () => {
    const g = golden.parameter_counts.linear_chain_no_bias
    const each = g.layers.map(([inp, out]) => count({ input: [inp], layers: [{ type: 'Affine', units: out, bias: false }] })[0])
    expect(each).toEqual(g.each)
    expect(each.reduce((a, b) => a + b, 0)).toBe(g.total)
  })

  it('a full-HD RGB image: 16 5×5 stride-5 filters, then one linear unit', () => {
    const g = golden.parameter_counts.full_hd_rgb_conv16_5x5_stride5_then_linear_to_1_no_bias
    const spec: NetSpec = {
      input: [3, 1080, 1920],
      layers: [{ type: 'Convolution', filters: 16, kernel: 5, stride: 5, bias: false }, { type: 'Affine', units: 1, bias: false }]
    }
    const { layers } = buildNetwork(spec, new Rng(1))
    expect(layers[0].outShape?.([3, 1080, 1920])).toEqual(g.conv_out_chw)
    expect(count(spec)).toEqual([g.conv_params, g.linear_params])
    expect(g.conv_params + g.linear_params).toBe(g.total)
    expect(3 * 1080 * 1920).toBe(golden.parameter_counts.full_hd_rgb_to_one_unit_linear_no_bias.inputs)
  })
})

describe('golden: logistic regression', () => {
  it(`Affine + SigmoidWithLoss give ${golden.logistic_regression.gradients}`, () => {
    const w = fromArray([3, 1], [0.2, -0.5, 0.1])
    const affine = new Affine(w, fromArray([1], [0.3]))
    const loss = new SigmoidWithLoss()
    const x = fromArray([1, 3], [1, 2, -1])
    const y = 1
    const z = 0.2 * 1 - 0.5 * 2 + 0.1 * -1 + 0.3
    const a = 1 / (1 + Math.exp(-z))
    expect(loss.forward(affine.forward(x, true), fromArray([1], [y]))).toBeCloseTo(-(y * Math.log(a) + (1 - y) * Math.log(1 - a)), 6)
    affine.backward(loss.backward())
    expectClose(affine.grads[0].data, [1, 2, -1].map((xi) => -(y - a) * xi), 1e-6)
    expectClose(affine.grads[1].data, [-(y - a)], 1e-6)
  })
})

describe('golden: softmax with loss', () => {
  it('SoftmaxWithLoss predicts the golden probabilities and a one-hot loss of −log p', () => {
    const g = golden.softmax_and_cross_entropy
    const s = buildNetwork({ input: [3], layers: [{ type: 'SoftmaxWithLoss' }] }, new Rng(1)).loss!
    const x = fromArray([1, 3], g.softmax_of)
    expectClose(s.predict(x).data, g.softmax, 1e-7)
    expect(s.forward(x, fromArray([1], [2]))).toBeCloseTo(-Math.log(g.softmax[2] + 1e-7), 6)
  })
})

/** (rows, cols) of N(0, 0.5²) values from a seeded Rng. */
function randn(shape: number[], rng: Rng): Tensor {
  const t = tensor(shape)
  for (let i = 0; i < t.data.length; i++) t.data[i] = rng.normal() * 0.5
  return t
}

/** Row vector v (1, R) times matrix M (R, C), in float64. */
const vecMat = (v: ArrayLike<number>, M: Tensor, C: number): number[] =>
  Array.from({ length: C }, (_, c) => Array.from(v).reduce((sum, x, r) => sum + x * M.data[r * C + c], 0))
const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v))

describe('golden: recurrent cells', () => {
  const T = 3, D = 2, H = 3

  it(`TimeRNN follows ${golden.rnn_cell.equation} at every step`, () => {
    const rng = new Rng(31)
    const Wx = randn([D, H], rng), Wh = randn([H, H], rng), b = randn([H], rng)
    const xs = randn([1, T, D], rng)
    const hs = new TimeRNN(Wx, Wh, b).forward(xs, false)
    let h = new Array<number>(H).fill(0)
    for (let t = 0; t < T; t++) {
      const x = xs.data.subarray(t * D, (t + 1) * D)
      const xw = vecMat(x, Wx, H)
      const a = vecMat(h, Wh, H).map((v, j) => v + xw[j] + b.data[j])
      h = a.map(Math.tanh)
      expectClose(hs.data.subarray(t * H, (t + 1) * H), h, 1e-6)
    }
  })

  it('TimeLSTM slices the fused affine in the course order and follows its equations', () => {
    const g = golden.lstm_cell
    expect([...LSTM_GATES]).toEqual(g.gate_order_in_course)
    const rng = new Rng(32)
    const Wx = randn([D, 4 * H], rng), Wh = randn([H, 4 * H], rng), b = randn([4 * H], rng)
    const xs = randn([1, T, D], rng)
    const hs = new TimeLSTM(Wx, Wh, b).forward(xs, false)
    let h = new Array<number>(H).fill(0)
    let c = new Array<number>(H).fill(0)
    for (let t = 0; t < T; t++) {
      const x = xs.data.subarray(t * D, (t + 1) * D)
      // A = x Wx + h_prev Wh + b, sliced in four equal parts in the course's order
      const hw = vecMat(h, Wh, 4 * H)
      const A = vecMat(x, Wx, 4 * H).map((v, j) => v + hw[j] + b.data[j])
      const part = (gate: string): number[] => {
        const k = g.gate_order_in_course.indexOf(gate)
        return A.slice(k * H, (k + 1) * H)
      }
      const f = part('f').map(sigmoid), gg = part('g').map(Math.tanh), i = part('i').map(sigmoid), o = part('o').map(sigmoid)
      c = c.map((cp, j) => f[j] * cp + gg[j] * i[j])
      h = c.map((cj, j) => o[j] * Math.tanh(cj))
      expectClose(hs.data.subarray(t * H, (t + 1) * H), h, 1e-6)
    }
  })
})
