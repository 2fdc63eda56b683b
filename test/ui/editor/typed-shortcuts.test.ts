/**
 * A typed value still waiting for its pause (FieldControl's SETTLE_MS) when the learner presses a shortcut: Ctrl+Z
 * undid the edit before it (the typed value then landing 600 ms later on top), and Alt+2 left the page, the field's
 * teardown dropping the value unsaid. The shortcut now acts on the network with the typed value in it, as after a
 * pause or Enter.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { cleanup } from '@testing-library/svelte'
import { flushSync } from 'svelte'
import { editor } from '../../../src-renderer/lib/editor.svelte'
import { FilesLab } from '../../../src-renderer/lib/files.svelte'
import type { Result, SavedFile } from '../../../src-main/ipc/contract'
import type { NetSpec } from '../../../src-engine/spec-types'
import { FakeApi } from '../files/fake-api'
import { convNet, field, firstLayer, openEditor, typeKeys } from './helpers'

afterEach(() => { cleanup(); vi.useRealTimers() })

/** The Convolution the tests type into. */
const conv = firstLayer

/** A pad step of the arrows (applied at once: one undo step), then "16" typed into filters, still waiting. */
function padThenTyping(): HTMLInputElement {
  openEditor(convNet())
  const pad = field(0, 'pad')
  pad.value = '1'
  pad.dispatchEvent(new Event('input', { bubbles: true }))
  flushSync()
  editor.endTyping()
  const filters = field(0, 'filters')
  filters.focus()
  typeKeys(filters, '16')
  expect(conv().filters).toBe(30)
  return filters
}

describe('a shortcut pressed while a typed value waits', () => {
  it('Ctrl+Z undoes the typing, not the edit before it', () => {
    vi.useFakeTimers()
    const filters = padThenTyping()
    filters.dispatchEvent(new KeyboardEvent('keydown', { key: 'z', ctrlKey: true, bubbles: true, cancelable: true }))
    flushSync()
    vi.advanceTimersByTime(2000)
    flushSync()
    expect(conv().filters).toBe(30)
    expect(conv().pad).toBe(1)
    expect(filters.value).toBe('30')
  })

  it('the desktop Edit menu\'s Undo (historyUndo) too', () => {
    vi.useFakeTimers()
    const filters = padThenTyping()
    filters.dispatchEvent(new InputEvent('beforeinput', { inputType: 'historyUndo', bubbles: true, cancelable: true }))
    flushSync()
    vi.advanceTimersByTime(2000)
    flushSync()
    expect(conv().filters).toBe(30)
    expect(conv().pad).toBe(1)
  })

  it('Alt+2 (another page) takes the typed value first; the page going away does not drop it', () => {
    vi.useFakeTimers()
    const filters = padThenTyping()
    filters.dispatchEvent(new KeyboardEvent('keydown', { key: '2', altKey: true, bubbles: true, cancelable: true }))
    flushSync()
    expect(conv().filters).toBe(16)
    cleanup() // the editor page unmounted, as App does on a page change
    vi.advanceTimersByTime(2000)
    expect(conv().filters).toBe(16)
    expect(editor.canUndo).toBe(true)
  })

  it('the desktop File menu\'s Save (its accelerator Ctrl+S never reaches the box) saves the typed value', async () => {
    vi.useFakeTimers()
    padThenTyping()
    const saved: Result<SavedFile> = { ok: true, value: { fileName: 'net.bplab', bytes: 10, hasWeights: false } }
    const api = new FakeApi({ 'project:save': saved })
    const files = new FilesLab()
    files.connect(api, true)
    await files.onMenu('project:save')
    const sent = api.calls.find((c) => c.channel === 'project:save')?.payload as { project: { spec: NetSpec } }
    expect((sent.project.spec.layers[0] as unknown as Record<string, unknown>).filters).toBe(16)
    vi.advanceTimersByTime(2000)
    flushSync()
    expect(conv().filters).toBe(16)
  })
})
