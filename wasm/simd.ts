// SIMD helpers shared by the kernels of the engine's WebAssembly module (wasm/index.ts).

/** a·b + c on four lanes: one fused multiply-add with relaxed SIMD, a multiply and an add without. */
// @ts-ignore: decorator
@inline export function fma(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c)
  return f32x4.add(f32x4.mul(a, b), c)
}
