import { describe, expect, it } from 'vitest'
import { tensor, type Tensor } from '../../../src-engine/tensor'
import { Rng } from '../../../src-engine/rng'
import type { Layer, LossLayer } from '../../../src-engine/layers/layer'
import { TimeLSTM } from '../../../src-engine/layers/time-lstm'
import { TimeRNN } from '../../../src-engine/layers/time-rnn'
import { TimeEmbedding } from '../../../src-engine/layers/time-embedding'
import { TimeAffine } from '../../../src-engine/layers/time-affine'
import { LastTimeStep } from '../../../src-engine/layers/last-time-step'
import { TimeSoftmaxWithLoss } from '../../../src-engine/layers/time-softmax-with-loss'
import { LSTM_GATES, gateOffset } from '../../../src-engine/layers/lstm-gates'
import { clipGrads } from '../../../src-engine/optimizers/clip-grads'
import { Sequential } from '../../../src-engine/models/sequential'
import type { NetSpec } from '../../../src-engine/spec-types'

function randn(shape: number[], rng: Rng, scale = 0.5): Tensor {
  const t = tensor(shape)
  for (let i = 0; i < t.data.length; i++) t.data[i] = rng.normal() * scale
  return t
}

/**
 * Central-difference check of a layer: L = Σ out·dout (float64). Compares dx (unless skipX) and every
 * parameter gradient; `before` runs before each forward (e.g. to restore carried state).
 */
function gradCheck(layer: Layer, x: Tensor, rng: Rng, opts: { skipX?: boolean; before?: () => void } = {}): void {
  const before = opts.before ?? (() => {})
  before()
  const out = layer.forward(x, true)
  const dout = randn([...out.shape], rng, 1)
  const loss = (): number => {
    before()
    const o = layer.forward(x, true)
    let s = 0
    for (let i = 0; i < o.data.length; i++) s += o.data[i] * dout.data[i]
    return s
  }
  before()
  layer.forward(x, true)
  const dx = layer.backward(dout).data.slice()
  const grads = layer.grads.map((g) => g.data.slice())
  const h = 1e-2
  const compare = (name: string, values: Float32Array, analytic: Float32Array): void => {
    for (let i = 0; i < values.length; i++) {
      const old = values[i]
      values[i] = old + h
      const lp = loss()
      values[i] = old - h
      const lm = loss()
      values[i] = old
      const num = (lp - lm) / (2 * h)
      const err = Math.abs(num - analytic[i]) / Math.max(1e-2, Math.abs(num) + Math.abs(analytic[i]))
      if (err > 2e-2) expect.fail(`${layer.type} ${name}[${i}]: numerical ${num}, backprop ${analytic[i]} (relative error ${err})`)
    }
  }
  if (!opts.skipX) compare('x', x.data, dx)
  layer.params.forEach((p, k) => compare(layer.paramNames[k], p.data, grads[k]))
}

describe('recurrent layers: gradient checks over 5+ time steps', () => {
  const N = 2, T = 6, D = 3, H = 4

  for (const stateful of [false, true]) {
    const mode = stateful ? 'with carried state' : 'from zero state'

    it(`TimeRNN ${mode}`, () => {
      const rng = new Rng(11)
      const layer = new TimeRNN(randn([D, H], rng), randn([H, H], rng), randn([H], rng), 'rnn1', stateful)
      const xs = randn([N, T, D], rng)
      if (stateful) layer.forward(randn([N, T, D], rng), false) // leaves a non-zero carried h
      const saved = stateful ? (layer as unknown as { h: Float32Array }).h.slice() : null
      gradCheck(layer, xs, rng, { before: () => { if (saved) (layer as unknown as { h: Float32Array }).h = saved.slice() } })
    })

    it(`TimeLSTM ${mode}`, () => {
      const rng = new Rng(12)
      const layer = new TimeLSTM(randn([D, 4 * H], rng), randn([H, 4 * H], rng), randn([4 * H], rng), 'lstm1', stateful)
      const xs = randn([N, T, D], rng)
      if (stateful) layer.forward(randn([N, T, D], rng), false)
      const st = layer.state()
      const saved = stateful && st ? { h: st.h.slice(), c: st.c.slice() } : null
      const restore = (): void => {
        if (!saved) return
        const l = layer as unknown as { h: Float32Array; c: Float32Array }
        l.h = saved.h.slice()
        l.c = saved.c.slice()
      }
      gradCheck(layer, xs, rng, { before: restore })
    })
  }

  it('TimeEmbedding (parameters; ids are not differentiable)', () => {
    const rng = new Rng(13)
    const layer = new TimeEmbedding(randn([7, D], rng), 'embed1')
    const ids = tensor([N, T], Float32Array.from({ length: N * T }, (_, i) => (i * 3) % 7))
    gradCheck(layer, ids, rng, { skipX: true })
  })

  it('TimeAffine', () => {
    const rng = new Rng(14)
    gradCheck(new TimeAffine(randn([H, 5], rng), randn([5], rng), 'taffine1'), randn([N, T, H], rng), rng)
  })

  it('LastTimeStep', () => {
    const rng = new Rng(15)
    gradCheck(new LastTimeStep('last1'), randn([N, T, H], rng), rng)
  })

  it('TimeSoftmaxWithLoss', () => {
    const rng = new Rng(16)
    const V = 5
    const loss: LossLayer = new TimeSoftmaxWithLoss('tsoftmax1')
    const xs = randn([N, T, V], rng)
    const ts = tensor([N, T], Float32Array.from({ length: N * T }, (_, i) => (i * 2) % V))
    loss.forward(xs, ts)
    const dx = loss.backward().data.slice()
    const h = 1e-2
    for (let i = 0; i < xs.data.length; i++) {
      const old = xs.data[i]
      xs.data[i] = old + h
      const lp = loss.forward(xs, ts)
      xs.data[i] = old - h
      const lm = loss.forward(xs, ts)
      xs.data[i] = old
      expect((lp - lm) / (2 * h), `dx[${i}]`).toBeCloseTo(dx[i], 3)
    }
  })
})

