/**
 * The convolution stepper's im2col view with FN filters (Q5 F8): W is drawn as (C·FH·FW, FN), one column per filter
 * with its bias under it, and the product as (OH·OW, FN), one column per feature map. Before, with FN = 3 it still
 * showed one filter as a row under the matrix and one output column, while the lesson says "one column per filter".
 * The numbers are recomputed here by hand (a plain loop over the windows), not read from the engine.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, render, screen, within } from '@testing-library/svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import ConvStepper from '../../../src-renderer/components/explainers/ConvStepper.svelte'
import { flush } from '../train/fake-lab'

afterEach(() => {
  cleanup()
  i18n.set('en')
})

const val = (s: string | null): number => Number((s ?? '').trim().replace('−', '-'))
/** A table's body as numbers, row by row. */
const body = (id: string): number[][] =>
  within(screen.getByTestId(id)).getAllByRole('row').filter((tr) => tr.closest('tbody')).map((tr) => [...tr.querySelectorAll('td')].map((td) => val(td.textContent)))
const heads = (id: string): string[] => [...screen.getByTestId(id).querySelectorAll('thead th')].map((th) => th.textContent?.trim() ?? '')

// the course's 4×4 input; filter 1 the course's (bias 3), filters 2 and 3 the vertical and horizontal edges (bias 0)
const X = [[1, 2, 3, 0], [0, 1, 2, 3], [3, 0, 1, 2], [2, 3, 0, 1]]
const F = [[[2, 0, 1], [0, 1, 2], [1, 0, 2]], [[1, 0, -1], [1, 0, -1], [1, 0, -1]], [[1, 1, 1], [0, 0, 0], [-1, -1, -1]]]
const B = [3, 0, 0]
function conv(f: number[][], b: number): number[] {
  const out: number[] = []
  for (let oy = 0; oy < 2; oy++) for (let ox = 0; ox < 2; ox++) {
    let s = b
    for (let ky = 0; ky < 3; ky++) for (let kx = 0; kx < 3; kx++) s += X[oy + ky][ox + kx] * f[ky][kx]
    out.push(s)
  }
  return out
}

async function filters(n: number): Promise<void> {
  await fireEvent.change(screen.getByTestId('conv-fn'), { target: { value: String(n) } })
  await flush()
}

describe('im2col with several filters', () => {
  it('draws W as one column per filter and the output as one column per feature map, with the right numbers (en)', async () => {
    render(ConvStepper)
    await filters(3)
    expect(heads('im2col-w')).toEqual(['filter 1', 'filter 2', 'filter 3'])
    expect(heads('im2col-out')).toEqual(['map 1', 'map 2', 'map 3'])
    // W (9 × 3): column n is filter n flattened; the bias row is in the footer
    const w = body('im2col-w')
    expect(w).toHaveLength(9)
    for (let n = 0; n < 3; n++) expect(w.map((row) => row[n])).toEqual(F[n].flat())
    const bias = [...screen.getByTestId('im2col-w').querySelectorAll('tfoot td')].map((td) => val(td.textContent))
    expect(bias).toEqual(B)
    // output (4 × 3): by hand, 18 19 9 18 for the course's filter; and col · W + b from the tables shown
    const out = body('im2col-out')
    const expected = F.map((f, n) => conv(f, B[n]))
    expect(expected[0]).toEqual([18, 19, 9, 18])
    expect(out).toEqual([0, 1, 2, 3].map((i) => expected.map((col) => col[i])))
    const col = body('im2col')
    for (let i = 0; i < 4; i++) for (let n = 0; n < 3; n++) {
      expect(col[i].reduce((s, v, k) => s + v * w[k][n], bias[n])).toBe(out[i][n])
    }
    // each output column, read 2 × 2, is the feature map drawn above
    const maps = screen.getAllByTestId('conv-map')
    expect(maps).toHaveLength(3)
    expect(screen.getByTestId('im2col-w-note').textContent).toContain('3 filters, 3 columns, 3 maps')
    // the current window's row with filter 1 is the highlighted cell; the next step moves it down
    const hot = (): number[] => {
      const cells = [...screen.getByTestId('im2col-out').querySelectorAll('tbody td')]
      return cells.flatMap((td, k) => (td.classList.contains('hotcell') ? [k] : []))
    }
    expect(hot()).toEqual([0])
    await fireEvent.click(screen.getByTestId('conv-next'))
    await flush()
    expect(hot()).toEqual([3])
  })

  it('names the shapes in Korean and keeps one column with one filter', async () => {
    i18n.set('ko')
    render(ConvStepper)
    expect(heads('im2col-w')).toEqual(['필터 1'])
    expect(body('im2col-out')).toEqual([[18], [19], [9], [18]])
    await filters(2)
    expect(heads('im2col-out')).toEqual(['맵 1', '맵 2'])
    // the captions, with their no-break spaces and word joiners taken out
    const captions = [...document.querySelectorAll('figcaption')].map((c) => (c.textContent ?? '').replace(/[\u2060]/g, '').replace(/\s+/g, ' ').trim())
    expect(captions).toContain('W (9 × 2), 마지막 행: 편향 b')
    expect(captions).toContain('출력 (4 × 2)')
    expect(screen.getByTestId('im2col-w-note').textContent).toContain('필터 2개, 열 2개, 특징 맵 2개')
  })
})
