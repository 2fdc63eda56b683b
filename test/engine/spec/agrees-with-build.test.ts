/**
 * The editor shows validateSpec's shapes and counts; training uses buildNetwork's layers. They must agree:
 * same parameter names and shapes for every layer, same output shape, for every preset the engine builds.
 */
import { describe, expect, it } from 'vitest'
import { validateSpec, withVocab } from '../../../src-engine/spec'
import { buildNetwork } from '../../../src-engine/layers/build'
import { PRESETS } from '../../../src-engine/models/presets'
import { Rng } from '../../../src-engine/rng'
import type { NetSpec } from '../../../src-engine/spec-types'

/** Builds, or returns null when the spec uses a layer the engine does not build yet (said by its error). */
function tryBuild(spec: NetSpec) {
  try {
    return buildNetwork(spec, new Rng(3))
  } catch (e) {
    if (/not available yet/.test(String(e))) return null
    throw e
  }
}

describe('validateSpec agrees with buildNetwork', () => {
  it('on every parameter name and shape of the buildable presets', () => {
    let compared = 0
    for (const p of PRESETS) {
      const spec = p.spec.task === 'language-model' ? withVocab(p.spec, 30) : p.spec
      const net = tryBuild(spec)
      if (!net) continue
      compared++
      const report = validateSpec(spec)
      const built = new Map(net.layers.map((l) => [l.name, Object.fromEntries(l.paramNames.map((n, i) => [n, [...l.params[i].shape]]))]))
      for (const info of report.layers) {
        if (!built.has(info.name)) continue // the loss layer
        expect(info.paramShapes, `${p.id} ${info.name}`).toEqual(built.get(info.name))
      }
      const total = net.layers.reduce((s, l) => s + l.params.reduce((a, t) => a + t.data.length, 0), 0)
      expect(report.totalParams, p.id).toBe(total)
    }
    // SimpleConvNet, Keras CNN, LeNet-5, MLP and the 2-D autoencoder build today
    expect(compared).toBeGreaterThanOrEqual(5)
  })

  it('on batch-normalisation parameters and buffers after a convolution and after an affine', () => {
    const spec: NetSpec = {
      input: [1, 8, 8],
      layers: [{ type: 'Convolution', filters: 3, kernel: 3 }, { type: 'BatchNormalization' }, { type: 'Flatten' },
        { type: 'Affine', units: 5 }, { type: 'BatchNormalization' }, { type: 'Affine', units: 2 }, { type: 'SoftmaxWithLoss' }]
    }
    const net = buildNetwork(spec, new Rng(1))
    const report = validateSpec(spec)
    for (const idx of [1, 4]) {
      const layer = net.layers[idx]
      const info = report.layers[idx]
      expect(info.paramShapes).toEqual(Object.fromEntries(layer.paramNames.map((n, i) => [n, [...layer.params[i].shape]])))
      expect(info.bufferShapes).toEqual(Object.fromEntries((layer.buffers ?? []).map((b) => [b.name, [...b.tensor.shape]])))
    }
  })
})
