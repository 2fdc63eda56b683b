// AssemblyScript source of the engine module's FMA-only probe: the machine's ceiling for the GEMM's
// micro-kernel (wasm/gemm.ts). `npm run bench` reports it beside W5 (metric fma_peak), because this
// machine's speed changes by tens of per cent from one second to the next (a shared host), so a GEMM
// figure means little without the ceiling measured at the same time.

import { fma } from './simd'

/**
 * `steps` steps of the 6×8 micro-kernel's instruction mix without its memory traffic: two vector loads
 * and six splat loads from the same 56 bytes at p (always in L1), twelve independent multiply-adds.
 * 96 flops per step. Overwrites 64 bytes at p (scratch) with operands that keep every sum normal (no
 * subnormals, no overflow), and returns a sum so that nothing is optimised away.
 */
export function fmaPeak(steps: i32, p: usize): f32 {
  v128.store(p, f32x4.splat(1)); v128.store(p, f32x4.splat(1), 16)
  v128.store(p, f32x4.splat(0.001), 32); v128.store(p, f32x4.splat(0.001), 48)
  let c0 = f32x4.splat(0), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0
  let c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0
  for (let i = 0; i < steps; i++) {
    const b0 = v128.load(p), b1 = v128.load(p, 16)
    let a = v128.load32_splat(p, 32)
    c0 = fma(a, b0, c0); c1 = fma(a, b1, c1)
    a = v128.load32_splat(p, 36)
    c2 = fma(a, b0, c2); c3 = fma(a, b1, c3)
    a = v128.load32_splat(p, 40)
    c4 = fma(a, b0, c4); c5 = fma(a, b1, c5)
    a = v128.load32_splat(p, 44)
    c6 = fma(a, b0, c6); c7 = fma(a, b1, c7)
    a = v128.load32_splat(p, 48)
    c8 = fma(a, b0, c8); c9 = fma(a, b1, c9)
    a = v128.load32_splat(p, 52)
    c10 = fma(a, b0, c10); c11 = fma(a, b1, c11)
  }
  const s = f32x4.add(f32x4.add(f32x4.add(c0, c1), f32x4.add(c2, c3)), f32x4.add(f32x4.add(f32x4.add(c4, c5), f32x4.add(c6, c7)),
    f32x4.add(f32x4.add(c8, c9), f32x4.add(c10, c11))))
  return f32x4.extract_lane(s, 0)
}
