/**
 * An explainer's editable grid is one Tab stop (Q6's F4): lesson 3's stepper had a Tab stop per input and filter cell
 * (51 on the lesson page at its defaults, 152 with two channels, 6×6 and three filters). Now the arrow keys, Home and
 * End move among the cells (roving tabindex, as the training page's ImageGrid); typing, Enter or F2 edits a cell, and
 * while editing ↑/↓ step the number, Enter keeps it and Escape puts it back; Alt+↑/↓ step it at any time.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import ConvStepper from '../../../src-renderer/components/explainers/ConvStepper.svelte'
import PoolingExplainer from '../../../src-renderer/components/explainers/PoolingExplainer.svelte'
import { flush } from '../train/fake-lab'

afterEach(() => {
  cleanup()
  i18n.set('en')
})

const cell = (name: string): HTMLInputElement => screen.getByLabelText(name) as HTMLInputElement
const stops = (): HTMLInputElement[] => [...document.querySelectorAll<HTMLInputElement>('input[data-cell]')].filter((i) => i.tabIndex >= 0)
const sum = (): string => screen.getByTestId('conv-sum').textContent ?? ''
async function key(el: Element, k: string, opts: Record<string, unknown> = {}): Promise<void> {
  await fireEvent.keyDown(el, { key: k, ...opts })
  await flush()
}

describe('an editable grid', () => {
  it('is one Tab stop per grid, however many cells', async () => {
    render(ConvStepper)
    // the input and the filter: one stop each, the first cell
    expect(stops().map((i) => i.getAttribute('aria-label'))).toEqual(['Input 1,1', 'Filter (weights W) 1,1'])
    await fireEvent.change(screen.getByTestId('conv-fn'), { target: { value: '3' } })
    await flush()
    expect(document.querySelectorAll('input[data-cell]').length).toBe(16 + 3 * 9)
    // 43 cells, four grids: the input, the filter and two more filters, one Tab stop each
    expect(stops().length).toBe(4)
    expect(document.querySelectorAll('[role="grid"]').length).toBe(4)
  })

  it('moves among its cells with the arrows, Home and End; the Tab stop follows', async () => {
    render(ConvStepper)
    const first = cell('Input 1,1')
    first.focus()
    await key(first, 'ArrowRight')
    expect(document.activeElement).toBe(cell('Input 1,2'))
    await key(cell('Input 1,2'), 'ArrowDown')
    expect(document.activeElement).toBe(cell('Input 2,2'))
    expect(cell('Input 2,2').tabIndex).toBe(0)
    expect(first.tabIndex).toBe(-1)
    await key(cell('Input 2,2'), 'End')
    expect(document.activeElement).toBe(cell('Input 4,4'))
    await key(cell('Input 4,4'), 'Home')
    expect(document.activeElement).toBe(first)
    // moving changes no number
    expect(sum()).toContain('= 15')
  })

  it('edits by typing or Enter; ↑/↓ step while editing, Alt+↑/↓ at any time; Escape puts the number back', async () => {
    render(ConvStepper)
    const c = cell('Input 1,1')
    c.focus()
    // Alt+↑ steps without editing: 1 → 2 (the sum 15 → 17)
    await key(c, 'ArrowUp', { altKey: true })
    expect(c.value).toBe('2')
    expect(sum()).toContain('= 17')
    expect(document.activeElement).toBe(c)
    // Enter edits: now ↑/↓ step the number rather than moving, and ←/→ stay in the text
    await key(c, 'Enter')
    expect(c.classList.contains('editing')).toBe(true)
    expect(document.getElementById(c.getAttribute('aria-describedby')!)?.textContent).toContain('Editing')
    await key(c, 'ArrowDown')
    await key(c, 'ArrowDown')
    expect(document.activeElement).toBe(c)
    expect(c.value).toBe('0')
    await key(c, 'ArrowRight')
    expect(document.activeElement).toBe(c)
    await key(c, 'Enter')
    expect(c.classList.contains('editing')).toBe(false)
    // a digit typed starts an edit; Escape puts the cell's number back
    await key(c, '7')
    expect(c.classList.contains('editing')).toBe(true)
    c.value = '7'
    await key(c, 'Escape')
    expect(c.value).toBe('0')
    expect(c.classList.contains('editing')).toBe(false)
    // Escape also takes back the steps of the edit: 0, Enter, ↑ ↑ (the sum follows), Escape: 0 again
    await key(c, 'Enter')
    await key(c, 'ArrowUp')
    await key(c, 'ArrowUp')
    expect(c.value).toBe('2')
    expect(sum()).toContain('= 17')
    await key(c, 'Escape')
    expect(c.value).toBe('0')
    expect(sum()).toContain('= 13')
    await key(c, 'ArrowDown')
    expect(document.activeElement).toBe(cell('Input 2,1'))
  })

  it("tells its keys in the learner's language (pooling too)", async () => {
    i18n.set('ko')
    render(PoolingExplainer)
    await flush()
    const first = screen.getByTestId('explainer-pooling').querySelector<HTMLInputElement>('input[data-cell]')!
    const hint = document.getElementById(first.getAttribute('aria-describedby')!)
    expect(hint?.textContent).toBe('화살표 키: 칸 이동 · 숫자 입력, Enter 또는 F2: 고치기 · Alt+↑/↓: 1씩 바꾸기')
    expect(stops().length).toBe(1)
  })
})
