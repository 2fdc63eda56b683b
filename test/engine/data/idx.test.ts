import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { encodeIdx, idxPairToDataset, isGzip, parseIdx } from '../../../src-engine/data/idx'
import { loadIdxDir } from '../../../src-engine/data/files'
import { classCounts } from '../../../src-engine/data/dataset'

/** n images of h×w whose pixel (i, y, x) is (7i + 3y + x) mod 256, and labels i mod 10. */
function toyPair(n: number, h = 4, w = 5): { images: Uint8Array; labels: Uint8Array } {
  const px = new Uint8Array(n * h * w)
  for (let i = 0; i < n; i++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) px[(i * h + y) * w + x] = (7 * i + 3 * y + x) % 256
  const labels = Uint8Array.from({ length: n }, (_, i) => i % 10)
  return { images: encodeIdx([n, h, w], px), labels: encodeIdx([n], labels) }
}

const names = { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' }
const tmp = mkdtempSync(join(tmpdir(), 'bplab-idx-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

describe('parseIdx', () => {
  it('reads the header big-endian and the bytes row-major', () => {
    const { images } = toyPair(3)
    const a = parseIdx(images, 'x')
    expect(a.dims).toEqual([3, 4, 5])
    expect(a.data[(2 * 4 + 1) * 5 + 3]).toBe((14 + 3 + 3) % 256)
  })

  it('detects gzip by its magic bytes, whatever the name', () => {
    const { images } = toyPair(3)
    const gz = gzipSync(images)
    expect(isGzip(gz)).toBe(true)
    expect(isGzip(images)).toBe(false)
    expect(parseIdx(gz, 'plain-looking-name').data).toEqual(parseIdx(images, 'x').data)
  })

  it('rejects a file without the IDX magic, showing its first bytes', () => {
    const bytes = new TextEncoder().encode('PK\u0003\u0004 not idx')
    expect(() => parseIdx(bytes, 'mystery.bin')).toThrow('mystery.bin is not an IDX file: it should start with 0x00 0x00 <dtype> <ndim> but starts with 0x50 0x4B 0x03 0x04')
  })

  it('rejects a dtype other than unsigned byte, naming the type', () => {
    const bytes = toyPair(2).images.slice()
    bytes[2] = 0x0d
    expect(() => parseIdx(bytes, 'f.idx')).toThrow('f.idx has dtype code 0x0D (float32); MNIST-format files hold unsigned bytes (0x08)')
    bytes[2] = 0x42
    expect(() => parseIdx(bytes, 'f.idx')).toThrow('0x42, which is not an IDX type')
  })

  it('reports a truncated gzipped file with the declared and actual sizes', () => {
    const header = encodeIdx([60000, 28, 28], new Uint8Array(0))
    const bytes = new Uint8Array(header.length + 1234)
    bytes.set(header)
    expect(() => parseIdx(gzipSync(bytes), 'train-images-idx3-ubyte.gz')).toThrow(
      'train-images-idx3-ubyte.gz is truncated: header declares 60000 images of 28×28 (47,040,000 bytes) but only 1,234 bytes follow'
    )
  })

  it('reports a gzip stream cut short, a short header and extra trailing bytes', () => {
    const gz = gzipSync(toyPair(50).images)
    expect(() => parseIdx(gz.subarray(0, gz.length - 30), 'cut.gz')).toThrow(/cut.gz looks gzipped but cannot be decompressed/)
    expect(() => parseIdx(new Uint8Array([0, 0, 8, 3, 0, 0]), 'h')).toThrow('h is truncated: its header needs 16 bytes but the file has 6')
    const long = new Uint8Array(toyPair(2).labels.length + 3)
    long.set(toyPair(2).labels)
    expect(() => parseIdx(long, 'l')).toThrow('l has 3 bytes more than its header declares (2 labels, 2 bytes)')
  })
})

describe('idxPairToDataset', () => {
  it('scales pixels to 0..1 and keeps labels', () => {
    const { images, labels } = toyPair(12)
    const ds = idxPairToDataset(images, labels, names)
    expect(ds.n).toBe(12)
    expect(ds.shape).toEqual([1, 4, 5])
    expect(ds.images[20]).toBeCloseTo(7 / 255, 7)
    expect(Array.from(ds.labels.subarray(9, 12))).toEqual([9, 0, 1])
  })

  it('rejects images and labels of different counts', () => {
    const a = toyPair(12)
    const b = toyPair(11)
    expect(() => idxPairToDataset(a.images, b.labels, names)).toThrow(
      'train-images-idx3-ubyte has 12 images but train-labels-idx1-ubyte has 11 labels; they must come in matching pairs'
    )
  })

  it('rejects a label outside 0..9, naming its position', () => {
    const { images } = toyPair(3)
    const labels = encodeIdx([3], Uint8Array.from([1, 2, 12]))
    expect(() => idxPairToDataset(images, labels, names)).toThrow('train-labels-idx1-ubyte: label #2 is 12, outside 0..9')
  })

  it('rejects files swapped round (labels given as images)', () => {
    const { images, labels } = toyPair(3)
    expect(() => idxPairToDataset(labels, images, names)).toThrow(/should hold images \(3 dimensions/)
  })
})

describe('loadIdxDir', () => {
  it('finds train and t10k files, gzipped or not, in a folder', () => {
    const dir = join(tmp, 'mixed')
    mkdirSync(dir)
    const tr = toyPair(30)
    const te = toyPair(10, 4, 5)
    writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), gzipSync(tr.images))
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), tr.labels)
    writeFileSync(join(dir, 't10k-images.idx3-ubyte'), te.images)
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte.gz'), gzipSync(te.labels))
    writeFileSync(join(dir, 'README.txt'), 'not data')
    const { train, test } = loadIdxDir(dir)
    expect(train.n).toBe(30)
    expect(test.n).toBe(10)
    expect(train.classNames).toBeUndefined()
  })

  it('names the missing file and lists what the folder holds', () => {
    const dir = join(tmp, 'half')
    mkdirSync(dir)
    writeFileSync(join(dir, 'train-images-idx3-ubyte'), toyPair(2).images)
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), toyPair(2).labels)
    expect(() => loadIdxDir(dir)).toThrow(`No t10k-images-idx3-ubyte(.gz) in ${dir} (IDX files there: train-images-idx3-ubyte, train-labels-idx1-ubyte)`)
    expect(() => loadIdxDir(join(tmp, 'nowhere'))).toThrow(/Cannot read the folder/)
  })
})

