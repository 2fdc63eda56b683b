/**
 * The self-attention explainer says every step can be checked by hand: these tests redo the steps from the numbers
 * on screen only. Before, Wq, Wk and Wv were not shown at all and Q, K, V had one decimal, so Q·Kᵀ worked out from
 * the screen was off by up to 0.14 (Q5 F1); these tests fail on that (no W heatmaps, and the scores do not check).
 * The causal mask (a language model may only look back) shows −∞ above the diagonal of Q·Kᵀ and weight 0 there;
 * the old explainer had no mask, and lesson 15's text did not link it to lesson 14.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import { catalogues, i18n } from '../../../src-renderer/i18n/index.svelte'
import { LESSONS } from '../../../src-renderer/lib/lessons/curriculum'
import SelfAttention from '../../../src-renderer/components/explainers/SelfAttention.svelte'
import { scaledSoftmaxRow, selfAttention, tokenize } from '../../../src-renderer/lib/lessons/attention'
import { flush } from '../train/fake-lab'

afterEach(() => {
  cleanup()
  i18n.set('en')
})

/** The numbers written in a heatmap's cells, as rows × cols, read back from their text ("−1.13", "−∞"). */
function shown(testid: string, cols: number): number[][] {
  const cells = [...screen.getByTestId(testid).querySelectorAll('text.val')].map((n) => {
    const s = (n.textContent ?? '').replace('−', '-')
    return s === '-∞' ? -Infinity : Number(s)
  })
  expect(cells.length % cols).toBe(0)
  for (const v of cells) expect(Number.isNaN(v)).toBe(false)
  return Array.from({ length: cells.length / cols }, (_, i) => cells.slice(i * cols, (i + 1) * cols))
}

const dot = (a: number[], b: number[]): number => a.reduce((s, v, k) => s + v * b[k], 0)
const column = (m: number[][], j: number): number[] => m.map((r) => r[j])

describe('the self-attention explainer, checked by hand from the screen', () => {
  for (const lang of ['en', 'ko'] as const) {
    it(`shows Wq, Wk, Wv, and Q = X·Wq, Q·Kᵀ, the softmax and the weighted sum all recompute (${lang})`, async () => {
      i18n.set(lang)
      render(SelfAttention)
      await flush()
      const X = shown('att-X', 4)
      const n = X.length
      expect(n).toBeGreaterThan(2)
      const scores = shown('att-scores', n)
      for (const p of ['q', 'k', 'v']) {
        const W = shown(`att-W${p}`, 4)
        expect(W).toHaveLength(4)
        const P = shown(`att-${p.toUpperCase()}`, 4)
        expect(P).toHaveLength(n)
        // one decimal times one decimal: the shown entry is the exact sum, not a rounding of it
        for (let i = 0; i < n; i++) for (let j = 0; j < 4; j++) expect(Math.abs(dot(X[i], column(W, j)) - P[i][j])).toBeLessThan(1e-9)
      }
      const Q = shown('att-Q', 4), K = shown('att-K', 4), V = shown('att-V', 4)
      // the product of the shown Q and K is exact to four decimals; the screen rounds it to two
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(Math.abs(dot(Q[i], K[j]) - scores[i][j])).toBeLessThanOrEqual(0.005 + 1e-9)
      // ÷ √4 and the softmax of each shown row give the shown weights (three decimals; 0.0025 of a score moves a weight less than that)
      const weights = shown('att-heatmap', n)
      for (let i = 0; i < n; i++) {
        const r = scaledSoftmaxRow(scores[i], 4).weights
        for (let j = 0; j < n; j++) expect(Math.abs(r[j] - weights[i][j])).toBeLessThanOrEqual(0.003)
      }
      // the hand check written out for the picked word: its first query entry and its score against the first word
      const check = screen.getByTestId('att-check').textContent!.replace(/−/g, '-')
      expect(check).toContain(`= ${String(Q[0][0])}`)
      expect(check).toContain(`= ${String(scores[0][0])}`)
      // the picked word's new vector from the shown weights and values, within a unit of its last decimal
      const out = screen.getByTestId('att-row').textContent!.replace(/−/g, '-').match(/\(([^()]*)\)\s*$/)![1].split(',').map(Number)
      for (let k = 0; k < 4; k++) expect(Math.abs(dot(weights[0], column(V, k)) - out[k])).toBeLessThanOrEqual(0.01 + 1e-9)
    })
  }
})

describe('the causal mask', () => {
  it('hides the words after each word: −∞ above the diagonal of Q·Kᵀ, weight 0 there, and says why (en, ko)', async () => {
    render(SelfAttention)
    await flush()
    const n = shown('att-X', 4).length
    const open = shown('att-scores', n)
    expect(screen.queryByTestId('att-mask-why')).toBeNull()
    await fireEvent.click(screen.getByTestId('att-mask'))
    await flush()
    const masked = shown('att-scores', n)
    const weights = shown('att-heatmap', n)
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (j > i) {
          expect(masked[i][j]).toBe(-Infinity)
          expect(weights[i][j]).toBe(0)
        } else expect(masked[i][j]).toBe(open[i][j])
      }
    }
    expect(weights[0][0]).toBe(1) // the first word can attend only to itself
    expect(screen.getByTestId('att-mask-why').textContent).toContain('−∞')
    expect(screen.getByTestId('att-mask-why').textContent).toContain('lesson 14')
    // the course's worked row does not change with the mask
    expect(screen.getByTestId('att-worked').textContent).toContain('0.904484')
    i18n.set('ko')
    await flush()
    expect(screen.getByTestId('att-mask-why').textContent).toContain('14강')
    expect(shown('att-heatmap', shown('att-X', 4).length)[0].slice(1).every((w) => w === 0)).toBe(true)
  })

  it('gives each row the softmax of its own and the earlier scores only, summing to 1', () => {
    const words = tokenize('the cat sat on the mat')
    const open = selfAttention(words)
    const a = selfAttention(words, { causal: true })
    expect(a.causal).toBe(true)
    expect(a.scores).toEqual(open.scores) // Q·Kᵀ itself is the same; only what goes into the softmax is masked
    for (let i = 0; i < words.length; i++) {
      for (let j = i + 1; j < words.length; j++) {
        expect(a.masked[i][j]).toBe(-Infinity)
        expect(a.weights[i][j]).toBe(0)
      }
      const r = scaledSoftmaxRow(open.scores[i].slice(0, i + 1), a.dk).weights
      for (let j = 0; j <= i; j++) expect(a.weights[i][j]).toBeCloseTo(r[j], 6)
      expect(a.weights[i].reduce((s, w) => s + w, 0)).toBeCloseTo(1, 6)
    }
    expect(open.causal).toBe(false)
    expect(open.weights[0][1]).toBeGreaterThan(0) // without the mask the first word sees the second
  })
})

describe('lesson 15', () => {
  it('says in its text why a language model masks the scores, and points at the switch (en, ko)', () => {
    const l = LESSONS.find((x) => x.id === 'attention')!
    for (const [lang, mask, back] of [['en', 'causal mask', 'lesson 14'], ['ko', '인과 마스크', '14강']] as const) {
      const text = Array.from({ length: l.paragraphs }, (_, i) => catalogues[lang][`lessons.attention_p${i + 1}`]).join(' ')
      expect(text).toContain(mask)
      expect(text).toContain(back)
      expect(text).toContain('−∞')
      // the course's row stays in the text
      expect(text).toContain('0.904, 0.074, 0.021')
    }
  })
})
