/**
 * Pooling kernels over x (N, C, H, W) → out (N, C, OH, OW), window PH×PW, one stride, zero-size pad.
 * Max pooling ignores padding (a padded cell never wins); average pooling counts padded cells as
 * zeros and always divides by PH·PW (as the course's im2col version does; ONNX count_include_pad=1).
 */
import { engineMemory } from './gemm'
import { layerKernels } from './wasm/layer-wasm'

/** out ← the window maxima; argmax ← the flat index into x of each winner (−1 if the window is all padding). */
export function maxPoolForward(
  out: Float32Array, argmax: Int32Array, x: Float32Array,
  N: number, C: number, H: number, W: number,
  PH: number, PW: number, stride: number, pad: number, OH: number, OW: number
): void {
  if (pad === 0 && (OH - 1) * stride + PH <= H && (OW - 1) * stride + PW <= W) {
    maxPoolInside(out, argmax, x, N * C, H, W, PH, PW, stride, OH, OW)
  } else {
    maxPoolPadded(out, argmax, x, N, C, H, W, PH, PW, stride, pad, OH, OW)
  }
}

/** maxPoolForward for any window, stride and pad, checking every cell against the image edges. */
export function maxPoolPadded(
  out: Float32Array, argmax: Int32Array, x: Float32Array,
  N: number, C: number, H: number, W: number,
  PH: number, PW: number, stride: number, pad: number, OH: number, OW: number
): void {
  let o = 0
  for (let nc = 0; nc < N * C; nc++) {
    const plane = nc * H * W
    for (let oy = 0; oy < OH; oy++) {
      const y0 = oy * stride - pad
      for (let ox = 0; ox < OW; ox++) {
        const x0 = ox * stride - pad
        let best = -Infinity
        let at = -1
        for (let ky = 0; ky < PH; ky++) {
          const y = y0 + ky
          if (y < 0 || y >= H) continue
          for (let kx = 0; kx < PW; kx++) {
            const xx = x0 + kx
            if (xx < 0 || xx >= W) continue
            const i = plane + y * W + xx
            if (x[i] > best) {
              best = x[i]
              at = i
            }
          }
        }
        out[o] = at < 0 ? 0 : best
        argmax[o] = at
        o++
      }
    }
  }
}

/** maxPoolForward when every window lies inside the image: no bounds checks (about 20% faster). */
export function maxPoolInside(
  out: Float32Array, argmax: Int32Array, x: Float32Array, NC: number, H: number, W: number,
  PH: number, PW: number, stride: number, OH: number, OW: number
): void {
  // in WebAssembly when out and x live in engine memory (kernels/wasm/layer-wasm.ts; same results)
  const k = layerKernels(engineMemory())
  if (k !== null && k.owns(out) && k.owns(x)) return k.maxPoolInside(out, argmax, x, NC, H, W, PH, PW, stride, OH, OW)
  let o = 0
  for (let nc = 0; nc < NC; nc++) {
    const plane = nc * H * W
    for (let oy = 0; oy < OH; oy++) {
      const row = plane + oy * stride * W
      for (let ox = 0; ox < OW; ox++) {
        const corner = row + ox * stride
        let at = corner
        let best = x[corner]
        for (let ky = 0; ky < PH; ky++) {
          const line = corner + ky * W
          for (let kx = 0; kx < PW; kx++) {
            if (x[line + kx] > best) {
              best = x[line + kx]
              at = line + kx
            }
          }
        }
        out[o] = best
        argmax[o] = at
        o++
      }
    }
  }
}

/**
 * dx ← dout routed to each window's winner (summed where windows overlap); in WebAssembly when dx, dout and
 * argmax live in engine memory (as Pooling's do), in the same order (so the same sums).
 */
export function maxPoolBackward(dx: Float32Array, dout: Float32Array, argmax: Int32Array, nIn: number, nOut: number): void {
  const k = layerKernels(engineMemory())
  if (k !== null && k.owns(dx) && k.owns(dout) && k.owns(argmax)) return k.maxPoolBackward(dx, dout, argmax, nIn, nOut)
  dx.fill(0, 0, nIn)
  for (let o = 0; o < nOut; o++) if (argmax[o] >= 0) dx[argmax[o]] += dout[o]
}

/** out ← window sums / (PH·PW). */
export function avgPoolForward(
  out: Float32Array, x: Float32Array,
  N: number, C: number, H: number, W: number,
  PH: number, PW: number, stride: number, pad: number, OH: number, OW: number
): void {
  const inv = 1 / (PH * PW)
  let o = 0
  for (let nc = 0; nc < N * C; nc++) {
    const plane = nc * H * W
    for (let oy = 0; oy < OH; oy++) {
      const y0 = oy * stride - pad
      for (let ox = 0; ox < OW; ox++) {
        const x0 = ox * stride - pad
        let sum = 0
        for (let ky = 0; ky < PH; ky++) {
          const y = y0 + ky
          if (y < 0 || y >= H) continue
          for (let kx = 0; kx < PW; kx++) {
            const xx = x0 + kx
            if (xx >= 0 && xx < W) sum += x[plane + y * W + xx]
          }
        }
        out[o++] = sum * inv
      }
    }
  }
}

/** dx ← each dout spread evenly over its window (padding cells drop their share). */
export function avgPoolBackward(
  dx: Float32Array, dout: Float32Array,
  N: number, C: number, H: number, W: number,
  PH: number, PW: number, stride: number, pad: number, OH: number, OW: number
): void {
  dx.fill(0, 0, N * C * H * W)
  const inv = 1 / (PH * PW)
  let o = 0
  for (let nc = 0; nc < N * C; nc++) {
    const plane = nc * H * W
    for (let oy = 0; oy < OH; oy++) {
      const y0 = oy * stride - pad
      for (let ox = 0; ox < OW; ox++) {
        const x0 = ox * stride - pad
        const g = dout[o++] * inv
        for (let ky = 0; ky < PH; ky++) {
          const y = y0 + ky
          if (y < 0 || y >= H) continue
          for (let kx = 0; kx < PW; kx++) {
            const xx = x0 + kx
            if (xx >= 0 && xx < W) dx[plane + y * W + xx] += g
          }
        }
      }
    }
  }
}
