/**
 * The lessons page in happy-dom: every lesson of the curriculum is listed and has its text, questions
 * and terms in both languages; quizzes answer at once; <Term> shows its definition; "try it" loads the
 * preset through the editor and switches page.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, render, screen, within } from '@testing-library/svelte'
import { tick } from 'svelte'
import { catalogues, i18n } from '../../../src-renderer/i18n/index.svelte'
import { LESSONS } from '../../../src-renderer/lib/lessons/curriculum'
import { TERM_IDS, TERMS, definitionKey } from '../../../src-renderer/lib/glossary'
import { lessons } from '../../../src-renderer/lib/lessons/state.svelte'
import { project } from '../../../src-renderer/lib/project.svelte'
import { editor } from '../../../src-renderer/lib/editor.svelte'
import { PRESETS } from '../../../src-engine/models/presets'
import LessonsPage from '../../../src-renderer/pages/LessonsPage.svelte'
import Term from '../../../src-renderer/components/lessons/Term.svelte'

describe('curriculum content', () => {
  it('covers the 15 topics, each with text, 2–3 questions and valid answers in both languages', () => {
    expect(LESSONS).toHaveLength(15)
    const missing: string[] = []
    for (const lang of ['en', 'ko'] as const) {
      const c = catalogues[lang]
      for (const l of LESSONS) {
        const keys = [`${l.id}_title`, `${l.id}_summary`, ...Array.from({ length: l.paragraphs }, (_, i) => `${l.id}_p${i + 1}`)]
        expect(l.questions.length, l.id).toBeGreaterThanOrEqual(2)
        expect(l.questions.length, l.id).toBeLessThanOrEqual(3)
        l.questions.forEach((q, k) => {
          expect(q.answer, `${l.id} q${k + 1}`).toBeLessThan(q.choices)
          keys.push(`${l.id}_q${k + 1}`, `${l.id}_q${k + 1}_why`, ...Array.from({ length: q.choices }, (_, j) => `${l.id}_q${k + 1}_a${j}`))
        })
        for (const k of keys) if (!c[`lessons.${k}`]) missing.push(`${lang}: lessons.${k}`)
      }
    }
    expect(missing).toEqual([])
  })

  it('writes the Korean lessons in Korean', () => {
    for (const l of LESSONS) expect(catalogues.ko[`lessons.${l.id}_p1`]).toMatch(/[가-힣]{2,}/)
  })

  it('names real presets and pages in every "try it"', () => {
    const ids = new Set(PRESETS.map((p) => p.id))
    for (const l of LESSONS) for (const t of l.tries) expect(ids.has(t.preset), `${l.id}: ${t.preset}`).toBe(true)
  })

  it('defines every glossary term in both languages, with the course’s Korean names', () => {
    for (const id of TERM_IDS) {
      expect(catalogues.en[definitionKey(id)], id).toBeTruthy()
      expect(catalogues.ko[definitionKey(id)], id).toBeTruthy()
    }
    expect(TERMS.convolution.ko).toBe('합성곱')
    expect(TERMS.backprop.ko).toBe('오차역전파')
    expect(TERMS.vanishingGradient.ko).toBe('기울기 소실')
    for (const l of LESSONS) for (const t of l.terms) expect(TERM_IDS).toContain(t)
  })
})

describe('lessons page', () => {
  beforeEach(() => {
    i18n.set('en')
    lessons.current = LESSONS[0].id
    lessons.answers = {}
    project.page = 'lessons'
    project.spec = null
    project.presetId = null
    project.trained = false
    editor.reset()
  })
  afterEach(() => cleanup())

  it('lists every lesson and opens one', async () => {
    render(LessonsPage)
    const items = screen.getAllByTestId('lesson-item')
    expect(items).toHaveLength(15)
    expect(items[0].textContent).toContain('Data has a shape')
    await fireEvent.click(items[5])
    expect(screen.getByTestId('lesson').getAttribute('data-lesson')).toBe('pooling')
    expect(screen.getByTestId('explainer-pooling')).toBeTruthy()
  })

  it('puts the focus on the next lesson\'s title after the pager, and leaves it in the list after a pick', async () => {
    // the pager's button goes with its lesson: the focus fell to the page (Chromium, keyboard walk)
    render(LessonsPage)
    const next = screen.getByTestId('lesson-next')
    next.focus()
    await fireEvent.click(next)
    await tick()
    await tick()
    expect(screen.getByTestId('lesson').getAttribute('data-lesson')).toBe(LESSONS[1].id)
    expect(document.activeElement).toBe(screen.getByTestId('lesson-title'))
    expect(document.activeElement?.textContent).toBe(catalogues.en[`lessons.${LESSONS[1].id}_title`])
    const item = screen.getAllByTestId('lesson-item')[3]
    item.focus()
    await fireEvent.click(item)
    await tick()
    await tick()
    expect(screen.getByTestId('lesson').getAttribute('data-lesson')).toBe(LESSONS[3].id)
    expect(document.activeElement).toBe(item)
  })

  it('tells at once whether an answer is right, and explains', async () => {
    lessons.current = 'conv'
    render(LessonsPage)
    const q1 = screen.getAllByTestId('quiz-question')[0]
    const choices = within(q1).getAllByTestId('quiz-choice')
    expect(within(q1).queryByTestId('quiz-feedback')).toBeNull()
    await fireEvent.click(choices[0]) // "4" is wrong; 9 is right
    expect(within(q1).getByTestId('quiz-feedback').textContent).toContain('Not quite')
    expect(choices[0].classList.contains('wrong')).toBe(true)
    expect(choices[2].classList.contains('right')).toBe(true)
    await fireEvent.click(choices[2])
    expect(within(q1).getByTestId('quiz-feedback').textContent).toContain('Correct')
  })

  it('answers in a status region that is there before the answer (one added with its text is often not read out)', async () => {
    lessons.current = 'conv'
    render(LessonsPage)
    const q = screen.getAllByTestId('quiz-question')[0]
    const status = within(q).getByRole('status')
    expect(status.textContent?.trim()).toBe('')
    await fireEvent.click(within(q).getAllByTestId('quiz-choice')[0])
    expect(within(q).getByRole('status')).toBe(status)
    expect(status.textContent).toMatch(/^\s*(Correct|Not quite)/)
  })

  it('switches the lesson text to Korean', async () => {
    lessons.current = 'conv'
    render(LessonsPage)
    i18n.set('ko')
    await tick()
    expect(screen.getByTestId('lesson').textContent).toContain('합성곱')
    expect(screen.getByTestId('explainer-conv-stepper').textContent).toContain('한 칸씩')
  })

  it('opens the lesson preset in the editor or on the training page', async () => {
    lessons.current = 'rnn'
    render(LessonsPage)
    const button = screen.getAllByTestId('try-button')[0]
    expect(button.getAttribute('data-preset')).toBe('row-rnn')
    await fireEvent.click(button)
    expect(project.presetId).toBe('row-rnn')
    expect(project.spec?.layers[0].type).toBe('TimeRNN')
    expect(project.page).toBe('train')
  })

  it('sends a trained model to the editor first, where the keep-or-fresh question waits', async () => {
    lessons.current = 'pooling'
    project.spec = structuredClone(PRESETS[0].spec)
    project.presetId = PRESETS[0].id
    project.trained = true
    project.weightsChoice = null
    render(LessonsPage)
    await fireEvent.click(screen.getAllByTestId('try-button')[0])
    expect(editor.pending?.presetId).toBe('lenet5')
    expect(project.page).toBe('editor')
  })

  it('shows the glossary with every term', async () => {
    render(LessonsPage)
    await fireEvent.click(screen.getByTestId('glossary-item'))
    expect(screen.getAllByTestId('glossary-row')).toHaveLength(TERM_IDS.length)
  })
})

describe('<Term>', () => {
  afterEach(() => cleanup())

  it('puts the definition away on Escape until the term is left (it covers the text above)', async () => {
    render(Term, { props: { id: 'stride' } })
    const term = screen.getByTestId('term')
    term.focus()
    expect(term.classList.contains('dismissed')).toBe(false)
    await fireEvent.keyDown(term, { key: 'Escape' })
    expect(term.classList.contains('dismissed')).toBe(true)
    await fireEvent.focusOut(term)
    expect(term.classList.contains('dismissed')).toBe(false)
  })

  it('shows the term in the current language with both names and the definition in its tooltip', async () => {
    i18n.set('ko')
    render(Term, { props: { id: 'stride' } })
    const term = screen.getByTestId('term')
    const tip = within(term).getByRole('tooltip')
    expect(term.getAttribute('aria-describedby')).toBe(tip.id)
    expect(term.textContent).toContain('스트라이드')
    expect(tip.textContent).toContain('stride')
    expect(tip.textContent).toContain(catalogues.ko['glossary.stride'])
    i18n.set('en')
    await tick()
    expect(tip.textContent).toContain(catalogues.en['glossary.stride'])
  })
})
