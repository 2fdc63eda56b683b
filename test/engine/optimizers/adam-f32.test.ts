import { describe, expect, it } from 'vitest'
import { Adam } from '../../../src-engine/optimizers'
import { Rng } from '../../../src-engine/rng'

// Adam's float32 loop keeps m and v in locals (Math.fround); it must give exactly what the course's loop
// gives when every value is stored to float32 after each line.
function courseAdam(W: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, t: number, lr: number, wd: number): void {
  const b1 = 0.9
  const b2 = 0.999
  const lrT = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t)
  for (let i = 0; i < W.length; i++) {
    const gi = g[i] + wd * W[i]
    m[i] += (1 - b1) * (gi - m[i])
    v[i] += (1 - b2) * (gi * gi - v[i])
    W[i] -= (lrT * m[i]) / (Math.sqrt(v[i]) + 1e-7)
  }
}

describe('Adam on float32 arrays', () => {
  for (const wd of [0, 0.01]) {
    it(`is bit for bit the course's loop over 5 steps (weight decay ${wd})`, () => {
      const rng = new Rng(11)
      const n = 1001
      const W = Float32Array.from({ length: n }, () => rng.next() - 0.5)
      const ref = W.slice()
      const m = new Float32Array(n)
      const v = new Float32Array(n)
      const opt = new Adam(0.01, 0.9, 0.999, wd)
      for (let t = 1; t <= 5; t++) {
        const g = Float32Array.from({ length: n }, () => (rng.next() - 0.5) * 10 ** (rng.int(6) - 3))
        opt.update([{ data: W }], [{ data: g }])
        courseAdam(ref, g, m, v, t, 0.01, wd)
        expect(W).toEqual(ref)
      }
      const s = opt.state()
      expect(s['m.0']).toEqual(m)
      expect(s['v.0']).toEqual(v)
    })
  }
})
