// AssemblyScript source of the layer kernels of the engine's WebAssembly module (Relu, im2col, max
// pooling; wrapper: src-engine/kernels/wasm/layer-wasm.ts).
// The same loops as kernels/activations.ts, im2col.ts and pooling.ts (which call these when their
// buffers live in engine memory): JavaScript spends several nanoseconds per element on them.

/** out = max(0, x), −0 → +0, NaN stays NaN (as reluForward in activations.ts). */
export function reluForward(out: usize, x: usize, n: i32): void {
  const zero = f32x4.splat(0)
  let i = 0
  for (; i + 4 <= n; i += 4) {
    const p = <usize>i << 2
    const v = v128.load(x + p)
    v128.store(out + p, f32x4.add(f32x4.mul(v, v128.and(f32x4.gt(v, zero), f32x4.splat(1))), zero))
  }
  for (; i < n; i++) {
    const p = <usize>i << 2
    const v = load<f32>(x + p)
    store<f32>(out + p, v * <f32>(v > 0 ? 1 : 0) + 0)
  }
}

/** dx = dout where x > 0, else 0 (as reluBackward in activations.ts). */
export function reluBackward(dx: usize, dout: usize, x: usize, n: i32): void {
  const zero = f32x4.splat(0)
  let i = 0
  for (; i + 4 <= n; i += 4) {
    const p = <usize>i << 2
    const m = v128.and(f32x4.gt(v128.load(x + p), zero), f32x4.splat(1))
    v128.store(dx + p, f32x4.add(f32x4.mul(v128.load(dout + p), m), zero))
  }
  for (; i < n; i++) {
    const p = <usize>i << 2
    store<f32>(dx + p, load<f32>(dout + p) * <f32>(load<f32>(x + p) > 0 ? 1 : 0) + 0)
  }
}

/** col (N·OH·OW, C·FH·FW) ← the receptive fields of x (N, C, H, W), zero where they cross the padding (im2col.ts). */
export function im2col(col: usize, x: usize, N: i32, C: i32, H: i32, W: i32, FH: i32, FW: i32, stride: i32, pad: i32, OH: i32, OW: i32): void {
  let o = col
  for (let n = 0; n < N; n++) {
    for (let oy = 0; oy < OH; oy++) {
      const y0 = oy * stride - pad
      for (let ox = 0; ox < OW; ox++) {
        const x0 = ox * stride - pad
        const inside = y0 >= 0 && y0 + FH <= H && x0 >= 0 && x0 + FW <= W
        for (let c = 0; c < C; c++) {
          const plane = x + ((<usize>(n * C + c) * H * W) << 2)
          for (let ky = 0; ky < FH; ky++) {
            const y = y0 + ky
            if (!inside && (y < 0 || y >= H)) {
              memory.fill(o, 0, <usize>FW << 2)
              o += <usize>FW << 2
              continue
            }
            const line = plane + ((<usize>(y * W + x0)) << 2)
            if (inside) {
              let kx = 0
              for (; kx + 4 <= FW; kx += 4) v128.store(o + (<usize>kx << 2), v128.load(line + (<usize>kx << 2)))
              for (; kx < FW; kx++) store<f32>(o + (<usize>kx << 2), load<f32>(line + (<usize>kx << 2)))
            } else {
              for (let kx = 0; kx < FW; kx++) {
                const xx = x0 + kx
                store<f32>(o + (<usize>kx << 2), xx >= 0 && xx < W ? load<f32>(line + (<usize>kx << 2)) : 0)
              }
            }
            o += <usize>FW << 2
          }
        }
      }
    }
  }
}

/**
 * Max pooling when every window lies inside the image (pooling.ts maxPoolInside): out (NC, OH, OW) the
 * window maxima, argmax (i32) the flat index of each winner in x (the first, on ties).
 */
export function maxPoolInside(out: usize, argmax: usize, x: usize, NC: i32, H: i32, W: i32, PH: i32, PW: i32, stride: i32, OH: i32, OW: i32): void {
  if (PH == 2 && PW == 2 && stride == 2) {
    maxPool2x2(out, argmax, x, NC, H, W, OH, OW)
    return
  }
  let o: usize = 0
  for (let nc = 0; nc < NC; nc++) {
    const plane = nc * H * W
    for (let oy = 0; oy < OH; oy++) {
      const row = plane + oy * stride * W
      for (let ox = 0; ox < OW; ox++) {
        const corner = row + ox * stride
        let at = corner
        let best = load<f32>(x + (<usize>corner << 2))
        for (let ky = 0; ky < PH; ky++) {
          const line = corner + ky * W
          for (let kx = 0; kx < PW; kx++) {
            // branch-free: on real activations a branch here mispredicts about every other window
            const v = load<f32>(x + (<usize>(line + kx) << 2))
            const win = v > best
            at = select<i32>(line + kx, at, win)
            best = select<f32>(v, best, win)
          }
        }
        store<f32>(out + (o << 2), best)
        store<i32>(argmax + (o << 2), at)
        o++
      }
    }
  }
}

