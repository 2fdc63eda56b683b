/**
 * The keep-weights question, asked when a trained model's architecture changes, waits until a typed value is finished
 * and names the change; the focus comes back to the field when it is cancelled, and Tab stays in it. Before: a number
 * typed at a beginner's pace (0.7 s between "3" and "2") was asked about after its first digit (the 600 ms pause), the
 * question took the focus and the next key, and Enter answered Keep with filters 3 (Q3 F10); after a change committed
 * with Tab and cancelled, the focus fell to the page (F11); Tab from the last button left the dialog once a lap.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { cleanup, fireEvent, screen } from '@testing-library/svelte'
import { flushSync } from 'svelte'
import { project } from '../../../src-renderer/lib/project.svelte'
import { convNet, field, firstLayer, inputKey, openEditor } from './helpers'

afterEach(() => { cleanup(); vi.useRealTimers() })

/** The change and blur listeners added or removed on the capture phase, among a spy's calls. */
const leavingCalls = (spy: { mock: { calls: unknown[][] } }): string[] =>
  spy.mock.calls.filter(([type, , opts]) => (type === 'change' || type === 'blur') && opts === true).map(([type]) => String(type))

const dialog = (): HTMLElement | null => screen.queryByTestId('weights-dialog')

/** Lets the dialog take or give back the focus (a tick after the change). */
async function tick(): Promise<void> {
  flushSync()
  await new Promise((r) => setTimeout(r, 0))
}

function openTrained(lang: 'en' | 'ko' = 'en'): void {
  openEditor(convNet(1), lang)
  project.trained = true
  flushSync()
}

describe('a number typed into a trained model', () => {
  it('is asked about when it is finished (Enter), not after a pause, and the question names it', async () => {
    vi.useFakeTimers()
    openTrained()
    const filters = field(0, 'filters')
    inputKey(filters, '3', '3')
    vi.advanceTimersByTime(700) // a beginner looking for the next key
    flushSync()
    expect(dialog()).toBeNull()
    expect(firstLayer().filters).toBe(30)
    // nothing moves until Enter: the field says so
    expect(screen.getByTestId('field-held').textContent).toMatch(/^Press Enter or leave the box to apply it\./)
    // under the card's row of fields, not in the field: there it widened the field at the first key, pushing the rest aside
    expect(screen.getByTestId('field-held').closest('.field')).toBeNull()
    expect(screen.getByTestId('field-held').previousElementSibling?.classList.contains('fields')).toBe(true)
    expect(filters.getAttribute('aria-describedby')).toBe('layer-0-filters-held')
    inputKey(filters, '32', '2')
    vi.advanceTimersByTime(5000)
    flushSync()
    expect(dialog()).toBeNull()
    await fireEvent.change(filters) // Enter
    flushSync()
    expect(screen.getByTestId('weights-change').textContent).toBe('Change: conv1 · Filters (FN), 30 → 32')
    expect(screen.queryByTestId('field-held')).toBeNull()
    await fireEvent.click(screen.getByTestId('weights-keep'))
    flushSync()
    expect(firstLayer().filters).toBe(32)
  })

  it('names a default, a choice and the input shape in Korean', async () => {
    openTrained('ko')
    const init = field(3, 'init') as unknown as HTMLSelectElement
    init.value = 'xavier'
    await fireEvent.change(init)
    expect(screen.getByTestId('weights-change').textContent).toBe('바꾸는 값: affine1 · 초깃값, He → Xavier')
    await fireEvent.click(screen.getByTestId('weights-cancel'))
    const shape = screen.getByTestId('input-shape') as HTMLInputElement
    inputKey(shape, '1, 32, 32', '2')
    expect(screen.getByTestId('input-shape-held').textContent).toMatch(/^Enter 키를 누르거나 칸을 벗어나면 적용합니다\./)
    await fireEvent.change(shape)
    expect(screen.queryByTestId('input-shape-held')).toBeNull()
    expect(screen.getByTestId('weights-change').textContent).toBe('바꾸는 값: 입력 · 형상, 1, 28, 28 → 1, 32, 32')
  })
})

describe('the focus around the question', () => {
  it('comes back to the field when a change committed with Tab is cancelled', async () => {
    // the box being left is watched while the editor's page shows (lib/leaving.ts), and no longer once it is gone
    const add = vi.spyOn(document, 'addEventListener')
    const remove = vi.spyOn(document, 'removeEventListener')
    openTrained()
    expect(leavingCalls(add)).toEqual(['change', 'blur'])
    const units = field(3, 'units')
    units.focus()
    inputKey(units, '12', '2')
    // Tab in Chromium: the focus is already off the box (on <body>) when its change event comes; its blur follows
    const active = vi.spyOn(document, 'activeElement', 'get').mockReturnValue(document.body)
    units.dispatchEvent(new Event('change', { bubbles: true }))
    active.mockRestore()
    units.blur()
    await tick()
    expect(document.activeElement).toBe(screen.getByTestId('weights-keep'))
    await fireEvent.keyDown(dialog()!, { key: 'Escape' })
    await tick()
    expect(dialog()).toBeNull()
    expect(document.activeElement?.id).toBe('layer-3-units')
    expect((document.activeElement as HTMLInputElement).value).toBe('10')
    expect(leavingCalls(remove)).toEqual([])
    cleanup()
    expect(leavingCalls(remove)).toEqual(['change', 'blur'])
    add.mockRestore()
    remove.mockRestore()
  })

  it('goes round the dialog\'s buttons with Tab and Shift+Tab', async () => {
    openTrained()
    const units = field(3, 'units')
    units.focus()
    inputKey(units, '12', '2')
    await fireEvent.change(units)
    await tick()
    const [keep, , cancel] = [...dialog()!.querySelectorAll('button')]
    cancel!.focus()
    await fireEvent.keyDown(cancel!, { key: 'Tab' })
    expect(document.activeElement).toBe(keep)
    await fireEvent.keyDown(keep!, { key: 'Tab', shiftKey: true })
    expect(document.activeElement).toBe(cancel)
  })
})

// last in the file: the modules imported afresh are not the ones the tests above render with
describe('importing the editor\'s state', () => {
  it('adds no listener to the document (the page watches the box being left while it shows)', async () => {
    vi.resetModules()
    const add = vi.spyOn(document, 'addEventListener')
    const { editor } = await import('../../../src-renderer/lib/editor.svelte')
    expect(editor).toBeDefined()
    expect(leavingCalls(add)).toEqual([])
    add.mockRestore()
  })
})
