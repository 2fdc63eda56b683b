/**
 * Gradient clipping by global norm, as the course does for RNNs: when ‖g‖ = √(Σ over every gradient of g²)
 * exceeds maxNorm, every gradient is scaled by maxNorm / ‖g‖. Returns the norm before clipping.
 */
import type { Tensor } from '../tensor'

export function clipGrads(grads: readonly Tensor[], maxNorm: number): number {
  let sq = 0
  for (const g of grads) for (let i = 0; i < g.data.length; i++) sq += g.data[i] * g.data[i]
  const norm = Math.sqrt(sq)
  if (maxNorm > 0 && norm > maxNorm) {
    const rate = maxNorm / (norm + 1e-6)
    for (const g of grads) for (let i = 0; i < g.data.length; i++) g.data[i] *= rate
  }
  return norm
}
