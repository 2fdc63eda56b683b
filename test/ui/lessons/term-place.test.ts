/**
 * A term's definition opens above the term, and below it when there is no room above (Q6's F5): a term just under the
 * header had its definition run past the top of the scrolling area, with only a sliver of it in sight.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import Term from '../../../src-renderer/components/lessons/Term.svelte'

afterEach(() => {
  cleanup()
  vi.restoreAllMocks()
})

const rect = (top: number, height: number, left = 100, width = 200): DOMRect =>
  ({ top, bottom: top + height, height, left, right: left + width, width, x: left, y: top, toJSON: () => ({}) }) as DOMRect

/** The page's area from y = 52 to 640; the term at `termTop`, 20 px tall; the definition 77 px tall above it. */
function layout(termTop: number): void {
  vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockImplementation(function (this: HTMLElement) {
    if (this.classList.contains('tip')) return this.dataset.place === 'below' ? rect(termTop + 28, 77) : rect(termTop - 85, 77)
    if (this.classList.contains('term')) return rect(termTop, 20)
    return rect(52, 588, 0, 1024)
  })
  vi.spyOn(document.documentElement, 'clientHeight', 'get').mockReturnValue(588)
  vi.spyOn(document.documentElement, 'clientWidth', 'get').mockReturnValue(1024)
}

describe("a term's definition", () => {
  it('opens below a term near the top of the page, where it would be cut off above', async () => {
    layout(70)
    render(Term, { props: { id: 'bias' } })
    const term = screen.getByTestId('term')
    await fireEvent.focusIn(term)
    expect(term.querySelector<HTMLElement>('.tip')!.dataset.place).toBe('below')
  })

  it('opens above a term with room above it', async () => {
    layout(300)
    render(Term, { props: { id: 'bias' } })
    const term = screen.getByTestId('term')
    await fireEvent.focusIn(term)
    expect(term.querySelector<HTMLElement>('.tip')!.dataset.place).toBeUndefined()
  })
})
