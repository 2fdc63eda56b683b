/**
 * Dropout (inverted): in training each value is kept with probability 1 − rate and scaled by
 * 1 / (1 − rate), so the expected output equals x and evaluation is the identity.
 * The mask comes from the layer's own seeded Rng, so a run is reproducible: each training forward draws
 * four words from it to seed a xoshiro128** stream (Rng.fillWords) run in local int32 variables.
 * Drawing every element from the Rng itself cost ~50 ns each; the stream costs a few (W2's 64×1024 mask:
 * 3.2 ms → about 0.2 ms).
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
  /** The mask's memory as words (dropoutMask draws into it), kept with the mask instead of made at every forward. */
  private words: Uint32Array | null = null
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
    const mask = ensure(this.mask, x.shape)
    if (mask !== this.mask || this.words === null) this.words = wordsOf(mask.data)
    this.mask = mask
    this.out = ensure(this.out, x.shape)
    dropoutMask(mask.data, this.out.data, x.data, this.rate, this.rng, this.words)
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

/**
 * mask[i] = 1 / (1 − rate) with probability 1 − rate, else 0 (uniform u = word / 2³² kept when u ≥ rate, as
 * Rng.next() ≥ rate would), and out = x · mask; the words (Rng.fillWords: a xoshiro128** stream seeded from
 * `rng`) are drawn into the mask's own memory first (`words`: that memory as a Uint32Array).
 */
export function dropoutMask(mask: Float32Array, out: Float32Array, x: Float32Array, rate: number, rng: Rng, words = wordsOf(mask)): void {
  const scale = Math.fround(1 / (1 - rate)) // what the mask stores, so out = x · mask exactly
  const threshold = rate * 4294967296 // keep when word ≥ threshold
  const n = mask.length
  rng.fillWords(words, n)
  for (let i = 0; i < n; i++) {
    const m = words[i] >= threshold ? scale : 0
    mask[i] = m
    out[i] = x[i] * m
  }
}

/** The same memory as `mask`, as 32-bit words. */
function wordsOf(mask: Float32Array): Uint32Array {
  return new Uint32Array(mask.buffer, mask.byteOffset, mask.length)
}
