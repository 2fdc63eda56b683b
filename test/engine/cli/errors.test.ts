import { describe, expect, it } from 'vitest'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { encodeIdx } from '../../../src-engine/data/idx'
import { lab, tempDir, writeJson } from './helpers'

const dir = tempDir()

/** No stack trace may reach the user: no "at file:line" frames, no "Error:" class prefixes. */
function expectNoStack(text: string): void {
  expect(text).not.toMatch(/\n\s+at .+:\d+/)
  expect(text).not.toMatch(/^(Type|Reference|Range)?Error:/m)
}

describe('command line: help and usage errors', () => {
  it('prints help with every command, and per-command help', async () => {
    const r = await lab('--help')
    expect(r.code).toBe(0)
    for (const c of ['presets', 'validate', 'train', 'predict', 'export', 'bench']) expect(r.out.join('\n')).toContain(c)
    const t = await lab('train', '--help')
    expect(t.code).toBe(0)
    expect(t.out.join('\n')).toContain('--epochs N')
    expect((await lab()).code).toBe(2)
  })

  it('rejects an unknown command and an unknown flag, saying what is accepted', async () => {
    const c = await lab('trian')
    expect(c.code).toBe(2)
    expect(c.err.join('\n')).toContain('unknown command "trian"; the commands are presets, validate, train, predict, evaluate, generate, export and bench')
    const f = await lab('train', '--preset', 'mlp', '--epoch', '3')
    expect(f.code).toBe(2)
    expect(f.err.join('\n')).toMatch(/unknown flag --epoch for "train"; it accepts .*--epochs/)
    const j = await lab('train', '--preset', 'mlp', '--bogus', '--json')
    expect(j.code).toBe(2)
    expect(j.events.at(-1)).toMatchObject({ event: 'error', code: 'usage' })
  })

  it('rejects bad values for flags and an unknown preset', async () => {
    expect((await lab('train', '--preset', 'mlp', '--epochs', '-2')).err.join('')).toContain('--epochs must be a whole number of at least 1, got "-2"')
    expect((await lab('train', '--preset', 'mlp', '--lr', 'fast')).err.join('')).toContain('--lr must be a positive number, got "fast"')
    expect((await lab('train', '--preset', 'mlp', '--optimizer', 'adamw')).err.join('')).toContain('--optimizer must be one of SGD, Momentum, Nesterov, AdaGrad, RMSProp, Adam')
    expect((await lab('train', '--preset', 'mlp', '--data', 'cifar')).err.join('')).toContain('--data must be "mnist"')
    const p = await lab('train', '--preset', 'nope')
    expect(p.code).toBe(2)
    expect(p.err.join('')).toMatch(/there is no preset "nope"; choose one of .*simple-convnet/)
  })
})

