/**
 * TimeLSTM: an LSTM unrolled over T time steps. In this file H is the hidden size.
 * xs (N, T, D) → hs (N, T, H). Wx (D, 4H), Wh (H, 4H), b (4H), gates sliced f, g, i, o (lstm-gates.ts).
 *   A = x_t·Wx + h_{t−1}·Wh + b;  f = σ(A_f), g = tanh(A_g), i = σ(A_i), o = σ(A_o)
 *   c_t = f ⊙ c_{t−1} + g ⊙ i;   h_t = o ⊙ tanh(c_t)
 * Stateful mode carries (h, c) from one forward to the next (truncated BPTT: gradients stop at the
 * batch boundary); stateless mode starts every sequence from zeros.
 */
import { tensor, shapeText, type Tensor } from '../tensor'
import { engineMemory, gemm, gemmPrepacked, kernelArray, prepackB, releaseKernelArray, type PackedB } from '../kernels/gemm'
import { lstmKernels } from '../kernels/wasm/lstm-wasm'
import type { Layer } from './layer'
import { checkDout, ensure, notForwarded, reblock, where, kernelTensor } from './common'
import { checkRecurrentParams, sequenceOutShape } from './recurrent-common'
import { F, G, I, O } from './lstm-gates'

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x))
/** tanh through one exp (≈1.4× faster than Math.tanh on V8); saturates cleanly to ±1. */
const tanh = (x: number): number => 1 - 2 / (Math.exp(2 * x) + 1)

/*
 * One time step for N rows, element by element: the TypeScript twin of lstmForwardStep and
 * lstmBackwardStep in wasm/lstm.ts (same arguments, offsets and strides in floats), used where the
 * WebAssembly kernels are unavailable or a buffer lives outside engine memory.
 */

/** Row n: pre-activations at gates[gatesAt + n·gateStride] (4H, overwritten with f, g, i, o), h_{t−1}·Wh at hw[n·4H]; c, h in place in cPrev, hPrev and stored at cs, hs[seqAt + n·seqStride]. */
function forwardStep(gates: Float32Array, gatesAt: number, gateStride: number, hw: Float32Array, b: Float32Array,
  cPrev: Float32Array, hPrev: Float32Array, cs: Float32Array, hs: Float32Array, seqAt: number, seqStride: number,
  N: number, H: number): void {
  const H4 = 4 * H
  for (let n = 0; n < N; n++) {
    const a = gatesAt + n * gateStride
    const s = seqAt + n * seqStride
    for (let j = 0; j < H; j++) {
      const f = sigmoid(gates[a + F * H + j] + hw[n * H4 + F * H + j] + b[F * H + j])
      const g = tanh(gates[a + G * H + j] + hw[n * H4 + G * H + j] + b[G * H + j])
      const i = sigmoid(gates[a + I * H + j] + hw[n * H4 + I * H + j] + b[I * H + j])
      const o = sigmoid(gates[a + O * H + j] + hw[n * H4 + O * H + j] + b[O * H + j])
      gates[a + F * H + j] = f
      gates[a + G * H + j] = g
      gates[a + I * H + j] = i
      gates[a + O * H + j] = o
      const c = f * cPrev[n * H + j] + g * i
      const h = o * tanh(c)
      cs[s + j] = c
      hs[s + j] = h
      cPrev[n * H + j] = c
      hPrev[n * H + j] = h
    }
  }
}

