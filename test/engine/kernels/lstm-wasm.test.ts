import { afterEach, describe, expect, it, vi } from 'vitest'
import { tensor, clone, type Tensor } from '../../../src-engine/tensor'
import { Rng } from '../../../src-engine/rng'
import { engineMemory, gemmBlocked, setGemm } from '../../../src-engine/kernels/gemm'
import { LstmKernels, lstmKernels } from '../../../src-engine/kernels/wasm/lstm-wasm'
import { TimeLSTM } from '../../../src-engine/layers/time-lstm'

function randn(shape: number[], rng: Rng, scale: number): Tensor {
  const t = tensor(shape)
  for (let i = 0; i < t.data.length; i++) t.data[i] = rng.normal() * scale
  return t
}

interface Run { hs: Float32Array; state: Float32Array[]; dx: Float32Array; grads: Float32Array[]; norms: Float64Array }

/** Two forward/backward passes (the second starts from the first's state when stateful). */
function run(Wx: Tensor, Wh: Tensor, b: Tensor, xs: Tensor[], dhs: Tensor, stateful: boolean): Run {
  const layer = new TimeLSTM(clone(Wx), clone(Wh), clone(b), 'lstm', stateful)
  layer.forward(xs[0], true)
  const hs = layer.forward(xs[1], true).data.slice()
  const st = layer.state()!
  const dx = layer.backward(dhs).data.slice()
  return { hs, state: [st.h.slice(), st.c.slice()], dx, grads: layer.grads.map((g) => g.data.slice()), norms: layer.gradNorms.slice() }
}

function expectClose(name: string, got: ArrayLike<number>, want: ArrayLike<number>): void {
  expect(got.length, name).toBe(want.length)
  let scale = 0
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]))
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= 2e-5 * (1 + scale))) expect.fail(`${name}[${i}]: kernel ${got[i]}, TypeScript ${want[i]}`)
  }
}

describe('LSTM step kernels (WebAssembly SIMD) against the TypeScript loop', () => {
  afterEach(() => vi.restoreAllMocks())

  it('are available where the WebAssembly GEMM is', () => {
    expect(lstmKernels(engineMemory())).not.toBeNull()
  })

  // hidden sizes that are and are not multiples of the 4 SIMD lanes; odd batch and sequence lengths
  const shapes: [number, number, number, number, boolean][] = [
    [3, 5, 7, 5, false], [2, 4, 3, 13, true], [5, 3, 4, 8, false], [1, 6, 2, 1, true], [4, 2, 9, 130, false]
  ]
  for (const [N, T, D, H, stateful] of shapes) {
    it(`TimeLSTM N=${N} T=${T} D=${D} H=${H}${stateful ? ' stateful' : ''}: same outputs, state and gradients`, () => {
      const rng = new Rng(N * 100 + H)
      // large enough pre-activations to reach the saturated ends of σ and tanh
      const Wx = randn([D, 4 * H], rng, 1.5), Wh = randn([H, 4 * H], rng, 1), b = randn([4 * H], rng, 1)
      const xs = [randn([N, T, D], rng, 1.5), randn([N, T, D], rng, 1.5)]
      const dhs = randn([N, T, H], rng, 1)
      const fwd = vi.spyOn(LstmKernels.prototype, 'forwardStep')
      const bwd = vi.spyOn(LstmKernels.prototype, 'backwardStep')
      const fast = run(Wx, Wh, b, xs, dhs, stateful)
      expect(fwd).toHaveBeenCalledTimes(2 * T)
      expect(bwd).toHaveBeenCalledTimes(T)
      const prev = setGemm(gemmBlocked) // no engine memory: the TypeScript loop
      let slow: Run
      try {
        slow = run(Wx, Wh, b, xs, dhs, stateful)
      } finally {
        setGemm(prev)
      }
      expect(fwd).toHaveBeenCalledTimes(2 * T)
      expectClose('hs', fast.hs, slow.hs)
      expectClose('h', fast.state[0], slow.state[0])
      expectClose('c', fast.state[1], slow.state[1])
      expectClose('dx', fast.dx, slow.dx)
      ;['dWx', 'dWh', 'db'].forEach((name, k) => expectClose(name, fast.grads[k], slow.grads[k]))
      expectClose('gradNorms', fast.norms, slow.norms)
    })
  }
})
