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
/** A label button that cannot add: disabled (no drawing) or, for a kept drawing, aria-disabled (it keeps the focus). */
const off = (d: number): boolean => button(d).disabled || button(d).getAttribute('aria-disabled') === 'true'

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
    expect(off(7)).toBe(false)
    expect(screen.queryByTestId('draw-already-added')).toBeNull()
    await fireEvent.click(button(7))
    expect(drawings.list).toHaveLength(1)
    for (let d = 0; d < 10; d++) expect(off(d)).toBe(true)
    const line = screen.getByTestId('draw-already-added')
    expect(line.textContent).toContain('already in the dataset, labelled 7')
    await fireEvent.click(button(7))
    expect(drawings.list).toHaveLength(1)
    i18n.set('ko')
    await Promise.resolve()
    expect(screen.getByTestId('draw-already-added').textContent).toContain('이미 정답이 7인 그림으로')
    // another drawing can be added; taking the kept one out of the list makes it addable again
    await view.rerender({ image: image(0.5) })
    expect(off(7)).toBe(false)
    expect(screen.queryByTestId('draw-already-added')).toBeNull()
    await view.rerender({ image: image(0.25) })
    expect(off(7)).toBe(true)
    await fireEvent.click(screen.getAllByRole('button', { name: /정답 7/ })[0])
    expect(drawings.list).toHaveLength(0)
    expect(off(7)).toBe(false)
  })

  it('keeps the focus on the label pressed from the keyboard, and says it is kept in a status region there before', async () => {
    render(AddDrawing, { image: image(0.25) })
    // the line goes into a region the page already has, so a screen reader reads it out
    const region = screen.getByTestId('draw-already-status')
    expect(region.getAttribute('role')).toBe('status')
    expect(region.textContent?.trim()).toBe('')
    button(4).focus()
    await fireEvent.click(button(4))
    // a disabled button drops the focus to the page (Chromium): the pressed one stays focusable, off by aria-disabled
    expect(button(4).disabled).toBe(false)
    expect(button(4).getAttribute('aria-disabled')).toBe('true')
    expect(document.activeElement).toBe(button(4))
    expect(region.textContent).toContain('already in the dataset, labelled 4')
    // pressed again, it adds nothing
    await fireEvent.click(button(4))
    await fireEvent.click(button(2))
    expect(drawings.list.map((d) => d.label)).toEqual([4])
  })
})
