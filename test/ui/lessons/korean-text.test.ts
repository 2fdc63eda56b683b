/**
 * The learner's Korean in the lessons, explainers, drawing and autoencoder messages: a particle is written for
 * the word it follows, never hedged as “(으)로” or “을(를)”, which a student reads as a form to fill in.
 */
import { describe, expect, it } from 'vitest'
import { catalogues } from '../../../src-renderer/i18n/index.svelte'

const LEARNER = /^(lessons|explain|draw|autoencoder|glossary)\./

describe('the learner’s Korean', () => {
  it('writes no hedged particle such as (으)로, 을(를), (이)나', () => {
    const hedged = Object.entries(catalogues.ko)
      .filter(([k, v]) => LEARNER.test(k) && /\((으|이|을|를|은|는|과|와|가)\)|[을은이과와](\((를|는|가|와|과)\))/.test(v))
      .map(([k, v]) => `${k}: ${v}`)
    expect(hedged).toEqual([])
  })

  it('labels a drawing with its answer in words that fit every digit', () => {
    expect(catalogues.ko['draw.addAs'].replace('{label}', '3')).toBe('정답이 3인 그림으로 추가')
  })
})
