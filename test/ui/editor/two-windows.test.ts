/**
 * Two windows of the lab share one stored draft and one lesson record (lib/draft-store.svelte.ts, lessons/progress-store):
 * a window hears the other's write (the storage event). One with nothing of its own on the way takes the other's
 * network with its history and does not write it back; one with an edit not yet written keeps its network and says
 * so, offering the other's (load it: an undoable edit; keep mine: stored over the other's). Lesson progress is merged:
 * answers and opened lessons of both. Before, neither store listened: the last window to write won, and a stale
 * window's next edit or click replaced the other's newer work unseen. Every case here fails on the old stores.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { cleanup, fireEvent, screen } from '@testing-library/svelte'
import { flushSync } from 'svelte'
import type { NetSpec } from '../../../src-engine/spec-types'
import { editor } from '../../../src-renderer/lib/editor.svelte'
import { project } from '../../../src-renderer/lib/project.svelte'
import { DRAFT_KEY, WRITE_DELAY_MS, encodeDraft, keepDraft, otherWindow, readDraft } from '../../../src-renderer/lib/draft-store.svelte'
import { LESSONS } from '../../../src-renderer/lib/lessons/curriculum'
import { lessons } from '../../../src-renderer/lib/lessons/state.svelte'
import { PROGRESS_KEY, encodeProgress, keepProgress, readProgress } from '../../../src-renderer/lib/lessons/progress-store.svelte'
import { openEditor } from './helpers'

const THEIRS: NetSpec = {
  name: 'Built in the other window', input: [1, 28, 28], task: 'classify',
  layers: [{ type: 'Flatten' }, { type: 'Affine', units: 64 }, { type: 'Relu' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }]
}
const THEIR_PAST: NetSpec = { ...THEIRS, layers: THEIRS.layers.slice(1) }

/** The other window writes `text` under `key`: this window gets the storage event (the page's own write gets none). */
function otherWrites(key: string, text: string): void {
  localStorage.setItem(key, text)
  window.dispatchEvent(new StorageEvent('storage', { key, newValue: text }))
  flushSync()
}

const theirDraft = (): string => encodeDraft({ spec: THEIRS, presetId: null, past: [{ spec: THEIR_PAST, presetId: null }], future: [] })

let stops: (() => void)[] = []
beforeEach(() => {
  vi.useFakeTimers()
  localStorage.clear()
  editor.reset()
  project.spec = null
  project.presetId = null
  project.trained = false
})
afterEach(() => {
  for (const stop of stops) stop()
  stops = []
  cleanup()
  vi.useRealTimers()
  localStorage.clear()
  editor.reset()
})

