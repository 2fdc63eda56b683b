/**
 * The drawing pad's keyboard pen: where a key moves the pen. The pad is also drawn with keys, for a learner who
 * cannot use a mouse or a trackpad well and for a teacher driving the lab at a projector. The arrows move
 * straight; Home, PgUp, End and PgDn move diagonally, where 7, 9, 1 and 3 sit on a number pad (the same keys
 * with Num Lock off), since most digits need a slanted stroke.
 */

/** Pad pixels per key press: 20 presses cross the 280-pixel pad, a little more than one brush width apart. */
export const PEN_STEP = 14

const DIRECTIONS: Readonly<Record<string, readonly [number, number]>> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
  Home: [-1, -1],
  PageUp: [1, -1],
  End: [-1, 1],
  PageDown: [1, 1]
}

/** Where `key` moves a pen at (x, y) on a `size` × `size` pad (kept on the pad), or null for a key that does not move it. */
export function penMove(key: string, x: number, y: number, size: number): { x: number; y: number } | null {
  const d = DIRECTIONS[key]
  if (!d) return null
  const clamp = (v: number): number => Math.min(size, Math.max(0, v))
  return { x: clamp(x + d[0] * PEN_STEP), y: clamp(y + d[1] * PEN_STEP) }
}
