import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { classCounts } from '../../../src-engine/data/dataset'
import { findMnistPackage, loadBuiltinMnist } from '../../../src-engine/data/files'
import { convertMnistDigits, encodeMnistIdx, MNIST_IMAGES_FILE, MNIST_LABELS_FILE } from '../../../src-engine/data/mnist-builtin'

const root = resolve(__dirname, '../../..')
const pkg = findMnistPackage()!
const digitJson = (d: number): number[] => JSON.parse(readFileSync(join(pkg, 'src', 'digits', `${d}.json`), 'utf8')).data
const tmp = mkdtempSync(join(tmpdir(), 'bplab-mnist-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

describe('built-in MNIST digits', () => {
  it('loads 10,000 images of (1, 28, 28) in 0..1, grouped by digit as the package stores them', () => {
    const ds = loadBuiltinMnist()
    expect(ds.n).toBe(10000)
    expect(ds.shape).toEqual([1, 28, 28])
    expect(ds.classes).toBe(10)
    expect(classCounts(ds)).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978])
    expect(ds.labels[0]).toBe(0)
    expect(ds.labels[9999]).toBe(9)
    let max = 0
    for (const v of ds.images) max = Math.max(max, v)
    expect(max).toBe(1)
    expect(loadBuiltinMnist()).toBe(ds)
  })

  it('is lossless: every pixel rounded to 3 decimals is the package value', () => {
    const ds = loadBuiltinMnist()
    let at = 0
    for (let d = 0; d < 10; d++) {
      const raw = digitJson(d)
      for (let i = 0; i < raw.length; i++) {
        const back = Math.round((Math.round(ds.images[at + i] * 255) / 255) * 1000) / 1000
        if (back !== raw[i]) throw new Error(`digit ${d} value #${i}: file gives ${back}, package has ${raw[i]}`)
      }
      at += raw.length
    }
    expect(at).toBe(10000 * 784)
  })

  it('refuses a package value that is not k/255 rounded to 3 decimals', () => {
    const raws = Array.from({ length: 10 }, () => new Array(784).fill(0))
    raws[3][100] = 0.5
    expect(() => convertMnistDigits(raws)).toThrow('mnist digit 3: value #100 = 0.5 is not k/255 rounded to 3 decimals')
  })

  it('build-mnist.mjs writes exactly the bytes of the in-engine conversion, and skips when up to date', () => {
    const out = execFileSync('node', [join(root, 'scripts/build-mnist.mjs')], { encoding: 'utf8' })
    expect(out).toMatch(/up to date|wrote 10000 digits/)
    const again = execFileSync('node', [join(root, 'scripts/build-mnist.mjs')], { encoding: 'utf8' })
    expect(again).toMatch(/up to date/)
    const { pixels, labels } = convertMnistDigits(Array.from({ length: 10 }, (_, d) => digitJson(d)))
    const mine = encodeMnistIdx(pixels, labels)
    const gen = join(root, 'resources', 'generated')
    expect(Buffer.compare(readFileSync(join(gen, MNIST_IMAGES_FILE)), mine.images)).toBe(0)
    expect(Buffer.compare(readFileSync(join(gen, MNIST_LABELS_FILE)), mine.labels)).toBe(0)
  })

  it('builds the files on the fly from the package when none are found, and saves them', () => {
    const empty = join(tmp, 'empty')
    const save = join(tmp, 'save', 'generated')
    const fresh = loadBuiltinMnist({ roots: [empty], saveTo: save })
    expect(existsSync(join(save, MNIST_IMAGES_FILE))).toBe(true)
    const reread = loadBuiltinMnist({ roots: [join(tmp, 'save')], saveTo: null })
    expect(reread.n).toBe(10000)
    expect(Buffer.compare(Buffer.from(fresh.images.buffer), Buffer.from(loadBuiltinMnist().images.buffer))).toBe(0)
    expect(Buffer.compare(Buffer.from(reread.labels), Buffer.from(fresh.labels))).toBe(0)
  })
})
