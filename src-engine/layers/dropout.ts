/**
 * Dropout (inverted): in training each value is kept with probability 1 − rate and scaled by
 * 1 / (1 − rate), so the expected output equals x and evaluation is the identity.
 * The mask comes from the layer's own seeded Rng, so a run is reproducible.
 */
import type { Tensor } from '../tensor'
import type { Rng } from '../rng'
import type { Layer } from './layer'
import { checkDout, ensure, notForwarded, where } from './common'

export class Dropout implements Layer {
  readonly type = 'Dropout'
  readonly params: Tensor[] = []
  readonly grads: Tensor[] = []
  readonly paramNames: string[] = []
  private mask: Tensor | null = null
  private out: Tensor | null = null
  private dx: Tensor | null = null
  private lastShape: readonly number[] | null = null
  private trained = false

  constructor(readonly rate: number, private readonly rng: Rng, readonly name = 'dropout') {
    if (!(rate >= 0 && rate < 1)) throw new Error(`${where(this.type, name)}: rate must be in [0, 1), got ${rate}`)
  }

  outShape(inShape: readonly number[]): number[] {
    return [...inShape]
  }

  forward(x: Tensor, train: boolean): Tensor {
    this.lastShape = x.shape
    this.trained = train
    if (!train || this.rate === 0) return x
    this.mask = ensure(this.mask, x.shape)
    this.out = ensure(this.out, x.shape)
    const scale = 1 / (1 - this.rate)
    const m = this.mask.data
    const o = this.out.data
    for (let i = 0; i < m.length; i++) {
      m[i] = this.rng.next() >= this.rate ? scale : 0
      o[i] = x.data[i] * m[i]
    }
    return this.out
  }

  backward(dout: Tensor): Tensor {
    if (this.lastShape === null) throw notForwarded(this.type, this.name)
    checkDout(this.type, this.name, dout, this.lastShape)
    // Identity in evaluation: hand back dout itself, as no layer mutates its dout.
    if (!this.trained || this.rate === 0 || this.mask === null) return dout
    this.dx = ensure(this.dx, dout.shape)
    const m = this.mask.data
    for (let i = 0; i < m.length; i++) this.dx.data[i] = dout.data[i] * m[i]
    return this.dx
  }
}
