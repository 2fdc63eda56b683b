import { beforeEach, describe, expect, it } from 'vitest'
import { drawings } from '../../../src-renderer/lib/drawings.svelte'
import { withDrawings } from '../../../src-renderer/lib/train.svelte'
import type { TrainSettings } from '../../../src-engine/protocol'
import type { NetSpec } from '../../../src-engine/spec-types'

const settings: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 1, weightDecay: 0, seed: 1, threads: 1 }
const cnn: NetSpec = { input: [1, 28, 28], layers: [{ type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }

describe('labelled drawings join the next run on the built-in digits', () => {
  beforeEach(() => drawings.clear())

  it('are remembered with their labels and can be removed', () => {
    drawings.add(new Float32Array(784).fill(0.25), 3)
    drawings.add(new Float32Array(784).fill(1), 8)
    expect(drawings.list.map((d) => d.label)).toEqual([3, 8])
    expect(drawings.counts()[8]).toBe(1)
    drawings.remove(0)
    expect(drawings.list.map((d) => d.label)).toEqual([8])
  })

  it('are added to the settings of a digit classifier on the built-in digits only', () => {
    expect(withDrawings(settings, cnn)).toBe(settings)
    drawings.add(new Float32Array(784).fill(0.5), 4)
    const s = withDrawings(settings, cnn)
    expect(s.extra?.labels).toEqual([4])
    expect(s.extra?.images).toHaveLength(784)
    expect(withDrawings({ ...settings, data: { kind: 'text', file: 'builtin' } }, cnn)).not.toHaveProperty('extra')
    expect(withDrawings(settings, { ...cnn, task: 'reconstruct' })).not.toHaveProperty('extra')
  })
})
