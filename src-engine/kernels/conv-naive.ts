/** Reference convolution kept beside the im2col + GEMM path so tests can compare them. */

/**
 * Direct-loop convolution, the oracle for tests (cross-correlation: the filter is not flipped).
 * out (N, FN, OH, OW) = x (N, C, H, W) ⋆ w (FN, C, FH, FW) + b (FN) (b may be null).
 */
export function convNaive(
  out: Float32Array, x: Float32Array, w: Float32Array, b: Float32Array | null,
  N: number, C: number, H: number, W: number, FN: number, FH: number, FW: number,
  stride: number, pad: number, OH: number, OW: number
): void {
  for (let n = 0; n < N; n++) {
    for (let f = 0; f < FN; f++) {
      for (let oy = 0; oy < OH; oy++) {
        for (let ox = 0; ox < OW; ox++) {
          let sum = b === null ? 0 : b[f]
          for (let c = 0; c < C; c++) {
            for (let ky = 0; ky < FH; ky++) {
              for (let kx = 0; kx < FW; kx++) {
                const y = oy * stride - pad + ky
                const xx = ox * stride - pad + kx
                if (y < 0 || y >= H || xx < 0 || xx >= W) continue
                sum += x[((n * C + c) * H + y) * W + xx] * w[((f * C + c) * FH + ky) * FW + kx]
              }
            }
          }
          out[((n * FN + f) * OH + oy) * OW + ox] = sum
        }
      }
    }
  }
}
