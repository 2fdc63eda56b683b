/**
 * Shapes in an explainer's own text and in the glossary's definitions stay on one line, as in the lessons' paragraphs
 * (keep-together.ts): the shape-flow explainer's lead and note ("turn (1, 28, 28) into (30, 24, 24)") and the
 * glossary's "(N, C, H, W)" could wrap at their inner spaces. Before, both were shown as written (ordinary spaces);
 * these tests fail on that. So do the explainers' tables, captions and formulas ("(30, 24, 24)" in the shape-flow
 * table, "W (2, 3)", "(−0.35, 0.085)"), built in the components rather than read from the catalogue: before, 33
 * such texts in each language (each lesson's explainers as they open) were shown with breakable spaces.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import ShapeFlow from '../../../src-renderer/components/explainers/ShapeFlow.svelte'
import ParamCount from '../../../src-renderer/components/explainers/ParamCount.svelte'
import Glossary from '../../../src-renderer/components/lessons/Glossary.svelte'
import ExplainerHost from '../../../src-renderer/components/lessons/ExplainerHost.svelte'
import { LESSONS } from '../../../src-renderer/lib/lessons/curriculum'
import { keepShapesTogether } from '../../../src-renderer/lib/lessons/keep-together'

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

/**
 * Text in `root` still holding a tuple or product that could break at an inner space. An <option> (a select's entry
 * does not wrap) and SVG text (one line by nature) are left out.
 */
function breakable(root: Element, where: string): string[] {
  const out: string[] = []
  const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const s = n.nodeValue ?? ''
    if (n.parentElement?.closest('option, svg')) continue
    if (keepShapesTogether(s) !== s) out.push(`${where}: "${s.trim()}"`)
  }
  return out
}

describe('every explainer’s tables, captions and formulas', () => {
  for (const lang of ['en', 'ko'] as const) {
    it(`keep their shapes on one line (${lang})`, async () => {
      i18n.lang = lang
      const found: string[] = []
      // each explainer once (the shape-flow table's examples are all clicked through below), the receptive field's
      // two starts (with pooling in the pooling lesson)
      const seen = new Set<string>()
      for (const l of LESSONS) {
        for (const name of l.explainers) {
          const key = name === 'receptive-field' ? `${name}:${l.id === 'pooling'}` : name
          if (seen.has(key)) continue
          seen.add(key)
          const { container } = render(ExplainerHost, { props: { name, lesson: l.id } })
          found.push(...breakable(container, `${l.id}/${name}`))
          // every example network of the shape-flow table
          for (const pick of name === 'shape-flow' ? screen.getAllByTestId('flow-pick') : []) {
            await fireEvent.click(pick)
            found.push(...breakable(container, `${l.id}/${name}/${pick.dataset.example}`))
          }
          cleanup()
        }
      }
      expect(found).toEqual([])
    }, 20_000) // renders every explainer: 3 s alone, 6 s (over the default 5) seen on a loaded machine
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
