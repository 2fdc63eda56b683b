import { describe, expect, it } from 'vitest'
import { Rng } from '../../../src-engine/rng'
import { Upsample } from '../../../src-engine/layers/upsample'
import { Deconvolution } from '../../../src-engine/layers/deconvolution'
import { Sequential } from '../../../src-engine/models/sequential'
import { presetById } from '../../../src-engine/models/presets'
import { decode, encode, findBottleneck, reconstruct, AutoencoderProbe } from '../../../src-engine/models/autoencoder'
import { imageExamples } from '../../../src-engine/train/examples'
import { subset, type Dataset } from '../../../src-engine/data/dataset'
import { WorkerSession } from '../../../src-engine/train/session'
import type { WorkerEvent } from '../../../src-engine/protocol'
import { checkLayer, expectClose, randn } from '../../helpers'

const presetSpec = (id: string) => {
  const p = presetById(id)
  if (!p) throw new Error(`no preset ${id}`)
  return p.spec
}

describe('decoder layers: gradient checks over strides 1, 2 and padding 0, 1', () => {
  for (const stride of [1, 2]) {
    for (const pad of [0, 1]) {
      it(`Deconvolution stride ${stride} pad ${pad}: dx, dW and db match central differences`, () => {
        const rng = new Rng(100 + 10 * stride + pad)
        const layer = new Deconvolution(randn(rng, [3, 2, 3, 3], 0.5), randn(rng, [2], 0.1), stride, pad, 'deconv1')
        const r = checkLayer(layer, randn(rng, [2, 3, 4, 3]))
        expect(r.results.length).toBe(3) // x, W and b all checked (checkLayer fails on any of them)
      })
    }
  }
  // Upsample's "stride" is its scale: each input pixel covers scale×scale outputs (1 = identity).
  for (const mode of ['nearest', 'bilinear'] as const) {
    for (const scale of [1, 2]) {
      it(`Upsample ${mode} scale ${scale}: dx matches central differences`, () => {
        checkLayer(new Upsample(scale, mode), randn(new Rng(7 + scale), [2, 2, 3, 4]))
      })
    }
  }
})

describe('bottleneck, encode and decode', () => {
  it('finds the 2-unit Affine of ae-2d and the (8, 7, 7) pooling of conv-autoencoder', () => {
    const ae2 = Sequential.fromSpec(presetSpec('ae-2d'), new Rng(1))
    expect(findBottleneck(ae2)).toMatchObject({ layer: 'affine3', shape: [2], size: 2 })
    const conv = Sequential.fromSpec(presetSpec('conv-autoencoder'), new Rng(1))
    expect(findBottleneck(conv)).toMatchObject({ layer: 'pool2', shape: [8, 7, 7], size: 392 })
    const classifier = Sequential.fromSpec(presetSpec('simple-convnet'), new Rng(1))
    expect(findBottleneck(classifier)).toBeNull()
  })

  it('decode(encode(x)) is the whole network’s reconstruction', () => {
    for (const id of ['ae-2d', 'conv-autoencoder']) {
      const model = Sequential.fromSpec(presetSpec(id), new Rng(3))
      const x = randn(new Rng(4), [3, 784], 0.5).data.map((v) => Math.abs(v) % 1)
      const code = encode(model, x, 3)
      expect(code.length).toBe(3 * findBottleneck(model)!.size)
      expectClose(decode(model, code, 3), reconstruct(model, x, 3), 1e-5)
    }
  })

  it('refuses codes of the wrong size or with non-finite values, saying what it needs', () => {
    const model = Sequential.fromSpec(presetSpec('ae-2d'), new Rng(3))
    expect(() => decode(model, new Float32Array(3), 1)).toThrow('affine3 has 2 values per example: 1 codes need 2 values, got 3')
    expect(() => decode(model, Float32Array.of(0, NaN), 1)).toThrow('finite')
    const classifier = Sequential.fromSpec(presetSpec('simple-convnet'), new Rng(1))
    expect(() => decode(classifier, new Float32Array(2), 1)).toThrow('not an autoencoder')
  })
})

