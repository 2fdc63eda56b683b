/**
 * An IDX folder Start would fail on (Q3 F12): there but empty, missing one of its four files, or holding one that is
 * not IDX. The host now refuses it before the run exists, with facts the page words in en and ko, and answers the
 * page's folder question (data:idx-classes) with the same problem, said beside the folder box. The old host took
 * every folder that existed, and the run failed after Start with the reader's English.
 */
import { describe, expect, it } from 'vitest'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { encodeIdx } from '../../src-engine/data/idx'
import { idxFolderProblem, idxFolderProblemAsync, idxShapeProblem, inflateIdxFolder } from '../../src-engine/data/idx-folder'
import { PRESETS } from '../../src-engine/models/presets'
import { disposingHosts, mlpSpec, settings } from './helpers'

const newHost = disposingHosts()
const IMAGES = encodeIdx([2, 28, 28], new Uint8Array(2 * 784))
const LABELS = encodeIdx([2], Uint8Array.from([3, 1]))

/** A folder holding `files` (name → bytes). */
function folder(files: Record<string, Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), 'm14-idx-'))
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes)
  return dir
}

const complete = (): Record<string, Uint8Array> => ({
  'train-images-idx3-ubyte': IMAGES, 'train-labels-idx1-ubyte': LABELS, 't10k-images-idx3-ubyte': IMAGES, 't10k-labels-idx1-ubyte': LABELS
})

