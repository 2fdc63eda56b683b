#!/usr/bin/env node
/**
 * Draws the Backprop Lab icon — a small three-layer network on a rounded square, one path lit in
 * orange for the gradient flowing back — as icon.svg and as PNGs of every size the installers want
 * (resources/icons/png/NxN.png, and icon.png at 1024). No image tools needed: shapes are signed
 * distance functions, 4×4 supersampled, written with a tiny PNG encoder (zlib + CRC-32).
 *
 *   node resources/icons/make-icons.mjs
 */
import { deflateSync } from 'node:zlib'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024]

// ── the drawing, in a 0..1 square ────────────────────────────────────────────
const layers = [
  [0.28, 0.36, 0.5, 0.64, 0.72].slice(1, 4).map((y) => [0.25, y]),
  [0.26, 0.42, 0.58, 0.74].map((y) => [0.5, y]),
  [0.4, 0.6].map((y) => [0.75, y])
]
const edges = []
for (let l = 0; l + 1 < layers.length; l++) for (const a of layers[l]) for (const b of layers[l + 1]) edges.push([a, b])
/** The lit path: output 0 → hidden 1 → input 1 (the gradient's way back). */
const lit = [[layers[2][0], layers[1][1]], [layers[1][1], layers[0][1]]]
const NODE_R = 0.055
const EDGE_W = 0.012
const LIT_W = 0.026

const BG_TOP = [0x1d, 0x2b, 0x53]
const BG_BOTTOM = [0x0e, 0x15, 0x2b]
const EDGE = [0x7f, 0x9c, 0xf5]
const NODE = [0xe8, 0xee, 0xff]
const ORANGE = [0xff, 0x9f, 0x1c]

function sdRoundRect(x, y, r) {
  const qx = Math.abs(x - 0.5) - (0.5 - 0.04 - r)
  const qy = Math.abs(y - 0.5) - (0.5 - 0.04 - r)
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r
}
function sdSegment(x, y, [ax, ay], [bx, by]) {
  const px = x - ax, py = y - ay, dx = bx - ax, dy = by - ay
  const h = Math.max(0, Math.min(1, (px * dx + py * dy) / (dx * dx + dy * dy)))
  return Math.hypot(px - dx * h, py - dy * h)
}

/** Colour (RGBA, premultiplied-free) of one sample point. */
function sample(x, y) {
  if (sdRoundRect(x, y, 0.18) > 0) return [0, 0, 0, 0]
  let c = BG_TOP.map((t, i) => t + (BG_BOTTOM[i] - t) * y)
  const over = (col, a) => { c = c.map((v, i) => v + (col[i] - v) * a) }
  for (const [a, b] of edges) if (sdSegment(x, y, a, b) < EDGE_W / 2) over(EDGE, 0.55)
  for (const [a, b] of lit) if (sdSegment(x, y, a, b) < LIT_W / 2) over(ORANGE, 1)
  for (const layer of layers) {
    for (const [nx, ny] of layer) {
      const d = Math.hypot(x - nx, y - ny)
      const isLit = lit.some(([a, b]) => (a[0] === nx && a[1] === ny) || (b[0] === nx && b[1] === ny))
      if (d < NODE_R) over(isLit ? ORANGE : NODE, 1)
      else if (d < NODE_R + 0.012) over(isLit ? ORANGE : EDGE, 0.35)
    }
  }
  return [...c, 255]
}

function render(size) {
  const SS = 4
  const px = new Uint8Array(size * size * 4)
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      const acc = [0, 0, 0, 0]
      for (let sj = 0; sj < SS; sj++) {
        for (let si = 0; si < SS; si++) {
          const s = sample((i + (si + 0.5) / SS) / size, (j + (sj + 0.5) / SS) / size)
          const a = s[3] / 255
          acc[0] += s[0] * a; acc[1] += s[1] * a; acc[2] += s[2] * a; acc[3] += a
        }
      }
      const o = (j * size + i) * 4
      const cover = acc[3] / (SS * SS)
      for (let k = 0; k < 3; k++) px[o + k] = acc[3] > 0 ? Math.round(acc[k] / acc[3]) : 0
      px[o + 3] = Math.round(cover * 255)
    }
  }
  return px
}

// ── PNG ──────────────────────────────────────────────────────────────────────
const CRC = new Int32Array(256).map((_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c
})
function crc32(buf) {
  let c = -1
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ -1) >>> 0
}
function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length)
  out.writeUInt32BE(data.length, 0)
  out.write(type, 4, 'ascii')
  data.copy(out, 8)
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length)
  return out
}
export function encodePng(size, rgba) {
  const raw = Buffer.alloc(size * (size * 4 + 1))
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0 // filter: none
    Buffer.from(rgba.buffer, y * size * 4, size * 4).copy(raw, y * (size * 4 + 1) + 1)
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(size, 0)
  ihdr.writeUInt32BE(size, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 6 // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0))
  ])
}

function svg() {
  const S = 1024
  const p = ([x, y]) => `${(x * S).toFixed(1)} ${(y * S).toFixed(1)}`
  const hex = (c) => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`
  const inset = 0.04 * S
  const lines = edges.map(([a, b]) => `<path d="M${p(a)}L${p(b)}" stroke="${hex(EDGE)}" stroke-opacity="0.55" stroke-width="${EDGE_W * S}"/>`)
  const litLines = lit.map(([a, b]) => `<path d="M${p(a)}L${p(b)}" stroke="${hex(ORANGE)}" stroke-width="${LIT_W * S}" stroke-linecap="round"/>`)
  const nodes = layers.flat().map(([x, y]) => {
    const isLit = lit.some(([a, b]) => (a[0] === x && a[1] === y) || (b[0] === x && b[1] === y))
    return `<circle cx="${x * S}" cy="${y * S}" r="${NODE_R * S}" fill="${hex(isLit ? ORANGE : NODE)}"/>`
  })
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${S} ${S}" width="${S}" height="${S}">
<title>Backprop Lab</title>
<defs><linearGradient id="bg" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${hex(BG_TOP)}"/><stop offset="1" stop-color="${hex(BG_BOTTOM)}"/></linearGradient></defs>
<rect x="${inset}" y="${inset}" width="${S - 2 * inset}" height="${S - 2 * inset}" rx="${0.18 * S}" fill="url(#bg)"/>
${[...lines, ...litLines, ...nodes].join('\n')}
</svg>
`
}

mkdirSync(join(here, 'png'), { recursive: true })
writeFileSync(join(here, 'icon.svg'), svg())
for (const size of SIZES) {
  const png = encodePng(size, render(size))
  writeFileSync(join(here, 'png', `${size}x${size}.png`), png)
  if (size === 1024) writeFileSync(join(here, 'icon.png'), png)
}
process.stdout.write(`icons written to ${here}: icon.svg, icon.png (1024), png/{${SIZES.join(',')}}\n`)