describe('LSTM conventions', () => {
  it('slices the fused affine in the course order f, g, i, o', () => {
    expect([...LSTM_GATES]).toEqual(['f', 'g', 'i', 'o'])
    expect(gateOffset('i', 128)).toBe(256)
  })

  it('computes one step by the course equations', () => {
    // D = 1, H = 1, with weights chosen so each gate has a known pre-activation
    const Wx = tensor([1, 4], Float32Array.from([1, 2, 3, 4])) // f, g, i, o
    const Wh = tensor([1, 4])
    const b = tensor([4])
    const lstm = new TimeLSTM(Wx, Wh, b, 'lstm1')
    const h = lstm.forward(tensor([1, 1, 1], Float32Array.from([0.5])), false).data[0]
    const s = (v: number): number => 1 / (1 + Math.exp(-v))
    const c = s(0.5) * 0 + Math.tanh(1) * s(1.5)
    expect(h).toBeCloseTo(s(2) * Math.tanh(c), 6)
  })

  it('clips gradients by their global norm', () => {
    const a = tensor([2], Float32Array.from([3, 0]))
    const b = tensor([1], Float32Array.from([4]))
    const norm = clipGrads([a, b], 1)
    expect(norm).toBeCloseTo(5)
    expect(Math.hypot(a.data[0], a.data[1], b.data[0])).toBeCloseTo(1, 4)
  })
})

describe('a first TimeLSTM skips the input gradient in Sequential.backward', () => {
  it('gives the same parameter gradients as a backward pass that computes dx, and a zero dx', () => {
    const spec: NetSpec = {
      input: [5, 3],
      layers: [{ type: 'TimeLSTM', hidden: 6 }, { type: 'LastTimeStep' }, { type: 'Affine', units: 4 }, { type: 'SoftmaxWithLoss' }]
    }
    const rng = new Rng(21)
    const x = randn([3, 5, 3], rng)
    const t = tensor([3], Float32Array.from([0, 3, 1]))
    const model = Sequential.fromSpec(spec, new Rng(5))
    model.lossLayer!.forward(model.forward(x, true), t)
    model.backward()
    const lean = model.grads.map((g) => g.data.slice())
    const first = model.layers[0] as TimeLSTM
    expect(first).toBeInstanceOf(TimeLSTM)
    expect(first.needsDx).toBe(true) // restored for gradient checks

    model.lossLayer!.forward(model.forward(x, true), t)
    let d = model.lossLayer!.backward()
    for (let i = model.layers.length - 1; i >= 0; i--) d = model.layers[i].backward(d)
    expect(d.data.some((v) => v !== 0)).toBe(true)
    model.grads.forEach((g, k) => expect(Array.from(g.data), model.paramKeys[k]).toEqual(Array.from(lean[k])))
    first.needsDx = false
    expect(first.backward(model.layers[1].backward(model.layers[2].backward(model.lossLayer!.backward()))).data.every((v) => v === 0)).toBe(true)
  })
})