describe('the IDX folder check before Start', () => {
  it('takes a folder of the four files, plain or gzipped, and test- for t10k-', () => {
    expect(idxFolderProblem(folder(complete()))).toBeNull()
    const gz = folder({ 'train-images-idx3-ubyte.gz': gzipSync(IMAGES), 'train-labels.idx1-ubyte': LABELS, 'test-images-idx3-ubyte': IMAGES, 'test-labels-idx1-ubyte.gz': gzipSync(LABELS) })
    expect(idxFolderProblem(gz)).toBeNull()
  })

  it('names what is wrong: no folder, a file, no IDX files, the first missing file, an empty file, a file that is not IDX', () => {
    const base = mkdtempSync(join(tmpdir(), 'm14-idx-'))
    expect(idxFolderProblem(join(base, 'nope'))).toEqual({ case: 'folder', dir: join(base, 'nope') })
    writeFileSync(join(base, 'a-file'), 'x')
    expect(idxFolderProblem(join(base, 'a-file'))).toEqual({ case: 'not-folder', dir: join(base, 'a-file') })
    const empty = join(base, 'empty')
    mkdirSync(empty)
    expect(idxFolderProblem(empty)).toEqual({ case: 'idx-none', dir: empty })
    const { 't10k-labels-idx1-ubyte': _l, ...three } = complete()
    const d3 = folder(three)
    expect(idxFolderProblem(d3)).toEqual({ case: 'idx-missing', dir: d3, file: 't10k-labels-idx1-ubyte', found: 't10k-images-idx3-ubyte, train-images-idx3-ubyte, train-labels-idx1-ubyte' })
    const zero = folder({ ...complete(), 'train-labels-idx1-ubyte': new Uint8Array(0) })
    expect(idxFolderProblem(zero)).toEqual({ case: 'idx-empty-file', dir: zero, file: 'train-labels-idx1-ubyte' })
    const noise = folder({ ...complete(), 'train-images-idx3-ubyte': Uint8Array.from([0xcc, 0x2a, 0x01, 0x07, 9, 9]) })
    expect(idxFolderProblem(noise)).toEqual({ case: 'idx-not-idx', dir: noise, file: 'train-images-idx3-ubyte', starts: '0xCC 0x2A 0x01 0x07' })
  })

  it('reads each file\'s header against its size, the pair\'s counts and the labels (Q4 B5): cut short, an absurd count, too long, a mismatch, a label past 9', async () => {
    const at = (files: Record<string, Uint8Array>) => { const dir = folder({ ...complete(), ...files }); return { dir, p: idxFolderProblem(dir) } }
    // the train images cut in half: 2 images of 28×28 promise 1,568 bytes after the 16-byte header
    let r = at({ 'train-images-idx3-ubyte': IMAGES.subarray(0, 16 + 784) })
    expect(r.p).toEqual({ case: 'idx-truncated', dir: r.dir, file: 'train-images-idx3-ubyte', declared: 1568, size: 784 })
    // a header claiming 2,147,483,647 images
    const huge = IMAGES.slice()
    new DataView(huge.buffer).setUint32(4, 2 ** 31 - 1, false)
    r = at({ 't10k-images-idx3-ubyte': huge })
    expect(r.p).toEqual({ case: 'idx-truncated', dir: r.dir, file: 't10k-images-idx3-ubyte', declared: (2 ** 31 - 1) * 784, size: 1568 })
    // shorter than its own header (3 dimensions need 16 bytes)
    r = at({ 'train-images-idx3-ubyte': IMAGES.subarray(0, 10) })
    expect(r.p).toEqual({ case: 'idx-truncated', dir: r.dir, file: 'train-images-idx3-ubyte', declared: 16, size: 10 })
    r = at({ 't10k-labels-idx1-ubyte': Uint8Array.from([...LABELS, 7]) })
    expect(r.p).toEqual({ case: 'idx-extra', dir: r.dir, file: 't10k-labels-idx1-ubyte', declared: 2, size: 3 })
    r = at({ 'train-labels-idx1-ubyte': encodeIdx([3], Uint8Array.from([1, 2, 3])) })
    expect(r.p).toEqual({ case: 'idx-count-mismatch', dir: r.dir, imagesFile: 'train-images-idx3-ubyte', labelsFile: 'train-labels-idx1-ubyte', images: 2, labels: 3 })
    r = at({ 't10k-labels-idx1-ubyte': encodeIdx([2], Uint8Array.from([9, 200])) })
    expect(r.p).toEqual({ case: 'idx-label', dir: r.dir, file: 't10k-labels-idx1-ubyte', index: 1, label: 200, top: 9 })
    // labels 0..9 pass; the plain file is the one read when both are there
    expect(at({ 'train-labels-idx1-ubyte': encodeIdx([2], Uint8Array.from([0, 9])) }).p).toBeNull()
    expect(at({ 'train-images-idx3-ubyte': new Uint8Array(0), 'train-images-idx3-ubyte.gz': gzipSync(IMAGES.subarray(0, 100)) }).p).toMatchObject({ case: 'idx-empty-file' })
    // the host refuses Start with the facts and says the problem beside the folder box
    const host = newHost()
    r = at({ 'train-labels-idx1-ubyte': encodeIdx([2], Uint8Array.from([3, 200])) })
    expect(host.start(mlpSpec(), settings({ data: { kind: 'idx', dir: r.dir } }))).toMatchObject({ ok: false, error: { code: 'train-failed', path: 'settings.data.dir', params: { case: 'idx-label', label: 200, index: 1, top: 9 } } })
    expect(await host.idxClasses(r.dir)).toMatchObject({ ok: true, value: { problem: { facts: { case: 'idx-label', file: 'train-labels-idx1-ubyte' } } } })
  })

  it('judges a gzipped file as the run reads it, once inflated: a stream cut short, a damaged one, and the plain file\'s cases inside (the old check took every .gz on trust)', async () => {
    const gzFolder = (files: Record<string, Uint8Array>) => folder({
      'train-images-idx3-ubyte.gz': gzipSync(IMAGES), 'train-labels-idx1-ubyte.gz': gzipSync(LABELS), 't10k-images-idx3-ubyte.gz': gzipSync(IMAGES), 't10k-labels-idx1-ubyte.gz': gzipSync(LABELS), ...files
    })
    const whole = gzipSync(IMAGES)
    const cases: [Record<string, Uint8Array>, object][] = [
      // a download cut short: the stream ends before its last block
      [{ 'train-images-idx3-ubyte.gz': whole.subarray(0, whole.length - 20) }, { case: 'idx-gzip', file: 'train-images-idx3-ubyte.gz' }],
      // a damaged copy: bytes changed in the middle of the stream (its check sum, or its blocks, no longer agree)
      [{ 't10k-images-idx3-ubyte.gz': Uint8Array.from(whole, (b, i) => (i > 20 && i < 40 ? b ^ 0x5a : b)) }, { case: 'idx-gzip', file: 't10k-images-idx3-ubyte.gz' }],
      // an intact stream of a file cut short, of something that is not IDX, of a count the labels do not match, of a label past 9
      [{ 'train-images-idx3-ubyte.gz': gzipSync(IMAGES.subarray(0, 100)) }, { case: 'idx-truncated', file: 'train-images-idx3-ubyte.gz', declared: 1568, size: 84 }],
      [{ 'train-labels-idx1-ubyte.gz': gzipSync(Uint8Array.from([0x50, 0x4b, 3, 4, 0, 0])) }, { case: 'idx-not-idx', file: 'train-labels-idx1-ubyte.gz', starts: '0x50 0x4B 0x03 0x04' }],
      [{ 't10k-labels-idx1-ubyte.gz': gzipSync(encodeIdx([3], Uint8Array.from([1, 2, 3]))) }, { case: 'idx-count-mismatch', imagesFile: 't10k-images-idx3-ubyte.gz', labelsFile: 't10k-labels-idx1-ubyte.gz', images: 2, labels: 3 }],
      [{ 'train-labels-idx1-ubyte.gz': gzipSync(encodeIdx([2], Uint8Array.from([4, 12]))) }, { case: 'idx-label', file: 'train-labels-idx1-ubyte.gz', index: 1, label: 12, top: 9 }]
    ]
    const host = newHost()
    for (const [files, want] of cases) {
      const dir = gzFolder(files)
      // the command line's check (inflated at once) and the host's (on the thread pool) find the same
      expect(idxFolderProblem(dir), JSON.stringify(want)).toMatchObject({ dir, ...want })
      expect(await idxFolderProblemAsync(dir)).toEqual(idxFolderProblem(dir))
      expect(await host.idxClasses(dir)).toMatchObject({ ok: true, value: { problem: { facts: { dir, ...want } } } })
      const r = await host.startRun(mlpSpec(), settings({ data: { kind: 'idx', dir } }))
      expect(r).toMatchObject({ ok: false, error: { code: 'train-failed', path: 'settings.data.dir', params: { dir, ...want } } })
    }
    expect(idxFolderProblem(gzFolder({}))).toBeNull()
    expect(await idxFolderProblemAsync(gzFolder({}))).toBeNull()
    expect(idxFolderProblem(gzFolder({}), 'cached')).toBeNull()
    // before its inflation the host's main thread takes a .gz on trust (start() alone: the run's reader checks it)
    const cut = gzFolder({ 'train-images-idx3-ubyte.gz': whole.subarray(0, whole.length - 20) })
    expect(idxFolderProblem(cut, 'cached')).toBeNull()
    await inflateIdxFolder(cut)
    expect(idxFolderProblem(cut, 'cached')).toMatchObject({ case: 'idx-gzip' })
  })

  it('names an IDX file of values other than bytes by its type (float32, int16…), where it read as not IDX; the lab reads unsigned bytes (0x08)', async () => {
    // Fashion-MNIST as float32 pixels: header 0x00 0x00 0x0D 0x03, four bytes a pixel
    const floats = new Uint8Array(16 + 4 * 784 * 2)
    floats.set(IMAGES.subarray(0, 16))
    floats[2] = 0x0d
    const dir = folder({ ...complete(), 'train-images-idx3-ubyte': floats })
    expect(idxFolderProblem(dir)).toEqual({ case: 'idx-type', dir, file: 'train-images-idx3-ubyte', typeCode: '0x0D', valueType: 'float32' })
    // two int16 labels, gzipped
    const shorts = Uint8Array.from([0, 0, 0x0b, 1, 0, 0, 0, 2, 0, 3, 0, 1])
    const gz2 = folder({ 'train-images-idx3-ubyte': IMAGES, 'train-labels-idx1-ubyte': LABELS, 't10k-images-idx3-ubyte': IMAGES, 't10k-labels-idx1-ubyte.gz': gzipSync(shorts) })
    expect(idxFolderProblem(gz2)).toEqual({ case: 'idx-type', dir: gz2, file: 't10k-labels-idx1-ubyte.gz', typeCode: '0x0B', valueType: 'int16' })
    // a type byte IDX does not define is no IDX file
    const odd = IMAGES.slice()
    odd[2] = 0x42
    const d3 = folder({ ...complete(), 'train-images-idx3-ubyte': odd })
    expect(idxFolderProblem(d3)).toMatchObject({ case: 'idx-not-idx', starts: '0x00 0x00 0x42 0x03' })
    const host = newHost()
    const r = host.start(mlpSpec(), settings({ data: { kind: 'idx', dir } }))
    expect(r).toMatchObject({ ok: false, error: { code: 'train-failed', params: { case: 'idx-type', valueType: 'float32' } } })
    expect(!r.ok && r.error.message).toContain('holds float32 values (IDX type 0x0D); the lab reads IDX files of unsigned bytes (type 0x08')
  })

  it('the host refuses Start with the facts, and answers the page\'s folder question with the same problem', async () => {
    const host = newHost()
    const empty = folder({})
    const start = (dir: string) => host.start(mlpSpec(), settings({ data: { kind: 'idx', dir } }))
    expect(start(empty)).toMatchObject({ ok: false, error: { code: 'train-failed', path: 'settings.data.dir', params: { case: 'idx-none', dir: empty } } })
    const noise = folder({ ...complete(), 't10k-images-idx3-ubyte': new Uint8Array(5000).fill(0xcc) })
    const r = start(noise)
    expect(r).toMatchObject({ ok: false, error: { params: { case: 'idx-not-idx', file: 't10k-images-idx3-ubyte', starts: '0xCC 0xCC 0xCC 0xCC' } } })
    expect(!r.ok && r.error.message).toContain('t10k-images-idx3-ubyte in ')
    // the page's question: the labels still counted (the editor's class check), the problem beside them
    expect(await host.idxClasses(noise)).toMatchObject({ ok: true, value: { used: 4, examples: 2, problem: { facts: { case: 'idx-not-idx', file: 't10k-images-idx3-ubyte' } } } })
    expect(await host.idxClasses(empty)).toMatchObject({ ok: true, value: { used: 0, problem: { facts: { case: 'idx-none', dir: empty } } } })
    expect(await host.idxClasses(folder(complete()))).toEqual({ ok: true, value: { used: 4, examples: 2, images: [{ file: 'train-images-idx3-ubyte', height: 28, width: 28 }, { file: 't10k-images-idx3-ubyte', height: 28, width: 28 }] } })
  })

  it('refuses images whose height × width the network does not take (Q4 B5: 56 × 14 trained a (1, 28, 28) network), by the network\'s kind', async () => {
    const wide = encodeIdx([2, 56, 14], new Uint8Array(2 * 784))
    const d = folder({ ...complete(), 'train-images-idx3-ubyte': wide })
    const shape = { case: 'idx-shape', dir: d, file: 'train-images-idx3-ubyte', height: 56, width: 14 }
    expect(idxShapeProblem(d, [1, 28, 28], 'classify')).toEqual({ ...shape, input: '(1, 28, 28)', want: '(1, 56, 14)' })
    expect(idxShapeProblem(d, [28, 28], 'classify')).toEqual({ ...shape, input: '(28, 28)', want: '(56, 14)' })
    expect(idxShapeProblem(d, [1, 56, 14], 'classify')).toMatchObject({ file: 't10k-images-idx3-ubyte', height: 28, width: 28, want: '(1, 28, 28)' })
    const gz = folder({ 'train-images-idx3-ubyte.gz': gzipSync(encodeIdx([2, 32, 32], new Uint8Array(2 * 1024))), 'train-labels-idx1-ubyte': LABELS, 't10k-images-idx3-ubyte': IMAGES, 't10k-labels-idx1-ubyte': LABELS })
    expect(idxShapeProblem(gz, [1, 28, 28], 'reconstruct')).toMatchObject({ file: 'train-images-idx3-ubyte.gz', height: 32, width: 32, want: '(1, 32, 32)' })
    // every image preset takes 28 × 28 images: classifiers and autoencoders as (1, 28, 28), the row model as (28, 28)
    const ok = folder(complete())
    for (const p of PRESETS.filter((p) => p.spec.task !== 'language-model')) expect(idxShapeProblem(ok, p.spec.input, p.spec.task), p.id).toBeNull()
    expect(PRESETS.some((p) => p.spec.input.length === 2)).toBe(true)
    expect(idxShapeProblem(ok, [784], 'classify')).toBeNull()
    expect(idxShapeProblem(ok, [100], 'classify')).toMatchObject({ want: '(784)' })

    const host = newHost()
    const r = host.start(mlpSpec(), settings({ data: { kind: 'idx', dir: d } }))
    expect(r).toMatchObject({ ok: false, error: { code: 'train-failed', path: 'settings.data.dir', params: { ...shape, input: '(1, 28, 28)', want: '(1, 56, 14)' } } })
    expect(!r.ok && r.error.message).toContain('set the network\'s input to (1, 56, 14) in the editor')
    // the page's question: the sizes, which it holds against the editor's input (folder-classes.svelte.ts)
    expect(await host.idxClasses(d)).toMatchObject({ ok: true, value: { images: [{ file: 'train-images-idx3-ubyte', height: 56, width: 14 }, { height: 28, width: 28 }] } })
  })
})
