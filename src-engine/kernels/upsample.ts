/**
 * Upsampling by an integer scale s: x (N, C, H, W) → out (N, C, H·s, W·s).
 * Nearest copies each pixel into an s×s block. Bilinear uses the half-pixel convention
 * (PyTorch's align_corners=False, ONNX Resize "half_pixel"): output pixel o samples the input at
 * (o + 0.5) / s − 0.5, clamped at the edges.
 */

/** Per output index along one axis: the two input neighbours and the weight of the second. */
export interface LinearTaps { i0: Int32Array; i1: Int32Array; w1: Float64Array }

/** The bilinear taps for an axis of `inSize` upsampled by `scale`. */
export function linearTaps(inSize: number, scale: number): LinearTaps {
  const n = inSize * scale
  const taps = { i0: new Int32Array(n), i1: new Int32Array(n), w1: new Float64Array(n) }
  for (let o = 0; o < n; o++) {
    const src = Math.max(0, (o + 0.5) / scale - 0.5)
    const i0 = Math.min(Math.floor(src), inSize - 1)
    taps.i0[o] = i0
    taps.i1[o] = Math.min(i0 + 1, inSize - 1)
    taps.w1[o] = src - i0
  }
  return taps
}

/** out (NC, H·s, W·s) ← each pixel of x (NC, H, W) copied into an s×s block. */
export function upsampleNearestForward(out: Float32Array, x: Float32Array, NC: number, H: number, W: number, s: number): void {
  const OW = W * s
  let o = 0
  for (let p = 0; p < NC; p++) {
    for (let oy = 0; oy < H * s; oy++) {
      const line = (p * H + Math.floor(oy / s)) * W
      for (let ox = 0; ox < OW; ox++) out[o++] = x[line + Math.floor(ox / s)]
    }
  }
}

/** dx ← the sum of dout over each s×s block. */
export function upsampleNearestBackward(dx: Float32Array, dout: Float32Array, NC: number, H: number, W: number, s: number): void {
  dx.fill(0, 0, NC * H * W)
  const OW = W * s
  let o = 0
  for (let p = 0; p < NC; p++) {
    for (let oy = 0; oy < H * s; oy++) {
      const line = (p * H + Math.floor(oy / s)) * W
      for (let ox = 0; ox < OW; ox++) dx[line + Math.floor(ox / s)] += dout[o++]
    }
  }
}

/** out (NC, OH, OW) ← x (NC, H, W) interpolated with the taps of each axis (see linearTaps). */
export function upsampleBilinearForward(
  out: Float32Array, x: Float32Array, NC: number, H: number, W: number, ty: LinearTaps, tx: LinearTaps
): void {
  const OH = ty.i0.length
  const OW = tx.i0.length
  let o = 0
  for (let p = 0; p < NC; p++) {
    const plane = p * H * W
    for (let oy = 0; oy < OH; oy++) {
      const r0 = plane + ty.i0[oy] * W
      const r1 = plane + ty.i1[oy] * W
      const wy = ty.w1[oy]
      for (let ox = 0; ox < OW; ox++) {
        const a = tx.i0[ox]
        const b = tx.i1[ox]
        const wx = tx.w1[ox]
        const top = x[r0 + a] + wx * (x[r0 + b] - x[r0 + a])
        const bottom = x[r1 + a] + wx * (x[r1 + b] - x[r1 + a])
        out[o++] = top + wy * (bottom - top)
      }
    }
  }
}

/** dx ← each dout shared among its four input neighbours with the forward weights. */
export function upsampleBilinearBackward(
  dx: Float32Array, dout: Float32Array, NC: number, H: number, W: number, ty: LinearTaps, tx: LinearTaps
): void {
  dx.fill(0, 0, NC * H * W)
  const OH = ty.i0.length
  const OW = tx.i0.length
  let o = 0
  for (let p = 0; p < NC; p++) {
    const plane = p * H * W
    for (let oy = 0; oy < OH; oy++) {
      const r0 = plane + ty.i0[oy] * W
      const r1 = plane + ty.i1[oy] * W
      const wy = ty.w1[oy]
      for (let ox = 0; ox < OW; ox++) {
        const a = tx.i0[ox]
        const b = tx.i1[ox]
        const wx = tx.w1[ox]
        const g = dout[o++]
        dx[r0 + a] += g * (1 - wy) * (1 - wx)
        dx[r0 + b] += g * (1 - wy) * wx
        dx[r1 + a] += g * wy * (1 - wx)
        dx[r1 + b] += g * wy * wx
      }
    }
  }
}
