/**
 * Element-wise activations as forward/backward kernel pairs over flat buffers of n values.
 * Backward kernels write dx and never touch dout.
 * The ReLU family multiplies by the comparison (`v * (v > 0)`) instead of branching: on real
 * activations the sign is random, a branch mispredicts half the time, and measured on V8 the
 * branch-free form is about 4× faster. The trailing `+ 0` turns the −0 of negative inputs into +0.
 * ReLU runs in WebAssembly SIMD (kernels/wasm/layer-wasm.ts) when both buffers live in engine memory:
 * same results, about an order of magnitude faster than the loop.
 */
import { engineMemory } from './gemm'
import { layerKernels, type LayerKernels } from './wasm/layer-wasm'

/** Below this many values the loop is as fast as the call into WebAssembly. */
const WASM_MIN = 64

/** The WebAssembly kernels when `n` is worth it and every buffer lives in engine memory, else null. */
function wasmFor(n: number, a: Float32Array, b: Float32Array, c?: Float32Array): LayerKernels | null {
  if (n < WASM_MIN) return null
  const k = layerKernels(engineMemory())
  return k !== null && k.owns(a) && k.owns(b) && (c === undefined || k.owns(c)) ? k : null
}

/** out = max(0, x). */
export function reluForward(out: Float32Array, x: Float32Array, n: number): void {
  const k = wasmFor(n, out, x)
  if (k !== null) return k.reluForward(out, x, n)
  for (let i = 0; i < n; i++) {
    const v = x[i]
    out[i] = v * +(v > 0) + 0
  }
}

/** dx = dout where x > 0, else 0 (the gradient at exactly 0 is taken as 0, like the course's mask). */
export function reluBackward(dx: Float32Array, dout: Float32Array, x: Float32Array, n: number): void {
  const k = wasmFor(n, dx, dout, x)
  if (k !== null) return k.reluBackward(dx, dout, x, n)
  for (let i = 0; i < n; i++) dx[i] = dout[i] * +(x[i] > 0) + 0
}

/** out = x for x > 0, alpha·x otherwise. */
export function leakyReluForward(out: Float32Array, x: Float32Array, alpha: number, n: number): void {
  const k = 1 - alpha
  for (let i = 0; i < n; i++) {
    const v = x[i]
    out[i] = v * (alpha + k * +(v > 0))
  }
}

/** dx = dout where x > 0, alpha·dout otherwise. */
export function leakyReluBackward(dx: Float32Array, dout: Float32Array, x: Float32Array, alpha: number, n: number): void {
  const k = 1 - alpha
  for (let i = 0; i < n; i++) dx[i] = dout[i] * (alpha + k * +(x[i] > 0))
}

/** out = 1 / (1 + e^−x), written so that neither branch overflows. */
export function sigmoidForward(out: Float32Array, x: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const v = x[i]
    if (v >= 0) {
      out[i] = 1 / (1 + Math.exp(-v))
    } else {
      const e = Math.exp(v)
      out[i] = e / (1 + e)
    }
  }
}

/** dx = dout · y · (1 − y), from the forward output y (as the course does). */
export function sigmoidBackward(dx: Float32Array, dout: Float32Array, y: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) dx[i] = dout[i] * y[i] * (1 - y[i])
}

/** out = tanh(x). */
export function tanhForward(out: Float32Array, x: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i])
}

/** dx = dout · (1 − y²), from the forward output y. */
export function tanhBackward(dx: Float32Array, dout: Float32Array, y: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) dx[i] = dout[i] * (1 - y[i] * y[i])
}
