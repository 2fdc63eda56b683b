/**
 * A term's definition follows the WAI tooltip rule for Escape: it hides the definition whether the pointer or the
 * focus shows it, and the definition stays hidden until the pointer or the focus comes to the term again. Before,
 * the pointer leaving a focused term undid the Escape (the definition came back under the focus), and with the term
 * only hovered Escape did nothing (the key went to the focused element elsewhere).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import Term from '../../../src-renderer/components/lessons/Term.svelte'

afterEach(() => cleanup())

const hidden = (): boolean => screen.getByTestId('term').classList.contains('dismissed')

describe('Escape on a term’s definition', () => {
  it('keeps it hidden when the pointer leaves a focused term, until the pointer comes back', async () => {
    render(Term, { props: { id: 'stride' } })
    const term = screen.getByTestId('term')
    term.focus()
    await fireEvent.focusIn(term)
    await fireEvent.pointerEnter(term)
    await fireEvent.keyDown(term, { key: 'Escape' })
    expect(hidden()).toBe(true)
    // the pointer moves off: the focus is still there, and the definition stays put away
    await fireEvent.pointerLeave(term)
    expect(hidden()).toBe(true)
    // ... until the pointer comes back to the term, which asks for it again
    await fireEvent.pointerEnter(term)
    expect(hidden()).toBe(false)
  })

  it('hides a definition shown by the pointer alone, with the focus elsewhere', async () => {
    const elsewhere = document.createElement('button')
    document.body.append(elsewhere)
    render(Term, { props: { id: 'stride' } })
    const term = screen.getByTestId('term')
    elsewhere.focus()
    await fireEvent.pointerEnter(term)
    await fireEvent.keyDown(elsewhere, { key: 'Escape' })
    expect(hidden()).toBe(true)
    // leaving and coming back shows it again
    await fireEvent.pointerLeave(term)
    await fireEvent.pointerEnter(term)
    expect(hidden()).toBe(false)
    // an Escape with neither the pointer nor the focus on the term is not its business
    await fireEvent.pointerLeave(term)
    await fireEvent.keyDown(elsewhere, { key: 'Escape' })
    expect(hidden()).toBe(false)
    elsewhere.remove()
  })
})
