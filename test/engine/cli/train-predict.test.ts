import { describe, expect, it } from 'vitest'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { encodeNpy } from '../../../src-engine/io/npy'
import { loadBuiltinMnist } from '../../../src-engine/data/files'
import { lab, tempDir, writeJson } from './helpers'
import { predictionLine } from '../../../src-engine/cli/predict'

const dir = tempDir()
const SMALL = {
  name: 'small', input: [1, 28, 28],
  layers: [{ type: 'Affine', units: 16 }, { type: 'Relu' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }]
}
const OTHER = { ...SMALL, layers: [{ type: 'Affine', units: 24 }, { type: 'Relu' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }

describe('command line: train, save, predict', () => {
  it('trains a spec, prints JSON-lines events ending in done, and saves weights with the spec inside', async () => {
    const spec = writeJson(dir, 'small.json', SMALL)
    const out = join(dir, 'small.safetensors')
    const r = await lab('train', '--spec', spec, '--epochs', '2', '--optimizer', 'sgd', '--lr', '0.1', '--seed', '4', '--out', out, '--json')
    expect(r.code).toBe(0)
    expect(r.events.map((e) => e.event)).toEqual(['start', 'epoch', 'epoch', 'done'])
    const epoch = r.events[2]
    for (const k of ['trainLoss', 'trainAcc', 'trainEvalAcc', 'testLoss', 'testAcc', 'seconds']) expect(typeof epoch[k], k).toBe('number')
    expect(epoch.testAcc as number).toBeGreaterThan(0.8)
    expect(r.events[0]).toMatchObject({ network: 'small', optimizer: 'SGD', lr: 0.1, epochs: 2, seed: 4, train: 8000, test: 2000 })

    // safetensors: u64 header length, then a JSON header with the spec in __metadata__.spec.
    const bytes = readFileSync(out)
    const n = Number(bytes.readBigUInt64LE(0))
    const header = JSON.parse(bytes.subarray(8, 8 + n).toString('utf8'))
    expect(JSON.parse(header.__metadata__.spec)).toEqual(SMALL)
    expect(header['affine1.W']).toMatchObject({ dtype: 'F32', shape: [784, 16] })

    // predict: one JSON object per sample, with logits and probabilities.
    const digits = loadBuiltinMnist()
    const x = join(dir, 'x.npy')
    writeFileSync(x, encodeNpy([3, 1, 28, 28], digits.images.slice(0, 3 * 784)))
    const p = await lab('predict', '--weights', out, '--input', x, '--json')
    expect(p.code).toBe(0)
    const preds = p.events.filter((e) => e.event === 'prediction') as { index: number; predicted: number; probs: number[]; logits: number[] }[]
    expect(preds.map((q) => q.index)).toEqual([0, 1, 2])
    for (const q of preds) {
      expect(q.probs.length).toBe(10)
      expect(q.logits.length).toBe(10)
      expect(q.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5)
      expect(q.predicted).toBe(q.probs.indexOf(Math.max(...q.probs)))
    }
    expect(p.events.at(-1)).toEqual({ event: 'done', count: 3 })

    // Human-readable output of the same command.
    const h = await lab('predict', '--weights', out, '--input', x, '--spec', spec)
    expect(h.out[0]).toMatch(/^#0: \d {2}\(probability \d+\.\d%\)$/)
    // The same weights ending in MSE or SigmoidWithLoss (no weights of their own): an MSE output is a raw score, not a
    // probability (it printed "probability 130.0%" for one above 1); a sigmoid's is each class's on its own.
    const ending = (type: string): string => writeJson(dir, `${type}.json`, { ...SMALL, layers: [...SMALL.layers.slice(0, -1), { type }] })
    const mse = await lab('predict', '--weights', out, '--input', x, '--spec', ending('MSE'))
    expect(mse.out[0]).toMatch(/^#0: \d {2}\(score -?\d+\.\d\d\)$/)
    const sig = await lab('predict', '--weights', out, '--input', x, '--spec', ending('SigmoidWithLoss'))
    expect(sig.out[0]).toMatch(/^#0: \d {2}\(probability \d+\.\d%, each class on its own\)$/)
    expect(predictionLine(3, 7, 1.3, 'MSE')).toBe('#3: 7  (score 1.30)')
    expect(predictionLine(3, 7, -0.001, 'MSE')).toBe('#3: 7  (score 0.00)')
    expect(predictionLine(3, 7, 0.971, 'SoftmaxWithLoss')).toBe('#3: 7  (probability 97.1%)')

    // Weights of another architecture: say which tensor does not fit and what to do.
    const other = writeJson(dir, 'other.json', OTHER)
    const bad = await lab('predict', '--weights', out, '--input', x, '--spec', other, '--json')
    expect(bad.code).toBe(1)
    const err = bad.events.at(-1) as { event: string; code: string; message: string }
    expect(err).toMatchObject({ event: 'error', code: 'weights-mismatch' })
    expect(err.message).toContain('affine1.W has shape (784, 16) but this network expects (784, 24)')
    expect(err.message).toContain('train this one from scratch')

    // Input of the wrong shape or range.
    const wrong = join(dir, 'wrong.npy')
    writeFileSync(wrong, encodeNpy([2, 28, 28], new Float32Array(2 * 784)))
    expect((await lab('predict', '--weights', out, '--input', wrong)).err.join('')).toContain('holds an array of (2, 28, 28) but this network takes examples of (1, 28, 28)')
    const bright = join(dir, 'bright.npy')
    writeFileSync(bright, encodeNpy([1, 1, 28, 28], new Float32Array(784).fill(255)))
    expect((await lab('predict', '--weights', out, '--input', bright)).err.join('')).toContain('divide 0..255 images by 255')
    const notWeights = join(dir, 'junk.safetensors')
    writeFileSync(notWeights, 'hello')
    const junk = await lab('predict', '--weights', notWeights, '--input', x)
    expect(junk.code).toBe(1)
    expect(junk.err.join('')).toContain('is not a usable weights file')
  })

  it('prints readable epoch lines by default and stops with an explanation when the loss diverges', async () => {
    const spec = writeJson(dir, 'small2.json', SMALL)
    const r = await lab('train', '--spec', spec, '--epochs', '1', '--optimizer', 'SGD', '--lr', '0.05')
    expect(r.code).toBe(0)
    expect(r.out.join('\n')).toMatch(/epoch 1\/1 {2}train loss \d\.\d{4} acc \d+\.\d{2}% \(during the epoch \d+\.\d{2}%\) {2}held-out loss \d\.\d{4} acc \d+\.\d{2}%/)
    const d = await lab('train', '--spec', spec, '--epochs', '1', '--optimizer', 'SGD', '--lr', '5000', '--json')
    expect(d.code).toBe(1)
    const last = d.events.at(-1) as { event: string; code: string; message: string }
    expect(last).toMatchObject({ event: 'error', code: 'diverged' })
    expect(last.message).toMatch(/at epoch 1 batch \d+; the learning rate 5000 is too high for SGD — try 0\.01/)
  })

  it('lists presets and validates a spec file', async () => {
    const p = await lab('presets', '--json')
    const simple = p.events.find((e) => e.id === 'simple-convnet')
    expect(simple).toMatchObject({ event: 'preset', params: 433890 })
    expect(p.events.at(-1)?.event).toBe('done')
    const v = await lab('validate', writeJson(dir, 'v.json', SMALL))
    expect(v.code).toBe(0)
    expect(v.out.join('\n')).toContain('affine1')
    expect(v.out.at(-1)).toContain('is a valid network')
  })
})
