/**
 * The feature-map panel from the keyboard. The probe images are one tab stop (a list box with roving tabindex: the
 * arrows, Home and End move among them); each layer's maps are one tab stop too, a button per map over the canvas
 * named "conv1, map 2 of 4", moved among with the arrows (a row down with ↓), and Enter opens the enlarged map,
 * whose value the arrow keys read; closing it gives the focus back to the map. Before, each of the 12 probe images
 * was a tab stop and the maps could only be clicked.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, render, screen, within } from '@testing-library/svelte'
import { tick } from 'svelte'
import FeatureMaps from '../../../src-renderer/components/train/FeatureMaps.svelte'
import FiltersPanel from '../../../src-renderer/components/train/FiltersPanel.svelte'
import MapZoom from '../../../src-renderer/components/train/MapZoom.svelte'
import { gridStep } from '../../../src-renderer/components/train/roving'
import { Run, trainLab } from '../../../src-renderer/lib/train.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import type { TrainSettings } from '../../../src-engine/protocol'

const settings: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 1, weightDecay: 0, seed: 1, threads: 1 }

afterEach(() => {
  cleanup()
  i18n.set('en')
  trainLab.samples = null
})

const key = async (k: string): Promise<void> => {
  await fireEvent.keyDown(document.activeElement as HTMLElement, { key: k })
  await tick()
}
const tabStops = (els: HTMLElement[]): number[] => els.flatMap((e, i) => (e.tabIndex === 0 ? [i] : []))

function setup(): void {
  trainLab.samples = { images: Array.from({ length: 12 }, () => new Array(784).fill(0)), labels: [7, 2, 1, 0, 4, 1, 4, 9, 5, 9, 0, 6] }
  const run = new Run('a', 1, settings, 'net', 'classifier')
  // 4 maps of 3×3 (a 2×2 grid), map k holding k + the pixel's index / 10
  const data = Float32Array.from({ length: 36 }, (_, j) => Math.floor(j / 9) + (j % 9) / 10)
  run.snapshot = { featureMaps: [{ layer: 'conv1', shape: [1, 4, 3, 3], maps: { count: 4, h: 3, w: 3, data } }] }
  render(FeatureMaps, { props: { run } })
}

describe('feature maps from the keyboard', () => {
  it('steps through a grid without wrapping round', () => {
    expect(gridStep('ArrowRight', 1, 4, 2)).toBe(2)
    expect(gridStep('ArrowDown', 1, 4, 2)).toBe(3)
    expect(gridStep('ArrowDown', 3, 4, 2)).toBe(3)
    expect(gridStep('ArrowUp', 0, 4, 2)).toBe(0)
    expect(gridStep('ArrowLeft', 0, 4, 2)).toBe(0)
    expect(gridStep('End', 0, 4, 2)).toBe(3)
    expect(gridStep('Enter', 0, 4, 2)).toBeNull()
  })

  it('makes the probe images one tab stop, moved through with the arrows', async () => {
    setup()
    const listbox = screen.getByRole('listbox', { name: 'Probe image' })
    const options = within(listbox).getAllByRole('option')
    expect(options).toHaveLength(12)
    expect(tabStops(options)).toEqual([0])
    // the "other images" button is beside the list box, not one of its options
    expect(listbox.querySelectorAll('button:not([role="option"])')).toHaveLength(0)
    options[0].focus()
    await key('ArrowRight')
    expect(document.activeElement).toBe(options[1])
    expect(tabStops(options)).toEqual([1])
    await key('End')
    expect(document.activeElement).toBe(options[11])
    await key('ArrowDown')
    expect(document.activeElement).toBe(options[11])
    await key('Home')
    expect(document.activeElement).toBe(options[0])
  })

  it('makes each layer’s maps one tab stop; Enter enlarges one, its values read by the arrows, and the focus comes back', async () => {
    setup()
    const group = screen.getByRole('group', { name: 'conv1' })
    const cells = within(group).getAllByRole('button')
    expect(cells.map((c) => c.getAttribute('aria-label'))).toEqual(['conv1, map 1 of 4', 'conv1, map 2 of 4', 'conv1, map 3 of 4', 'conv1, map 4 of 4'])
    expect(tabStops(cells)).toEqual([0])
    cells[0].focus()
    await key('ArrowRight')
    await key('ArrowDown')
    expect(document.activeElement).toBe(cells[3])
    expect(tabStops(cells)).toEqual([3])

    // Enter on a button clicks it
    await fireEvent.click(cells[3])
    await tick()
    const zoom = screen.getByTestId('map-zoom')
    expect(within(zoom).getByRole('heading').textContent).toBe('conv1, map 4')
    const value = screen.getByTestId('map-zoom-value')
    expect(value.textContent).toContain('press the arrow keys')
    await fireEvent.keyDown(zoom, { key: 'ArrowRight' })
    // row first and from 1, as the lessons word a position ("output row 1, column 1"; Q6 F6: it read "(0, 1)", x first from 0)
    expect(value.textContent).toBe('value at row 1, column 1 = 3.0000')
    expect(value.getAttribute('aria-live')).toBe('polite')
    await fireEvent.keyDown(zoom, { key: 'ArrowRight' })
    await fireEvent.keyDown(zoom, { key: 'ArrowDown' })
    expect(value.textContent).toBe('value at row 2, column 2 = 3.4000')
    await fireEvent.keyDown(zoom, { key: 'ArrowDown' })
    expect(value.textContent).toBe('value at row 3, column 2 = 3.7000')

    await fireEvent.click(within(zoom).getByRole('button', { name: 'Close' }))
    await tick()
    await Promise.resolve()
    expect(screen.queryByTestId('map-zoom')).toBeNull()
    expect(document.activeElement).toBe(cells[3])

    i18n.set('ko')
    await tick()
    expect(cells[0].getAttribute('aria-label')).toBe('conv1의 맵 4개 중 1번')
    await fireEvent.click(cells[3])
    await tick()
    await fireEvent.keyDown(screen.getByTestId('map-zoom'), { key: 'ArrowDown' })
    await fireEvent.keyDown(screen.getByTestId('map-zoom'), { key: 'ArrowDown' })
    expect(screen.getByTestId('map-zoom-value').textContent).toBe('2행 1열의 값 = 3.3000')
    // the canvas under the buttons says nothing more (the group and its buttons do)
    expect(group.querySelector('canvas')!.getAttribute('aria-hidden')).toBe('true')
  })

  it('says a dense layer’s scale (0–1 fixed for a sigmoid, its own range otherwise), flags a collapsed one, and reads its units (Q5 F6)', async () => {
    const run = new Run('a', 1, settings, 'net', 'classifier')
    // sigmoid5: 100 units all within 0.49–0.51 (the σ = 0.01 deep sigmoid net); affine6: 10 scores, −2…3
    const flat = Float32Array.from({ length: 100 }, (_, j) => 0.49 + (j / 99) * 0.02)
    const scores = Float32Array.from({ length: 10 }, (_, j) => -2 + j * (5 / 9))
    run.snapshot = { featureMaps: [
      { layer: 'sigmoid5', shape: [1, 100], maps: { count: 1, h: 1, w: 100, data: flat } },
      { layer: 'affine6', shape: [1, 10], maps: { count: 1, h: 1, w: 10, data: scores } }
    ] }
    render(FeatureMaps, { props: { run } })
    const ranges = screen.getAllByTestId('map-range')
    expect(ranges[0].textContent).toBe('0.490 to 0.510, drawn on a fixed 0–1 scaleNearly constant: every unit says about the same, so this layer passes almost nothing on.')
    expect(ranges[0].className).toContain('flat')
    expect(ranges[1].textContent).toBe('−2.00 to 3.00, colours stretched over this range')
    expect(ranges[1].className).not.toContain('flat')
    // every unit is a button; Enter on unit 12 opens the layer's 10 × 10 units with that one read out
    const units = within(screen.getByRole('group', { name: 'sigmoid5' })).getAllByRole('button')
    expect(units).toHaveLength(100)
    expect(units[11].getAttribute('aria-label')).toBe('sigmoid5, unit 12 of 100')
    expect(tabStops(units)).toEqual([0])
    await fireEvent.click(units[11])
    await tick()
    const zoom = screen.getByTestId('map-zoom')
    expect(within(zoom).getByRole('heading').textContent).toBe('sigmoid5, 100 units')
    const value = screen.getByTestId('map-zoom-value')
    expect(value.textContent).toBe(`unit 12 of 100 = ${flat[11].toFixed(4)}`)
    await fireEvent.keyDown(zoom, { key: 'ArrowDown' })
    expect(value.textContent).toBe(`unit 22 of 100 = ${flat[21].toFixed(4)}`)
    i18n.set('ko')
    await tick()
    expect(ranges[0].textContent).toContain('0–1 고정 눈금')
    expect(value.textContent).toBe(`유닛 100개 중 22번 = ${flat[21].toFixed(4)}`)
  })

  it('makes a grid nothing is picked from an image named by its label (the filters), where its canvas said nothing', () => {
    const run = new Run('a', 1, settings, 'net', 'classifier')
    const filters = { count: 4, h: 3, w: 3, data: new Float32Array(36) }
    run.initialFilters = filters
    run.snapshot = { filters }
    render(FiltersPanel, { props: { run, layer: 'conv1' } })
    expect(screen.getByRole('img', { name: 'At initialisation' })).toBe(screen.getByTestId('filters-initial'))
    expect(screen.getByRole('img', { name: 'Now' })).toBe(screen.getByTestId('filters-now'))
  })

  // the range beside a map on the page said "−2.00" while the enlarged map said "-2.0000" (toFixed's hyphen)
  it('writes an enlarged map’s negative values with the minus sign its range on the page uses', () => {
    const maps = { count: 1, h: 1, w: 3, data: Float32Array.from([-2, 0.5, -1e-4]) }
    render(MapZoom, { props: { maps, index: 0, layer: 'affine6', unit: 0, onclose: () => {} } })
    expect(screen.getByTestId('map-zoom-value').textContent).toBe('unit 1 of 3 = −2.0000')
    expect(screen.getByTestId('map-zoom').textContent).toContain('min −2.0000 · max 0.5000')
    expect(screen.getByTestId('map-zoom').textContent).not.toMatch(/\d-|-\d/)
  })
})