/** Row n: dL/dh_t = dh[n·H] + dhs[seqAt + n·seqStride]; writes dL/dA_t to dAt[n·4H] and dA[gatesAt + n·gateStride], adds it to db, carries dc; returns Σ_n ‖dL/dh_t‖. */
function backwardStep(dh: Float32Array, dhs: Float32Array, gates: Float32Array, gatesAt: number, cs: Float32Array, seqAt: number,
  cPrev: Float32Array, cPrevAt: number, cPrevStride: number, dc: Float32Array, dAt: Float32Array, dA: Float32Array,
  db: Float32Array, gateStride: number, seqStride: number, N: number, H: number): number {
  const H4 = 4 * H
  let norm = 0
  for (let n = 0; n < N; n++) {
    const a = gatesAt + n * gateStride
    const s = seqAt + n * seqStride
    const p = cPrevAt + n * cPrevStride
    let sq = 0
    for (let j = 0; j < H; j++) {
      const dhj = dh[n * H + j] + dhs[s + j]
      sq += dhj * dhj
      const f = gates[a + F * H + j], g = gates[a + G * H + j], i = gates[a + I * H + j], o = gates[a + O * H + j]
      const tc = tanh(cs[s + j])
      const ds = dc[n * H + j] + dhj * o * (1 - tc * tc)
      dc[n * H + j] = ds * f
      dAt[n * H4 + F * H + j] = ds * cPrev[p + j] * f * (1 - f)
      dAt[n * H4 + G * H + j] = ds * i * (1 - g * g)
      dAt[n * H4 + I * H + j] = ds * g * i * (1 - i)
      dAt[n * H4 + O * H + j] = dhj * tc * o * (1 - o)
    }
    norm += Math.sqrt(sq)
    const row = dAt.subarray(n * H4, (n + 1) * H4)
    dA.set(row, a)
    for (let k = 0; k < H4; k++) db[k] += row[k]
  }
  return norm
}

export class TimeLSTM implements Layer {
  readonly type = 'TimeLSTM'
  readonly params: Tensor[]
  readonly grads: Tensor[]
  readonly paramNames = ['Wx', 'Wh', 'b']
  /** Carry (h, c) across forward calls (truncated BPTT). */
  stateful: boolean
  /**
   * When false, backward() computes only the parameter gradients and returns an all-zero dx: a network's
   * first layer has no one to pass it to (Sequential.backward), and dx = dA·Wxᵀ is a GEMM over every step.
   */
  needsDx = true
  /** Norm of dL/dh_t averaged over the batch, per time step, from the last backward (vanishing gradients). */
  gradNorms: Float64Array = new Float64Array(0)
  private h: Float32Array | null = null
  private c: Float32Array | null = null
  private xs: Tensor | null = null
  private hs: Tensor | null = null
  private gates: Tensor | null = null // (N, T, 4H) activated f, g, i, o
  private cs: Tensor | null = null // (N, T, H)
  private h0: Tensor | null = null // (N, H) the state the last forward started from
  private c0: Tensor | null = null
  private dxs: Tensor | null = null
  private dA: Tensor | null = null
  private hPrevs: Tensor | null = null
  private packedWh: PackedB | null = null
  // one step's (N, H), (N, H) and (N, 4H) scratch (stepScratch): h_{t−1}, c_{t−1} and h_{t−1}·Wh in forward, dL/dh,
  // dL/dc and dA_t in backward
  private stepH: Float32Array | null = null
  private stepC: Float32Array | null = null
  private step4H: Float32Array | null = null
  private packedWhT: PackedB | null = null

  constructor(Wx: Tensor, Wh: Tensor, b: Tensor, readonly name = 'lstm', stateful = false) {
    checkRecurrentParams(this.type, name, Wx, Wh, b, 4)
    this.params = [Wx, Wh, b]
    this.grads = this.params.map((p) => kernelTensor(p.shape))
    this.stateful = stateful
  }

  get hidden(): number {
    return this.params[1].shape[0]
  }

  outShape(inShape: readonly number[]): number[] {
    return sequenceOutShape(this.type, this.name, inShape, this.params[0].shape[0], this.hidden)
  }

  /** Forget the carried state (start of an epoch, or a new text). */
  resetState(): void {
    this.h = null
    this.c = null
  }

  /** The state carried to the next forward (stateful mode), or null. */
  state(): { h: Float32Array; c: Float32Array } | null {
    return this.h && this.c ? { h: this.h, c: this.c } : null
  }

  /** The same, to put back after a forward outside training (models/recurrent-state.ts); forward replaces, never writes into, h and c. */
  carried(): { h: Float32Array; c: Float32Array } | null {
    return this.state()
  }

  restoreCarried(state: unknown): void {
    const s = state as { h?: unknown; c?: unknown } | null
    this.h = s && s.h instanceof Float32Array ? s.h : null
    this.c = s && s.c instanceof Float32Array ? s.c : null
  }

