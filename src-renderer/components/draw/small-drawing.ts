/**
 * Whether a drawing is too small for the model to read well. The preprocessing (lib/digit-preprocess.ts, MNIST's
 * own way) scales the ink's bounding box up to fill the 20 × 20 box, and the pen's line with it: a "1" drawn in a
 * corner becomes a solid bar, a dot a disc filling the box. The input is left as MNIST makes it; the page says so.
 *
 * The measure is the pen's width in that box: 20 × pen / the box's longer side on the pad. Measured (Q1 F6, M8) with
 * the Simple ConvNet trained 2 epochs (96.8 % held-out), on 0, 1, 4 and 7 drawn as round-capped lines 5–70 % of the
 * 280-pixel pad tall with brushes 6, 18 and 36 (108 drawings), and dots: with the pen at 5 pixels or less all 68 were
 * read right; at 6 pixels 3 of 12 were wrong (every 1, read as 8), from 6.5 to 10 pixels 8 of 16, and from 10 (the ink
 * at most two pen widths across) 9 of 12: only the 0s were right, as the blob is round. Each dot (20 pixels) was read
 * as 0, 75–96 % sure. MNIST's own strokes are about 2 pixels wide (median), 3.7 at the 99th percentile, measured as
 * twice the ink's area over its edge.
 */
import { BOX, type Bounds } from '../../lib/digit-preprocess'

/** Above this width (pixels of the 20 × 20 box) the pen's line is wider than nearly every MNIST stroke: "draw bigger". */
export const SMALL_PEN = 5
/** From this width the ink is at most two pen widths across: a blob or a dot, and the answer means little. */
export const TINY_PEN = 10

export type Smallness = 'ok' | 'small' | 'tiny'

/** The pen's width (pad pixels) as the model's input has it once the ink's box `b` is scaled to fit the 20 × 20 box. */
export function penInBox(b: Bounds, pen: number): number {
  const side = Math.max(b.x1 - b.x0, b.y1 - b.y0)
  return side > 0 ? (BOX * pen) / side : 0
}

/** 'tiny' (a dot, a blob), 'small' (readable, but drawn with a pen far too thick once scaled) or 'ok'. */
export function smallness(b: Bounds, pen: number): Smallness {
  const w = penInBox(b, pen)
  return w >= TINY_PEN ? 'tiny' : w > SMALL_PEN ? 'small' : 'ok'
}
