// AssemblyScript source of the LSTM gate kernels of the engine's WebAssembly module (TimeLSTM;
// wrapper: src-engine/kernels/wasm/lstm-wasm.ts).
// The element-wise part of an LSTM step, fused and four hidden units at a time: the gate
// nonlinearities through a polynomial exp (Cephes expf, ≈1 ulp) instead of a Math.exp per element.
// Gate order f, g, i, o (src-engine/layers/lstm-gates.ts). Strides are in floats, pointers in bytes.

import { fma } from './simd'

/**
 * e^x for four lanes: x = n·ln2 + r, e^r by a degree-6 polynomial, 2^n through the exponent bits.
 * n = round(x·log2 e) comes from adding 1.5·2^23, whose sum holds n in its low mantissa bits (cheaper
 * than nearest + trunc_sat, which x86 has no single instruction for); pmin/pmax (one instruction each)
 * clamp the range and let a NaN through.
 */
@inline function vexp(x: v128): v128 {
  x = f32x4.pmin(f32x4.pmax(x, f32x4.splat(-87.3)), f32x4.splat(88.3))
  const t = fma(x, f32x4.splat(1.44269504088896341), f32x4.splat(12582912))
  const n = f32x4.sub(t, f32x4.splat(12582912))
  let r = fma(n, f32x4.splat(-0.693359375), x)
  r = fma(n, f32x4.splat(2.12194440e-4), r)
  const z = f32x4.mul(r, r)
  let y = f32x4.splat(1.9875691500e-4)
  y = fma(y, r, f32x4.splat(1.3981999507e-3))
  y = fma(y, r, f32x4.splat(8.3334519073e-3))
  y = fma(y, r, f32x4.splat(4.1665795894e-2))
  y = fma(y, r, f32x4.splat(1.6666665459e-1))
  y = fma(y, r, f32x4.splat(5.0000001201e-1))
  y = fma(y, z, f32x4.add(r, f32x4.splat(1)))
  return f32x4.mul(y, i32x4.shl(i32x4.add(t, i32x4.splat(127)), 23))
}

@inline function vsigmoid(x: v128): v128 {
  const one = f32x4.splat(1)
  return f32x4.div(one, f32x4.add(one, vexp(f32x4.neg(x))))
}

/** tanh: an odd polynomial below |x| = 0.625 (no cancellation near 0), 1 − 2/(e^{2|x|} + 1) above (Cephes tanhf). */
@inline function vtanh(x: v128): v128 {
  const ax = f32x4.abs(x)
  const one = f32x4.splat(1)
  const e = vexp(f32x4.add(ax, ax))
  const big = v128.or(f32x4.sub(one, f32x4.div(f32x4.splat(2), f32x4.add(e, one))), v128.and(x, i32x4.splat(0x80000000)))
  const z = f32x4.mul(x, x)
  let p = f32x4.splat(-5.70498872745e-3)
  p = fma(p, z, f32x4.splat(2.06390887954e-2))
  p = fma(p, z, f32x4.splat(-5.37397155531e-2))
  p = fma(p, z, f32x4.splat(1.33314422036e-1))
  p = fma(p, z, f32x4.splat(-3.33332819422e-1))
  const small = fma(f32x4.mul(p, z), x, x)
  return v128.bitselect(small, big, f32x4.lt(ax, f32x4.splat(0.625)))
}

/** Four floats at p, or the first `cnt` (< 4) of them with zeros after. */
@inline function ld(p: usize, cnt: i32): v128 {
  if (cnt >= 4) return v128.load(p)
  let v = f32x4.splat(0)
  v = f32x4.replace_lane(v, 0, load<f32>(p))
  if (cnt > 1) v = f32x4.replace_lane(v, 1, load<f32>(p, 4))
  if (cnt > 2) v = f32x4.replace_lane(v, 2, load<f32>(p, 8))
  return v
}

/** Stores four lanes at p, or only the first `cnt` (< 4). */
@inline function st(p: usize, v: v128, cnt: i32): void {
  if (cnt >= 4) {
    v128.store(p, v)
    return
  }
  store<f32>(p, f32x4.extract_lane(v, 0))
  if (cnt > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4)
  if (cnt > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8)
}

@inline function fwdCells(a: usize, w: usize, b: usize, cp: usize, hp: usize, co: usize, ho: usize, H: usize, cnt: i32): void {
  const aF = ld(a, cnt), aG = ld(a + (H << 2), cnt), aI = ld(a + (H << 3), cnt), aO = ld(a + H * 12, cnt)
  const f = vsigmoid(f32x4.add(f32x4.add(aF, ld(w, cnt)), ld(b, cnt)))
  const g = vtanh(f32x4.add(f32x4.add(aG, ld(w + (H << 2), cnt)), ld(b + (H << 2), cnt)))
  const i = vsigmoid(f32x4.add(f32x4.add(aI, ld(w + (H << 3), cnt)), ld(b + (H << 3), cnt)))
  const o = vsigmoid(f32x4.add(f32x4.add(aO, ld(w + H * 12, cnt)), ld(b + H * 12, cnt)))
  st(a, f, cnt); st(a + (H << 2), g, cnt); st(a + (H << 3), i, cnt); st(a + H * 12, o, cnt)
  const c = fma(f, ld(cp, cnt), f32x4.mul(g, i))
  const h = f32x4.mul(o, vtanh(c))
  st(co, c, cnt); st(cp, c, cnt)
  st(ho, h, cnt); st(hp, h, cnt)
}

