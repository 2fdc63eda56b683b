/**
 * A run's last good weights: what the lab holds after the run diverges, instead of the NaN or exploded weights
 * the diverging steps left (a learner who tries a huge learning rate on a trained network, as the lessons invite,
 * would otherwise lose it: the draw page, exports and saves all use the held model).
 *
 * The trainer offers each batch's weights after the divergence check has passed and before the update, so the
 * weights it copies are exactly those that gave that batch's loss. It takes them only when the loss is below the
 * run's first batch's (the run has learned something since it started: a copy no better than the start is not
 * worth keeping, and the session then goes back to the model held before the run) and, to keep the cost small, at
 * most every `everyMs`, with at least 100 times the last copy's time between copies (a big network's copy costs
 * more). On W1 (the SimpleConvNet, 433,890 weights, 1.74 MB) a copy takes 0.13-0.16 ms against a one-thread step of
 * ~28 ms: at every batch 0.5 %, at most every 200 ms under 0.1 % (Trainer runs alternated, default/off 1.006 with a
 * spread of ±7 %; bench/lab.ts does not run the Trainer, so its W1 figure cannot show it).
 *
 * The copy is ordinary memory, not engine memory, allocated once per run at the first copy (its size, 4 bytes per
 * weight, is the model's weights and saved buffers); a failed allocation leaves the run without one. It is dropped
 * when the run ends, so only a training run holds it.
 */
import type { Tensor } from '../tensor'
import type { Sequential } from '../models/sequential'

/** The shortest time between two copies (ms). */
export const KEEP_EVERY_MS = 200
/** A copy may cost at most 1/COPY_SHARE of the time between copies. */
const COPY_SHARE = 100

/** Where the kept weights come from: their epoch and batch (1-based, the run's own count) and that batch's loss. */
export interface KeptAt { epoch: number; batch: number; loss: number }

export class LastGood {
  /** Every weight and saved buffer (BatchNormalization's running statistics), in the model's order. */
  private readonly tensors: Tensor[]
  private copy: Float32Array | null = null
  private failed = false
  /** The earliest time of the next copy; null before the first offer. */
  private next: number | null = null
  at: KeptAt | null = null

  constructor(model: Sequential, private readonly now: () => number, private readonly everyMs = KEEP_EVERY_MS) {
    this.tensors = []
    for (const layer of model.layers) {
      for (const p of layer.params) this.tensors.push(p)
      for (const b of layer.buffers ?? []) this.tensors.push(b.tensor)
    }
  }

  /**
   * The weights that just gave `loss` at batch `batch` of epoch `epoch`, before that batch's update; `firstLoss` is
   * the run's first batch's. The first offer starts the clock (no copy: its loss is the first loss).
   */
  offer(epoch: number, batch: number, loss: number, firstLoss: number | null): void {
    const t = this.now()
    if (this.next === null) {
      this.next = t + this.everyMs
      return
    }
    if (t < this.next || this.failed || firstLoss === null || !(loss < firstLoss)) return
    if (!this.take()) return
    const took = this.now() - t
    this.at = { epoch, batch, loss }
    this.next = t + Math.max(this.everyMs, COPY_SHARE * took)
  }

  /** Writes the kept weights back into the model; returns where they come from, or null (nothing kept). */
  restore(): KeptAt | null {
    const copy = this.copy
    if (!copy || !this.at) return null
    let at = 0
    for (const t of this.tensors) {
      t.data.set(copy.subarray(at, at + t.data.length))
      at += t.data.length
    }
    return this.at
  }

  /** Frees the copy (the run has ended). */
  drop(): void {
    this.copy = null
    this.at = null
    this.failed = true
  }

  private take(): boolean {
    if (!this.copy) {
      let n = 0
      for (const t of this.tensors) n += t.data.length
      try {
        this.copy = new Float32Array(n)
      } catch {
        // no room for a copy (a network near the memory limit): the run trains on without one
        this.failed = true
        return false
      }
    }
    let at = 0
    for (const t of this.tensors) {
      this.copy.set(t.data, at)
      at += t.data.length
    }
    return true
  }
}
