/**
 * Q5's F11: the lessons say what weight initialisation and batch normalization do (lesson 9, in both languages,
 * with the numbers the lab reproduces), and the glossary has the terms the lessons lean on, found by the names
 * students type. Before, neither was anywhere but a field's help line, and these searches found nothing.
 */
import { describe, expect, it } from 'vitest'
import { catalogues } from '../../../src-renderer/i18n/index.svelte'
import { LESSONS } from '../../../src-renderer/lib/lessons/curriculum'
import { TERMS, TERM_IDS, definitionKey, searchGlossary, type GlossaryRow } from '../../../src-renderer/lib/glossary'

describe('initialisation and batch normalization in the lessons', () => {
  it('lesson 9 explains He / Xavier against σ = 0.01 and batch norm, and lists the terms (en, ko)', () => {
    const lesson = LESSONS.find((l) => l.id === 'optimizers')!
    expect(lesson.terms).toEqual(expect.arrayContaining(['initialisation', 'vanishingGradient', 'batchNorm']))
    for (const lang of ['en', 'ko'] as const) {
      const text = Array.from({ length: lesson.paragraphs }, (_, i) => catalogues[lang][`lessons.optimizers_p${i + 1}`]).join(' ')
      for (const s of ['He', 'Xavier', 'σ = 0.01', '√(2/n)', '√(1/n)', '2.30', '93', 'γ', 'β', '0.25']) expect(text, `${lang} ${s}`).toContain(s)
      expect(text, lang).toMatch(lang === 'en' ? /Batch Normalization/ : /배치 정규화/)
    }
  })

  it('finds the new glossary terms by the names students type (en, ko)', () => {
    const want: Record<string, string> = {
      '크로스 엔트로피': 'crossEntropy', 'cross-entropy': 'crossEntropy', 초기화: 'initialisation', Xavier: 'initialisation', 'initialization': 'initialisation',
      배치놈: 'batchNorm', BN: 'batchNorm', '기울기 폭발': 'explodingGradient', '그래디언트 클리핑': 'gradientClipping', 오토인코더: 'autoencoder',
      업샘플링: 'transposedConv', deconvolution: 'transposedConv', 임베딩: 'embedding', 온도: 'temperature', temperature: 'temperature'
    }
    for (const lang of ['en', 'ko'] as const) {
      const rows: GlossaryRow[] = TERM_IDS.map((id) => ({ id, ...TERMS[id], def: catalogues[lang][definitionKey(id)] }))
      for (const [q, id] of Object.entries(want)) expect([lang, q, searchGlossary(rows, q, lang)[0]?.id]).toEqual([lang, q, id])
    }
  })
})
