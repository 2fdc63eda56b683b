/**
 * Shapes in lesson text stay on one line: "(1, 28, 28)" and "(N, C, H, W)" in a paragraph, a question or an answer
 * could wrap at their inner spaces, so a student read "(1, 28," on one line and "28)" on the next. Before,
 * the paragraphs were shown as written (ordinary spaces); these tests fail on that.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, render, screen } from '@testing-library/svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import { LESSONS } from '../../../src-renderer/lib/lessons/curriculum'
import { keepShapesTogether } from '../../../src-renderer/lib/lessons/keep-together'
import LessonView from '../../../src-renderer/components/lessons/LessonView.svelte'

afterEach(() => {
  cleanup()
  i18n.lang = 'en'
})

const NB = '\u00a0'

describe('keepShapesTogether', () => {
  it('joins tuples of numbers and short names and products of sizes, nothing else', () => {
    expect(keepShapesTogether('is (1, 28, 28) — one')).toBe(`is (1,${NB}28,${NB}28) — one`)
    expect(keepShapesTogether('front: (N, C, H, W).')).toBe(`front: (N,${NB}C,${NB}H,${NB}W).`)
    expect(keepShapesTogether('(w1, …, wm) and (−7, 2)')).toBe(`(w1,${NB}…,${NB}wm) and (−7,${NB}2)`)
    expect(keepShapesTogether('N × C × H × W')).toBe(`N${NB}×${NB}C${NB}×${NB}H${NB}×${NB}W`)
    // the explainers' names with subscripts, numbers in powers of ten and infinities
    expect(keepShapesTogether('f(x₀, x₁) = x₀²')).toBe(`f(x₀,${NB}x₁) = x₀²`)
    expect(keepShapesTogether('(1.2×10⁻⁴, −3×10¹²) or (∞, −∞)')).toBe(`(1.2×10⁻⁴,${NB}−3×10¹²) or (∞,${NB}−∞)`)
    // words in brackets are text, free to wrap, in either language
    for (const s of ['(fully connected, Dense)', '(select it, then Alt+↓ twice)', '(기울기 폭발, 기울기 클리핑이 도움이 됩니다)', '입력 수 × 출력 수'])
      expect(keepShapesTogether(s)).toBe(s)
  })
})

describe('a lesson’s text', () => {
  for (const lang of ['en', 'ko'] as const) {
    it(`keeps the shapes of the tensor lesson on one line (${lang})`, () => {
      i18n.lang = lang
      render(LessonView, { props: { lesson: LESSONS.find((l) => l.id === 'shape')!, ongo: () => {} } })
      // the paragraphs, the key terms' definitions and the questions with their answers (the explainers' tables are
      // not prose)
      const text = [...screen.getByTestId('lesson').querySelectorAll('.para, .terms, [data-testid="quiz"]')]
        .map((e) => e.textContent).join(' ')
      expect(text).toContain(`(1,${NB}28,${NB}28)`)
      expect(text).toContain(`(N,${NB}C,${NB}H,${NB}W)`)
      // no tuple there keeps a breakable space
      expect(text).not.toMatch(/\((?:[−\-\w…]+, )+[−\-\w…]+\)/)
    })
  }
})
