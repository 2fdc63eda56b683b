/**
 * TimeRNN: a plain RNN unrolled over T steps. In this file H is the hidden size.
 * xs (N, T, D) → hs (N, T, H);  h_t = tanh(h_{t−1}·Wh + x_t·Wx + b);  Wx (D, H), Wh (H, H), b (H).
 * Stateful mode carries h across forward calls (truncated BPTT).
 */
import { tensor, shapeText, type Tensor } from '../tensor'
import { gemm } from '../kernels/gemm'
import type { Layer } from './layer'
import { checkDout, ensure, notForwarded, where, kernelTensor } from './common'
import { checkRecurrentParams, sequenceOutShape } from './recurrent-common'

export class TimeRNN implements Layer {
  readonly type = 'TimeRNN'
  readonly params: Tensor[]
  readonly grads: Tensor[]
  readonly paramNames = ['Wx', 'Wh', 'b']
  stateful: boolean
  /** Norm of dL/dh_t averaged over the batch, per time step, from the last backward. */
  gradNorms: Float64Array = new Float64Array(0)
  private h: Float32Array | null = null
  private h0: Float32Array | null = null
  private xs: Tensor | null = null
  private hs: Tensor | null = null
  private dxs: Tensor | null = null

  constructor(Wx: Tensor, Wh: Tensor, b: Tensor, readonly name = 'rnn', stateful = false) {
    checkRecurrentParams(this.type, name, Wx, Wh, b, 1)
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

  resetState(): void {
    this.h = null
  }

  /** The state carried to the next forward, to put back after a forward outside training (models/recurrent-state.ts). */
  carried(): Float32Array | null {
    return this.h
  }

  restoreCarried(state: unknown): void {
    this.h = state instanceof Float32Array ? state : null
  }

  forward(xs: Tensor, _train: boolean): Tensor {
    if (xs.shape.length !== 3) throw new Error(`${where(this.type, this.name)}: expects input (N, T, D) but got ${shapeText(xs.shape)}`)
    const [N, T] = xs.shape
    this.outShape(xs.shape.slice(1))
    const H = this.hidden
    const [Wx, Wh, b] = this.params
    this.hs = ensure(this.hs, [N, T, H])
    const hs = this.hs.data
    const xw = new Float32Array(N * T * H)
    gemm(xw, xs.data, Wx.data, N * T, H, Wx.shape[0])
    this.h0 = this.stateful && this.h !== null && this.h.length === N * H ? this.h.slice() : new Float32Array(N * H)
    const hPrev = this.h0.slice()
    const hw = new Float32Array(N * H)
    for (let t = 0; t < T; t++) {
      gemm(hw, hPrev, Wh.data, N, H, H)
      for (let n = 0; n < N; n++) {
        const s = (n * T + t) * H
        for (let j = 0; j < H; j++) {
          const h = Math.tanh(hw[n * H + j] + xw[s + j] + b.data[j])
          hs[s + j] = h
          hPrev[n * H + j] = h
        }
      }
    }
    this.h = hPrev
    this.xs = xs
    return this.hs
  }

  backward(dhs: Tensor): Tensor {
    if (this.xs === null || this.hs === null) throw notForwarded(this.type, this.name)
    checkDout(this.type, this.name, dhs, this.hs.shape)
    const [N, T, D] = this.xs.shape
    const H = this.hidden
    const [Wx, Wh] = this.params
    const [dWx, dWh, db] = this.grads
    const hs = this.hs.data
    const dA = new Float32Array(N * T * H)
    const dAt = new Float32Array(N * H)
    const dh = new Float32Array(N * H)
    const hPrevT = new Float32Array(N * H)
    dWh.data.fill(0)
    this.gradNorms = new Float64Array(T)
    for (let t = T - 1; t >= 0; t--) {
      let norm = 0
      for (let n = 0; n < N; n++) {
        const s = (n * T + t) * H
        let sq = 0
        for (let j = 0; j < H; j++) {
          const dhj = dh[n * H + j] + dhs.data[s + j]
          sq += dhj * dhj
          const h = hs[s + j]
          const da = dhj * (1 - h * h)
          dAt[n * H + j] = da
          dA[s + j] = da
          hPrevT[n * H + j] = t > 0 ? hs[s - H + j] : this.h0![n * H + j]
        }
        norm += Math.sqrt(sq)
      }
      this.gradNorms[t] = norm / N
      gemm(dWh.data, hPrevT, dAt, H, H, N, { transA: true, accumulate: true })
      gemm(dh, dAt, Wh.data, N, H, H, { transB: true })
    }
    gemm(dWx.data, this.xs.data, dA, D, H, N * T, { transA: true })
    db.data.fill(0)
    for (let r = 0; r < N * T; r++) for (let k = 0; k < H; k++) db.data[k] += dA[r * H + k]
    this.dxs = ensure(this.dxs, this.xs.shape)
    gemm(this.dxs.data, dA, Wx.data, N * T, D, H, { transB: true })
    return this.dxs
  }

  /** Hidden states of example n over time, (T, H). */
  probe(n = 0): { name: string; t: number; h: number; data: Float32Array }[] {
    if (this.hs === null) throw notForwarded(this.type, this.name)
    const [, T, H] = this.hs.shape
    return [{ name: 'h', t: T, h: H, data: this.hs.data.slice(n * T * H, (n + 1) * T * H) }]
  }
}
