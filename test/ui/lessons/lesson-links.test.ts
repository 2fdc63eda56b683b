/**
 * A lesson that sends the learner somewhere says how to get there. The optimizer lesson's race starts from the
 * button under its table, which its text names (it said "race them on MNIST from the training page", where there
 * is no such button). The lessons that ask the learner to draw (a CNN reading a digit, an autoencoder redrawing
 * it, an LSTM's gates over a drawn digit) lead to the draw page from their "try it" card, and going there loads no
 * preset: the model the learner just trained stays the one that reads the drawing. Before, those lessons said
 * "draw a digit" with no way there but the page tabs.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import { catalogues, i18n } from '../../../src-renderer/i18n/index.svelte'
import { LESSONS } from '../../../src-renderer/lib/lessons/curriculum'
import { lessons } from '../../../src-renderer/lib/lessons/state.svelte'
import { project } from '../../../src-renderer/lib/project.svelte'
import { editor } from '../../../src-renderer/lib/editor.svelte'
import { PRESETS } from '../../../src-engine/models/presets'
import LessonsPage from '../../../src-renderer/pages/LessonsPage.svelte'

describe('"try it" on the draw page', () => {
  beforeEach(() => {
    i18n.set('en')
    lessons.answers = {}
    project.page = 'lessons'
    editor.reset()
  })
  afterEach(() => cleanup())

  it('is offered by the lessons whose text asks for a drawing, in both languages', () => {
    const asks = (id: string, lang: 'en' | 'ko'): boolean => {
      const l = LESSONS.find((x) => x.id === id)!
      const text = Array.from({ length: l.paragraphs }, (_, i) => catalogues[lang][`lessons.${id}_p${i + 1}`]).join(' ')
      return lang === 'en' ? /\bdraw\b/i.test(text) : /그려|그린/.test(text)
    }
    const drawing = LESSONS.filter((l) => asks(l.id, 'en')).map((l) => l.id)
    expect(drawing).toEqual(['cnn', 'autoencoder', 'lstm'])
    expect(LESSONS.filter((l) => asks(l.id, 'ko')).map((l) => l.id)).toEqual(drawing)
    expect(LESSONS.filter((l) => l.draw).map((l) => l.id)).toEqual(drawing)
    expect(catalogues.en['lessons.tryDraw']).toBeTruthy()
    expect(catalogues.ko['lessons.tryDraw']).toMatch(/[가-힣]/)
  })

  it('opens the draw page with the trained autoencoder still in place', async () => {
    const ae = PRESETS.find((p) => p.id === 'conv-autoencoder')!
    project.spec = structuredClone(ae.spec)
    project.presetId = ae.id
    project.trained = true
    lessons.current = 'autoencoder'
    render(LessonsPage)
    const button = screen.getAllByTestId('try-button').find((b) => b.getAttribute('data-page') === 'draw')
    expect(button?.textContent).toContain('Draw a digit')
    await fireEvent.click(button!)
    expect(project.page).toBe('draw')
    expect(project.presetId).toBe('conv-autoencoder')
    expect(project.trained).toBe(true)
    expect(editor.pending).toBeNull()
  })

  it('is not offered where the lesson does not ask for a drawing', () => {
    lessons.current = 'pooling'
    render(LessonsPage)
    expect(screen.getAllByTestId('try-button').map((b) => b.getAttribute('data-page'))).toEqual(['editor'])
  })
})

describe('the optimizer lesson', () => {
  it('names the button that starts the race, in both languages', () => {
    for (const lang of ['en', 'ko'] as const) {
      const c = catalogues[lang]
      expect(c['lessons.optimizers_p2'], lang).toContain(`“${c['explain.raceStart']}”`)
    }
  })
})

describe('the autoencoder lesson', () => {
  it('offers the autoencoder with a 2-D code, whose training page has the code plane its text describes', () => {
    const l = LESSONS.find((x) => x.id === 'autoencoder')!
    expect(l.tries).toContainEqual({ preset: 'ae-2d', page: 'train' })
    expect(PRESETS.find((p) => p.id === 'ae-2d')?.kind).toBe('autoencoder')
    expect(catalogues.en['lessons.autoencoder_p2']).toContain('2-D code')
    expect(catalogues.ko['lessons.autoencoder_p2']).toContain('2차원 코드')
  })
})