  forward(xs: Tensor, _train: boolean): Tensor {
    if (xs.shape.length !== 3) throw new Error(`${where(this.type, this.name)}: expects input (N, T, D) but got ${shapeText(xs.shape)}`)
    const [N, T] = xs.shape
    this.outShape(xs.shape.slice(1))
    const H = this.hidden
    const H4 = 4 * H
    const [Wx, Wh, b] = this.params
    this.hs = ensure(this.hs, [N, T, H])
    this.gates = ensure(this.gates, [N, T, H4])
    this.cs = ensure(this.cs, [N, T, H])
    const gates = this.gates.data, cs = this.cs.data, hs = this.hs.data
    // x·Wx for every step at once: (N·T, D)·(D, 4H)
    gemm(gates, xs.data, Wx.data, N * T, H4, Wx.shape[0])
    const carry = this.stateful && this.h !== null && this.h.length === N * H
    this.h0 = ensure(this.h0, [N, H])
    this.c0 = ensure(this.c0, [N, H])
    if (carry) {
      this.h0.data.set(this.h!)
      this.c0.data.set(this.c!)
    } else {
      this.h0.data.fill(0)
      this.c0.data.fill(0)
    }
    // GEMM operands in engine memory (no copies into the WebAssembly kernels)
    const [hPrev, cPrev, hw] = this.stepScratch(N) // hw: h_{t−1}·Wh; zero at the first step when there is no carried state
    hPrev.set(this.h0.data)
    cPrev.set(this.c0.data)
    const k = lstmKernels(engineMemory())
    const bias = k === null || k.owns(b.data) ? b.data : kernelArray(H4)
    if (bias !== b.data) bias.set(b.data)
    const fast = k !== null && k.owns(gates, cs, hs, hPrev, cPrev, hw, bias)
    // Wh is the same at every step: pack it for the GEMM once
    this.packedWh = prepackB(Wh.data, H, H4, false, this.packedWh)
    for (let t = 0; t < T; t++) {
      if (t > 0 || carry) gemmPrepacked(hw, hPrev, this.packedWh, N)
      if (fast) k.forwardStep(gates, t * H4, T * H4, hw, bias, cPrev, hPrev, cs, hs, t * H, T * H, N, H)
      else forwardStep(gates, t * H4, T * H4, hw, bias, cPrev, hPrev, cs, hs, t * H, T * H, N, H)
    }
    this.h = hPrev.slice()
    this.c = cPrev.slice()
    this.xs = xs
    if (bias !== b.data) releaseKernelArray(bias)
    return this.hs
  }

  /**
   * One step's scratch for N rows, zeros as new blocks are: kept between calls (forward's and backward's are never
   * used at once), in the blocks a full batch cut when a shorter one comes (reblock), where taking and giving back
   * blocks each call cut blocks of the short batch's classes beside them.
   */
  private stepScratch(N: number): [Float32Array, Float32Array, Float32Array] {
    const H = this.hidden
    const fresh = (a: Float32Array | null, n: number): Float32Array => (a !== null && a.length === n ? a.fill(0) : reblock(a, n))
    this.stepH = fresh(this.stepH, N * H)
    this.stepC = fresh(this.stepC, N * H)
    this.step4H = fresh(this.step4H, N * 4 * H)
    return [this.stepH, this.stepC, this.step4H]
  }

