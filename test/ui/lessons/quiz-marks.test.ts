/**
 * A quiz answer is marked by a sign and in words, not by colour alone: the right choice gets "✓ right answer", a wrong
 * pick "✗ wrong" (part of each button's name for a screen reader), and the status line names the right answer when
 * the pick was wrong (en, ko). Before, only the border and background colours told them apart and the line said
 * "Not quite." without the answer.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, render, screen, within } from '@testing-library/svelte'
import { flushSync } from 'svelte'
import Quiz from '../../../src-renderer/components/lessons/Quiz.svelte'
import { LESSONS } from '../../../src-renderer/lib/lessons/curriculum'
import { lessons } from '../../../src-renderer/lib/lessons/state.svelte'
import { i18n, t } from '../../../src-renderer/i18n/index.svelte'

afterEach(() => {
  cleanup()
  i18n.set('en')
  lessons.answers = {}
})

describe('the quiz marks answers without colour', () => {
  it('marks the right answer and a wrong pick in words, and says the right answer', async () => {
    lessons.answers = {}
    render(Quiz, { props: { lesson: LESSONS.find((l) => l.id === 'conv')! } })
    const q1 = screen.getAllByTestId('quiz-question')[0]
    const choices = within(q1).getAllByTestId('quiz-choice')
    expect(within(q1).queryAllByTestId('quiz-mark')).toHaveLength(0)
    await fireEvent.click(choices[0]) // "4" is wrong; C, "9", is right
    expect(choices[0].textContent).toContain('✗ wrong')
    expect(choices[2].textContent).toContain('✓ right answer')
    expect(choices[1].textContent).not.toMatch(/✓|✗/)
    const status = within(q1).getByRole('status')
    expect(status.textContent).toMatch(/^\s*Not quite: the answer is C, “9”\. The 3×3 filter covers 9 input cells/)

    i18n.set('ko')
    flushSync()
    expect(choices[0].textContent).toContain('✗ 오답')
    expect(choices[2].textContent).toContain('✓ 정답')
    expect(status.textContent).toMatch(/^\s*아쉽지만 틀렸습니다\. 정답은 C, “9”입니다\. 3×3 필터가/)

    await fireEvent.click(choices[2])
    expect(within(q1).getAllByTestId('quiz-mark')).toHaveLength(1)
    expect(choices[2].textContent).toContain('✓ 정답')
    expect(status.textContent).toMatch(/^\s*정답입니다\./)
  })

  // Many right answers are sentences ending in a verb ('…정수가 아닙니다', '…나눕니다', '…같습니다'); a 입니다 glued
  // to them read '아닙니다입니다'. Quoted, the answer is a phrase the sentence can end on, in both languages.
  it('names a right answer that is a sentence without gluing 입니다 to its verb', () => {
    i18n.set('ko')
    const said = LESSONS.flatMap((l) => l.questions.map((q, k) =>
      t('lessons.notQuite', { letter: String.fromCharCode(65 + q.answer), answer: t(`lessons.${l.id}_q${k + 1}_a${q.answer}`) })))
    expect(said.length).toBeGreaterThan(30)
    expect(said.filter((s) => /[다까요]입니다/.test(s))).toEqual([])
    expect(said).toContain('아쉽지만 틀렸습니다. 정답은 A, “그 계층에서 오류를 알립니다: (7 − 3)/3이 정수가 아닙니다”입니다.')
  })
})
