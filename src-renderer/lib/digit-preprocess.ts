/**
 * Turn a drawing into the 28×28 image an MNIST model expects, the way MNIST itself was made:
 * crop to the ink's bounding box, scale to fit a 20×20 box keeping the aspect ratio (area-averaged,
 * so edges get anti-aliased grey levels), then shift so the centre of mass sits at the centre of 28×28.
 * Pure functions over Float32Array ink maps (0 = paper, 1 = full ink); no DOM.
 */

export const SIDE = 28
export const BOX = 20
/** Ink below this level does not count for the bounding box (stray anti-aliasing of the brush). */
const INK_THRESHOLD = 0.05

export interface Bounds { x0: number; y0: number; x1: number; y1: number } // x1, y1 exclusive

/** Bounding box of the ink, or null for an empty pad. ink (H, W) row-major. */
export function inkBounds(ink: Float32Array, width: number, height: number): Bounds | null {
  let x0 = width, y0 = height, x1 = -1, y1 = -1
  for (let y = 0; y < height; y++) {
    const row = y * width
    for (let x = 0; x < width; x++) {
      if (ink[row + x] > INK_THRESHOLD) {
        if (x < x0) x0 = x
        if (x > x1) x1 = x
        if (y < y0) y0 = y
        if (y > y1) y1 = y
      }
    }
  }
  return x1 < 0 ? null : { x0, y0, x1: x1 + 1, y1: y1 + 1 }
}

/**
 * Area-average resample of the box `b` of `ink` into an (outH, outW) image: each output pixel is the mean
 * ink over the part of the source it covers, so a thin stroke becomes a soft grey line instead of vanishing.
 */
export function resampleArea(ink: Float32Array, width: number, b: Bounds, outW: number, outH: number): Float32Array {
  const out = new Float32Array(outW * outH)
  const sx = (b.x1 - b.x0) / outW
  const sy = (b.y1 - b.y0) / outH
  for (let oy = 0; oy < outH; oy++) {
    const fy0 = b.y0 + oy * sy
    const fy1 = fy0 + sy
    for (let ox = 0; ox < outW; ox++) {
      const fx0 = b.x0 + ox * sx
      const fx1 = fx0 + sx
      let sum = 0
      for (let y = Math.floor(fy0); y < Math.ceil(fy1); y++) {
        const wy = Math.min(fy1, y + 1) - Math.max(fy0, y)
        if (wy <= 0) continue
        for (let x = Math.floor(fx0); x < Math.ceil(fx1); x++) {
          const wx = Math.min(fx1, x + 1) - Math.max(fx0, x)
          if (wx <= 0) continue
          sum += ink[y * width + x] * wx * wy
        }
      }
      out[oy * outW + ox] = sum / (sx * sy)
    }
  }
  return out
}

/** Centre of mass (x, y) of an image, in pixel-centre coordinates; null if it has no ink. */
export function centreOfMass(img: Float32Array, w: number, h: number): { x: number; y: number } | null {
  let m = 0, mx = 0, my = 0
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = img[y * w + x]
      m += v
      mx += v * (x + 0.5)
      my += v * (y + 0.5)
    }
  }
  return m > 0 ? { x: mx / m, y: my / m } : null
}

export interface Preprocessed {
  /** (28, 28) row-major, 0..1, what the model receives. */
  image: Float32Array
  /** Size of the scaled digit before centring (width, height), for the explanation beside the preview. */
  scaled: { w: number; h: number }
  /** Whole-pixel shift applied to put the centre of mass at the centre. */
  shift: { dx: number; dy: number }
  /** The ink's bounding box on the pad, which was scaled to fit the 20 × 20 box (the draw page's note on small drawings). */
  bounds: Bounds
}

/** The full MNIST-style preprocessing. Returns null for an empty pad: no ink means no prediction, not a guess. */
export function preprocessDigit(ink: Float32Array, width: number, height: number): Preprocessed | null {
  const b = inkBounds(ink, width, height)
  if (!b) return null
  const bw = b.x1 - b.x0
  const bh = b.y1 - b.y0
  const scale = BOX / Math.max(bw, bh)
  const w = Math.max(1, Math.min(BOX, Math.round(bw * scale)))
  const h = Math.max(1, Math.min(BOX, Math.round(bh * scale)))
  const small = resampleArea(ink, width, b, w, h)
  for (let i = 0; i < small.length; i++) small[i] = Math.min(1, small[i])
  const com = centreOfMass(small, w, h)!
  // Place the patch so its centre of mass lands on (14, 14), keeping it wholly inside the frame.
  const dx = clamp(Math.round(SIDE / 2 - com.x), 0, SIDE - w)
  const dy = clamp(Math.round(SIDE / 2 - com.y), 0, SIDE - h)
  const image = new Float32Array(SIDE * SIDE)
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) image[(y + dy) * SIDE + (x + dx)] = small[y * w + x]
  }
  return { image, scaled: { w, h }, shift: { dx, dy }, bounds: b }
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v
}

/**
 * Ink (0..1) from RGBA pixels of a canvas drawn in dark ink on a light pad: 1 − luminance, weighted by alpha.
 * Runs on every answer while drawing (78,400 pixels for the pad), so the two common cases are short cuts
 * with the same result: bare paper (alpha 0) is 0, and black ink is its alpha.
 */
export function inkFromRgba(rgba: Uint8ClampedArray, width: number, height: number): Float32Array {
  const ink = new Float32Array(width * height)
  for (let i = 0, j = 0; i < ink.length; i++, j += 4) {
    const alpha = rgba[j + 3]
    if (alpha === 0) continue
    const r = rgba[j], g = rgba[j + 1], b = rgba[j + 2]
    const a = alpha / 255
    ink[i] = (r | g | b) === 0 ? a : a * (1 - (0.299 * r + 0.587 * g + 0.114 * b) / 255)
  }
  return ink
}
