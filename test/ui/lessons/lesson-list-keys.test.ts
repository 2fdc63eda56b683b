/**
 * The lesson list is one Tab stop, a list box: the open lesson is the selected option and takes the Tab; ↑/↓ move the
 * focus without opening, Home and End go to the ends, Enter or Space opens the lesson with the focus. Each option's
 * name is its text, as each button's was. Before, the list was 16 buttons, 16 Tab stops, and no arrow key did anything;
 * these tests fail on that (no options).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, render, screen, within } from '@testing-library/svelte'
import { tick } from 'svelte'
import { catalogues, i18n } from '../../../src-renderer/i18n/index.svelte'
import { LESSONS } from '../../../src-renderer/lib/lessons/curriculum'
import { lessons } from '../../../src-renderer/lib/lessons/state.svelte'
import { project } from '../../../src-renderer/lib/project.svelte'
import LessonsPage from '../../../src-renderer/pages/LessonsPage.svelte'

beforeEach(() => {
  i18n.set('en')
  lessons.current = LESSONS[2].id
  lessons.answers = {}
  lessons.visited = []
  project.page = 'lessons'
})
afterEach(() => {
  cleanup()
  i18n.set('en')
})

const open = (): string => screen.getByTestId('lesson').getAttribute('data-lesson')!
/** The list's options (an explainer's <select> on the page has options of its own). */
const items = (): HTMLElement[] => within(screen.getByRole('listbox', { name: 'Lessons' })).getAllByRole('option')
const tabStops = (): HTMLElement[] => items().filter((o) => o.tabIndex === 0)

async function press(key: string): Promise<void> {
  await fireEvent.keyDown(document.activeElement!, { key })
  await tick()
}

describe('the lesson list', () => {
  it('is one Tab stop, the open lesson, and the arrows, Home and End move the focus without opening', async () => {
    render(LessonsPage)
    const box = screen.getByRole('listbox', { name: 'Lessons' })
    const options = items()
    expect(options).toHaveLength(LESSONS.length + 1)
    expect(tabStops()).toEqual([options[2]])
    expect(options[2].getAttribute('aria-selected')).toBe('true')
    expect(options.filter((o) => o.getAttribute('aria-selected') === 'true')).toHaveLength(1)

    options[2].focus()
    await press('ArrowDown')
    expect(document.activeElement).toBe(options[3])
    expect(tabStops()).toEqual([options[3]])
    expect(open()).toBe(LESSONS[2].id)
    await press('ArrowUp')
    await press('ArrowUp')
    expect(document.activeElement).toBe(options[1])
    await press('End')
    expect(document.activeElement).toBe(screen.getByTestId('glossary-item'))
    await press('ArrowDown') // nothing past the end, nothing wraps
    expect(document.activeElement).toBe(screen.getByTestId('glossary-item'))
    await press('Home')
    expect(document.activeElement).toBe(options[0])
    await press('ArrowUp')
    expect(document.activeElement).toBe(options[0])
    expect(open()).toBe(LESSONS[2].id)
    expect(box.contains(document.activeElement)).toBe(true)

    // the focus leaving the list: Tab comes back to the open lesson, not to where the arrows were
    await fireEvent.focusOut(options[0], { relatedTarget: document.body })
    expect(tabStops()).toEqual([options[2]])
  })

  it('opens the focused lesson on Enter or Space and keeps the focus there', async () => {
    render(LessonsPage)
    const options = items()
    options[2].focus()
    await press('ArrowDown')
    await press('ArrowDown')
    await press('Enter')
    expect(open()).toBe(LESSONS[4].id)
    expect(options[4].getAttribute('aria-selected')).toBe('true')
    expect(options[2].getAttribute('aria-selected')).toBe('false')
    expect(document.activeElement).toBe(options[4])
    await press('End')
    await press(' ')
    expect(screen.getByTestId('glossary')).toBeTruthy()
    expect(screen.getByTestId('glossary-item').getAttribute('aria-selected')).toBe('true')
    expect(tabStops()).toEqual([screen.getByTestId('glossary-item')])
  })

  it('names each option by its text, as the buttons were named (en, ko)', () => {
    for (const lang of ['en', 'ko'] as const) {
      i18n.set(lang)
      render(LessonsPage)
      const c = catalogues[lang]
      const box = within(screen.getByRole('listbox', { name: c['lessons.listTitle'] }))
      // compared without white space: a shape in a summary is kept on one line by no-break spaces (keep-together.ts)
      const bare = (s: string): string => s.replace(/\s+/g, '')
      const names = box.getAllByRole('option').map((o) => bare(o.textContent!))
      expect(names).toEqual([
        ...LESSONS.map((l, i) => bare(`${i + 1} ${c[`lessons.${l.id}_title`]} ${c[`lessons.${l.id}_summary`]}`)
          // the open lesson is marked opened (progress.test.ts), with its count for the eye and in words
          + (i === 2 ? bare(`0/3 ${c['lessons.progressOpened'].replace('{right}', '0').replace('{total}', '3')}`) : '')),
        bare(`${c['lessons.glossaryShort']} ${c['lessons.glossaryTitle']} ${c['lessons.glossarySummary']}`)
      ])
      // and the testing library finds them by that name
      expect(box.getByRole('option', { name: new RegExp(`^3 ${c[`lessons.${LESSONS[2].id}_title`]}`) })).toBe(box.getAllByRole('option')[2])
      cleanup()
    }
  })
})
