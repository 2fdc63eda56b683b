import { describe, expect, it, vi } from 'vitest'
import { Rng } from '../../../src-engine/rng'
import { engineMemory, kernelArray } from '../../../src-engine/kernels/gemm'
import { LayerKernels, layerKernels } from '../../../src-engine/kernels/wasm/layer-wasm'
import { reluBackward, reluForward } from '../../../src-engine/kernels/activations'
import { col2imT, fillRows, im2col, im2colT, sumPlanes, swapAxes } from '../../../src-engine/kernels/im2col'
import { maxPoolBackward, maxPoolForward } from '../../../src-engine/kernels/pooling'

/** Random values with the cases that need care: ±0, ties, NaN. */
function values(n: number, rng: Rng, special = true): Float32Array {
  const a = new Float32Array(n)
  for (let i = 0; i < n; i++) a[i] = Math.round((rng.next() * 2 - 1) * 8) / 4 // many exact ties
  if (special && n > 8) {
    a[1] = -0
    a[2] = 0
    a[5] = Number.NaN
  }
  return a
}

/** The same array in engine memory. */
function inEngine(a: Float32Array): Float32Array {
  const k = kernelArray(a.length)
  k.set(a)
  return k
}

function expectSame(name: string, got: ArrayLike<number>, want: ArrayLike<number>): void {
  expect(got.length, name).toBe(want.length)
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i])) expect.fail(`${name}[${i}]: WebAssembly ${got[i]}, TypeScript ${want[i]}`)
  }
}

