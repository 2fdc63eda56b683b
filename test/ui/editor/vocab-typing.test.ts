/**
 * The input card's vocabulary box takes a number typed key by key once complete, as the shape box and the layer
 * fields do: typing 65 passed through 6, and the network was rebuilt for six tokens on the way (and an undo step
 * taken for it).
 */
import { afterEach, describe, expect, it, vi, type MockInstance } from 'vitest'
import { cleanup, screen } from '@testing-library/svelte'
import { flushSync } from 'svelte'
import { presetById } from '../../../src-engine/models/presets'
import type { NetSpec } from '../../../src-engine/spec-types'
import { project } from '../../../src-renderer/lib/project.svelte'
import { editor } from '../../../src-renderer/lib/editor.svelte'
import { openEditor, typeKeys } from './helpers'

afterEach(() => { cleanup(); vi.useRealTimers(); vi.restoreAllMocks() })

const lstm = (): NetSpec => ({ ...structuredClone(presetById('char-lstm')!.spec), vocab: 40 })
const box = (): HTMLInputElement => screen.getByTestId('input-vocab') as HTMLInputElement

/** The char-LSTM (vocabulary 40) in the editor, the vocabulary box emptied and `text` typed into it key by key; the spy on setVocab. */
function typedInto(text: string): MockInstance<typeof editor.setVocab> {
  vi.useFakeTimers()
  openEditor(lstm())
  const set = vi.spyOn(editor, 'setVocab')
  box().value = ''
  typeKeys(box(), text)
  return set
}

describe('the vocabulary typed key by key', () => {
  it('does not pass through its first digit: 65 is one edit, taken after the pause', () => {
    const set = typedInto('65')
    expect(set).not.toHaveBeenCalled()
    expect(project.spec!.vocab).toBe(40)
    vi.advanceTimersByTime(700)
    flushSync()
    expect(set.mock.calls).toEqual([[65]])
    expect(project.spec!.vocab).toBe(65)
  })

  it('is taken at once on leaving the box or before a shortcut; a spin step at once', () => {
    const set = typedInto('70')
    box().dispatchEvent(new FocusEvent('blur'))
    flushSync()
    expect(set.mock.calls).toEqual([[70]])
    typeKeys(box(), '71')
    box().dispatchEvent(new KeyboardEvent('keydown', { key: 'z', ctrlKey: true, bubbles: true, cancelable: true }))
    flushSync()
    expect(set.mock.calls).toEqual([[70], [71]])
    // a spin step (an input event with no inputType) is applied at once
    box().value = '72'
    box().dispatchEvent(new Event('input', { bubbles: true }))
    flushSync()
    expect(set.mock.calls).toEqual([[70], [71], [72]])
    vi.advanceTimersByTime(700)
    expect(set).toHaveBeenCalledTimes(3)
  })
})
