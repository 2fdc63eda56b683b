// @ts-nocheck — AssemblyScript, not TypeScript: compiled by scripts/build-wasm.mjs (npm run build:wasm) into rules.generated.ts, never imported.
//
// The optimizers' element-wise rules (../adam.ts, ../sgd.ts) as WebAssembly SIMD loops over engine memory.
// Every value is computed in float64 and rounded to float32 where the TypeScript rule stores it (or calls
// Math.fround), two at a time in f64x2 lanes: IEEE arithmetic without fused multiply-adds, so the results are
// bit for bit the TypeScript rules'. Arguments are byte addresses in the imported memory and a count n.

// float32 lanes 0–1 / 2–3 of a v128 as float64
function lo(v: v128): v128 { return f64x2.promote_low_f32x4(v) }
function hi(v: v128): v128 { return f64x2.promote_low_f32x4(v128.shuffle<u32>(v, v, 2, 3, 0, 1)) }
// two f64x2 rounded to float32 and packed as one v128 (a, then b)
function pack(a: v128, b: v128): v128 {
  return v128.shuffle<u32>(f32x4.demote_f64x2_zero(a), f32x4.demote_f64x2_zero(b), 0, 1, 4, 5)
}
// Math.fround of each lane
function fr(a: v128): v128 { return f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(a)) }
// Two threads' gradients (data-parallel slices, each already its share of the batch's) combine as summing into
// a float32 array does, fround(g0 + g1), which one float32 addition gives exactly (float64 holds more than twice
// float32's digits, so rounding the float64 sum to float32 is rounding the exact sum): one f32x4.add for four values.

// Adam's three steps on two lanes (float64 lanes; the moments come back rounded to float32)
function adamG(gi: v128, w: v128, WD: v128): v128 { return f64x2.add(gi, f64x2.mul(WD, w)) }
function adamM(g: v128, mo: v128, C1: v128): v128 { return fr(f64x2.add(mo, f64x2.mul(C1, f64x2.sub(g, mo)))) }
function adamV(g: v128, vo: v128, C2: v128): v128 { return fr(f64x2.add(vo, f64x2.mul(C2, f64x2.sub(f64x2.mul(g, g), vo)))) }
function adamW(w: v128, m: v128, v: v128, LR: v128): v128 {
  return f64x2.sub(w, f64x2.div(f64x2.mul(LR, m), f64x2.add(f64x2.sqrt(v), f64x2.splat(1e-7))))
}

function adamScalar(W: usize, gi: f64, m: usize, v: usize, lrT: f64, c1: f64, c2: f64, wd: f64): void {
  const w = <f64>load<f32>(W)
  const g = gi + wd * w
  const mo = <f64>load<f32>(m)
  const vo = <f64>load<f32>(v)
  const mi = <f32>(mo + c1 * (g - mo))
  const vi = <f32>(vo + c2 * (g * g - vo))
  store<f32>(m, mi)
  store<f32>(v, vi)
  store<f32>(W, <f32>(w - (lrT * <f64>mi) / (Math.sqrt(<f64>vi) + 1e-7)))
}

// Four values of Adam at byte offset o, given the combined gradient's lanes gl (0–1) and gh (2–3)
@inline function adam4(W: usize, m: usize, v: usize, o: usize, gl: v128, gh: v128, LR: v128, C1: v128, C2: v128, WD: v128): void {
  const w4 = v128.load(W + o), m4 = v128.load(m + o), v4 = v128.load(v + o)
  const wl = lo(w4), wh = hi(w4)
  const g0 = adamG(gl, wl, WD), g1 = adamG(gh, wh, WD)
  const ml = adamM(g0, lo(m4), C1), mh = adamM(g1, hi(m4), C1)
  const vl = adamV(g0, lo(v4), C2), vh = adamV(g1, hi(v4), C2)
  v128.store(m + o, pack(ml, mh))
  v128.store(v + o, pack(vl, vh))
  v128.store(W + o, pack(adamW(wl, ml, vl, LR), adamW(wh, mh, vh, LR)))
}

/** adamRule: m += c1·(g − m); v += c2·(g² − v); W −= lrT·m / (√v + 1e-7), g = g + wd·W. */
export function adam(W: usize, g: usize, m: usize, v: usize, n: i32, lrT: f64, c1: f64, c2: f64, wd: f64): void {
  const LR = f64x2.splat(lrT), C1 = f64x2.splat(c1), C2 = f64x2.splat(c2), WD = f64x2.splat(wd)
  let i = 0
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2
    const g4 = v128.load(g + o)
    adam4(W, m, v, o, lo(g4), hi(g4), LR, C1, C2, WD)
  }
  for (; i < n; i++) {
    const o = <usize>i << 2
    adamScalar(W + o, <f64>load<f32>(g + o), m + o, v + o, lrT, c1, c2, wd)
  }
}

/** adamRule2: adam on fround(g0 + g1). */
export function adam2(W: usize, g0: usize, g1: usize, m: usize, v: usize, n: i32, lrT: f64, c1: f64, c2: f64, wd: f64): void {
  const LR = f64x2.splat(lrT), C1 = f64x2.splat(c1), C2 = f64x2.splat(c2), WD = f64x2.splat(wd)
  let i = 0
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2
    const g4 = f32x4.add(v128.load(g0 + o), v128.load(g1 + o))
    adam4(W, m, v, o, lo(g4), hi(g4), LR, C1, C2, WD)
  }
  for (; i < n; i++) {
    const o = <usize>i << 2
    adamScalar(W + o, <f64>(load<f32>(g0 + o) + load<f32>(g1 + o)), m + o, v + o, lrT, c1, c2, wd)
  }
}

/** sgdRule: W −= lr·(g + wd·W). */
export function sgd(W: usize, g: usize, n: i32, lr: f64, wd: f64): void {
  const LR = f64x2.splat(lr), WD = f64x2.splat(wd)
  let i = 0
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2
    const w4 = v128.load(W + o), g4 = v128.load(g + o)
    const wl = lo(w4), wh = hi(w4)
    v128.store(W + o, pack(
      f64x2.sub(wl, f64x2.mul(LR, f64x2.add(lo(g4), f64x2.mul(WD, wl)))),
      f64x2.sub(wh, f64x2.mul(LR, f64x2.add(hi(g4), f64x2.mul(WD, wh))))))
  }
  for (; i < n; i++) {
    const o = <usize>i << 2
    const w = <f64>load<f32>(W + o)
    store<f32>(W + o, <f32>(w - lr * (<f64>load<f32>(g + o) + wd * w)))
  }
}

/** sgdRule2: sgd on fround(g0 + g1). */
export function sgd2(W: usize, g0: usize, g1: usize, n: i32, lr: f64, wd: f64): void {
  const LR = f64x2.splat(lr), WD = f64x2.splat(wd)
  let i = 0
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2
    const w4 = v128.load(W + o), g4 = f32x4.add(v128.load(g0 + o), v128.load(g1 + o))
    const wl = lo(w4), wh = hi(w4)
    v128.store(W + o, pack(
      f64x2.sub(wl, f64x2.mul(LR, f64x2.add(lo(g4), f64x2.mul(WD, wl)))),
      f64x2.sub(wh, f64x2.mul(LR, f64x2.add(hi(g4), f64x2.mul(WD, wh))))))
  }
  for (; i < n; i++) {
    const o = <usize>i << 2
    const w = <f64>load<f32>(W + o)
    const gi = <f64>(load<f32>(g0 + o) + load<f32>(g1 + o))
    store<f32>(W + o, <f32>(w - lr * (gi + wd * w)))
  }
}
