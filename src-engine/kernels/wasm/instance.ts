/**
 * A second instance of the engine's WebAssembly module (wasm/index.ts) on the engine memory, for the
 * kernels beyond GEMM (lstm-wasm.ts, layer-wasm.ts): they work on layer buffers in place, by address.
 * One instance per memory (per thread), made on first use.
 */
import { GEMM_RELAXED_WASM, GEMM_SIMD_WASM } from './binaries.generated'
import type { EngineMemory } from './memory'

function decode(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64)
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

let cache: { mem: EngineMemory; exports: Record<string, unknown> | null } | null = null

/** The module's exports on `mem` (relaxed SIMD where it validates), or null without WebAssembly SIMD. */
export function kernelExports(mem: EngineMemory): Record<string, unknown> | null {
  if (cache !== null && cache.mem === mem) return cache.exports
  let exports: Record<string, unknown> | null = null
  try {
    const relaxed = decode(GEMM_RELAXED_WASM)
    const bytes = WebAssembly.validate(relaxed) ? relaxed : decode(GEMM_SIMD_WASM)
    if (WebAssembly.validate(bytes)) exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory: mem.memory } }).exports
  } catch {
    exports = null
  }
  cache = { mem, exports }
  return exports
}