/**
 * The common 2×2, stride 2 window, four outputs at a time: the even and odd columns of two input rows
 * are split by shuffles and compared in the order (0,0), (0,1), (1,0), (1,1), as the scalar loop does.
 */
function maxPool2x2(out: usize, argmax: usize, x: usize, NC: i32, H: i32, W: i32, OH: i32, OW: i32): void {
  const ow4 = OW & ~3
  const lanes = i32x4(0, 2, 4, 6)
  let o: usize = 0
  for (let nc = 0; nc < NC; nc++) {
    const plane = nc * H * W
    for (let oy = 0; oy < OH; oy++) {
      const row = plane + 2 * oy * W
      let ox = 0
      for (; ox < ow4; ox += 4) {
        const p0 = x + (<usize>(row + 2 * ox) << 2)
        const p1 = p0 + (<usize>W << 2)
        const a0 = v128.load(p0), b0 = v128.load(p0, 16), a1 = v128.load(p1), b1 = v128.load(p1, 16)
        const e0 = v128.shuffle<f32>(a0, b0, 0, 2, 4, 6), o0 = v128.shuffle<f32>(a0, b0, 1, 3, 5, 7)
        const e1 = v128.shuffle<f32>(a1, b1, 0, 2, 4, 6), o1 = v128.shuffle<f32>(a1, b1, 1, 3, 5, 7)
        const i00 = i32x4.add(i32x4.splat(row + 2 * ox), lanes)
        const i01 = i32x4.add(i00, i32x4.splat(1)), i10 = i32x4.add(i00, i32x4.splat(W)), i11 = i32x4.add(i10, i32x4.splat(1))
        // strictly greater wins, so the first maximum is kept on ties (and a NaN never wins)
        let best = e0, at = i00
        let m = f32x4.gt(o0, best)
        at = v128.bitselect(i01, at, m); best = v128.bitselect(o0, best, m)
        m = f32x4.gt(e1, best)
        at = v128.bitselect(i10, at, m); best = v128.bitselect(e1, best, m)
        m = f32x4.gt(o1, best)
        at = v128.bitselect(i11, at, m); best = v128.bitselect(o1, best, m)
        v128.store(out + (o << 2), best)
        v128.store(argmax + (o << 2), at)
        o += 4
      }
      for (; ox < OW; ox++) {
        const corner = row + 2 * ox
        let at = corner
        let best = load<f32>(x + (<usize>corner << 2))
        for (let ky = 0; ky < 2; ky++) {
          for (let kx = 0; kx < 2; kx++) {
            const v = load<f32>(x + (<usize>(corner + ky * W + kx) << 2))
            const win = v > best
            at = select<i32>(corner + ky * W + kx, at, win)
            best = select<f32>(v, best, win)
          }
        }
        store<f32>(out + (o << 2), best)
        store<i32>(argmax + (o << 2), at)
        o++
      }
    }
  }
}

/**
 * The valid output columns of tap kx: those ox in [lo, hi) whose input column ox·stride − pad + kx lies
 * inside 0..W−1 (hi ≥ lo). Packed as lo | hi << 16.
 */
@inline function tapRange(W: i32, OW: i32, kx: i32, stride: i32, pad: i32): i32 {
  const lo = max(0, (pad - kx + stride - 1) / stride)
  let hi = min(OW, (W - 1 + pad - kx) / stride + 1)
  if (W - 1 + pad - kx < 0) hi = 0 // the tap is left of every column (integer division truncates toward 0)
  return lo | (max(lo, hi) << 16)
}

/**
 * colᵀ (C·FH·FW, N·OH·OW) ← im2col's col transposed: row (c, ky, kx) holds input plane c of every image shifted
 * by the tap (ky, kx), zero where it crosses the padding (im2col.ts im2colT). Per tap, image and output row this
 * is one contiguous run of an input line (stride 1), copied four floats at a time, where im2col's layout
 * needs FW floats at a time.
 */
export function im2colT(col: usize, x: usize, N: i32, C: i32, H: i32, W: i32, FH: i32, FW: i32, stride: i32, pad: i32, OH: i32, OW: i32): void {
  const rowBytes = <usize>OW << 2
  const P = OH * OW
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const plane = x + ((<usize>(n * C + c) * H * W) << 2)
      for (let ky = 0; ky < FH; ky++) {
        for (let kx = 0; kx < FW; kx++) {
          const r = tapRange(W, OW, kx, stride, pad)
          const lo = r & 0xffff, hi = r >>> 16
          let o = col + ((<usize>(((c * FH + ky) * FW + kx) * N + n) * P) << 2)
          for (let oy = 0; oy < OH; oy++) {
            const y = oy * stride - pad + ky
            if (y < 0 || y >= H || lo >= hi) {
              memory.fill(o, 0, rowBytes)
              o += rowBytes
              continue
            }
            for (let ox = 0; ox < lo; ox++) store<f32>(o + (<usize>ox << 2), 0)
            for (let ox = hi; ox < OW; ox++) store<f32>(o + (<usize>ox << 2), 0)
            const line = plane + ((<usize>(y * W)) << 2)
            if (stride == 1) {
              const src = line + (<usize>(lo - pad + kx) << 2)
              const dst = o + (<usize>lo << 2)
              const m = hi - lo
              let i = 0
              for (; i + 4 <= m; i += 4) v128.store(dst + (<usize>i << 2), v128.load(src + (<usize>i << 2)))
              for (; i < m; i++) store<f32>(dst + (<usize>i << 2), load<f32>(src + (<usize>i << 2)))
            } else {
              for (let ox = lo; ox < hi; ox++) store<f32>(o + (<usize>ox << 2), load<f32>(line + (<usize>(ox * stride - pad + kx) << 2)))
            }
            o += rowBytes
          }
        }
      }
    }
  }
}