/**
 * One forward step of an LSTM for N rows, in place. For row n: the gate pre-activations x·Wx at
 * a = gates + n·gateStride (4H floats, overwritten with the activated f, g, i, o), h_prev·Wh at
 * hw + n·4H, bias b (4H); the state c_prev, h_prev at cPrev/hPrev + n·H (overwritten with c_t, h_t);
 * c_t and h_t also stored at cs/hs + n·seqStride.
 */
export function lstmForwardStep(gates: usize, gateStride: i32, hw: usize, b: usize, cPrev: usize, hPrev: usize,
  cs: usize, hs: usize, seqStride: i32, N: i32, H: i32): void {
  const h = <usize>H
  const h4 = H & ~3
  for (let n = 0; n < N; n++) {
    const a = gates + ((<usize>n * gateStride) << 2)
    const w = hw + ((<usize>n * H) << 4)
    const cp = cPrev + ((<usize>n * H) << 2), hp = hPrev + ((<usize>n * H) << 2)
    const co = cs + ((<usize>n * seqStride) << 2), ho = hs + ((<usize>n * seqStride) << 2)
    let j = 0
    for (; j < h4; j += 4) {
      const o = <usize>j << 2
      fwdCells(a + o, w + o, b + o, cp + o, hp + o, co + o, ho + o, h, 4)
    }
    if (j < H) {
      const o = <usize>j << 2
      fwdCells(a + o, w + o, b + o, cp + o, hp + o, co + o, ho + o, h, H - j)
    }
  }
}

@inline function bwdCells(dh: usize, dhs: usize, a: usize, c: usize, cp: usize, dc: usize, dat: usize, da: usize, db: usize,
  H: usize, cnt: i32, sq: v128): v128 {
  const dhj = f32x4.add(ld(dh, cnt), ld(dhs, cnt))
  const f = ld(a, cnt), g = ld(a + (H << 2), cnt), i = ld(a + (H << 3), cnt), o = ld(a + H * 12, cnt)
  const one = f32x4.splat(1)
  const tc = vtanh(ld(c, cnt))
  const ds = fma(f32x4.mul(dhj, o), f32x4.sub(one, f32x4.mul(tc, tc)), ld(dc, cnt))
  st(dc, f32x4.mul(ds, f), cnt)
  const dF = f32x4.mul(f32x4.mul(ds, ld(cp, cnt)), f32x4.mul(f, f32x4.sub(one, f)))
  const dG = f32x4.mul(f32x4.mul(ds, i), f32x4.sub(one, f32x4.mul(g, g)))
  const dI = f32x4.mul(f32x4.mul(ds, g), f32x4.mul(i, f32x4.sub(one, i)))
  const dO = f32x4.mul(f32x4.mul(dhj, tc), f32x4.mul(o, f32x4.sub(one, o)))
  st(dat, dF, cnt); st(dat + (H << 2), dG, cnt); st(dat + (H << 3), dI, cnt); st(dat + H * 12, dO, cnt)
  st(da, dF, cnt); st(da + (H << 2), dG, cnt); st(da + (H << 3), dI, cnt); st(da + H * 12, dO, cnt)
  st(db, f32x4.add(ld(db, cnt), dF), cnt)
  st(db + (H << 2), f32x4.add(ld(db + (H << 2), cnt), dG), cnt)
  st(db + (H << 3), f32x4.add(ld(db + (H << 3), cnt), dI), cnt)
  st(db + H * 12, f32x4.add(ld(db + H * 12, cnt), dO), cnt)
  return fma(dhj, dhj, sq)
}

/**
 * One backward step of an LSTM for N rows. Row n: dL/dh_t is dh (n·H, from the later step) plus dhs
 * (n·seqStride); gates (activated, n·gateStride), c_t at cs + n·seqStride, c_{t−1} at
 * cPrev + n·cPrevStride; dc (n·H) carries dL/dc to the earlier step (in and out). Writes dL/dA_t to
 * dAt (n·4H, for the next product with Whᵀ) and to dA (n·gateStride), adds it into db (4H).
 * Returns Σ_n ‖dL/dh_t‖ (the vanishing-gradient plot).
 */
export function lstmBackwardStep(dh: usize, dhs: usize, gates: usize, cs: usize, cPrev: usize, cPrevStride: i32,
  dc: usize, dAt: usize, dA: usize, db: usize, gateStride: i32, seqStride: i32, N: i32, H: i32): f64 {
  const h = <usize>H
  const h4 = H & ~3
  let norm: f64 = 0
  for (let n = 0; n < N; n++) {
    const rh = (<usize>n * H) << 2, rs = (<usize>n * seqStride) << 2, rg = (<usize>n * gateStride) << 2
    const cp = cPrev + ((<usize>n * cPrevStride) << 2)
    let sq = f32x4.splat(0)
    let j = 0
    for (; j < h4; j += 4) {
      const o = <usize>j << 2
      sq = bwdCells(dh + rh + o, dhs + rs + o, gates + rg + o, cs + rs + o, cp + o, dc + rh + o, dAt + (rh << 2) + o, dA + rg + o, db + o, h, 4, sq)
    }
    if (j < H) {
      const o = <usize>j << 2
      sq = bwdCells(dh + rh + o, dhs + rs + o, gates + rg + o, cs + rs + o, cp + o, dc + rh + o, dAt + (rh << 2) + o, dA + rg + o, db + o, h, H - j, sq)
    }
    norm += Math.sqrt(<f64>(f32x4.extract_lane(sq, 0) + f32x4.extract_lane(sq, 1) + f32x4.extract_lane(sq, 2) + f32x4.extract_lane(sq, 3)))
  }
  return norm
}
