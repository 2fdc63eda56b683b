/**
 * A second instance of the engine's WebAssembly module (wasm/index.ts) on the engine memory, for the
 * kernels beyond GEMM (lstm-wasm.ts, layer-wasm.ts): they work on layer buffers in place, by address.
 * One instance per memory, made on first use (and kept per memory: a thread that works on two memories
 * does not instantiate the module again at every change).
 */
import { GEMM_RELAXED_WASM, GEMM_SIMD_WASM } from './binaries.generated'
import type { EngineMemory } from './memory'

function decode(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64)
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

const cache = new WeakMap<EngineMemory, Record<string, unknown> | null>()

/** The module's exports on `mem` (relaxed SIMD where it validates), or null without WebAssembly SIMD. */
export function kernelExports(mem: EngineMemory): Record<string, unknown> | null {
  const have = cache.get(mem)
  if (have !== undefined) return have
  let exports: Record<string, unknown> | null = null
  try {
    const relaxed = decode(GEMM_RELAXED_WASM)
    const bytes = WebAssembly.validate(relaxed) ? relaxed : decode(GEMM_SIMD_WASM)
    if (WebAssembly.validate(bytes)) exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory: mem.memory } }).exports
  } catch {
    exports = null
  }
  cache.set(mem, exports)
  return exports
}
