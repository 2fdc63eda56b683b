/** checkData validates the network once for both sets of examples (it ran validateSpec for each before). */
import { describe, expect, it, vi } from 'vitest'
import type { NetSpec } from '../../../src-engine/spec-types'

const calls = vi.hoisted(() => ({ n: 0 }))
vi.mock('../../../src-engine/spec', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src-engine/spec')>()
  return { ...real, validateSpec: (spec: unknown) => { calls.n++; return real.validateSpec(spec) } }
})

const { checkData } = await import('../../../src-engine/train/checks')
const { imageExamples } = await import('../../../src-engine/train/examples')
const { datasetFromBytes } = await import('../../../src-engine/data/dataset')

describe('checkData', () => {
  it('validates the network once for the training and held-out examples', () => {
    const ds = datasetFromBytes(new Uint8Array(20 * 784), Uint8Array.from({ length: 20 }, (_, i) => i % 10), [1, 28, 28], 10)
    const spec: NetSpec = { input: [1, 28, 28], layers: [{ type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }
    calls.n = 0
    checkData(spec, { train: imageExamples(ds), test: imageExamples(ds) })
    expect(calls.n).toBe(1)
  })
})
