/**
 * Every issue code the validator can raise has words in the editor's catalogues, so a learner never
 * meets an untranslated message. The codes are read from the validator's source, so a new code added
 * there without a translation fails here.
 */
import { describe, expect, it } from 'vitest'
import { readFileSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import en from '../../../src-renderer/i18n/en/editor'
import ko from '../../../src-renderer/i18n/ko/editor'
import { LAYER_DEFS } from '../../../src-renderer/components/editor/catalog'
import { LAYER_FIELDS } from '../../../src-engine/spec'
import { LESSONS } from '../../../src-renderer/lib/lessons/curriculum'

const engineDir = resolve(__dirname, '../../../src-engine')

function validatorCodes(): string[] {
  const codes = new Set<string>()
  for (const f of readdirSync(engineDir).filter((n) => /^spec.*\.ts$/.test(n))) {
    const src = readFileSync(join(engineDir, f), 'utf8')
    for (const m of src.matchAll(/issues\.(?:error|warn)\([^']*?'([a-z0-9]+(?:-[a-z0-9]+)+)'/g)) codes.add(m[1])
    // windowOut picks its code with a conditional: collect both branches
    for (const m of src.matchAll(/\? '([a-z]+-[a-z-]+)' : '([a-z]+-[a-z-]+)'/g)) { codes.add(m[1]); codes.add(m[2]) }
  }
  return [...codes].sort()
}

describe('editor catalogue', () => {
  it('has a message for every issue code of the validator, in both languages', () => {
    const codes = validatorCodes()
    expect(codes.length).toBeGreaterThan(20)
    expect(codes).toContain('conv-size-not-integer')
    const missing = codes.filter((c) => !(`issue.${c}` in en) || !(`issue.${c}` in ko))
    expect(missing).toEqual([])
  })

  it('names every layer type and every setting the palette offers, and each type matches the engine’s settings', () => {
    const keys = new Set(Object.keys(en))
    for (const d of LAYER_DEFS) {
      expect(keys.has(`type.${d.type}`), d.type).toBe(true)
      expect(keys.has(`typeHelp.${d.type}`), d.type).toBe(true)
      for (const f of d.fields) {
        expect(keys.has(`field.${f.key}`), `${d.type}.${f.key}`).toBe(true)
        for (const o of f.options ?? []) expect(keys.has(`option.${o}`), o).toBe(true)
      }
      expect(d.fields.map((f) => f.key).sort(), d.type).toEqual(Object.keys(LAYER_FIELDS[d.type]).sort())
    }
    expect(LAYER_DEFS.map((d) => d.type).sort()).toEqual(Object.keys(LAYER_FIELDS).sort())
  })

  // the palette's Batch norm help said 'normalises … scales (gamma) and shifts (beta)' after lesson 9 gained two
  // paragraphs on it: now what it does in the lesson's words, what it does when predicting, where it goes, and the lesson
  it('says what Batch norm does in lesson 9’s words and points to that lesson, in both languages', () => {
    const lesson = LESSONS.findIndex((l) => l.terms.includes('batchNorm'))
    expect(lesson + 1).toBe(9)
    const help = { en: en['typeHelp.BatchNormalization'], ko: ko['typeHelp.BatchNormalization'] }
    for (const w of ['mean', 'standard deviation', 'γ', 'β', 'running averages', 'Lesson 9']) expect(help.en).toContain(w)
    for (const w of ['평균', '표준편차', 'γ', 'β', '이동 평균', '9강']) expect(help.ko).toContain(w)
  })
})
