/**
 * A learner's place in the lessons is kept across a reload (Q3's F7): the open lesson, the quiz answers and the
 * lessons opened are written to storage at each change and read back at load, checked against the curriculum; the
 * list marks a lesson done (every question right) or opened (questions right so far), in words for a screen reader.
 * Before, all of it was in memory only and the list marked nothing but a fully answered lesson: these tests fail there
 * (no progress-store module, no opened mark, no legend).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, render, screen, within } from '@testing-library/svelte'
import { flushSync, tick } from 'svelte'
import { catalogues, i18n } from '../../../src-renderer/i18n/index.svelte'
import { LESSONS } from '../../../src-renderer/lib/lessons/curriculum'
import { lessons } from '../../../src-renderer/lib/lessons/state.svelte'
import { PROGRESS_KEY, decodeProgress, encodeProgress, keepProgress, restoreProgress } from '../../../src-renderer/lib/lessons/progress-store.svelte'
import { project } from '../../../src-renderer/lib/project.svelte'
import LessonsPage from '../../../src-renderer/pages/LessonsPage.svelte'

/** A storage in memory, as the page's localStorage. */
function memoryStore(): Storage & { data: Map<string, string> } {
  const data = new Map<string, string>()
  return {
    data,
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, String(v)),
    removeItem: (k: string) => void data.delete(k),
    clear: () => data.clear(),
    key: () => null,
    get length() { return data.size }
  }
}

function reset(): void {
  lessons.current = LESSONS[0].id
  lessons.answers = {}
  lessons.visited = []
}

beforeEach(() => {
  i18n.set('en')
  reset()
  project.page = 'lessons'
})
afterEach(() => {
  cleanup()
  i18n.set('en')
})

const conv = LESSONS.find((l) => l.id === 'conv')!

describe('lesson progress kept in storage', () => {
  it('comes back after a reload: the open lesson, the answers and the marks in the list', async () => {
    const store = memoryStore()
    const stop = keepProgress(store)
    render(LessonsPage)
    const box = within(screen.getByRole('listbox', { name: 'Lessons' }))
    await fireEvent.click(box.getAllByRole('option')[2]) // 3 Convolution
    const choices = () => within(screen.getAllByTestId('quiz-question')[0]).getAllByTestId('quiz-choice')
    await fireEvent.click(choices()[conv.questions[0].answer]) // right
    await fireEvent.click(within(screen.getAllByTestId('quiz-question')[1]).getAllByTestId('quiz-choice')[(conv.questions[1].answer + 1) % 3]) // wrong
    flushSync()
    stop()
    cleanup()
    expect(store.data.get(PROGRESS_KEY)).toBeTruthy()

    // "reload": the state in memory is gone, the stored record brings it back before the page is drawn
    reset()
    expect(restoreProgress(store)).toBe(true)
    render(LessonsPage)
    expect(screen.getByTestId('lesson').getAttribute('data-lesson')).toBe('conv')
    expect(screen.getAllByTestId('quiz-feedback')).toHaveLength(2)
    const options = within(screen.getByRole('listbox', { name: 'Lessons' })).getAllByRole('option')
    // lesson 1 was shown at first (opened, nothing answered); lesson 3 has 1 of its 3 right; lesson 2 never opened
    expect(options[0].textContent).toContain('0/2')
    expect(within(options[2]).getByTestId('lesson-opened').textContent).toBe('1/3')
    expect(screen.getByRole('option', { name: /opened, 1 of 3 questions right$/ })).toBe(options[2])
    expect(within(options[1]).queryByTestId('lesson-opened')).toBeNull()
    expect(within(options[1]).queryByTestId('lesson-done')).toBeNull()
    // the list is still one Tab stop: the open lesson
    expect(options.filter((o) => o.tabIndex === 0)).toEqual([options[2]])
  })

  it('marks a lesson done when every question is right, and says what done means (en, ko)', async () => {
    lessons.current = 'conv'
    conv.questions.forEach((q, k) => (lessons.answers[`conv:${k}`] = q.answer))
    for (const lang of ['en', 'ko'] as const) {
      i18n.set(lang)
      const c = catalogues[lang]
      render(LessonsPage)
      await tick()
      const options = within(screen.getByRole('listbox', { name: c['lessons.listTitle'] })).getAllByRole('option')
      expect(within(options[2]).getByTestId('lesson-done')).toBeTruthy()
      expect(screen.getByRole('option', { name: new RegExp(`${c['lessons.progressDone']}$`) })).toBe(options[2])
      expect(screen.getByTestId('lessons-legend').textContent).toBe(c['lessons.progressLegend'])
      expect(screen.getByRole('listbox').getAttribute('aria-describedby')).toBe('lessons-legend')
      cleanup()
    }
    expect(catalogues.ko['lessons.progressLegend']).toMatch(/완료/)
  })

  it('reads back what still fits the curriculum and ignores what does not', () => {
    const good = encodeProgress({ current: 'conv', answers: { 'conv:0': 2, 'conv:1': 1 }, visited: ['shape', 'conv'] })
    expect(decodeProgress(good)).toEqual({ current: 'conv', answers: { 'conv:0': 2, 'conv:1': 1 }, visited: ['shape', 'conv'] })
    // damaged, another version, far too long: nothing
    for (const bad of ['{', 'null', '[]', JSON.stringify({ v: 2, current: 'conv' }), good.slice(0, -1) + ',"x":"' + 'a'.repeat(30_000) + '"}']) {
      expect(decodeProgress(bad), bad.slice(0, 40)).toBeNull()
    }
    // entry by entry: a lesson this lab has not, a question or a choice out of range, a wrong type are dropped
    const mixed = decodeProgress(JSON.stringify({
      v: 1, current: 'no-such-lesson',
      answers: { 'conv:0': 1, 'conv:7': 0, 'conv:1': 9, 'conv:2': -1, 'conv:3': 0, 'gone:0': 0, 'shape:0': '1', 'shape:1': 1.5, 'rnn:1': 2 },
      visited: ['rnn', 'gone', 3, 'shape', 'rnn']
    }))
    expect(mixed).toEqual({ current: LESSONS[0].id, answers: { 'conv:0': 1, 'rnn:1': 2 }, visited: ['shape', 'rnn'] })
    expect(decodeProgress(JSON.stringify({ v: 1, current: 'glossary', answers: 'x', visited: {} }))).toEqual({ current: 'glossary', answers: {}, visited: [] })
    // a store that refuses to be read, or none: nothing restored, nothing thrown
    expect(restoreProgress({ getItem: () => { throw new Error('denied') }, setItem: () => {} })).toBe(false)
    expect(restoreProgress(undefined)).toBe(false)
  })

  it('does not throw when storage is full, and does not write the state it was started with', () => {
    const full = { getItem: () => null, setItem: () => { throw new Error('QuotaExceededError') } }
    const stop = keepProgress(full)
    lessons.current = 'rnn'
    expect(() => flushSync()).not.toThrow()
    stop()
    const store = memoryStore()
    const stop2 = keepProgress(store)
    flushSync()
    expect(store.data.size).toBe(0)
    stop2()
  })
})
