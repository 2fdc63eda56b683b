/**
 * A snapshot's gates carry the first 48 units of the layer's (GATE_UNITS, with `total`): the panel still says how
 * many the layer has, as it did when every unit came, and the run keeps the count when it stores the snapshot.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { render, screen } from '@testing-library/svelte'
import GatesPanel from '../../../src-renderer/components/train/GatesPanel.svelte'
import { normSnapshot } from '../../../src-renderer/lib/run.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import { GATE_UNITS } from '../../../src-engine/protocol'

afterEach(() => i18n.set('en'))

describe('the gates panel of a snapshot cut to the units it draws', () => {
  it('says the layer\'s own count of units, through the run\'s copy of the snapshot', () => {
    const gates = ['f', 'i', 'o', 'g', 'c', 'h'].map((name) => ({ name, t: 64, h: GATE_UNITS, total: 256, data: new Float32Array(64 * GATE_UNITS) }))
    const kept = normSnapshot({ gates }).gates!
    expect(kept.map((g) => g.total)).toEqual(Array(6).fill(256))
    render(GatesPanel, { gates: kept })
    const shapes = [...screen.getByTestId('gates').querySelectorAll('figure small')].map((s) => s.textContent!.trim())
    expect(shapes).toHaveLength(6)
    expect(shapes[0]).toBe('64 time steps × units 1–48 of 256')
  })
})
