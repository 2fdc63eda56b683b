/**
 * A value typed key by key reaches the layer when it is complete: "2.5" typed into a stride passed through "2"
 * (the network rebuilt with stride 2, an undo step, the field then saying the layer keeps 2). Typing waits for a
 * pause, Enter or leaving the box; "2." (which Chromium reads as 2) waits for the next key; a step of the arrows
 * (a plain input event) is applied at once. And a field with a default, emptied, says that it will use the default.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { cleanup, fireEvent } from '@testing-library/svelte'
import { flushSync } from 'svelte'
import { project } from '../../../src-renderer/lib/project.svelte'
import { editor } from '../../../src-renderer/lib/editor.svelte'
import { card, convNet, field, firstLayer, inputKey, openEditor, typeKeys } from './helpers'

afterEach(() => { cleanup(); vi.useRealTimers() })

/** The Convolution the tests type into. */
const conv = firstLayer

describe('a value typed key by key', () => {
  it('is not applied while it is a prefix: "2.5" never passes through 2, and the layer is said to keep 1', () => {
    vi.useFakeTimers()
    openEditor(convNet(1))
    const stride = field(0, 'stride')
    inputKey(stride, '2', '2')
    inputKey(stride, '2', '.') // "2." as Chromium reads it
    expect(conv().stride).toBe(1)
    vi.advanceTimersByTime(2000) // a pause after "2." is still a prefix
    flushSync()
    expect(conv().stride).toBe(1)
    inputKey(stride, '2.5', '5')
    expect(card(0).querySelector('#layer-0-stride-typed')?.textContent).toBe('Stride takes a whole number from 1 to 64; 2.5 is not one — the layer keeps 1.')
    expect(conv().stride).toBe(1)
    expect(editor.canUndo).toBe(false)
  })

  it('is applied after a pause, on Enter, and a step of the arrows at once, one undo step for the field', async () => {
    vi.useFakeTimers()
    openEditor(convNet(2))
    const filters = field(0, 'filters')
    typeKeys(filters, '16')
    expect(conv().filters).toBe(30) // not 1, not yet 16
    vi.advanceTimersByTime(700)
    flushSync()
    expect(conv().filters).toBe(16)
    inputKey(filters, '160', '0')
    await fireEvent.change(filters) // Enter
    flushSync()
    expect(conv().filters).toBe(160)
    editor.undo()
    flushSync()
    expect(conv().filters).toBe(30) // the field's edit was one step
    expect(editor.canUndo).toBe(false)
    // an arrow step: a plain input event, applied now
    const pad = field(0, 'pad')
    pad.value = '1'
    pad.dispatchEvent(new Event('input', { bubbles: true }))
    flushSync()
    expect(conv().pad).toBe(1)
  })

  it('a list waits while it ends in a separator', () => {
    vi.useFakeTimers()
    openEditor({ input: [1, 28, 28], layers: [{ type: 'Reshape', shape: [784] }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] })
    const shape = field(0, 'shape')
    inputKey(shape, '28,', ',')
    vi.advanceTimersByTime(2000)
    flushSync()
    expect((project.spec!.layers[0] as { shape: number[] }).shape).toEqual([784])
    inputKey(shape, '28, 28', '28', 'insertFromPaste')
    vi.advanceTimersByTime(700)
    flushSync()
    expect((project.spec!.layers[0] as { shape: number[] }).shape).toEqual([28, 28])
  })
})

describe('an emptied field with a default', () => {
  it('says under the fields that it will use the default, and takes it when left (en, ko)', async () => {
    openEditor(convNet(2))
    const stride = field(0, 'stride')
    inputKey(stride, '', null, 'deleteContentBackward')
    const note = card(0).querySelector('[data-testid="field-default"]')
    expect(note?.textContent).toBe('Empty: uses the default, 1.')
    expect(stride.getAttribute('aria-describedby')).toBe(note?.id)
    // under the card's row of fields, not in the field (which it widened while the learner typed)
    expect(note?.closest('.field')).toBeNull()
    expect(note?.previousElementSibling?.classList.contains('fields')).toBe(true)
    expect(conv().stride).toBe(2) // still typing
    await fireEvent.blur(stride)
    flushSync()
    expect(conv().stride).toBeUndefined()
    expect(stride.value).toBe('1')
    expect(card(0).querySelector('[data-testid="field-default"]')).toBeNull()
    cleanup()

    // a pooling's stride left out is its window (2 here), whatever stride it had
    openEditor({ input: [1, 28, 28], layers: [{ type: 'Pooling', mode: 'max', size: 2, stride: 3 }, { type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }, 'ko')
    inputKey(field(0, 'stride'), '', null, 'deleteContentBackward')
    expect(card(0).querySelector('[data-testid="field-default"]')?.textContent).toBe('비워 두면 기본값(2)\u2060을 씁니다.')
    // a field with no default says nothing until it is left (E2's message then)
    inputKey(field(0, 'size'), '', null, 'deleteContentBackward')
    expect(card(0).querySelectorAll('[data-testid="field-default"]').length).toBe(1)
  })
})
