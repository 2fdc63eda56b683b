import { describe, expect, it, vi } from 'vitest'
import { Rng } from '../../../src-engine/rng'
import { engineMemory, kernelArray } from '../../../src-engine/kernels/gemm'
import { LayerKernels, layerKernels } from '../../../src-engine/kernels/wasm/layer-wasm'
import { reluBackward, reluForward } from '../../../src-engine/kernels/activations'
import { im2col } from '../../../src-engine/kernels/im2col'
import { maxPoolForward } from '../../../src-engine/kernels/pooling'

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
})