describe('layer kernels in WebAssembly agree exactly with the TypeScript loops', () => {
  it('are available where the WebAssembly GEMM is', () => {
    expect(layerKernels(engineMemory())).not.toBeNull()
  })

  for (const n of [64, 67, 1001]) {
    it(`Relu forward and backward, n=${n} (−0 → +0, NaN kept)`, () => {
      const rng = new Rng(n)
      const x = values(n, rng), dout = values(n, rng)
      const fwd = vi.spyOn(LayerKernels.prototype, 'reluForward')
      const bwd = vi.spyOn(LayerKernels.prototype, 'reluBackward')
      const out = kernelArray(n), dx = kernelArray(n)
      reluForward(out, inEngine(x), n)
      reluBackward(dx, inEngine(dout), inEngine(x), n)
      expect(fwd).toHaveBeenCalledOnce()
      expect(bwd).toHaveBeenCalledOnce()
      vi.restoreAllMocks()
      const outTs = new Float32Array(n), dxTs = new Float32Array(n)
      reluForward(outTs, x, n)
      reluBackward(dxTs, dout, x, n)
      expectSame('out', out, outTs)
      expectSame('dx', dx, dxTs)
    })
  }

  // [N, C, H, W, FH, FW, stride, pad]
  const convs: number[][] = [[1, 1, 28, 28, 5, 5, 1, 0], [2, 3, 7, 9, 3, 3, 1, 1], [3, 2, 10, 11, 4, 3, 2, 2], [1, 5, 6, 6, 6, 6, 1, 0], [2, 1, 5, 5, 1, 1, 3, 0]]
  for (const [N, C, H, W, FH, FW, stride, pad] of convs) {
    it(`im2col N=${N} C=${C} ${H}×${W}, ${FH}×${FW} window, stride ${stride}, pad ${pad} (input in and outside engine memory)`, () => {
      const OH = Math.floor((H + 2 * pad - FH) / stride) + 1, OW = Math.floor((W + 2 * pad - FW) / stride) + 1
      const x = values(N * C * H * W, new Rng(H * W + C))
      const n = N * OH * OW * C * FH * FW
      const spy = vi.spyOn(LayerKernels.prototype, 'im2col')
      const col = kernelArray(n).fill(7), col2 = kernelArray(n).fill(7)
      im2col(col, inEngine(x), N, C, H, W, FH, FW, stride, pad, OH, OW)
      im2col(col2, x, N, C, H, W, FH, FW, stride, pad, OH, OW)
      expect(spy).toHaveBeenCalledTimes(2)
      vi.restoreAllMocks()
      const want = new Float32Array(n).fill(7)
      im2col(want, x, N, C, H, W, FH, FW, stride, pad, OH, OW)
      expectSame('col', col, want)
      expectSame('col (copied input)', col2, want)
    })
  }

  // and taps that see no column at all (pad ≥ the image), and stride 3
  for (const [N, C, H, W, FH, FW, stride, pad] of [...convs, [1, 2, 1, 1, 5, 5, 2, 2], [2, 3, 1, 2, 3, 3, 1, 1], [1, 2, 8, 10, 3, 3, 3, 1]]) {
    it(`im2colT and col2imT N=${N} C=${C} ${H}×${W}, ${FH}×${FW} window, stride ${stride}, pad ${pad}`, () => {
      const OH = Math.floor((H + 2 * pad - FH) / stride) + 1, OW = Math.floor((W + 2 * pad - FW) / stride) + 1
      const x = values(N * C * H * W, new Rng(H * W + C + 1))
      const n = N * OH * OW * C * FH * FW
      const c = values(n, new Rng(n), false)
      const fwd = vi.spyOn(LayerKernels.prototype, 'im2colT')
      const bwd = vi.spyOn(LayerKernels.prototype, 'col2imT')
      const col = kernelArray(n).fill(7), col2 = kernelArray(n).fill(7), dx = kernelArray(x.length).fill(7)
      im2colT(col, inEngine(x), N, C, H, W, FH, FW, stride, pad, OH, OW)
      im2colT(col2, x, N, C, H, W, FH, FW, stride, pad, OH, OW)
      col2imT(dx, inEngine(c), N, C, H, W, FH, FW, stride, pad, OH, OW)
      expect(fwd).toHaveBeenCalledTimes(2)
      expect(bwd).toHaveBeenCalledOnce()
      vi.restoreAllMocks()
      const want = new Float32Array(n).fill(7), dxTs = new Float32Array(x.length).fill(7)
      im2colT(want, x, N, C, H, W, FH, FW, stride, pad, OH, OW)
      col2imT(dxTs, c, N, C, H, W, FH, FW, stride, pad, OH, OW)
      expectSame('colT', col, want)
      expectSame('colT (copied input)', col2, want)
      expectSame('dx', dx, dxTs) // the same additions in the same order
    })
  }

  it('swapAxes (A, B, P) → (B, A, P)', () => {
    const [A, B, P] = [4, 6, 13]
    const src = values(A * B * P, new Rng(21), false)
    const spy = vi.spyOn(LayerKernels.prototype, 'swapAxes')
    const dst = kernelArray(src.length)
    swapAxes(dst, inEngine(src), A, B, P)
    expect(spy).toHaveBeenCalledOnce()
    vi.restoreAllMocks()
    const want = new Float32Array(src.length)
    swapAxes(want, src, A, B, P)
    expectSame('dst', dst, want)
  })

  // [rows, len]: lengths with and without a tail after the four-float stores
  for (const [rows, len] of [[30, 1728], [3, 7], [5, 2]]) {
    it(`fillRows fills ${rows} rows of ${len} with their values, as the loop does`, () => {
      const v = values(rows, new Rng(rows + len))
      const dst = inEngine(values(rows * len + 3, new Rng(4)))
      const spy = vi.spyOn(LayerKernels.prototype, 'fillRows')
      fillRows(dst, inEngine(v), rows, len)
      expect(spy).toHaveBeenCalledOnce()
      vi.restoreAllMocks()
      const want = values(rows * len + 3, new Rng(4))
      fillRows(want, v, rows, len)
      expectSame('dst', dst, want)
      for (let r = 0; r < rows; r++) expect(Object.is(dst[r * len + len - 1], v[r]), `row ${r}`).toBe(true)
      expect(Array.from(dst.subarray(rows * len)), 'after the rows').toEqual(Array.from(values(rows * len + 3, new Rng(4)).subarray(rows * len)))
    })
  }

  it('sumPlanes (bias gradient) agrees with the float64 loop to float32 rounding', () => {
    const [F, P] = [7, 1250]
    const d = values(F * P, new Rng(9), false)
    const spy = vi.spyOn(LayerKernels.prototype, 'sumPlanes')
    const b = inEngine(Float32Array.from({ length: F }, (_, i) => i))
    sumPlanes(b, inEngine(d), F, P)
    expect(spy).toHaveBeenCalledOnce()
    vi.restoreAllMocks()
    const want = Float32Array.from({ length: F }, (_, i) => i)
    sumPlanes(want, d, F, P)
    for (let f = 0; f < F; f++) expect(Math.abs(b[f] - want[f]), `b[${f}]`).toBeLessThan(1e-4 * (1 + Math.abs(want[f])))
  })

  // [N, C, H, W, P, stride]: the 2×2 stride-2 SIMD path with and without a scalar tail, and other windows
  const pools: number[][] = [[1, 30, 24, 24, 2, 2], [2, 3, 10, 14, 2, 2], [1, 2, 7, 9, 2, 2], [2, 2, 9, 9, 3, 2], [1, 3, 8, 8, 2, 1]]
  for (const [N, C, H, W, P, stride] of pools) {
    it(`max pooling N=${N} C=${C} ${H}×${W}, ${P}×${P} window, stride ${stride} (ties keep the first, NaN never wins)`, () => {
      const OH = Math.floor((H - P) / stride) + 1, OW = Math.floor((W - P) / stride) + 1
      const x = values(N * C * H * W, new Rng(H * 31 + W))
      const m = N * C * OH * OW
      const spy = vi.spyOn(LayerKernels.prototype, 'maxPoolInside')
      const out = kernelArray(m), arg = new Int32Array(m)
      maxPoolForward(out, arg, inEngine(x), N, C, H, W, P, P, stride, 0, OH, OW)
      expect(spy).toHaveBeenCalledOnce()
      vi.restoreAllMocks()
      const outTs = new Float32Array(m), argTs = new Int32Array(m)
      maxPoolForward(outTs, argTs, x, N, C, H, W, P, P, stride, 0, OH, OW)
      expectSame('out', out, outTs)
      expectSame('argmax', arg, argTs)
    })
  }

  it('max pooling forward writes an argmax in engine memory in place, and backward routes dout through it (overlapping windows, −1 entries)', () => {
    const [N, C, H, W, P, stride] = [2, 3, 9, 9, 3, 1] // overlapping windows: a cell wins several times
    const OH = Math.floor((H - P) / stride) + 1, OW = Math.floor((W - P) / stride) + 1
    const x = values(N * C * H * W, new Rng(17))
    const m = N * C * OH * OW
    const block = kernelArray(m)
    const arg = new Int32Array(block.buffer, block.byteOffset, m)
    const out = kernelArray(m)
    maxPoolForward(out, arg, inEngine(x), N, C, H, W, P, P, stride, 0, OH, OW)
    const argTs = new Int32Array(m), outTs = new Float32Array(m)
    maxPoolForward(outTs, argTs, x, N, C, H, W, P, P, stride, 0, OH, OW)
    expectSame('argmax', arg, argTs)
    arg[3] = -1
    argTs[3] = -1
    const dout = values(m, new Rng(18), false)
    const spy = vi.spyOn(LayerKernels.prototype, 'maxPoolBackward')
    const dx = kernelArray(x.length).fill(7)
    maxPoolBackward(dx, inEngine(dout), arg, x.length, m)
    expect(spy).toHaveBeenCalledOnce()
    vi.restoreAllMocks()
    const dxTs = new Float32Array(x.length).fill(7)
    maxPoolBackward(dxTs, dout, argTs, x.length, m)
    expectSame('dx', dx, dxTs)
  })
})
