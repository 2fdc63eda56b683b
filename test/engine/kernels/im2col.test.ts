import { describe, expect, it } from 'vitest'
import { Rng } from '../../../src-engine/rng'
import { col2im, col2imT, im2col, im2colT, sumPlanes, swapAxes } from '../../../src-engine/kernels/im2col'
import { convNaive } from '../../../src-engine/kernels/conv-naive'
import { convOutSize } from '../../../src-engine/kernels/conv-geometry'
import { gemmNaive } from '../../../src-engine/kernels/gemm-naive'
import { expectClose } from '../../helpers'

function rand(rng: Rng, n: number): Float32Array {
  const a = new Float32Array(n)
  for (let i = 0; i < n; i++) a[i] = rng.next() * 2 - 1
  return a
}

const cases = [
  // N, C, H, W, FN, FH, FW, stride, pad
  [2, 3, 7, 5, 4, 3, 3, 1, 1],
  [1, 2, 9, 9, 3, 3, 3, 2, 2],
  [3, 1, 6, 8, 2, 2, 4, 2, 1],
  [2, 4, 5, 5, 5, 5, 5, 1, 2],
  [1, 3, 11, 7, 2, 1, 1, 2, 0]
]

describe('im2col', () => {
  it('lays rows out as (N·OH·OW, C·FH·FW) with zero padding', () => {
    // x: one 1×2×2 image [[1, 2], [3, 4]], 2×2 window, pad 1, stride 1 → 3×3 outputs
    const x = Float32Array.from([1, 2, 3, 4])
    const col = new Float32Array(9 * 4)
    im2col(col, x, 1, 1, 2, 2, 2, 2, 1, 1, 3, 3)
    expect(Array.from(col.subarray(0, 4))).toEqual([0, 0, 0, 1])   // top-left window
    expect(Array.from(col.subarray(16, 20))).toEqual([1, 2, 3, 4]) // centre window
    expect(Array.from(col.subarray(32, 36))).toEqual([4, 0, 0, 0]) // bottom-right window
  })

  it('col2im is the adjoint of im2col: <im2col(x), c> = <x, col2im(c)>', () => {
    const rng = new Rng(3)
    for (const [N, C, H, W, , FH, FW, S, P] of cases) {
      const OH = convOutSize(H, FH, S, P).size
      const OW = convOutSize(W, FW, S, P).size
      const x = rand(rng, N * C * H * W)
      const c = rand(rng, N * OH * OW * C * FH * FW)
      const col = new Float32Array(c.length)
      const back = new Float32Array(x.length)
      im2col(col, x, N, C, H, W, FH, FW, S, P, OH, OW)
      col2im(back, c, N, C, H, W, FH, FW, S, P, OH, OW)
      let lhs = 0
      let rhs = 0
      for (let i = 0; i < c.length; i++) lhs += col[i] * c[i]
      for (let i = 0; i < x.length; i++) rhs += x[i] * back[i]
      expect(Math.abs(lhs - rhs)).toBeLessThan(1e-3 * (1 + Math.abs(lhs)))
    }
  })

  it('im2col + GEMM equals the direct-loop convolution on odd shapes, strides and pads', () => {
    const rng = new Rng(4)
    for (const [N, C, H, W, FN, FH, FW, S, P] of cases) {
      const OH = convOutSize(H, FH, S, P).size
      const OW = convOutSize(W, FW, S, P).size
      const x = rand(rng, N * C * H * W)
      const w = rand(rng, FN * C * FH * FW)
      const K = C * FH * FW
      const col = new Float32Array(N * OH * OW * K)
      im2col(col, x, N, C, H, W, FH, FW, S, P, OH, OW)
      const rows = new Float32Array(N * OH * OW * FN)
      gemmNaive(rows, col, w, N * OH * OW, FN, K, { transB: true })
      const ref = new Float32Array(N * FN * OH * OW)
      convNaive(ref, x, w, null, N, C, H, W, FN, FH, FW, S, P, OH, OW)
      const got = new Float32Array(ref.length)
      for (let n = 0; n < N; n++) for (let p = 0; p < OH * OW; p++) for (let f = 0; f < FN; f++) {
        got[(n * FN + f) * OH * OW + p] = rows[(n * OH * OW + p) * FN + f]
      }
      expectClose(got, ref, 1e-5)
    }
  })
})

