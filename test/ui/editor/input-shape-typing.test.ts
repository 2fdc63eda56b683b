/**
 * A shape typed key by key into the input card is taken once complete, as a layer's fields take theirs: typing
 * "1, 0, 28" over (1, 28, 28) passed through (1), the network rebuilt for a token input, and "1, 0" was then said to
 * leave the network keeping (1), a shape the learner never meant.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { cleanup, screen } from '@testing-library/svelte'
import { flushSync } from 'svelte'
import type { NetSpec } from '../../../src-engine/spec-types'
import { project } from '../../../src-renderer/lib/project.svelte'
import { editor } from '../../../src-renderer/lib/editor.svelte'
import { openEditor, typeKeys } from './helpers'

afterEach(() => { cleanup(); vi.useRealTimers() })

const net = (): NetSpec => ({
  input: [1, 28, 28],
  layers: [{ type: 'Convolution', filters: 4, kernel: 3, stride: 1, pad: 1 }, { type: 'Relu' }, { type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }]
})
const box = (): HTMLInputElement => screen.getByTestId('input-shape') as HTMLInputElement

describe('a shape typed key by key', () => {
  it('does not pass through its first size: "1, 0, 28" leaves the network keeping 1, 28, 28', () => {
    vi.useFakeTimers()
    openEditor(net())
    typeKeys(box(), '1, 0')
    expect(project.spec!.input).toEqual([1, 28, 28])
    expect(screen.getByTestId('input-shape-typed').textContent).toContain('the network keeps 1, 28, 28')
    expect(editor.canUndo).toBe(false)
  })

  it('is taken after a pause, one undo step; Ctrl+Z within the pause undoes it, not the edit before', () => {
    vi.useFakeTimers()
    openEditor(net())
    typeKeys(box(), '3, 32, 32')
    expect(project.spec!.input).toEqual([1, 28, 28])
    vi.advanceTimersByTime(700)
    flushSync()
    expect(project.spec!.input).toEqual([3, 32, 32])
    editor.endTyping()
    typeKeys(box(), '1, 32')
    box().dispatchEvent(new KeyboardEvent('keydown', { key: 'z', ctrlKey: true, bubbles: true, cancelable: true }))
    flushSync()
    vi.advanceTimersByTime(700)
    flushSync()
    expect(project.spec!.input).toEqual([3, 32, 32])
    expect(box().value).toBe('3, 32, 32')
    editor.undo()
    flushSync()
    expect(project.spec!.input).toEqual([1, 28, 28])
  })
})
