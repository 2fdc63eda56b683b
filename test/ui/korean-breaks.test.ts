/**
 * The training form's data messages, in its narrow column (about 19 Korean syllables a line at 1024 and 1280 px alike),
 * break between words only (app.css keep-all): Chromium still breaks after a closing parenthesis, so “형상(값 3,072개)인데”
 * ended a line with “3,072개)” and began the next with “인데”; and a shape the message spells out breaks at its spaces,
 * “(1,” / “28, 28)”. So no closing parenthesis runs into a syllable, and the shapes written out keep no-break spaces.
 * The editor's own wording of the same problem (editor.issue.data-*) is held to it too.
 */
import { describe, expect, it } from 'vitest'
import { catalogues } from '../../src-renderer/i18n/index.svelte'

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
