/** Training metrics shared by the trainer, the evaluation and the replica threads. */
import type { Tensor } from '../tensor'

/** Rows of scores (N, K) — or (N, T, K) — whose arg-max equals the class index in t (N) — or (N, T). */
export function countCorrect(scores: Tensor, t: Tensor): number {
  const N = t.data.length
  const K = scores.data.length / N
  let correct = 0
  for (let n = 0; n < N; n++) {
    let best = 0
    for (let k = 1; k < K; k++) if (scores.data[n * K + k] > scores.data[n * K + best]) best = k
    if (best === t.data[n]) correct++
  }
  return correct
}
