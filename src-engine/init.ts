/**
 * Weight initialisation as the course teaches it: Gaussian weights whose spread depends on the
 * number of inputs feeding each unit (fan_in), biases zero.
 *   He      std = √(2 / fan_in)  — for ReLU networks (half the units are silent)
 *   Xavier  std = √(1 / fan_in)  — for sigmoid / tanh networks
 *   std     std = 0.01           — the course's first, fixed choice (weight_init_std)
 */
import { tensor, sizeOf, type Tensor } from './tensor'
import { kernelArray } from './kernels/gemm'
import type { Rng } from './rng'
import type { Init } from './spec-types'

/** The standard deviation for an initialisation scheme and fan-in. */
export function initStd(kind: Init, fanIn: number): number {
  if (!(fanIn >= 1)) throw new Error(`init: fan_in must be ≥ 1, got ${fanIn}`)
  switch (kind) {
    case 'he': return Math.sqrt(2 / fanIn)
    case 'xavier': return Math.sqrt(1 / fanIn)
    case 'std': return 0.01
  }
}

/** A weight tensor of `shape` drawn from N(0, std²) with the scheme's std for `fanIn`. */
export function initWeights(shape: readonly number[], kind: Init, fanIn: number, rng: Rng): Tensor {
  const std = initStd(kind, fanIn)
  // in engine memory when the WebAssembly GEMM is in use, so it reads the weights without copies
  const w = tensor(shape, kernelArray(sizeOf(shape)))
  for (let i = 0; i < w.data.length; i++) w.data[i] = rng.normal() * std
  return w
}

/** A zero bias of `size`. */
export function initBias(size: number): Tensor {
  return tensor([size], kernelArray(size))
}
