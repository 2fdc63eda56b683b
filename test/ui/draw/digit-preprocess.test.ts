import { describe, expect, it } from 'vitest'
import { centreOfMass, inkBounds, preprocessDigit, resampleArea, inkFromRgba } from '../../../src-renderer/lib/digit-preprocess'

function pad(w: number, h: number, fill: (x: number, y: number) => number): Float32Array {
  const a = new Float32Array(w * h)
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) a[y * w + x] = fill(x, y)
  return a
}

describe('digit preprocessing', () => {
  it('gives no prediction input for an empty pad', () => {
    expect(preprocessDigit(new Float32Array(100 * 100), 100, 100)).toBeNull()
  })

  it('ignores faint brush haze when finding the bounding box', () => {
    const ink = pad(10, 10, (x, y) => (x === 3 && y === 4 ? 1 : 0.01))
    expect(inkBounds(ink, 10, 10)).toEqual({ x0: 3, y0: 4, x1: 4, y1: 5 })
  })

  it('scales a small off-centre block to 20×20 and centres it by its centre of mass', () => {
    // a 2×2 block in the top-left corner of a 10×10 pad
    const ink = pad(10, 10, (x, y) => (x < 2 && y < 2 ? 1 : 0))
    const out = preprocessDigit(ink, 10, 10)!
    expect(out.scaled).toEqual({ w: 20, h: 20 })
    expect(out.shift).toEqual({ dx: 4, dy: 4 })
    for (let y = 0; y < 28; y++) {
      for (let x = 0; x < 28; x++) {
        const inside = x >= 4 && x < 24 && y >= 4 && y < 24
        expect(out.image[y * 28 + x], `pixel (${x}, ${y})`).toBeCloseTo(inside ? 1 : 0, 6)
      }
    }
    const com = centreOfMass(out.image, 28, 28)!
    expect(com.x).toBeCloseTo(14, 6)
    expect(com.y).toBeCloseTo(14, 6)
  })

  it('keeps the aspect ratio of a tall thin "1"', () => {
    // a stroke 4 px wide and 80 px tall, off to the right of a 200×200 pad
    const ink = pad(200, 200, (x, y) => (x >= 150 && x < 154 && y >= 30 && y < 110 ? 1 : 0))
    const out = preprocessDigit(ink, 200, 200)!
    expect(out.scaled).toEqual({ w: 1, h: 20 })
    // one column of full ink, 20 rows tall, at the centre column
    const com = centreOfMass(out.image, 28, 28)!
    expect(Math.abs(com.x - 14)).toBeLessThanOrEqual(0.5)
    expect(Math.abs(com.y - 14)).toBeLessThanOrEqual(0.5)
    let inked = 0
    for (const v of out.image) if (v > 0.5) inked++
    expect(inked).toBe(20)
  })

  it('centres a stroke drawn anywhere on the pad the same way', () => {
    const at = (ox: number, oy: number): Float32Array =>
      preprocessDigit(pad(100, 100, (x, y) => (Math.hypot(x - ox, y - oy) < 8 && Math.hypot(x - ox, y - oy) > 4 ? 1 : 0)), 100, 100)!.image
    const a = at(20, 20)
    const b = at(70, 60)
    for (let i = 0; i < a.length; i++) expect(a[i], `pixel ${i}`).toBeCloseTo(b[i], 5)
  })

  it('anti-aliases by averaging the covered area', () => {
    const src = Float32Array.from([1, 0, 1, 0, 0, 0, 0, 0])
    expect(Array.from(resampleArea(src, 4, { x0: 0, y0: 0, x1: 4, y1: 2 }, 2, 1))).toEqual([0.25, 0.25])
    // a non-integer footprint: 3 source pixels into 2 output pixels (1.5 each)
    const r = resampleArea(Float32Array.from([1, 0, 0]), 3, { x0: 0, y0: 0, x1: 3, y1: 1 }, 2, 1)
    expect(r[0]).toBeCloseTo(1 / 1.5, 6)
    expect(r[1]).toBeCloseTo(0, 6)
  })

  it('reads ink from dark strokes on a transparent or white pad', () => {
    const rgba = Uint8ClampedArray.from([0, 0, 0, 255, 255, 255, 255, 255, 0, 0, 0, 0, 0, 0, 0, 128])
    const ink = inkFromRgba(rgba, 4, 1)
    expect(ink[0]).toBeCloseTo(1)
    expect(ink[1]).toBeCloseTo(0)
    expect(ink[2]).toBeCloseTo(0)
    expect(ink[3]).toBeCloseTo(128 / 255)
  })

  it('gives exactly the 1 − luminance × alpha formula for every kind of pixel (its short cuts change nothing)', () => {
    const pixels: number[] = []
    let seed = 11
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) % 256
    for (let i = 0; i < 997; i++) {
      const kind = i % 4 // paper, black ink, grey, any colour
      const a = kind === 0 ? 0 : next()
      const grey = next()
      const [r, g, b] = kind === 1 ? [0, 0, 0] : kind === 2 ? [grey, grey, grey] : [next(), next(), next()]
      pixels.push(r, g, b, a)
    }
    const rgba = Uint8ClampedArray.from(pixels)
    const ink = inkFromRgba(rgba, 997, 1)
    const ref = new Float32Array(997)
    for (let i = 0; i < 997; i++) {
      const a = rgba[i * 4 + 3] / 255
      ref[i] = a * (1 - (0.299 * rgba[i * 4] + 0.587 * rgba[i * 4 + 1] + 0.114 * rgba[i * 4 + 2]) / 255)
    }
    expect(Array.from(ink)).toEqual(Array.from(ref))
  })
})
