/**
 * One Korean word for one idea, on every page: a student who reads “형상” in the editor and “모양” in the lesson,
 * or “곱셈-덧셈” in the editor's summary and “곱셈-누산” in the gradient check, wonders whether they are two
 * things. K4's Korean walk (1024 × 680) found each pair below; the left word is the one the course uses
 * (the Korean edition of the book says 형상, 계층, He 초깃값, 신경망).
 */
import { describe, expect, it } from 'vitest'
import { catalogues } from '../../src-renderer/i18n/index.svelte'

/** [what the walk found, what the course says instead, the variant's pattern] */
const VARIANTS: [string, string, RegExp][] = [
  ['모양', '형상 (the editor, the errors and the book call a tensor’s shape 형상)', /모양/],
  ['곱셈-누산', '곱셈-덧셈 (the editor’s count of multiply-adds)', /곱셈-누산/],
  ['네트워크', '신경망', /네트워크/],
  ['예시 하나 / 예제 하나 / 훈련 예제 (a data example)', '샘플 (예제 is a worked example of the course)', /(예시|예제) 하나(당|의|에|를)|초당 예시|데이터의 예는|(무작위|훈련|학습) 예제|분류한 예제/],
  ['He 초기화', 'He 초깃값', /He 초기화/],
  ['층 (a layer)', '계층 (“2층 MLP”, a count, stays)', /(?<![계\d])층/],
  ['훈련하다 (as a verb)', '학습시키다', /훈련(하|시키|한|해)/],
  ['접근 토큰', '접속 토큰 (the status bar and the connection banner)', /접근 토큰/]
]

describe('the Korean catalogues', () => {
  for (const [found, instead, pattern] of VARIANTS) {
    it(`say ${instead.split(' (')[0]}, not ${found}`, () => {
      const hits = Object.entries(catalogues.ko).filter(([, v]) => pattern.test(v)).map(([k, v]) => `${k}: ${v.slice(0, 90)}`)
      expect(hits, `use ${instead}`).toEqual([])
    })
  }

  it('name the LSTM’s candidate g the same way in the lesson, the explainer and the training page', () => {
    const g = Object.entries(catalogues.ko).filter(([k]) => /gate_g$/.test(k)).map(([, v]) => v)
    expect(g.length).toBeGreaterThanOrEqual(2)
    for (const v of g) expect(v).toContain('후보 값')
  })
})
