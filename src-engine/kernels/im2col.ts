/**
 * im2col / col2im as in the course: every receptive field becomes one row, so a convolution is
 * one GEMM. x (N, C, H, W) ↔ col (N·OH·OW, C·FH·FW); row (n, oy, ox), column (c, ky, kx).
 * Padding reads as zero and is never stored. im2col runs in WebAssembly (kernels/wasm/layer-wasm.ts)
 * when col lives in engine memory (x is copied in if it does not); the loops below are the fallback.
 * Deconvolution uses this layout; Convolution uses the transposed one (im2colT / col2imT below) with the
 * helpers it needs around its GEMMs (swapAxes, fillRows, sumPlanes), in WebAssembly when their buffers
 * live in engine memory.
 */
import { engineMemory, WASM_MIN_WORK } from './gemm'
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

/**
 * im2col's col transposed: colᵀ (C·FH·FW, N·OH·OW), row (c, ky, kx) holding input plane c of every image
 * shifted by the tap (ky, kx) (zero where it crosses the padding), so a convolution's forward is one GEMM
 * W (FN, C·FH·FW) · colᵀ over all N images (Convolution gives it a sub-batch at a time). Each (tap, image,
 * output row) is a contiguous run of an input line, which WebAssembly copies four floats at a time (about 5×
 * faster than im2col's FW floats at a time, 3 for a 3×3 window); Convolution uses this layout.
 */
export function im2colT(
  col: Float32Array, x: Float32Array,
  N: number, C: number, H: number, W: number,
  FH: number, FW: number, stride: number, pad: number, OH: number, OW: number
): void {
  const k = layerKernels(engineMemory())
  if (k !== null && k.owns(col)) return k.im2colT(col, x, N, C, H, W, FH, FW, stride, pad, OH, OW)
  const P = OH * OW
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const plane = (n * C + c) * H * W
      for (let ky = 0; ky < FH; ky++) {
        for (let kx = 0; kx < FW; kx++) {
          let o = (((c * FH + ky) * FW + kx) * N + n) * P
          for (let oy = 0; oy < OH; oy++) {
            const y = oy * stride - pad + ky
            if (y < 0 || y >= H) {
              col.fill(0, o, o + OW)
              o += OW
              continue
            }
            const line = plane + y * W
            for (let ox = 0; ox < OW; ox++) {
              const xx = ox * stride - pad + kx
              col[o++] = xx >= 0 && xx < W ? x[line + xx] : 0
            }
          }
        }
      }
    }
  }
}

/** dx (N, C, H, W) ← the adjoint of im2colT: every colᵀ entry added back at the pixel it was read from. */
export function col2imT(
  dx: Float32Array, col: Float32Array,
  N: number, C: number, H: number, W: number,
  FH: number, FW: number, stride: number, pad: number, OH: number, OW: number
): void {
  const k = layerKernels(engineMemory())
  if (k !== null && k.owns(dx) && k.owns(col)) return k.col2imT(dx, col, N, C, H, W, FH, FW, stride, pad, OH, OW)
  dx.fill(0, 0, N * C * H * W)
  const P = OH * OW
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const plane = (n * C + c) * H * W
      for (let ky = 0; ky < FH; ky++) {
        for (let kx = 0; kx < FW; kx++) {
          let o = (((c * FH + ky) * FW + kx) * N + n) * P
          for (let oy = 0; oy < OH; oy++) {
            const y = oy * stride - pad + ky
            if (y < 0 || y >= H) {
              o += OW
              continue
            }
            const line = plane + y * W
            for (let ox = 0; ox < OW; ox++, o++) {
              const xx = ox * stride - pad + kx
              if (xx >= 0 && xx < W) dx[line + xx] += col[o]
            }
          }
        }
      }
    }
  }
}

/** dst (B, A, P) ← src (A, B, P): the first two axes swapped (a batch's (N, F, P) planes ↔ (F, N, P)). */
export function swapAxes(dst: Float32Array, src: Float32Array, A: number, B: number, P: number): void {
  const k = layerKernels(engineMemory())
  if (k !== null && k.owns(dst) && k.owns(src)) return k.swapAxes(dst, src, A, B, P)
  for (let a = 0; a < A; a++) {
    for (let b = 0; b < B; b++) dst.set(src.subarray((a * B + b) * P, (a * B + b + 1) * P), (b * A + a) * P)
  }
}

/**
 * dst (rows, len) ← row r filled with values[r] (a convolution's output planes starting as their bias). In
 * WebAssembly on engine memory: TypedArray fill on the engine's shared memory runs at about a quarter of the speed.
 */
export function fillRows(dst: Float32Array, values: Float32Array, rows: number, len: number): void {
  const k = layerKernels(engineMemory())
  if (k !== null && k.owns(dst) && k.owns(values)) return k.fillRows(dst, values, rows, len)
  for (let r = 0; r < rows; r++) dst.fill(values[r], r * len, (r + 1) * len)
}

/** b[f] += Σ_p dout (F, P)[f, p]: a convolution's bias gradient (dout as (FN, N·OH·OW)), accumulated into b. */
export function sumPlanes(b: Float32Array, dout: Float32Array, F: number, P: number): void {
  // small sums (gradient checks) stay in float64 below, as small products do in gemm(); WebAssembly sums float32 lanes
  const k = F * P >= WASM_MIN_WORK ? layerKernels(engineMemory()) : null
  if (k !== null && k.owns(b) && k.owns(dout)) return k.sumPlanes(b, dout, F, P)
  for (let f = 0; f < F; f++) {
    let s = 0
    const base = f * P
    for (let i = 0; i < P; i++) s += dout[base + i]
    b[f] += s
  }
}
