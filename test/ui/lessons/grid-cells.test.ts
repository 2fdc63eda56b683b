/**
 * The explainers' number grids (the convolution stepper's input and filter, the pooling grid) take what they can show:
 * a number from −99.9 to 99.9 with at most one decimal. Before, any number went in: 1e308 turned every sum it touched
 * to ∞ and 1e-320 showed as 0 while the sums used it. A bad entry stays in its cell, marked, is named under the grid
 * in the learner's language, and the calculator keeps the cell's number; −0 is 0.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import ConvStepper from '../../../src-renderer/components/explainers/ConvStepper.svelte'
import { cellField } from '../../../src-renderer/lib/lessons/fields'
import { flush } from '../train/fake-lab'

afterEach(() => {
  cleanup()
  i18n.set('en')
})

const cell = (name: string): HTMLInputElement => screen.getByLabelText(name) as HTMLInputElement

async function type(name: string, value: string): Promise<void> {
  const el = cell(name)
  el.value = value
  await fireEvent.change(el)
  await flush()
}

const sum = (): string => screen.getByTestId('conv-sum').textContent ?? ''

describe("a grid cell's number", () => {
  it('is from −99.9 to 99.9 with at most one decimal; a bad entry keeps the last number', () => {
    expect(cellField('2.5', 1)).toEqual({ value: 2.5, ok: true })
    expect(cellField('-99.9', 1)).toEqual({ value: -99.9, ok: true })
    expect(Object.is(cellField('-0', 1).value, 0)).toBe(true)
    for (const bad of ['1e308', '-1e30', '100', '-99.99', '1e-320', '0.05', '', 'abc', 'Infinity']) expect(cellField(bad, 3), bad).toEqual({ value: 3, ok: false })
  })

  it("is refused in the convolution stepper with the cell's message, and the sums keep the cell's number (en, ko)", async () => {
    render(ConvStepper)
    // the course's first window: 1·2 + 2·0 + 3·1 + 0·0 + 1·1 + 2·2 + 3·1 + 0·0 + 1·2 = 15
    expect(sum()).toContain('= 15')
    await type('Input 1,1', '1e308')
    expect(cell('Input 1,1').getAttribute('aria-invalid')).toBe('true')
    expect(screen.getByTestId('grid-cell-problem').textContent?.trim()).toBe(
      'Input 1,1 must be a number from −99.9 to 99.9 with at most one decimal. Until you change it, the calculator uses 1.')
    expect(sum()).toContain('= 15')
    expect(sum()).not.toContain('∞')
    i18n.set('ko')
    await flush()
    expect(screen.getByTestId('grid-cell-problem').textContent?.trim()).toBe(
      '입력 1,1 칸에는 −99.9부터 99.9까지, 소수점 아래 한 자리까지의 숫자를 넣으세요. 고칠 때까지 계산에 쓰는 값: 1.')
    i18n.set('en')
    await flush()
    await type('Input 1,1', '1e-320')
    expect(screen.getByTestId('grid-cell-problem')).toBeTruthy()
    // a number it can show goes in: 2.5 · 2 in place of 1 · 2
    await type('Input 1,1', '2.5')
    expect(screen.queryByTestId('grid-cell-problem')).toBeNull()
    expect(cell('Input 1,1').getAttribute('aria-invalid')).toBe('false')
    expect(sum()).toContain('= 18')
    await type('Filter (weights W) 1,1', '-0')
    expect(screen.queryByTestId('grid-cell-problem')).toBeNull()
    expect(sum()).toContain('= 13')
    expect(sum()).not.toContain('−0')
  })

  // Svelte sets an input's value only when its number changes: the course's example, which holds the same 1 there,
  // left "1e308" in the box with no message while the calculator used 1
  it('puts a refused entry back to the cell\'s number when new values replace the grid', async () => {
    render(ConvStepper)
    await type('Input 1,1', '1e308')
    expect(screen.getByTestId('grid-cell-problem')).toBeTruthy()
    await fireEvent.click(screen.getByRole('button', { name: 'Course example' }))
    await flush()
    expect(screen.queryByTestId('grid-cell-problem')).toBeNull()
    expect(cell('Input 1,1').getAttribute('aria-invalid')).toBe('false')
    expect(cell('Input 1,1').value).toBe('1')
    expect(sum()).toContain('= 15')
  })

  // the filter cells were number boxes, which can only show "-1": the second filter's column of −1 read "-1" in its
  // cells and "−1" in the im2col table under them, and the feature maps "−2". Now one helper writes them all
  it('writes a negative number with the minus sign every other number uses, and reads it back either way', async () => {
    render(ConvStepper)
    await fireEvent.change(screen.getByTestId('conv-fn'), { target: { value: '2' } })
    await flush()
    // filter 2, the vertical edge: 1 0 −1 in each row
    expect(cell('Filter 2 1,3').value).toBe('−1')
    expect(screen.getByTestId('im2col-w').textContent).toContain('−1')
    const shown = [...document.querySelectorAll<HTMLInputElement>('input[data-cell]')].map((i) => i.value)
    expect(shown.filter((v) => v.includes('-'))).toEqual([])
    // typed with a hyphen, shown with the minus sign; typed with the minus sign, taken
    await type('Filter (weights W) 1,1', '-1')
    expect(cell('Filter (weights W) 1,1').value).toBe('−1')
    expect(sum()).toContain('1·−1 +')
    await type('Input 1,1', '−2')
    expect(screen.queryByTestId('grid-cell-problem')).toBeNull()
    expect(cell('Input 1,1').value).toBe('−2')
    expect(sum()).toContain('−2·−1 +')
    // Alt+↑ and Alt+↓ step the number by one (plain arrows move among the cells: grid-keys.test)
    await fireEvent.keyDown(cell('Input 1,1'), { key: 'ArrowUp', altKey: true })
    await flush()
    expect(cell('Input 1,1').value).toBe('−1')
    expect(sum()).toContain('−1·−1 +')
    await fireEvent.keyDown(cell('Input 1,1'), { key: 'ArrowDown', altKey: true })
    await fireEvent.keyDown(cell('Input 1,1'), { key: 'ArrowDown', altKey: true })
    await flush()
    expect(cell('Input 1,1').value).toBe('−3')
  })
})
