/**
 * im2col / col2im as in the course: every receptive field becomes one row, so a convolution is
 * one GEMM. x (N, C, H, W) ↔ col (N·OH·OW, C·FH·FW); row (n, oy, ox), column (c, ky, kx).
 * Padding reads as zero and is never stored. im2col runs in WebAssembly (kernels/wasm/layer-wasm.ts)
 * when col lives in engine memory (x is copied in if it does not); the loops below are the fallback.
 */
import { engineMemory } from './gemm'
import { layerKernels } from './wasm/layer-wasm'

/** col (N·OH·OW, C·FH·FW) ← the receptive fields of x (N, C, H, W). */
export function im2col(
  col: Float32Array, x: Float32Array,
  N: number, C: number, H: number, W: number,
  FH: number, FW: number, stride: number, pad: number, OH: number, OW: number
): void {
  const k = layerKernels(engineMemory())
  if (k !== null && k.owns(col)) return k.im2col(col, x, N, C, H, W, FH, FW, stride, pad, OH, OW)
  const rowLen = C * FH * FW
  let row = 0
  for (let n = 0; n < N; n++) {
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        let o = row * rowLen
        const y0 = oy * stride - pad
        const x0 = ox * stride - pad
        if (y0 >= 0 && y0 + FH <= H && x0 >= 0 && x0 + FW <= W) {
          // the window lies inside the image (every window when pad = 0): plain copies, no edge tests
          for (let c = 0; c < C; c++) {
            let line = (n * C + c) * H * W + y0 * W + x0
            for (let ky = 0; ky < FH; ky++, line += W) {
              for (let kx = 0; kx < FW; kx++) col[o++] = x[line + kx]
            }
          }
          row++
          continue
        }
        for (let c = 0; c < C; c++) {
          const plane = (n * C + c) * H * W
          for (let ky = 0; ky < FH; ky++) {
            const y = y0 + ky
            if (y < 0 || y >= H) {
              for (let kx = 0; kx < FW; kx++) col[o++] = 0
              continue
            }
            const line = plane + y * W
            for (let kx = 0; kx < FW; kx++) {
              const xx = x0 + kx
              col[o++] = xx >= 0 && xx < W ? x[line + xx] : 0
            }
          }
        }
        row++
      }
    }
  }
}

/** dx (N, C, H, W) ← the sum of every col entry back at the pixel it was read from (the adjoint of im2col). */
export function col2im(
  dx: Float32Array, col: Float32Array,
  N: number, C: number, H: number, W: number,
  FH: number, FW: number, stride: number, pad: number, OH: number, OW: number
): void {
  dx.fill(0, 0, N * C * H * W)
  const rowLen = C * FH * FW
  let row = 0
  for (let n = 0; n < N; n++) {
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        let o = row * rowLen
        const y0 = oy * stride - pad
        const x0 = ox * stride - pad
        for (let c = 0; c < C; c++) {
          const plane = (n * C + c) * H * W
          for (let ky = 0; ky < FH; ky++) {
            const y = y0 + ky
            if (y < 0 || y >= H) {
              o += FW
              continue
            }
            const line = plane + y * W
            for (let kx = 0; kx < FW; kx++) {
              const xx = x0 + kx
              if (xx >= 0 && xx < W) dx[line + xx] += col[o]
              o++
            }
          }
        }
        row++
      }
    }
  }
}
