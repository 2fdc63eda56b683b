/**
 * `validate SPEC.json --data ...`: the class-count warning is about the data a run would train on, as the editor's is,
 * not always about the digits' 10 classes. Without --data a run trains on the digits, and the warning says so.
 */
import { describe, expect, it } from 'vitest'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { encodeIdx } from '../../../src-engine/data/idx'
import { PRESETS } from '../../../src-engine/models/presets'
import { lab, tempDir, writeJson } from './helpers'

const dir = tempDir()
const withUnits = (units: number) => ({
  name: `${units} classes`, input: [1, 28, 28],
  layers: [{ type: 'Affine', units: 16 }, { type: 'Relu' }, { type: 'Affine', units }, { type: 'SoftmaxWithLoss' }]
})
/** An IDX folder whose training labels are `labels` (what the warning reads), its other three files beside them. */
function folder(name: string, labels: number[]): string {
  const d = join(dir, name)
  mkdirSync(d)
  const n = labels.length
  writeFileSync(join(d, 'train-labels-idx1-ubyte'), encodeIdx([n], Uint8Array.from(labels)))
  writeFileSync(join(d, 'train-images-idx3-ubyte'), encodeIdx([n, 28, 28], new Uint8Array(n * 784)))
  writeFileSync(join(d, 't10k-labels-idx1-ubyte'), encodeIdx([n], Uint8Array.from(labels)))
  writeFileSync(join(d, 't10k-images-idx3-ubyte'), encodeIdx([n, 28, 28], new Uint8Array(n * 784)))
  return d
}
const warnings = (r: { out: string[] }) => r.out.filter((l) => l.startsWith('warning:'))