describe('the editor\'s draft in two windows', () => {
  it('is taken, with its history, by a window with nothing of its own on the way, and not written back', () => {
    editor.ensureSpec()
    stops.push(keepDraft(localStorage))
    vi.advanceTimersByTime(WRITE_DELAY_MS) // this window's own first write
    otherWrites(DRAFT_KEY, theirDraft())
    expect(project.spec).toEqual(THEIRS)
    expect(editor.past).toEqual([THEIR_PAST])
    expect(otherWindow.draft).toBeNull()
    const set = vi.spyOn(localStorage, 'setItem')
    vi.advanceTimersByTime(WRITE_DELAY_MS * 3)
    expect(set).not.toHaveBeenCalled()
    set.mockRestore()
    // an edit after it is this window's own again, written as ever
    editor.rename(1, 'wide')
    flushSync()
    vi.advanceTimersByTime(WRITE_DELAY_MS)
    expect(readDraft(localStorage)?.spec.layers[1]?.name).toBe('wide')
  })

  it('leaves a draft it cannot read alone (a newer lab\'s layers, a damaged or removed value): nothing taken, offered or written over it', () => {
    editor.ensureSpec()
    stops.push(keepDraft(localStorage))
    flushSync()
    vi.advanceTimersByTime(WRITE_DELAY_MS) // this window's own first write
    const mine = project.spec
    const set = vi.spyOn(localStorage, 'setItem')
    const newer = theirDraft().replace('"Flatten"', '"LayerFromALaterVersion"')
    for (const text of [newer, '{"v":1,"spec":', 'null']) otherWrites(DRAFT_KEY, text)
    window.dispatchEvent(new StorageEvent('storage', { key: DRAFT_KEY, newValue: null }))
    flushSync()
    vi.advanceTimersByTime(WRITE_DELAY_MS * 3)
    expect(project.spec).toBe(mine)
    expect(otherWindow.draft).toBeNull()
    expect(set).toHaveBeenCalledTimes(3) // the other window's three writes, none of this one's
    expect(localStorage.getItem(DRAFT_KEY)).toBe('null')
    set.mockRestore()
  })

  it('does not replace an edit not yet written: the page offers the other\'s; Load it is an edit Ctrl+Z undoes', async () => {
    openEditor(null)
    stops.push(keepDraft(localStorage))
    vi.advanceTimersByTime(WRITE_DELAY_MS)
    editor.rename(0, 'mine')
    flushSync()
    const mine = project.spec
    otherWrites(DRAFT_KEY, theirDraft()) // within this window's write delay
    expect(project.spec).toBe(mine)
    expect(screen.getByTestId('other-window').textContent).toMatch(/^This network was changed in another window of the lab\./)
    // what the wait means for the other window, said where the learner sees the offer
    expect(screen.getByTestId('other-window-meanwhile').textContent).toBe(
      'Until you choose, your edits here are still stored, and the other window follows them unless it has work of its own waiting.')
    await fireEvent.click(screen.getByTestId('other-window-load'))
    expect(project.spec).toEqual(THEIRS)
    expect(screen.queryByTestId('other-window')).toBeNull()
    editor.undo()
    expect(project.spec).toBe(mine)
  })

  it('Keep mine stores this window\'s network over the other\'s; a trained model is never replaced unasked', async () => {
    openEditor(null, 'ko')
    project.trained = true
    stops.push(keepDraft(localStorage))
    vi.advanceTimersByTime(WRITE_DELAY_MS)
    const mine = project.spec!
    otherWrites(DRAFT_KEY, theirDraft())
    expect(project.spec).toBe(mine)
    expect(screen.getByTestId('other-window').textContent).toMatch(/^다른 창에서 이 신경망이 바뀌었습니다\./)
    expect(screen.getByTestId('other-window-meanwhile').textContent).toContain('다른 창은 기다리는 자기 작업이 없으면')
    await fireEvent.click(screen.getByTestId('other-window-keep'))
    expect(screen.queryByTestId('other-window')).toBeNull()
    expect(readDraft(localStorage)?.spec).toEqual(mine)
  })
})

describe('lesson progress in two windows', () => {
  it('takes in the other\'s answers and opened lessons and keeps its own; the open lesson follows only while hidden', () => {
    const [a, b, c] = LESSONS
    lessons.current = a!.id
    lessons.answers = { [`${a!.id}:0`]: 1 }
    lessons.visited = [a!.id]
    stops.push(keepProgress(localStorage))
    flushSync() // the store's first look (the page drawn)
    otherWrites(PROGRESS_KEY, encodeProgress({ current: b!.id, answers: { [`${b!.id}:0`]: 0, [`${a!.id}:0`]: 0 }, visited: [b!.id] }))
    expect(lessons.current).toBe(a!.id) // the window being looked at stays where the learner is
    expect(lessons.answers).toEqual({ [`${a!.id}:0`]: 0, [`${b!.id}:0`]: 0 })
    expect(lessons.visited).toEqual([a!.id, b!.id])
    // what it took in is stored with its own (the other window's next click keeps this window's answers)
    expect(readProgress(localStorage)?.visited).toEqual([a!.id, b!.id])
    const hidden = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden')
    otherWrites(PROGRESS_KEY, encodeProgress({ current: c!.id, answers: {}, visited: [c!.id] }))
    hidden.mockRestore()
    expect(lessons.current).toBe(c!.id)
    expect(lessons.answers).toEqual({ [`${a!.id}:0`]: 0, [`${b!.id}:0`]: 0 })
    expect(lessons.visited).toEqual([a!.id, b!.id, c!.id])
  })
})
