/**
 * The training form's data messages, in its narrow column (about 19 Korean syllables a line at 1024 and 1280 px alike),
 * break between words only (app.css keep-all): Chromium still breaks after a closing parenthesis, so “형상(값 3,072개)인데”
 * ended a line with “3,072개)” and began the next with “인데”; and a shape the message spells out breaks at its spaces,
 * “(1,” / “28, 28)”. So no closing parenthesis runs into a syllable, and the shapes written out keep no-break spaces.
 * The editor's own wording of the same problem (editor.issue.data-*) is held to it too.
 */
import { describe, expect, it } from 'vitest'
import { catalogues, i18n, t } from '../../src-renderer/i18n/index.svelte'

const KEYS = [
  'train.dataInputDigits', 'train.dataImagesLm', 'train.dataTextNotLm', 'train.errStateful', 'train.errIdx',
  'editor.issue.data-input-digits', 'editor.issue.data-images-lm', 'editor.issue.data-text-not-lm'
]

describe('the Korean data messages of the training form', () => {
  it('run no closing parenthesis into a syllable, and keep the shapes they spell out on one line', () => {
    const found: string[] = []
    for (const k of KEYS) {
      const v = catalogues.ko[k]
      expect(v, k).toBeTruthy()
      if (/\)[\uAC00-\uD7A3]/.test(v)) found.push(`${k}: “)” then a syllable`)
      if (/\d, \d/.test(v)) found.push(`${k}: a shape with a breaking space`)
    }
    expect(found).toEqual([])
  })
})

/**
 * The same in the other narrow places a Korean message with “)” then a syllable shows (the ~100 others are paragraphs,
 * where a break there is rare and harmless): a layer card's field notes, the training form's text, folder and
 * carry-over notes (the same column as above), and the draw page's notes beside the drawing. There a word joiner
 * (U+2060) after the parenthesis keeps “(2)을” together: Chromium broke a 120 px line as “(레이블 0~9)” / “라서”, and
 * with the joiner keeps “0~9)⁠라서” on one line (measured through the web shell's Chromium).
 */
const NARROW = [
  'editor.typed.range', 'editor.typed.emptyDefault', 'train.textTooShort', 'train.idxProblem.idx-missing', 'train.statefulHelp',
  'draw.scaledInfo', 'draw.notForShape'
]

describe('the Korean notes of narrow columns and cards', () => {
  it('run no closing parenthesis into a syllable, and keep the shapes they spell out on one line', () => {
    const found: string[] = []
    for (const k of NARROW) {
      const v = catalogues.ko[k]
      expect(v, k).toBeTruthy()
      if (/\)[\uAC00-\uD7A3]/.test(v)) found.push(`${k}: “)” then a syllable`)
      if (/\d, \d/.test(v)) found.push(`${k}: a shape with a breaking space`)
    }
    expect(found).toEqual([])
  })
})

/**
 * And everywhere else: 112 more ')' + syllable in the Korean catalogues (paragraphs of the lessons and explainers, the
 * glossary, banners, the editor's and the host's messages) had the same break, as V11 measured in the web shell's
 * Chromium with app.css's keep-all: of 97 such messages, 83 ended a line on ')' with the particle or word after it
 * starting the next at some width from 120 to 800 px (line-break: strict or loose changed none); with the joiner, none.
 * A value filled in ('{name}의' with a name ending in ')') is the one case left: t() joins it (below).
 */
describe('every Korean message', () => {
  it('runs no closing parenthesis into a syllable', () => {
    const found = Object.entries(catalogues.ko).filter(([, v]) => /\)[\uAC00-\uD7A3]/.test(v)).map(([k, v]) => `${k}: ${v}`)
    expect(found).toEqual([])
  })
})

/**
 * A value filled in that ends in ')': a preset's title “간단한 합성곱 신경망 (책)” in '{name}의 에폭 3', a shape
 * “(3, 32, 32)” in '{shape}에는', a field “필터 수 (FN)” in '{field}에는'. t() puts the joiner after it when a syllable
 * follows the placeholder, as the catalogues do after their own ')'; English and a value not ending in ')' are left as given.
 */
describe('a Korean message with a value filled in', () => {
  it('runs no closing parenthesis of the value into the syllable after it', () => {
    i18n.set('ko')
    try {
      const keys = Object.entries(catalogues.ko).filter(([, v]) => /\{\w+\}[\uAC00-\uD7A3]/.test(v)).map(([k]) => k)
      expect(keys.length).toBeGreaterThan(50)
      const found: string[] = []
      for (const k of keys) {
        const values: Record<string, string> = {}
        for (const m of catalogues.ko[k].matchAll(/\{(\w+)\}/g)) values[m[1]] = '간단한 합성곱 신경망 (책)'
        const out = t(k, values)
        if (/\)[\uAC00-\uD7A3]/.test(out)) found.push(`${k}: ${out}`)
      }
      expect(found).toEqual([])
      // only where a syllable follows, and only after ')'
      expect(t('train.runContinues', { n: '3 (a)' })).toBe('#3 (a)\u2060에서 이어서')
      expect(t('train.runContinues', { n: 3 })).toBe('#3에서 이어서')
      expect(t('train.zoomUnit', { i: 1, n: 2, v: '(0.5)' })).not.toContain('\u2060')
    } finally {
      i18n.set('en')
    }
    expect(t('train.runContinues', { n: '3 (a)' })).toBe('continues #3 (a)')
  })
})

