/**
 * A Pooling layer's stride field shows the stride the engine uses: left out (a JSON import, or the box emptied), that
 * is the window size (spec-infer strideOf), not the catalog's 1. Before, a 3 × 3 pooling without a stride showed
 * stride 1 beside a shape the engine had divided by 3.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent } from '@testing-library/svelte'
import { flushSync } from 'svelte'
import type { NetSpec } from '../../../src-engine/spec-types'
import { project } from '../../../src-renderer/lib/project.svelte'
import { field, layerOut, openEditor } from './helpers'

afterEach(() => cleanup())

describe("a pooling layer's stride left out", () => {
  it('is shown as the window size, which the engine moves by', async () => {
    const net: NetSpec = {
      input: [1, 27, 27],
      layers: [{ type: 'Pooling', mode: 'max', size: 3 }, { type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }]
    }
    openEditor(net)
    expect(layerOut(0)).toBe('(1, 9, 9)')
    expect(field(0, 'stride').value).toBe('3')
    // a stride typed, then the box emptied: the spec leaves it out again and the field says the window's
    await fireEvent.input(field(0, 'stride'), { target: { value: '1' } })
    flushSync()
    expect(layerOut(0)).toBe('(1, 25, 25)')
    await fireEvent.input(field(0, 'stride'), { target: { value: '' } })
    await fireEvent.blur(field(0, 'stride'))
    flushSync()
    expect((project.spec!.layers[0] as { stride?: number }).stride).toBeUndefined()
    expect(field(0, 'stride').value).toBe('3')
    expect(layerOut(0)).toBe('(1, 9, 9)')
  })
})
