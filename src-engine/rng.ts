/**
 * The one seeded random generator of the engine (no Math.random anywhere in src-engine).
 * xoshiro128** on 32-bit state, seeded through splitmix32 so that any integer seed works.
 * The same seed gives the same stream on every platform.
 */
export class Rng {
  /** xoshiro128**'s four 32-bit words (as int32). */
  private readonly s = new Int32Array(4)
  private readonly word = new Uint32Array(1)
  private spare: number | null = null

  constructor(seed: number) {
    let x = seed >>> 0
    const next = (): number => {
      // splitmix32
      x = (x + 0x9e3779b9) >>> 0
      let z = x
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
      return (z ^ (z >>> 16)) >>> 0
    }
    seedState(this.s, next)
  }

  /** A uniform 32-bit unsigned integer. */
  nextU32(): number {
    xoshiroWords(this.s, this.word, 1)
    return this.word[0]
  }

  /**
   * words[0, n) ← n words of a fresh xoshiro128** stream seeded by the next four words of this one (this
   * generator moves on by those four only): for bulk draws such as a dropout mask, where the stream runs in
   * local variables at a few ns a word.
   */
  fillWords(words: Uint32Array, n = words.length): void {
    xoshiroWords(seedState(new Int32Array(4), () => this.nextU32()), words, n)
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n)
  }

  /** Standard normal (Box–Muller; the second value is kept for the next call). */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare
      this.spare = null
      return s
    }
    let u = 0
    while (u === 0) u = this.next()
    const v = this.next()
    const r = Math.sqrt(-2 * Math.log(u))
    this.spare = r * Math.sin(2 * Math.PI * v)
    return r * Math.cos(2 * Math.PI * v)
  }

  /** Fisher–Yates shuffle in place; returns the array. */
  shuffle<T extends { length: number; [i: number]: unknown }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1)
      const tmp = a[i]
      a[i] = a[j]
      a[j] = tmp
    }
    return a
  }

  /** A child generator with an independent stream (e.g. one per purpose: init, shuffle, dropout). */
  fork(): Rng {
    return new Rng(this.nextU32())
  }
}

/** s ← four words of `word` as a xoshiro128** state, never all zero (a state the algorithm never leaves). */
function seedState(s: Int32Array, word: () => number): Int32Array {
  for (let i = 0; i < 4; i++) s[i] = word()
  if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1
  return s
}

/** out[0, n) ← the next n words of the xoshiro128** stream whose state is `s` (updated): the algorithm, once. */
function xoshiroWords(s: Int32Array, out: Uint32Array, n: number): void {
  let s0 = s[0], s1 = s[1], s2 = s[2], s3 = s[3]
  for (let i = 0; i < n; i++) {
    const r = Math.imul(s1, 5)
    out[i] = Math.imul((r << 7) | (r >>> 25), 9)
    const t = s1 << 9
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = (s3 << 11) | (s3 >>> 21)
  }
  s[0] = s0
  s[1] = s1
  s[2] = s2
  s[3] = s3
}
