/**
 * Shapes in an explainer's own text and in the glossary's definitions stay on one line, as in the lessons' paragraphs
 * (keep-together.ts): the shape-flow explainer's lead and note ("turn (1, 28, 28) into (30, 24, 24)") and the
 * glossary's "(N, C, H, W)" could wrap at their inner spaces. Before, both were shown as written (ordinary spaces);
 * these tests fail on that.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import ShapeFlow from '../../../src-renderer/components/explainers/ShapeFlow.svelte'
import ParamCount from '../../../src-renderer/components/explainers/ParamCount.svelte'
import Glossary from '../../../src-renderer/components/lessons/Glossary.svelte'

afterEach(() => {
  cleanup()
  i18n.lang = 'en'
})

const NB = '\u00a0'
/** A tuple that still holds a breakable space: "(1, 28, 28)" with a plain space after a comma. */
const BREAKABLE = /\((?:[−\-\w…]+, )+[−\-\w…]+\)/

describe('an explainer’s text', () => {
  for (const lang of ['en', 'ko'] as const) {
    it(`keeps the shapes of the shape-flow note and the parameter count's lead on one line (${lang})`, () => {
      i18n.lang = lang
      render(ShapeFlow)
      const note = screen.getByTestId('explainer-shape-flow').querySelector('.note')!.textContent!
      expect(note).toContain(`(1,${NB}28,${NB}28)`)
      expect(note).toContain(`(30,${NB}24,${NB}24)`)
      expect(note).not.toMatch(BREAKABLE)
      // the frame's lead, shared by every explainer: "a weight matrix W of shape (n, m)"
      render(ParamCount)
      expect(screen.getByTestId('explainer-param-count').querySelector('.lead')!.textContent).toContain(`(n,${NB}m)`)
    })
  }
})

describe('the glossary', () => {
  for (const lang of ['en', 'ko'] as const) {
    it(`keeps the shapes of its definitions on one line, and its filter still finds them (${lang})`, async () => {
      i18n.lang = lang
      render(Glossary)
      const text = screen.getByTestId('glossary').querySelector('tbody')!.textContent!
      expect(text).toContain(`(N,${NB}C,${NB}H,${NB}W)`)
      expect(text).toContain(`(100,${NB}1,${NB}28,${NB}28)`)
      expect(text).not.toMatch(BREAKABLE)
      // a student types the shape with ordinary spaces: the filter reads the definitions as written
      await fireEvent.input(screen.getByRole('searchbox'), { target: { value: '(N, C, H' } })
      expect(screen.getAllByTestId('glossary-row').map((r) => r.id)).toEqual(['term-tensor'])
    })
  }
})
