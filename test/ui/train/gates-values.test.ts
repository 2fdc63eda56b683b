/**
 * Q8's F2: the gates panel gave no numbers. Now the key states the cell state's scale (± its largest size, which can
 * pass 1), and a cell's value is read by pointing at a heatmap or, on a focused heatmap, with the arrow keys — as the
 * feature maps' zoom reads its values.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import { tick } from 'svelte'
import GatesPanel from '../../../src-renderer/components/train/GatesPanel.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'

afterEach(() => {
  cleanup()
  i18n.set('en')
})

// stored (T, H) time-major: T = 3 steps, H = 2 units; value = step·10 + unit, c scaled past 1
function gate(name: string, scale = 0.01): { name: string; t: number; h: number; data: Float32Array } {
  const data = new Float32Array(6)
  for (let s = 0; s < 3; s++) for (let u = 0; u < 2; u++) data[s * 2 + u] = (s * 10 + u) * scale
  return { name, t: 3, h: 2, data }
}
const gates = [gate('f'), gate('i'), gate('o'), gate('g'), { ...gate('c', -0.1) }, gate('h')]

describe('the gates panel\'s numbers', () => {
  it('states the ends of each scale on the key, c\'s from its values', () => {
    render(GatesPanel, { gates })
    const key = screen.getByTestId('gates-key').textContent!.replace(/\s+/g, ' ')
    expect(key).toContain('f, i, o: 0 closed')
    expect(key).toContain('g, h: −1')
    // c's values reach −2.1 (step 3, unit 2): its scale runs from −2.1 to 2.1, with a real minus sign
    expect([...screen.getByTestId('gates-key-cell').querySelectorAll('span')].map((s) => s.textContent)).toEqual(['c: −2.10', '', '2.10'])
    expect(screen.getByTestId('gates').textContent).toContain('The cell c has no such bound')
  })

  it('reads a cell with the arrow keys on a focused heatmap, and says it politely (ko)', async () => {
    i18n.set('ko')
    render(GatesPanel, { gates })
    const value = screen.getByTestId('gates-value')
    expect(value.textContent).toContain('화살표 키를 누르면')
    const maps = screen.getAllByTestId('gates-map')
    expect(maps).toHaveLength(6)
    expect(maps[4].getAttribute('tabindex')).toBe('0')
    expect(maps[4].getAttribute('aria-label')).toBe('기억 셀 c: 화살표 키로 값 읽기')
    // the first key reads the top-left cell: unit 1 at step 1
    await fireEvent.keyDown(maps[4], { key: 'ArrowRight' })
    expect(value.textContent!.trim()).toBe('기억 셀 c, 시각 1, 유닛 1: 0.0000')
    expect(value.getAttribute('aria-live')).toBe('polite')
    await fireEvent.keyDown(maps[4], { key: 'End' })
    await fireEvent.keyDown(maps[4], { key: 'ArrowDown' })
    await fireEvent.keyDown(maps[4], { key: 'ArrowDown' })
    // step 3, unit 2 (held at the last unit): −2.1
    expect(value.textContent!.trim()).toBe('기억 셀 c, 시각 3, 유닛 2: −2.1000')
    i18n.set('en')
    await tick()
    expect(value.textContent!.trim()).toBe('memory cell c, time step 3, unit 2: −2.1000')
    // another heatmap starts at its own first cell
    await fireEvent.keyDown(maps[0], { key: 'ArrowLeft' })
    expect(value.textContent!.trim()).toBe('forget gate f, time step 1, unit 1: 0.0000')
    await fireEvent.keyDown(maps[0], { key: 'ArrowRight' })
    expect(value.textContent!.trim()).toBe('forget gate f, time step 2, unit 1: 0.1000')
  })
})
