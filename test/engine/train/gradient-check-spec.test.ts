import { describe, expect, it } from 'vitest'
import { checkSpecGradients } from '../../../src-engine/train/gradient-check-spec'
import type { NetSpec } from '../../../src-engine/spec-types'

describe('checkSpecGradients', () => {
  it('passes for the book\'s ConvNet shape on a small image, checking x and every parameter', () => {
    const spec: NetSpec = {
      input: [1, 10, 10],
      layers: [
        { type: 'Convolution', filters: 3, kernel: 3, pad: 1 }, { type: 'Tanh' }, { type: 'Pooling', size: 2 },
        { type: 'BatchNormalization' }, { type: 'Affine', units: 8 }, { type: 'Sigmoid' }, { type: 'Affine', units: 4 },
        { type: 'SoftmaxWithLoss' }
      ]
    }
    const r = checkSpecGradients(spec, { samples: 6 })
    expect(r.train).toBe(true)
    expect(r.results.map((c) => c.name)).toEqual(['x', 'conv1.W', 'conv1.b', 'bn1.gamma', 'bn1.beta', 'affine1.W', 'affine1.b', 'affine2.W', 'affine2.b'])
    expect(r.maxRelError).toBeLessThan(1e-3)
  })

  it('runs in evaluation mode when a Dropout would make the loss random, and closes a loss-less net with MSE', () => {
    const r = checkSpecGradients({ input: [6], layers: [{ type: 'Affine', units: 5 }, { type: 'Dropout', rate: 0.5 }, { type: 'Affine', units: 2 }] })
    expect(r.train).toBe(false)
    expect(r.maxRelError).toBeLessThan(1e-3)
  })

  it('leaves token ids out and still checks an embedding + LSTM language model', () => {
    const spec: NetSpec = {
      input: [4], vocab: 7,
      layers: [{ type: 'TimeEmbedding', dim: 3 }, { type: 'TimeLSTM', hidden: 5 }, { type: 'TimeAffine', units: 'vocab' }, { type: 'TimeSoftmaxWithLoss' }]
    }
    const r = checkSpecGradients(spec, { samples: 5 })
    expect(r.inputChecked).toBe(false)
    expect(r.results.some((c) => c.name === 'x')).toBe(false)
    expect(r.results.map((c) => c.name)).toEqual(['embed1.W', 'lstm1.Wx', 'lstm1.Wh', 'lstm1.b', 'taffine1.W', 'taffine1.b'])
    // embeddings start at std 0.01, so the LSTM's gradients are ~1e-6: below float32 noise, and flagged as such
    for (const c of r.results) expect(c.tooSmall || c.relError < 1e-2, `${c.name} ${c.relError}`).toBe(true)
    const byName = Object.fromEntries(r.results.map((c) => [c.name, c]))
    expect(byName['lstm1.Wx'].tooSmall).toBe(true)
    expect(byName['embed1.W'].tooSmall).toBe(false)
    expect(byName['embed1.W'].relError).toBeLessThan(1e-3)
    expect(byName['taffine1.b'].relError).toBeLessThan(1e-3)
  })

  it('reports a large error for a sigmoid autoencoder only if backprop were wrong (here: small)', () => {
    const spec: NetSpec = {
      input: [1, 4, 4],
      layers: [{ type: 'Convolution', filters: 2, kernel: 2, stride: 2 }, { type: 'Relu' }, { type: 'Deconvolution', filters: 1, kernel: 2, stride: 2 }, { type: 'SigmoidWithLoss' }]
    }
    expect(checkSpecGradients(spec, { seed: 3 }).maxRelError).toBeLessThan(1e-3)
  })
})
