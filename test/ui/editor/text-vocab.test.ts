/**
 * A language model's vocabulary in the editor is the text's chosen on the training page, as a run sets it
 * (train/data.ts specForData): the built-in text's 74 characters, an uploaded text's counted vocabulary. Its
 * embedding and output layers then have whole shapes and parameter counts, and no warning says the vocabulary is
 * unknown; a text whose vocabulary the page does not know (a path on the host) still gets that warning. An output
 * fixed for another text is warned about with the chosen text named (a run on it is refused: train/checks.ts).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, screen, within } from '@testing-library/svelte'
import { presetById } from '../../../src-engine/models/presets'
import type { NetSpec } from '../../../src-engine/spec-types'
import { editor } from '../../../src-renderer/lib/editor.svelte'
import { trainLab, defaultsFor } from '../../../src-renderer/lib/train.svelte'
import { textUpload } from '../../../src-renderer/lib/text-upload.svelte'
import { card, layerOut, layerParams, openEditor, paramTotal } from './helpers'

afterEach(() => {
  cleanup()
  trainLab.form = defaultsFor(null, 1)
  textUpload.kept = null
})

const lstm = (): NetSpec => structuredClone(presetById('char-lstm')!.spec)
const DIARY = { file: '/host/texts/diary-0123456789abcdef.txt', fileName: 'diary.txt', chars: 5000, vocab: 80 }
const codes = (): string[] => screen.queryAllByTestId('layer-warning').map((w) => w.getAttribute('data-code') ?? '')
const codesOf = (i: number): string[] => within(card(i)).queryAllByTestId('layer-warning').map((w) => w.getAttribute('data-code') ?? '')

// the char-lstm preset: embed1 (V, 64) → lstm1 (64 → 256) → taffine1 (256 → V) → tsoftmax1, T = 64
const lstmParams = 4 * 256 * (64 + 256 + 1)

describe("the editor's vocabulary of a language model", () => {
  it("is the built-in text's when the training page trains on it: whole shapes and counts, no warning", () => {
    trainLab.form = defaultsFor(lstm(), 1)
    openEditor(lstm())
    expect(layerOut(2)).toBe('(64, 74)')
    expect(layerOut(3)).toBe('(64, 74)')
    expect(layerParams(0)).toBe(74 * 64)
    expect(layerParams(2)).toBe(256 * 74 + 74)
    expect(paramTotal()).toBe(74 * 64 + lstmParams + 256 * 74 + 74)
    expect(codes()).toEqual([])
    expect(editor.report?.totalParams).toBe(paramTotal())
    // the input's vocabulary field, left to the text, says the text's number
    expect(screen.getByTestId('input-vocab').getAttribute('placeholder')).toBe('74 (the text)')
  })

  it("is an uploaded text's counted vocabulary once the form names it, over a vocabulary the spec gives", () => {
    textUpload.kept = [DIARY]
    trainLab.form = { ...defaultsFor(lstm(), 1), textFile: DIARY.file }
    openEditor({ ...lstm(), vocab: 65 })
    expect(layerOut(2)).toBe('(64, 80)')
    expect(layerParams(0)).toBe(80 * 64)
    expect(codes()).toEqual([])
  })

  it('stays unknown, with the warning, for a text the page cannot count (a path on the host)', () => {
    trainLab.form = { ...defaultsFor(lstm(), 1), textFile: '/home/me/notes.txt' }
    openEditor(lstm())
    expect(layerOut(2)).toBe('?')
    expect(screen.getByTestId('input-vocab').getAttribute('placeholder')).toBe('from the text')
    expect(codesOf(0)).toEqual(['vocab-pending'])
    expect(codesOf(2)).toEqual(['vocab-pending'])
  })

  it('warns, naming the built-in text, when a fixed-size output does not fit its vocabulary', () => {
    const fixed = lstm()
    for (const l of fixed.layers) if (l.type === 'TimeAffine') l.units = 65
    trainLab.form = defaultsFor(fixed, 1)
    openEditor(fixed)
    expect(codesOf(3)).toEqual(['lm-output-not-builtin-text'])
    expect(within(card(3)).getByTestId('layer-warning').textContent).toContain(
      'tsoftmax1: gets scores for 65 characters at each step, but the built-in text, chosen on the training page, has 74 different characters, so training on it would be refused.')
    // a warning, as the learner may mean another text: the training page stays open to choose it
    expect((screen.getByTestId('train-button') as HTMLButtonElement).disabled).toBe(false)
  })

  it('names an uploaded text in that warning, which goes when the units fit the text (ko)', () => {
    const fixed = lstm()
    for (const l of fixed.layers) if (l.type === 'TimeAffine') l.units = 65
    textUpload.kept = [DIARY]
    trainLab.form = { ...defaultsFor(fixed, 1), textFile: DIARY.file }
    trainLab.form = { ...trainLab.form, textFile: DIARY.file }
    openEditor(fixed, 'ko')
    expect(codesOf(3)).toEqual(['lm-output-not-text'])
    expect(within(card(3)).getByTestId('layer-warning').textContent).toContain(
      'tsoftmax1: 시각마다 문자 65개의 점수를 받는데, 학습 페이지에서 고른 텍스트 diary.txt의 문자는 80가지라서 이 텍스트로는 학습을 시작할 수 없습니다.')
    cleanup()
    // the same units fit a text of 65 characters
    textUpload.kept = [{ ...DIARY, vocab: 65 }]
    openEditor(fixed)
    expect(codes()).toEqual([])
    expect(layerOut(2)).toBe('(64, 65)')
  })
})