// tiny inputs with pads as wide as the image (a tap may see no column at all), and stride 3
const edgeCases = [...cases, [1, 2, 1, 1, 1, 5, 5, 2, 2], [2, 3, 1, 2, 2, 3, 3, 1, 1], [1, 2, 8, 10, 3, 3, 2, 3, 1]]

describe('im2colT / col2imT (the layout Convolution uses)', () => {
  it('im2colT is im2col transposed: colᵀ (C·FH·FW, N·OH·OW)', () => {
    const rng = new Rng(5)
    for (const [N, C, H, W, , FH, FW, S, P] of edgeCases) {
      const OH = convOutSize(H, FH, S, P).size
      const OW = convOutSize(W, FW, S, P).size
      const K = C * FH * FW, Q = OH * OW
      const x = rand(rng, N * C * H * W)
      const col = new Float32Array(N * Q * K)
      im2col(col, x, N, C, H, W, FH, FW, S, P, OH, OW)
      const colT = new Float32Array(col.length).fill(7)
      im2colT(colT, x, N, C, H, W, FH, FW, S, P, OH, OW)
      for (let row = 0; row < N * Q; row++) for (let k = 0; k < K; k++) {
        const want = col[row * K + k], got = colT[k * N * Q + row]
        if (got !== want) expect.fail(`case ${[N, C, H, W, FH, FW, S, P]}: colT[${k}, ${row}] = ${got}, im2col has ${want}`)
      }
    }
  })

  it('col2imT is col2im of the transposed layout (and so the adjoint of im2colT)', () => {
    const rng = new Rng(6)
    for (const [N, C, H, W, , FH, FW, S, P] of edgeCases) {
      const OH = convOutSize(H, FH, S, P).size
      const OW = convOutSize(W, FW, S, P).size
      const K = C * FH * FW, Q = OH * OW
      const cT = rand(rng, N * K * Q)
      const c = new Float32Array(cT.length)
      for (let row = 0; row < N * Q; row++) for (let k = 0; k < K; k++) c[row * K + k] = cT[k * N * Q + row]
      const want = new Float32Array(N * C * H * W)
      col2im(want, c, N, C, H, W, FH, FW, S, P, OH, OW)
      const got = new Float32Array(want.length).fill(7)
      col2imT(got, cT, N, C, H, W, FH, FW, S, P, OH, OW)
      expectClose(got, want, 1e-5)
    }
  })

  it('swapAxes turns (A, B, P) into (B, A, P)', () => {
    const [A, B, P] = [3, 5, 7]
    const src = Float32Array.from({ length: A * B * P }, (_, i) => i)
    const dst = new Float32Array(src.length)
    swapAxes(dst, src, A, B, P)
    for (let a = 0; a < A; a++) for (let b = 0; b < B; b++) for (let p = 0; p < P; p++) {
      expect(dst[(b * A + a) * P + p]).toBe(src[(a * B + b) * P + p])
    }
  })

  it('sumPlanes adds the sums over the positions of each plane to b', () => {
    const rng = new Rng(7)
    const [F, P] = [4, 39]
    const d = rand(rng, F * P)
    const b = Float32Array.from([1, 2, 3, 4])
    const want = Array.from(b)
    for (let f = 0; f < F; f++) for (let p = 0; p < P; p++) want[f] += d[f * P + p]
    sumPlanes(b, d, F, P)
    expectClose(b, Float32Array.from(want), 1e-5)
  })
})
