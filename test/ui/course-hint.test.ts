/**
 * A first launch points to the course: a line above the editor says where the learner is and that the course
 * starts under Lessons; closed, or once the lessons are opened, it is not shown again (remembered). The lab
 * opened on the editor and said nothing of the lessons (K4's walk).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import { flushSync } from 'svelte'
import CourseHint from '../../src-renderer/components/CourseHint.svelte'
import { courseHint, hintDone, showHint } from '../../src-renderer/lib/course-hint.svelte'
import { project } from '../../src-renderer/lib/project.svelte'
import { files } from '../../src-renderer/lib/files.svelte'
import { trainLab } from '../../src-renderer/lib/train.svelte'
import { i18n } from '../../src-renderer/i18n/index.svelte'

const fresh = { page: 'editor', fileName: null, recent: 0, runs: 0, trained: false } as const

beforeEach(() => {
  localStorage.clear()
  courseHint.done = false
  project.page = 'editor'
  project.trained = false
  files.fileName = null
  files.recent = []
  trainLab.runs = []
})
afterEach(() => {
  cleanup()
  localStorage.clear()
})

describe('the first launch hint', () => {
  it('is for a fresh lab on the editor only, and not for one used before', () => {
    expect(showHint(false, fresh)).toBe(true)
    expect(showHint(true, fresh)).toBe(false)
    expect(showHint(false, { ...fresh, page: 'train' })).toBe(false)
    expect(showHint(false, { ...fresh, fileName: 'mine.bplab' })).toBe(false)
    expect(showHint(false, { ...fresh, recent: 1 })).toBe(false)
    expect(showHint(false, { ...fresh, runs: 1 })).toBe(false)
    expect(showHint(false, { ...fresh, trained: true })).toBe(false)
    const store = (o: Record<string, string>): Pick<Storage, 'getItem'> => ({ getItem: (k) => o[k] ?? null })
    expect(hintDone(store({}))).toBe(false)
    // a newcomer's first choice, the language, is no sign of an earlier visit
    expect(hintDone(store({ 'backprop-lab.lang': 'ko', 'backprop-lab.theme': 'dark' }))).toBe(false)
    expect(hintDone(store({ 'backprop-lab.courseHint': 'done' }))).toBe(true)
    expect(hintDone(store({ 'backprop-lab.speed': '{}' }))).toBe(true)
    expect(hintDone(store({ 'backprop-lab.drawings': '[]' }))).toBe(true)
    expect(hintDone({ getItem: () => { throw new Error('denied') } })).toBe(false)
  })

  it('points to the lessons in Korean, and once closed stays closed', async () => {
    i18n.set('ko')
    let opened = 0
    render(CourseHint, { onlessons: () => (opened += 1) })
    const hint = screen.getByTestId('course-hint')
    expect(hint.textContent).toContain('강의에서 시작합니다')
    expect(hint.textContent).toContain('아키텍처 편집기')
    await fireEvent.click(screen.getByTestId('course-hint-open'))
    expect(opened).toBe(1)
    await fireEvent.click(screen.getByTestId('course-hint-close'))
    flushSync()
    expect(screen.queryByTestId('course-hint')).toBeNull()
    expect(hintDone(localStorage)).toBe(true)
    i18n.set('en')
  })

  it('goes for good once the learner opens the lessons, by any way', () => {
    render(CourseHint, { onlessons: () => undefined })
    expect(screen.getByTestId('course-hint').textContent).toContain('The course starts under Lessons')
    project.page = 'lessons'
    flushSync()
    project.page = 'editor'
    flushSync()
    expect(screen.queryByTestId('course-hint')).toBeNull()
    expect(localStorage.getItem('backprop-lab.courseHint')).toBe('done')
  })
})
