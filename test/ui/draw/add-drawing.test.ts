/**
 * A drawing is added to the dataset once: adding it again would count it twice in the training set (or, under
 * another label, contradict itself). The store refuses it, and the draw page's buttons turn off with a line that
 * says under which label it is kept, until the drawing changes or is taken out (en, ko).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import AddDrawing from '../../../src-renderer/components/draw/AddDrawing.svelte'
import { drawings } from '../../../src-renderer/lib/drawings.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'

const image = (v: number): Float32Array => new Float32Array(784).fill(v)
const button = (d: number): HTMLButtonElement => screen.getByTestId(`draw-add-${d}`) as HTMLButtonElement

beforeEach(() => drawings.clear())
afterEach(() => {
  cleanup()
  i18n.set('en')
})

describe('adding a drawing to the dataset', () => {
  it('keeps it once: the same pixels again, under any label, add nothing', () => {
    expect(drawings.add(image(0.25), 3)).toBe(true)
    expect(drawings.add(image(0.25), 3)).toBe(false)
    // kept at 3 decimals: a difference below that is the same drawing
    expect(drawings.add(image(0.2501), 5)).toBe(false)
    expect(drawings.list.map((d) => d.label)).toEqual([3])
    expect(drawings.find(image(0.25))).toEqual({ index: 0, label: 3 })
    expect(drawings.find(image(0.5))).toBeNull()
    expect(drawings.add(image(0.5), 3)).toBe(true)
    expect(drawings.list).toHaveLength(2)
  })

  it('turns the buttons off and says so once the drawing on the pad is kept, in both languages', async () => {
    const view = render(AddDrawing, { image: image(0.25) })
    expect(button(7).disabled).toBe(false)
    expect(screen.queryByTestId('draw-already-added')).toBeNull()
    await fireEvent.click(button(7))
    expect(drawings.list).toHaveLength(1)
    for (let d = 0; d < 10; d++) expect(button(d).disabled).toBe(true)
    const line = screen.getByTestId('draw-already-added')
    expect(line.textContent).toContain('already in the dataset, labelled 7')
    await fireEvent.click(button(7))
    expect(drawings.list).toHaveLength(1)
    i18n.set('ko')
    await Promise.resolve()
    expect(screen.getByTestId('draw-already-added').textContent).toContain('이미 정답이 7인 그림으로')
    // another drawing can be added; taking the kept one out of the list makes it addable again
    await view.rerender({ image: image(0.5) })
    expect(button(7).disabled).toBe(false)
    expect(screen.queryByTestId('draw-already-added')).toBeNull()
    await view.rerender({ image: image(0.25) })
    expect(button(7).disabled).toBe(true)
    await fireEvent.click(screen.getAllByRole('button', { name: /정답 7/ })[0])
    expect(drawings.list).toHaveLength(0)
    expect(button(7).disabled).toBe(false)
  })
})