describe('command line: bad networks and files', () => {
  it('names an unknown layer type', async () => {
    const spec = writeJson(dir, 'unknown.json', { input: [1, 28, 28], layers: [{ type: 'Convolutoin', filters: 8, kernel: 3 }, { type: 'SoftmaxWithLoss' }] })
    for (const cmd of [['validate', spec], ['train', '--spec', spec]]) {
      const r = await lab(...cmd)
      expect(r.code).toBe(1)
      const text = r.err.join('\n')
      expect(text).toContain('Convolutoin')
      expectNoStack(text)
    }
  })

  it('names a negative size and the field it is in', async () => {
    const spec = writeJson(dir, 'negative.json', { input: [1, 28, 28], layers: [{ type: 'Convolution', filters: -4, kernel: 3 }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] })
    const r = await lab('train', '--spec', spec, '--json')
    expect(r.code).toBe(1)
    const last = r.events.at(-1) as { event: string; code: string; message: string }
    expect(last).toMatchObject({ event: 'error', code: 'invalid-spec' })
    expect(last.message).toContain('conv1')
    expect(last.message).toMatch(/filters/)
  })

  it('says when the data has another number of channels than the network expects', async () => {
    const spec = writeJson(dir, 'rgb.json', { input: [3, 28, 28], layers: [{ type: 'Convolution', filters: 4, kernel: 5 }, { type: 'Relu' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] })
    const r = await lab('train', '--spec', spec, '--epochs', '1')
    expect(r.code).toBe(1)
    expect(r.err.join('\n')).toContain('the network expects inputs of (3, 28, 28) but the training data has examples of (1, 28, 28)')
  })

  it('refuses to train a network without a loss layer', async () => {
    const spec = writeJson(dir, 'noloss.json', { input: [1, 28, 28], layers: [{ type: 'Affine', units: 10 }] })
    const r = await lab('train', '--spec', spec, '--epochs', '1')
    expect(r.code).toBe(1)
    expect(r.err.join('\n')).toMatch(/loss/)
    expectNoStack(r.err.join('\n'))
  })

  it('reports a spec file that is not JSON or does not exist', async () => {
    const p = join(dir, 'broken.json')
    writeFileSync(p, '{ "input": [1, 28, 28], ')
    expect((await lab('validate', p)).err.join('')).toContain(`the spec file ${p} is not valid JSON`)
    expect((await lab('train', '--spec', join(dir, 'missing.json'))).err.join('')).toContain('does not exist')
  })

  it('says a text --data names is not there, or is a folder, in words (not Node\'s ENOENT)', async () => {
    const missing = join(dir, 'no-such-text.txt')
    // before: "error: ENOENT: no such file or directory, open '…'"
    expect((await lab('train', '--preset', 'char-rnn', '--data', `text:${missing}`, '--epochs', '1')).err).toEqual([`error: there is no text file ${missing}; check its path`])
    const lm = join(dir, 'lm.json')
    writeFileSync(lm, JSON.stringify({ task: 'language-model', input: [16], layers: [{ type: 'TimeEmbedding', dim: 4 }, { type: 'TimeLSTM', hidden: 4 }, { type: 'TimeAffine', units: 'vocab' }, { type: 'TimeSoftmaxWithLoss' }] }))
    expect((await lab('validate', lm, '--data', `text:${dir}`)).err.join('\n')).toContain(`--data text:${dir}: ${dir} is a folder, not a text file`)
  })

  it('reports a truncated IDX file with the numbers', async () => {
    const idx = join(dir, 'idx')
    mkdirSync(idx)
    const labels = encodeIdx([10], new Uint8Array(10))
    const images = encodeIdx([10, 28, 28], new Uint8Array(10 * 784))
    writeFileSync(join(idx, 'train-images-idx3-ubyte'), images.subarray(0, 2000))
    writeFileSync(join(idx, 'train-labels-idx1-ubyte'), labels)
    writeFileSync(join(idx, 't10k-images-idx3-ubyte'), images)
    writeFileSync(join(idx, 't10k-labels-idx1-ubyte'), labels)
    const r = await lab('train', '--preset', 'mlp', '--data', `idx:${idx}`, '--epochs', '1', '--json')
    expect(r.code).toBe(1)
    const last = r.events.at(-1) as { event: string; code: string; message: string }
    expect(last.event).toBe('error')
    expect(last.code).toBe('data')
    // named as the lab's Start names it (data/idx-folder.ts): 10 images of 28 × 28 promise 7,840 bytes after the header
    expect(last.message).toBe(`--data idx:${idx}: train-images-idx3-ubyte in ${idx} is cut short: its header declares 7840 bytes of data but the file holds 1984; copy the complete file there again.`)
    expectNoStack(last.message)
  })

  it('train and evaluate name a damaged .gz as the lab does, and evaluate refuses images of another size (it scored 56 × 14 images as 28 × 28)', async () => {
    const folder = (name: string, files: Record<string, Uint8Array>): string => {
      const d = join(dir, name)
      mkdirSync(d)
      for (const [f, bytes] of Object.entries(files)) writeFileSync(join(d, f), bytes)
      return d
    }
    const labels = encodeIdx([10], Uint8Array.from({ length: 10 }, (_, i) => i))
    const images = encodeIdx([10, 28, 28], new Uint8Array(10 * 784).fill(30))
    const wideImages = encodeIdx([10, 56, 14], new Uint8Array(10 * 784).fill(30))
    const good = folder('good', { 'train-images-idx3-ubyte': images, 'train-labels-idx1-ubyte': labels, 't10k-images-idx3-ubyte': images, 't10k-labels-idx1-ubyte': labels })
    const gz = gzipSync(images)
    const cut = folder('cut-gz', { 'train-images-idx3-ubyte.gz': gz, 'train-labels-idx1-ubyte': labels, 't10k-images-idx3-ubyte.gz': gz.subarray(0, gz.length - 30), 't10k-labels-idx1-ubyte': labels })
    const wide = folder('wide', { 'train-images-idx3-ubyte': wideImages, 'train-labels-idx1-ubyte': labels, 't10k-images-idx3-ubyte': wideImages, 't10k-labels-idx1-ubyte': labels })
    const gzipWords = `t10k-images-idx3-ubyte.gz in ${cut} is gzipped but does not decompress to its end`
    const t = await lab('train', '--preset', 'mlp', '--data', `idx:${cut}`, '--epochs', '1', '--json')
    expect(t.code).toBe(1)
    expect(t.events.at(-1)).toMatchObject({ event: 'error', code: 'data', message: expect.stringContaining(`--data idx:${cut}: ${gzipWords}`) })

    const spec = writeJson(dir, 'img-mlp.json', { name: 'img mlp', input: [1, 28, 28], layers: [{ type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] })
    const weights = join(dir, 'img-mlp.safetensors')
    expect((await lab('train', '--spec', spec, '--data', `idx:${good}`, '--epochs', '1', '--batch', '5', '--out', weights)).code).toBe(0)
    expect((await lab('evaluate', '--weights', weights, '--data', `idx:${good}`)).code).toBe(0)
    const e = await lab('evaluate', '--weights', weights, '--data', `idx:${cut}`)
    expect(e.code).toBe(1)
    expect(e.err.join('\n')).toContain(`--data idx:${cut}: ${gzipWords}: the download or copy was cut short or is damaged; download it again, or put the uncompressed file there.`)
    const w = await lab('evaluate', '--weights', weights, '--data', `idx:${wide}`)
    expect(w.code).toBe(1)
    expect(w.err.join('\n')).toContain(`--data idx:${wide}: train-images-idx3-ubyte in ${wide} holds images of 56 × 14 pixels but the network takes inputs of (1, 28, 28); set the network's input to (1, 56, 14)`)
    expectNoStack(w.err.join('\n'))
  })
})