/** dx (N, C, H, W) ← the adjoint of im2colT: every colᵀ entry added back at the pixel it was read from. */
export function col2imT(dx: usize, col: usize, N: i32, C: i32, H: i32, W: i32, FH: i32, FW: i32, stride: i32, pad: i32, OH: i32, OW: i32): void {
  memory.fill(dx, 0, (<usize>N * C * H * W) << 2)
  const rowBytes = <usize>OW << 2
  const P = OH * OW
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const plane = dx + ((<usize>(n * C + c) * H * W) << 2)
      for (let ky = 0; ky < FH; ky++) {
        for (let kx = 0; kx < FW; kx++) {
          const r = tapRange(W, OW, kx, stride, pad)
          const lo = r & 0xffff, hi = r >>> 16
          let o = col + ((<usize>(((c * FH + ky) * FW + kx) * N + n) * P) << 2)
          for (let oy = 0; oy < OH; oy++) {
            const y = oy * stride - pad + ky
            if (y < 0 || y >= H || lo >= hi) {
              o += rowBytes
              continue
            }
            const line = plane + ((<usize>(y * W)) << 2)
            if (stride == 1) {
              const dst = line + (<usize>(lo - pad + kx) << 2)
              const src = o + (<usize>lo << 2)
              const m = hi - lo
              let i = 0
              for (; i + 4 <= m; i += 4) {
                const p = <usize>i << 2
                v128.store(dst + p, f32x4.add(v128.load(dst + p), v128.load(src + p)))
              }
              for (; i < m; i++) {
                const p = <usize>i << 2
                store<f32>(dst + p, load<f32>(dst + p) + load<f32>(src + p))
              }
            } else {
              for (let ox = lo; ox < hi; ox++) {
                const d = line + (<usize>(ox * stride - pad + kx) << 2)
                store<f32>(d, load<f32>(d) + load<f32>(o + (<usize>ox << 2)))
              }
            }
            o += rowBytes
          }
        }
      }
    }
  }
}

/** dst (B, A, P) ← src (A, B, P): the first two axes swapped, P contiguous floats at a time. */
export function swapAxes(dst: usize, src: usize, A: i32, B: i32, P: i32): void {
  const bytes = <usize>P << 2
  for (let a = 0; a < A; a++) {
    for (let b = 0; b < B; b++) {
      memory.copy(dst + ((<usize>(b * A + a) * P) << 2), src + ((<usize>(a * B + b) * P) << 2), bytes)
    }
  }
}

/** dst (rows, len) ← row r filled with values[r]: a convolution's output planes starting as their bias. */
export function fillRows(dst: usize, values: usize, rows: i32, len: i32): void {
  for (let r = 0; r < rows; r++) {
    const v = load<f32>(values + (<usize>r << 2))
    const vv = f32x4.splat(v)
    const row = dst + ((<usize>r * len) << 2)
    let i = 0
    for (; i + 4 <= len; i += 4) v128.store(row + (<usize>i << 2), vv)
    for (; i < len; i++) store<f32>(row + (<usize>i << 2), v)
  }
}

/** b[f] += Σ over positions p of dout (F, P)[f, p]: a convolution's bias gradient (dout as (FN, N·OH·OW)). */
export function sumPlanes(b: usize, dout: usize, F: i32, P: i32): void {
  let src = dout
  for (let f = 0; f < F; f++) {
    let acc = f32x4.splat(0)
    let i = 0
    for (; i + 4 <= P; i += 4) acc = f32x4.add(acc, v128.load(src + (<usize>i << 2)))
    let s = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3)
    for (; i < P; i++) s += load<f32>(src + (<usize>i << 2))
    const at = b + (<usize>f << 2)
    store<f32>(at, load<f32>(at) + s)
    src += <usize>P << 2
  }
}

/** dx (nIn floats) ← dout routed to each window's winner, summed where windows overlap; argmax −1 routes nothing (pooling.ts). */
export function maxPoolBackward(dx: usize, dout: usize, argmax: usize, nIn: i32, nOut: i32): void {
  memory.fill(dx, 0, <usize>nIn << 2)
  for (let o = 0; o < nOut; o++) {
    const at = load<i32>(argmax + (<usize>o << 2))
    if (at >= 0) {
      const d = dx + (<usize>at << 2)
      store<f32>(d, load<f32>(d) + load<f32>(dout + (<usize>o << 2)))
    }
  }
}
