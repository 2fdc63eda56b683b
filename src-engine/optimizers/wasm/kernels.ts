/**
 * The optimizers' rules as WebAssembly SIMD loops (rules.as.ts), for float32 values that live in engine
 * memory (kernels/wasm/memory.ts), as the layers' weights and gradients do: about three times faster than
 * the TypeScript loops, bit for bit the same results. kernelsFor(arrays) returns the instance on this
 * thread's engine memory when every array lives there; otherwise the rule runs its TypeScript loop.
 */
import { RULES_WASM } from './rules.generated'
import { engineMemory } from '../../kernels/gemm'
import type { FloatArray } from '../optimizer'

/** Byte addresses and counts, as rules.as.ts takes them. */
export interface RuleKernels {
  adam(W: number, g: number, m: number, v: number, n: number, lrT: number, c1: number, c2: number, wd: number): void
  adam2(W: number, g0: number, g1: number, m: number, v: number, n: number, lrT: number, c1: number, c2: number, wd: number): void
  sgd(W: number, g: number, n: number, lr: number, wd: number): void
  sgd2(W: number, g0: number, g1: number, n: number, lr: number, wd: number): void
}

let compiled: WebAssembly.Module | null | undefined
const instances = new WeakMap<WebAssembly.Memory, RuleKernels | null>()

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const bin = atob(RULES_WASM)
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

/** The kernels on `memory`, or null where WebAssembly SIMD is not available. */
function kernelsOn(memory: WebAssembly.Memory): RuleKernels | null {
  const have = instances.get(memory)
  if (have !== undefined) return have
  let k: RuleKernels | null = null
  try {
    if (compiled === undefined) {
      const bytes = moduleBytes()
      compiled = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null
    }
    if (compiled !== null) k = new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as RuleKernels
  } catch {
    k = null
  }
  instances.set(memory, k)
  return k
}

/** The instance that reaches every array in place, or null (then the TypeScript loop runs). */
export function kernelsFor(arrays: readonly FloatArray[]): RuleKernels | null {
  for (const a of arrays) if (!(a instanceof Float32Array)) return null
  const mem = engineMemory()
  return mem !== null && arrays.every((a) => mem.owns(a as Float32Array)) ? kernelsOn(mem.memory) : null
}