describe('validate: the class-count warning follows --data', () => {
  const five = folder('five', [0, 4, 2, 1, 3, 4])

  it('a folder of 5 classes: 5 scores fit it (no warning), 3 are too few for it, 12 too many', async () => {
    const fits = await lab('validate', writeJson(dir, 'u5.json', withUnits(5)), '--data', `idx:${five}`)
    expect(fits.code).toBe(0)
    expect(warnings(fits)).toEqual([])
    const few = await lab('validate', writeJson(dir, 'u3.json', withUnits(3)), '--data', `idx:${five}`)
    expect(warnings(few)).toEqual(['warning: affine2: gives 3 class scores to softmax1 but the folder\'s training labels use 5 classes (0 to 4), so training on the folder would not start (labels 3 and above have no score); set its units to 5'])
    const many = await lab('validate', writeJson(dir, 'u12.json', withUnits(12)), '--data', `idx:${five}`, '--json')
    const issues = (many.events.at(-1)?.report as { issues: { code: string; message: string; values: Record<string, unknown> }[] }).issues
    expect(issues).toHaveLength(1)
    expect(issues[0]).toMatchObject({ code: 'outputs-more-than-classes', values: { outputs: 12, classes: 5, data: 'folder' } })
    expect(issues[0].message).toContain('so 7 of them are for classes that never occur; set its units to 5')
  })

  it('the digits (no --data, or mnist) keep the 10-class warning; a folder without labels to read warns only of more than 10; a text only that it trains no image classifier', async () => {
    const u5 = writeJson(dir, 'd5.json', withUnits(5))
    for (const data of [[], ['--data', 'mnist']]) {
      expect(warnings(await lab('validate', u5, ...data))[0]).toContain('but the digits have 10 classes')
    }
    const empty = join(dir, 'empty')
    mkdirSync(empty)
    // (and that a run would not start on it: the check before Start, tested below)
    const noFiles = `warning: --data idx:${empty}: training would not start: the folder ${empty} holds no IDX files; an IDX folder holds train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (each may be .gz).`
    expect(warnings(await lab('validate', u5, '--data', `idx:${empty}`))).toEqual([noFiles])
    expect(warnings(await lab('validate', writeJson(dir, 'e12.json', withUnits(12)), '--data', `idx:${empty}`))).toEqual([
      'warning: affine2: gives 12 class scores to softmax1 but an IDX folder\'s labels are 0 to 9, so 2 of them are for classes that never occur; set its units to the number of classes its labels use',
      noFiles
    ])
    // a text trains no image classifier: no class count to compare, but the run would refuse the text, and validate says so
    expect(warnings(await lab('validate', u5, '--data', 'text:builtin'))).toEqual([
      'warning: --data text:builtin: a text trains only language models (task "language-model", input (T) tokens, such as the char-lstm preset), and this network takes images of (1, 28, 28); train it on the digits (--data mnist) or an IDX folder (--data idx:DIR)'
    ])
    // and a language model given images (its other warnings, for a vocabulary no text has set yet, aside)
    const lm = writeJson(dir, 'lm.json', PRESETS.find((p) => p.id === 'char-lstm')!.spec)
    const aboutData = (r: { out: string[] }) => warnings(r).filter((l) => l.includes('--data'))
    expect(aboutData(await lab('validate', lm, '--data', 'mnist'))).toEqual([
      'warning: --data mnist: this is a language model, which trains on a text, not on images; give it one with --data text:FILE (text:builtin for the shipped one)'
    ])
    expect(aboutData(await lab('validate', lm))).toEqual([])
    const bad = await lab('validate', u5, '--data', 'folder')
    expect(bad.code).toBe(2)
  })

  it('says what a run would refuse about the folder, by the lab\'s own check before Start (idx-folder.ts), with its facts in --json', async () => {
    const u5 = writeJson(dir, 'f5.json', withUnits(5))
    const gone = join(dir, 'gone')
    const r = await lab('validate', u5, '--data', `idx:${gone}`)
    // the old validate said nothing, and the network 'valid' on a folder no run can read
    expect(r.code).toBe(0)
    expect(warnings(r)).toEqual([`warning: --data idx:${gone}: training would not start: there is no folder ${gone}; check its path, or train on the built-in digits.`])
    // only the labels file: the first file the run would miss, and the IDX files there
    const labelsOnly = join(dir, 'labels-only')
    mkdirSync(labelsOnly)
    writeFileSync(join(labelsOnly, 'train-labels-idx1-ubyte'), encodeIdx([3], Uint8Array.from([0, 1, 2])))
    const j = await lab('validate', u5, '--data', `idx:${labelsOnly}`, '--json')
    const issues = (j.events.at(-1)?.report as { issues: { code: string; values: Record<string, unknown> }[] }).issues
    expect(issues.find((i) => i.code === 'data-idx-folder')?.values).toEqual({ case: 'idx-missing', dir: labelsOnly, file: 'train-images-idx3-ubyte', found: 'train-labels-idx1-ubyte' })
    // a file that does not start as IDX
    const notIdx = folder('not-idx', [0, 1, 2, 3, 4])
    writeFileSync(join(notIdx, 't10k-images-idx3-ubyte'), 'PK\u0003\u0004 a zip')
    expect(warnings(await lab('validate', u5, '--data', `idx:${notIdx}`))).toEqual([
      `warning: --data idx:${notIdx}: training would not start: t10k-images-idx3-ubyte in ${notIdx} is not an IDX file of bytes: it should start with 0x00 0x00 0x08 <dimensions> but starts with 0x50 0x4B 0x03 0x04.`
    ])
    // a gzipped labels file cut short (the old validate took every .gz on trust), and a file of float32 pixels
    const cutGz = folder('cut-gz', [0, 1, 2, 3, 4])
    const gz = gzipSync(encodeIdx([5], Uint8Array.from([0, 1, 2, 3, 4])))
    writeFileSync(join(cutGz, 'train-labels-idx1-ubyte.gz'), gz.subarray(0, gz.length - 6))
    rmSync(join(cutGz, 'train-labels-idx1-ubyte'))
    expect(warnings(await lab('validate', u5, '--data', `idx:${cutGz}`))).toEqual([
      `warning: --data idx:${cutGz}: training would not start: train-labels-idx1-ubyte.gz in ${cutGz} is gzipped but does not decompress to its end: the download or copy was cut short or is damaged; download it again, or put the uncompressed file there.`
    ])
    const floats = folder('floats', [0, 1, 2, 3, 4])
    const header = encodeIdx([5, 28, 28], new Uint8Array(0))
    header[2] = 0x0d
    writeFileSync(join(floats, 't10k-images-idx3-ubyte'), Buffer.concat([header, new Uint8Array(5 * 784 * 4)]))
    expect(warnings(await lab('validate', u5, '--data', `idx:${floats}`))[0]).toContain(`t10k-images-idx3-ubyte in ${floats} holds float32 values (IDX type 0x0D); the lab reads IDX files of unsigned bytes`)
  })

  it('validate warns and train refuses a folder of 56 × 14 images for a (1, 28, 28) network (the run fed them as 28 × 28); the row model takes 28 × 28 as (28, 28)', async () => {
    const wide = folder('wide', [0, 1, 2])
    writeFileSync(join(wide, 'train-images-idx3-ubyte'), encodeIdx([3, 56, 14], new Uint8Array(3 * 784)))
    const spec = writeJson(dir, 'u3-wide.json', withUnits(3))
    const said = `${wide}: train-images-idx3-ubyte in ${wide} holds images of 56 × 14 pixels but the network takes inputs of (1, 28, 28); set the network's input to (1, 56, 14) in the editor, or choose a folder of images its size.`
    expect(warnings(await lab('validate', spec, '--data', `idx:${wide}`))).toEqual([`warning: --data idx:${said.replace(': ', ': training would not start: ')}`])
    const t = await lab('train', '--spec', spec, '--data', `idx:${wide}`, '--epochs', '1')
    expect(t.code).not.toBe(0)
    expect(t.err.join('\n')).toContain(`--data idx:${said}`)
    const row = PRESETS.find((p) => p.spec.input.length === 2)!
    expect(warnings(await lab('validate', writeJson(dir, 'row.json', row.spec), '--data', `idx:${folder('square', [0, 1, 2])}`)).filter((w) => w.includes('pixels'))).toEqual([])
  })
})