  backward(dhs: Tensor): Tensor {
    if (this.xs === null || this.hs === null || this.gates === null || this.cs === null || this.c0 === null || this.h0 === null) {
      throw notForwarded(this.type, this.name)
    }
    checkDout(this.type, this.name, dhs, this.hs.shape)
    const [N, T, D] = this.xs.shape
    const H = this.hidden
    const H4 = 4 * H
    const [Wx, Wh] = this.params
    const [dWx, dWh, db] = this.grads
    const gates = this.gates.data, cs = this.cs.data, hs = this.hs.data, c0 = this.c0.data
    this.dA = ensure(this.dA, [N, T, H4]) // (N, T, 4H)
    const dA = this.dA.data
    const [dh, dc, dAt] = this.stepScratch(N)
    // h_{t−1} for every (n, t), so that dWh = Σ_t h_{t−1}ᵀ·dA_t is one GEMM after the loop (depth N·T)
    // instead of T thin ones (depth N) that each read and write all of dWh
    this.hPrevs = ensure(this.hPrevs, [N, T, H])
    const hPrevs = this.hPrevs.data
    for (let n = 0; n < N; n++) {
      hPrevs.set(this.h0.data.subarray(n * H, (n + 1) * H), n * T * H)
      if (T > 1) hPrevs.set(hs.subarray(n * T * H, (n * T + T - 1) * H), (n * T + 1) * H)
    }
    const k = lstmKernels(engineMemory())
    // the kernels address dL/dh and db in engine memory: copy them in when they live elsewhere
    const dhsK = k === null || k.owns(dhs.data) ? dhs.data : kernelArray(N * T * H)
    if (dhsK !== dhs.data) dhsK.set(dhs.data)
    const dbK = k === null || k.owns(db.data) ? db.data : kernelArray(H4)
    dbK.fill(0)
    const fast = k !== null && k.owns(dhsK, gates, cs, c0, dc, dAt, dA, dbK, dh)
    // Whᵀ (4H, H) packed once for every step's dh = dA_t·Whᵀ
    this.packedWhT = prepackB(Wh.data, H4, H, true, this.packedWhT)
    this.gradNorms = new Float64Array(T)
    for (let t = T - 1; t >= 0; t--) {
      // c_{t−1}: the previous step's cell state, or the initial state at t = 0
      const cPrev = t > 0 ? cs : c0, cPrevAt = t > 0 ? (t - 1) * H : 0, cPrevStride = t > 0 ? T * H : H
      const norm = fast
        ? k.backwardStep(dh, dhsK, gates, t * H4, cs, t * H, cPrev, cPrevAt, cPrevStride, dc, dAt, dA, dbK, T * H4, T * H, N, H)
        : backwardStep(dh, dhsK, gates, t * H4, cs, t * H, cPrev, cPrevAt, cPrevStride, dc, dAt, dA, dbK, T * H4, T * H, N, H)
      this.gradNorms[t] = norm / N
      // dL/dh_{t−1} = dA_t·Whᵀ: (N, 4H)·(H, 4H)ᵀ (gradients stop at the first step)
      if (t > 0) gemmPrepacked(dh, dAt, this.packedWhT, N)
    }
    // dWh (H, 4H) = h_prevsᵀ (H, N·T) · dA (N·T, 4H)
    gemm(dWh.data, hPrevs, dA, H, H4, N * T, { transA: true })
    // The input path for all steps at once.
    gemm(dWx.data, this.xs.data, dA, D, H4, N * T, { transA: true })
    if (dbK !== db.data) db.data.set(dbK)
    this.dxs = ensure(this.dxs, this.xs.shape)
    if (this.needsDx) gemm(this.dxs.data, dA, Wx.data, N * T, D, H4, { transB: true })
    else this.dxs.data.fill(0)
    if (dhsK !== dhs.data) releaseKernelArray(dhsK)
    if (dbK !== db.data) releaseKernelArray(dbK)
    return this.dxs
  }

  /**
   * Gate activations of example n over time, for heatmaps: f, g, i, o, c, h, each (T, H).
   * Reads the caches of the last forward.
   */
  probe(n = 0): { name: string; t: number; h: number; data: Float32Array }[] {
    if (this.gates === null || this.cs === null || this.hs === null) throw notForwarded(this.type, this.name)
    const [, T, H4] = this.gates.shape
    const H = H4 / 4
    const out = ['f', 'g', 'i', 'o', 'c', 'h'].map((name) => ({ name, t: T, h: H, data: new Float32Array(T * H) }))
    for (let t = 0; t < T; t++) {
      const a = (n * T + t) * H4
      const s = (n * T + t) * H
      for (let k = 0; k < 4; k++) out[k].data.set(this.gates.data.subarray(a + k * H, a + (k + 1) * H), t * H)
      out[4].data.set(this.cs.data.subarray(s, s + H), t * H)
      out[5].data.set(this.hs.data.subarray(s, s + H), t * H)
    }
    return out
  }
}
