/**
 * The gradient-check explainer's check (gradcheck-run.ts explainGradients, which the host runs for
 * model:gradcheck) on the small examples and on a preset, the verdict bands, and the planted ReLU bug
 * (caught upstream of the ReLU only, and undone).
 */
import { describe, expect, it } from 'vitest'
import { CHECK_EXAMPLES, verdict, GOOD, FAIR } from '../../../src-renderer/lib/lessons/gradcheck'
import { explainGradients } from '../../../src-engine/train/gradcheck-run'
import { elementError } from '../../../src-engine/train/gradient-check'
import { presetById } from '../../../src-engine/models/presets'
import type { NetSpec } from '../../../src-engine/spec-types'

const checkGradients = (spec: NetSpec, samples?: number, bug = false) => explainGradients(spec, 1, { samples, bug })
const rowsOf = (spec: NetSpec, samples?: number, bug = false) => {
  const r = checkGradients(spec, samples, bug)
  if (!r.ok) throw new Error(`check failed: ${r.reason} ${r.detail ?? ''}`)
  return r
}

describe('gradient check explainer', () => {
  it('finds backprop and central differences in agreement on every element of each small example', () => {
    const names = {
      mlp: ['x', 'affine1.W', 'affine1.b', 'affine2.W', 'affine2.b'],
      cnn: ['x', 'conv1.W', 'conv1.b', 'affine1.W', 'affine1.b'],
      lstm: ['x', 'lstm1.Wx', 'lstm1.Wh', 'lstm1.b', 'affine1.W', 'affine1.b']
    }
    for (const [id, spec] of Object.entries(CHECK_EXAMPLES)) {
      const r = rowsOf(spec)
      expect(r.rows.map((x) => x.name), id).toEqual(names[id as keyof typeof names])
      expect(r.sampled).toBe(false)
      expect(r.allAgree).toBe(true)
      for (const row of r.rows) {
        expect(row.checked, `${id} ${row.name}`).toBe(row.size)
        // float32: the small examples agree to about 10⁻³ (the LSTM's recurrent weights just above it)
        expect(row.relError, `${id} ${row.name}`).toBeLessThan(2e-3)
        expect(row.verdict, `${id} ${row.name} ${row.relError}`).not.toBe('bad')
      }
    }
    // sizes count the batch of two for x and the parameter shapes for the rest: conv 2×1×3×3, affine (2·3·3)×3
    expect(rowsOf(CHECK_EXAMPLES.cnn).rows.map((x) => x.size)).toEqual([72, 18, 2, 54, 3])
  })

  it('catches the planted ReLU bug upstream of the ReLU only, and leaves ReLU working afterwards', () => {
    const bad = rowsOf(CHECK_EXAMPLES.cnn, undefined, true)
    expect(bad.allAgree).toBe(false)
    expect(bad.bug).toBe(true)
    const v = Object.fromEntries(bad.rows.map((x) => [x.name, x.verdict]))
    expect(v).toEqual({ x: 'bad', 'conv1.W': 'bad', 'conv1.b': 'bad', 'affine1.W': 'good', 'affine1.b': 'good' })
    const mlp = Object.fromEntries(rowsOf(CHECK_EXAMPLES.mlp, undefined, true).rows.map((x) => [x.name, x.verdict]))
    expect(mlp['affine1.W']).toBe('bad')
    expect(mlp['affine2.W']).toBe('good')
    // without a ReLU the bug has nothing to break
    expect(rowsOf(CHECK_EXAMPLES.lstm, undefined, true).allAgree).toBe(true)
    // the engine's own backward is back
    expect(rowsOf(CHECK_EXAMPLES.cnn).rows.every((x) => x.verdict === 'good')).toBe(true)
  })

  it('samples each array of a full-size preset and still finds agreement', () => {
    const r = rowsOf(presetById('simple-convnet')!.spec, 10)
    expect(r.sampled).toBe(true)
    expect(r.allAgree).toBe(true)
    expect(r.rows.map((x) => [x.name, x.checked, x.size])).toEqual([
      ['x', 10, 2 * 784], ['conv1.W', 10, 750], ['conv1.b', 10, 30], ['affine1.W', 10, 432000], ['affine1.b', 10, 100],
      ['affine2.W', 10, 1000], ['affine2.b', 10, 10]
    ])
  })

  it('says why it cannot check: errors in the network, no vocabulary yet, too much work', () => {
    const badStride: NetSpec = { input: [1, 7, 7], layers: [{ type: 'Convolution', filters: 1, kernel: 3, stride: 3 }, { type: 'Flatten' }, { type: 'Affine', units: 2 }, { type: 'SoftmaxWithLoss' }] }
    expect(checkGradients(badStride)).toEqual({ ok: false, reason: 'invalid' })
    const lm = structuredClone(presetById('char-rnn')!.spec)
    delete lm.vocab
    expect(checkGradients(lm, 10)).toEqual({ ok: false, reason: 'vocab' })
    // 12.6 M multiply-adds an example, over EXPLAIN_MAX_MACS (a convolution on 3×256×256 images was the example here, but
    // its im2col copies for a held-out chunk now put it over the memory limit: 'invalid')
    const huge: NetSpec = { input: [1, 28, 28], layers: [{ type: 'Flatten' }, { type: 'Affine', units: 16000 }, { type: 'Affine', units: 2 }, { type: 'SoftmaxWithLoss' }] }
    expect(checkGradients(huge, 10)).toEqual({ ok: false, reason: 'too-large' })
    // every element of a full-size network would take minutes: only sampled
    expect(checkGradients(presetById('simple-convnet')!.spec)).toEqual({ ok: false, reason: 'too-large' })
  })

  it('reads relative errors in float32 bands', () => {
    expect(verdict(GOOD / 2, false)).toBe('good')
    expect(verdict(GOOD * 2, false)).toBe('fair')
    expect(verdict(FAIR * 2, false)).toBe('bad')
    expect(verdict(1, true)).toBe('small')
  })

  // Q5's F6: Affine 100 (σ = 0.01) + Sigmoid five times on MNIST-sized input, the course's "why does it not learn"
  const deepSigmoid = (act: 'Sigmoid' | 'Relu', init: 'std' | 'he'): NetSpec => ({
    input: [784],
    layers: [...Array.from({ length: 5 }, () => [{ type: 'Affine' as const, units: 100, init }, { type: act }]).flat(), { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }]
  })

  it('reports a deep sigmoid net’s vanished gradient by layer, and never a 0 against a 0 as a 100 % error', () => {
    const r = rowsOf(deepSigmoid('Sigmoid', 'std'), 10)
    // the first layers' gradients are rounding crumbs: none of them a disagreement, none passed as agreeing either
    expect(r.allAgree).toBe(true)
    expect(r.rows.filter((x) => x.verdict === 'small').map((x) => x.name)).toEqual(expect.arrayContaining(['x', 'affine1.W', 'affine1.b', 'affine2.W', 'affine3.W']))
    for (const row of r.rows) {
      // the worst element's error is floored at float32's noise: 0 (or 10⁻⁹) against 10⁻⁸ reads ≈ 10⁻⁵, not 1
      if (Math.abs(row.numeric) < 1e-6 && Math.abs(row.analytic) < 1e-6) expect(row.elementError, row.name).toBeLessThan(1e-2)
    }
    // mean |gradient| by layer, from input to output: each of the five sigmoid + σ = 0.01 layers loses more than a factor of 10
    expect(r.layers.map((l) => l.layer)).toEqual(['affine1', 'affine2', 'affine3', 'affine4', 'affine5', 'affine6'])
    for (let i = 1; i < 5; i++) expect(r.layers[i].meanAbs).toBeGreaterThan(10 * r.layers[i - 1].meanAbs)
    expect(r.layers.filter((l) => l.vanishing).map((l) => l.layer)).toEqual(['affine1', 'affine2', 'affine3'])
    expect(r.layers[0].meanAbs).toBeLessThan(1e-6 * r.layers[5].meanAbs)
    // ReLU with He keeps every layer within a factor of 5 of the others: nothing vanishes
    const he = rowsOf(deepSigmoid('Relu', 'he'), 10)
    expect(he.layers.some((l) => l.vanishing)).toBe(false)
    expect(he.rows.every((x) => x.verdict !== 'small' && x.verdict !== 'bad')).toBe(true)
  })

  it('floors the worst element’s error for two zeros, and still reports a planted bug where the gradient is not vanishing', () => {
    expect(elementError(0, 0, 0)).toBe(0)
    expect(elementError(0, 0, 1e-4)).toBe(0)
    expect(elementError(1e-9, 0, 1e-4)).toBeCloseTo(1e-5, 12)
    expect(elementError(1, 2, 1e-4)).toBeCloseTo(1 / 3, 12)
    // the planted bug on the small examples: caught, and no layer of theirs is called vanishing
    for (const id of ['mlp', 'cnn'] as const) {
      const bad = rowsOf(CHECK_EXAMPLES[id], undefined, true)
      expect(bad.allAgree, id).toBe(false)
      expect(bad.layers.some((l) => l.vanishing), id).toBe(false)
      expect(bad.rows.find((x) => x.name.endsWith('1.W'))?.verdict, id).toBe('bad')
    }
    // presets: no layer called vanishing either
    for (const id of ['mlp', 'simple-convnet']) expect(rowsOf(presetById(id)!.spec, 10).layers.some((l) => l.vanishing), id).toBe(false)
  })
})
