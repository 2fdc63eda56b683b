import { describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { encodeNpy } from '../../../src-engine/io/npy'
import { loadBuiltinMnist } from '../../../src-engine/data/files'
import { lab, tempDir, writeJson } from './helpers'

const dir = tempDir()
const TINY_AE = {
  name: 'tiny ae', input: [1, 28, 28], task: 'reconstruct',
  layers: [
    { type: 'Affine', units: 16 }, { type: 'Relu' }, { type: 'Affine', units: 784 },
    { type: 'Reshape', shape: [1, 28, 28] }, { type: 'SigmoidWithLoss' }
  ]
}

describe('command line: autoencoders', () => {
  it('trains with reconstructionLoss in the JSON epochs and predict returns the reconstruction', async () => {
    const spec = writeJson(dir, 'ae.json', TINY_AE)
    const out = join(dir, 'ae.safetensors')
    const r = await lab('train', '--spec', spec, '--epochs', '2', '--lr', '0.003', '--seed', '2', '--out', out, '--json')
    expect(r.code).toBe(0)
    const epochs = r.events.filter((e) => e.event === 'epoch') as { reconstructionLoss: number; reconstructionMse: number; testLoss: number; testAcc: unknown }[]
    expect(epochs.length).toBe(2)
    for (const e of epochs) {
      expect(e.reconstructionLoss).toBe(e.testLoss)
      expect(e.testAcc).toBeNull()
      expect(e.reconstructionMse).toBeGreaterThan(0)
    }
    expect(epochs[1].reconstructionLoss).toBeLessThan(epochs[0].reconstructionLoss)
    expect(r.events.at(-1)).toMatchObject({ event: 'done', reconstructionLoss: epochs[1].reconstructionLoss })

    const human = await lab('train', '--spec', spec, '--epochs', '1', '--seed', '2')
    expect(human.out.find((l) => l.startsWith('epoch'))).toMatch(/held-out reconstruction loss \d\.\d{4} MSE \d\.\d{4}/)

    const digits = loadBuiltinMnist()
    const x = join(dir, 'x.npy')
    const input = digits.images.slice(0, 2 * 784)
    writeFileSync(x, encodeNpy([2, 1, 28, 28], input))
    const p = await lab('predict', '--weights', out, '--input', x, '--json')
    expect(p.code).toBe(0)
    const recs = p.events.filter((e) => e.event === 'reconstruction') as { index: number; shape: number[]; mse: number; reconstruction: number[] }[]
    expect(recs.map((q) => q.index)).toEqual([0, 1])
    for (const q of recs) {
      expect(q.shape).toEqual([1, 28, 28])
      expect(q.reconstruction.length).toBe(784)
      expect(q.reconstruction.every((v) => v > 0 && v < 1)).toBe(true)
      let sq = 0
      for (let j = 0; j < 784; j++) sq += (q.reconstruction[j] - input[q.index * 784 + j]) ** 2
      expect(q.mse).toBeCloseTo(sq / 784, 6)
    }
    expect(p.events.at(-1)).toEqual({ event: 'done', count: 2 })
  }, 60_000)
})
