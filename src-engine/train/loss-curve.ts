/**
 * A run's loss curve with a bounded number of points, kept by the training page (src-renderer/lib/train.svelte.ts)
 * and by the host for the autosave (src-main/projects.ts). Past MAX_CURVE_POINTS, neighbouring points are merged
 * in pairs (mean position, mean of the finite losses), and from then on each stored point is the mean of
 * `stride` batches (2, 4, 8…): a long run's history stays bounded (the MLP at batch size 1 for 1000 epochs is
 * 8 million batches) while the curve keeps its shape.
 */

/** The most points a curve keeps. */
export const MAX_CURVE_POINTS = 8192

export class CurveThinner {
  /** Batches per point of the curve: 1, doubled each time the curve goes past `max`. */
  stride = 1
  /** Batches not on the curve yet, summed until there are `stride` of them. */
  private n = 0
  private x = 0
  private loss = 0
  private finite = 0

  constructor(private readonly max = MAX_CURVE_POINTS) {}

  /** Adds one batch at position x (epochs) with its loss to the curve (xs, ys), in place. */
  push(xs: number[], ys: number[], x: number, loss: number): void {
    if (this.stride === 1) {
      xs.push(x)
      ys.push(loss)
    } else {
      this.n++
      this.x += x
      if (Number.isFinite(loss)) {
        this.loss += loss
        this.finite++
      }
      if (this.n === this.stride) {
        xs.push(this.x / this.n)
        ys.push(this.finite > 0 ? this.loss / this.finite : NaN)
        this.n = this.x = this.loss = this.finite = 0
      }
    }
    if (xs.length > this.max) this.halve(xs, ys)
  }

  /** Merges the curve's points in pairs, in place, and doubles the stride; an odd last point starts the next pair. */
  private halve(xs: number[], ys: number[]): void {
    const pairs = xs.length >> 1
    for (let i = 0; i < pairs; i++) {
      const a = ys[2 * i]
      const b = ys[2 * i + 1]
      xs[i] = (xs[2 * i] + xs[2 * i + 1]) / 2
      ys[i] = Number.isFinite(a) ? (Number.isFinite(b) ? (a + b) / 2 : a) : b
    }
    if (xs.length % 2 === 1) {
      const y = ys[xs.length - 1]
      const fin = Number.isFinite(y)
      this.n = this.stride
      this.x = xs[xs.length - 1] * this.stride
      this.loss = fin ? y * this.stride : 0
      this.finite = fin ? this.stride : 0
    }
    xs.length = pairs
    ys.length = pairs
    this.stride *= 2
  }
}
