/**
 * BatchNormalization over the axis after the batch (as ONNX): after an Affine, x (N, D) is
 * normalised per feature; after a Convolution, x (N, C, H, W) per channel (statistics over N·H·W,
 * as in every framework's BatchNorm2d); any other (N, C, …) per C, with statistics over N·(…).
 *   training:   xn = (x − μ_batch) / √(σ²_batch + eps),  out = γ·xn + β
 *               running ← momentum·running + (1 − momentum)·batch   (the course's and Keras' convention)
 *   evaluation: the running mean and variance replace the batch statistics.
 * σ² is the biased (divide-by-count) variance in both places, as in the course.
 * gamma, beta (C); buffers running_mean, running_var (C).
 */
import { tensor, shapeText, type Tensor } from '../tensor'
import type { Layer } from './layer'
import { checkDout, ensure, featureSize, notForwarded, where } from './common'

export class BatchNormalization implements Layer {
  readonly type = 'BatchNormalization'
  readonly params: Tensor[]
  readonly grads: Tensor[]
  readonly paramNames = ['gamma', 'beta']
  readonly buffers: { name: string; tensor: Tensor }[]
  private readonly gamma: Tensor
  private readonly beta: Tensor
  private readonly runningMean: Tensor
  private readonly runningVar: Tensor
  private readonly mean: Float64Array
  private readonly invStd: Float64Array
  private xn: Tensor | null = null
  private out: Tensor | null = null
  private dx: Tensor | null = null
  private trained = false

  constructor(readonly channels: number, readonly momentum = 0.9, readonly eps = 1e-5, readonly name = 'bn') {
    if (!(channels >= 1)) throw new Error(`${where(this.type, name)}: needs at least one channel, got ${channels}`)
    this.gamma = tensor([channels], new Float32Array(channels).fill(1))
    this.beta = tensor([channels])
    this.params = [this.gamma, this.beta]
    this.grads = [tensor([channels]), tensor([channels])]
    this.runningMean = tensor([channels])
    this.runningVar = tensor([channels], new Float32Array(channels).fill(1))
    this.buffers = [{ name: 'running_mean', tensor: this.runningMean }, { name: 'running_var', tensor: this.runningVar }]
    this.mean = new Float64Array(channels)
    this.invStd = new Float64Array(channels)
  }

  outShape(inShape: readonly number[]): number[] {
    if (inShape.length < 1 || inShape[0] !== this.channels) {
      throw new Error(`${where(this.type, this.name)}: expects (${this.channels}) or (${this.channels}, H, W) per example but got ${shapeText(inShape)}`)
    }
    return [...inShape]
  }

  forward(x: Tensor, train: boolean): Tensor {
    if (x.shape.length < 2) {
      throw new Error(`${where(this.type, this.name)}: expects input (N, D) or (N, C, H, W) but got ${shapeText(x.shape)}`)
    }
    this.outShape(x.shape.slice(1))
    const N = x.shape[0]
    const C = this.channels
    const S = featureSize(x.shape) / C
    const count = N * S
    this.out = ensure(this.out, x.shape)
    this.xn = ensure(this.xn, x.shape)
    const xd = x.data
    for (let c = 0; c < C; c++) {
      let mu: number
      let variance: number
      if (train) {
        let s = 0
        for (let n = 0; n < N; n++) for (let i = (n * C + c) * S, e = i + S; i < e; i++) s += xd[i]
        mu = s / count
        let v = 0
        for (let n = 0; n < N; n++) for (let i = (n * C + c) * S, e = i + S; i < e; i++) v += (xd[i] - mu) * (xd[i] - mu)
        variance = v / count
        this.runningMean.data[c] = this.momentum * this.runningMean.data[c] + (1 - this.momentum) * mu
        this.runningVar.data[c] = this.momentum * this.runningVar.data[c] + (1 - this.momentum) * variance
      } else {
        mu = this.runningMean.data[c]
        variance = this.runningVar.data[c]
      }
      const inv = 1 / Math.sqrt(variance + this.eps)
      this.mean[c] = mu
      this.invStd[c] = inv
      const g = this.gamma.data[c]
      const b = this.beta.data[c]
      for (let n = 0; n < N; n++) {
        for (let i = (n * C + c) * S, e = i + S; i < e; i++) {
          const v = (xd[i] - mu) * inv
          this.xn.data[i] = v
          this.out.data[i] = g * v + b
        }
      }
    }
    this.trained = train
    return this.out
  }

  backward(dout: Tensor): Tensor {
    if (this.xn === null || this.out === null) throw notForwarded(this.type, this.name)
    checkDout(this.type, this.name, dout, this.out.shape)
    const shape = this.out.shape
    const N = shape[0]
    const C = this.channels
    const S = featureSize(shape) / C
    const count = N * S
    this.dx = ensure(this.dx, shape)
    const d = dout.data
    const xn = this.xn.data
    const dx = this.dx.data
    for (let c = 0; c < C; c++) {
      let sumD = 0
      let sumDxn = 0
      for (let n = 0; n < N; n++) {
        for (let i = (n * C + c) * S, e = i + S; i < e; i++) {
          sumD += d[i]
          sumDxn += d[i] * xn[i]
        }
      }
      this.grads[0].data[c] = sumDxn
      this.grads[1].data[c] = sumD
      const g = this.gamma.data[c]
      const inv = this.invStd[c]
      if (this.trained) {
        // dx = γ/σ · (dout − mean(dout) − xn·mean(dout·xn)): the mean and variance depend on x too
        const mD = sumD / count
        const mDxn = sumDxn / count
        for (let n = 0; n < N; n++) {
          for (let i = (n * C + c) * S, e = i + S; i < e; i++) dx[i] = g * inv * (d[i] - mD - xn[i] * mDxn)
        }
      } else {
        for (let n = 0; n < N; n++) for (let i = (n * C + c) * S, e = i + S; i < e; i++) dx[i] = g * inv * d[i]
      }
    }
    return this.dx
  }
}
