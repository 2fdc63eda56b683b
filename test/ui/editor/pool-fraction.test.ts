/**
 * A Pooling layer without a stride moves by its window (the engine's strideOf: size 2 halves the image), so the
 * fractional size the layer card shows for it is the engine's: a 25 × 25 input pooled 2 × 2 gives 12.5, not the 24
 * a stride of 1 would give (shape-shown.ts took a missing stride as 1 for Pooling too).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, within } from '@testing-library/svelte'
import type { NetSpec, PoolingSpec } from '../../../src-engine/spec-types'
import { fractionalOut } from '../../../src-renderer/components/editor/shape-shown'
import { card, openEditor } from './helpers'

afterEach(() => cleanup())

describe('a pooling layer left without a stride', () => {
  it('shows the fraction the engine refuses, with the window as its stride', () => {
    const pool: PoolingSpec = { type: 'Pooling', mode: 'max', size: 2 }
    expect(fractionalOut(pool, { inShape: [30, 25, 25] } as never)).toEqual([30, 12.5, 12.5])
    const net: NetSpec = {
      input: [1, 28, 28],
      layers: [{ type: 'Convolution', filters: 30, kernel: 4 }, pool, { type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }]
    }
    openEditor(net)
    const out1 = within(card(1)).getByTestId('layer-out')
    expect(out1.getAttribute('data-mark')).toBe('not-whole')
    expect(out1.textContent).toContain('(30, 12.5, 12.5)')
  })
})