const FASHION = '/usr/share/datasets/fashion-mnist'
const haveFashion = existsSync(join(FASHION, 'train-images-idx3-ubyte.gz'))
if (!haveFashion) console.warn(`Fashion-MNIST tests skipped: ${FASHION} is missing (apt-get install dataset-fashion-mnist)`)

describe.skipIf(!haveFashion)('Debian dataset-fashion-mnist', () => {
  it('loads 60,000 + 10,000 images of 28×28 with 10 balanced, named classes', () => {
    const started = performance.now()
    const { train, test } = loadIdxDir(FASHION)
    const ms = performance.now() - started
    console.log(`Fashion-MNIST: loaded 70,000 images in ${ms.toFixed(0)} ms`)
    expect(train.n).toBe(60000)
    expect(test.n).toBe(10000)
    expect(train.shape).toEqual([1, 28, 28])
    expect(classCounts(train)).toEqual(Array(10).fill(6000))
    expect(classCounts(test)).toEqual(Array(10).fill(1000))
    expect(train.classNames?.[9]).toBe('Ankle boot')
    // Published facts about the set: the first training label is 9 (ankle boot); pixel mean ≈ 0.286.
    expect(train.labels[0]).toBe(9)
    let sum = 0
    for (let i = 0; i < test.images.length; i++) sum += test.images[i]
    expect(sum / test.images.length).toBeCloseTo(0.2868, 2)
  })

  it('reports the real file as truncated when its tail is cut off', () => {
    const full = parseIdx(readFileSync(join(FASHION, 't10k-labels-idx1-ubyte.gz')), 't10k-labels-idx1-ubyte.gz')
    const cut = encodeIdx([10000], full.data).subarray(0, 5008)
    expect(() => parseIdx(cut, 't10k-labels-idx1-ubyte')).toThrow(
      't10k-labels-idx1-ubyte is truncated: header declares 10000 labels (10,000 bytes) but only 5,000 bytes follow'
    )
  })
})