/** Tiny labelled images with a pattern per class, so tests need no data files. */
function toyDigits(n: number, seed: number): Dataset {
  const rng = new Rng(seed)
  const images = new Float32Array(n * 784)
  const labels = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    const c = i % 10
    labels[i] = c
    for (let y = 4; y < 24; y++) images[i * 784 + y * 28 + 4 + 2 * c] = 0.8 + 0.2 * rng.next()
  }
  return { n, shape: [1, 28, 28], classes: 10, images, labels } as unknown as Dataset
}

describe('AutoencoderProbe', () => {
  it('shows one held-out digit of each class beside its reconstruction, and 2-D codes with labels', () => {
    const model = Sequential.fromSpec(presetSpec('ae-2d'), new Rng(5))
    const ex = imageExamples(toyDigits(40, 1))
    const snap = new AutoencoderProbe(model, ex, 10, 30).take(true)
    expect(snap.reconstructions?.inputs).toMatchObject({ count: 10, h: 28, w: 28 })
    expect(snap.reconstructions?.outputs.count).toBe(10)
    // input k is the first example of class k: its bar sits at column 4 + 2k
    for (let k = 0; k < 10; k++) expect(snap.reconstructions!.inputs.data[k * 784 + 10 * 28 + 4 + 2 * k]).toBeGreaterThan(0.7)
    expect(snap.codes).toMatchObject({ layer: 'affine3', dims: 2, count: 30 })
    expect(snap.codes!.points.length).toBe(60)
    expect(Array.from(snap.codes!.labels.subarray(0, 12))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1])
    expect(new AutoencoderProbe(model, ex).take(false).codes).toBeUndefined()
  })
})

describe('the worker decodes codes', () => {
  it('answers decode with images after training an autoencoder, and refuses bad payloads', async () => {
    const events: WorkerEvent[] = []
    const ds = toyDigits(60, 2)
    const session = new WorkerSession((e) => events.push(e), {
      loadData: () => ({ train: subset(ds, Array.from({ length: 50 }, (_, i) => i)), test: subset(ds, Array.from({ length: 10 }, (_, i) => 50 + i)), description: 'toy' }) as never,
      snapshotMinMs: 0
    })
    session.handle({ type: 'decode', reqId: 1, code: new Float32Array(2), count: 1 })
    session.handle({ type: 'start', runId: 'r1', spec: presetSpec('ae-2d'), settings: { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.001, batchSize: 10, epochs: 1, weightDecay: 0, seed: 1, threads: 1 } })
    await session.running
    session.handle({ type: 'decode', reqId: 2, code: Float32Array.of(0.5, -1, 2, 3), count: 2 })
    session.handle({ type: 'decode', reqId: 3, code: Float32Array.of(1, 2, 3), count: 1 })
    session.handle({ type: 'decode', reqId: 4, code: [1, 2], count: 1 })
    const replies = events.filter((e) => e.type === 'reply')
    expect(replies[0]).toMatchObject({ reqId: 1, ok: false, code: 'no-model' })
    const ok = replies.find((r) => r.reqId === 2) as { value: { count: number; h: number; w: number; images: Float32Array } }
    expect(ok.value).toMatchObject({ count: 2, h: 28, w: 28 })
    expect(ok.value.images.length).toBe(2 * 784)
    expect(ok.value.images.every((v) => v >= 0 && v <= 1)).toBe(true)
    expect(replies.find((r) => r.reqId === 3)).toMatchObject({ ok: false, message: expect.stringContaining('2 values per example') })
    expect(replies.find((r) => r.reqId === 4)).toMatchObject({ ok: false, code: 'bad-command', message: expect.stringContaining('Float32Array') })
    // the run's epoch report carries the reconstruction loss and the pixel MSE
    const epoch = events.find((e) => e.type === 'epoch') as { report: { reconstructionLoss: number; reconstructionMse: number; testLoss: number } }
    expect(epoch.report.reconstructionLoss).toBe(epoch.report.testLoss)
    expect(epoch.report.reconstructionMse).toBeGreaterThan(0)
    const snap = events.filter((e) => e.type === 'snapshot').at(-1) as { snapshot: { reconstructions?: unknown; codes?: { count: number } } }
    expect(snap.snapshot.reconstructions).toBeTruthy()
    expect(snap.snapshot.codes?.count).toBe(10)
  })
})
