/**
 * No Korean message hedges a particle as “을(를)” or “은(는)”, which a student reads as a form to fill in: the
 * lessons' rule (lessons/korean-text.test.ts) holds for the file, error and training messages too. The walk saw
 * “simpleconvnet.onnx을(를) 내보냈습니다.” after an export.
 */
import { describe, expect, it } from 'vitest'
import { catalogues } from '../../src-renderer/i18n/index.svelte'

describe('every Korean message', () => {
  it('writes no hedged particle', () => {
    const hedged = Object.entries(catalogues.ko)
      .filter(([, v]) => /\((으|이|을|를|은|는|과|와|가)\)|[을은이과와](\((를|는|가|와|과)\))/.test(v))
      .map(([k, v]) => `${k}: ${v}`)
    expect(hedged).toEqual([])
  })

  // '를' follows a vowel, '을' a final consonant, always; '로' follows a vowel or ㄹ, '으로' any other final consonant
  // ('경로', '통로' are words, not a particle). The review of the sixteenth session found 'He 초깃값를' and '초깃값로'.
  it('puts 를 and 로 only after a syllable they fit', () => {
    const final = (ch: string): number => (ch.codePointAt(0)! - 0xac00) % 28
    const wrong = Object.entries(catalogues.ko).flatMap(([k, v]) =>
      [...v.matchAll(/([\uac00-\ud7a3])(를|로)/g)]
        .filter((m) => final(m[1]) !== 0 && (m[2] === '를' || (final(m[1]) !== 8 && !/^(경|통)$/.test(m[1]))))
        .map((m) => `${k}: …${v.slice(Math.max(0, m.index - 12), m.index + 4)}…`))
    expect(wrong).toEqual([])
  })
})
