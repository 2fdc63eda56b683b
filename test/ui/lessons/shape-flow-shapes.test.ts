/**
 * The shape-flow table writes a shape's sizes without thousands separators: "(3, 1,080, 1,920)" reads as five numbers.
 * A shape's inner spaces are no-break spaces (keep-together.ts).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import ShapeFlow from '../../../src-renderer/components/explainers/ShapeFlow.svelte'

const NB = '\u00a0'

afterEach(() => {
  cleanup()
  i18n.set('en')
})

describe('the shape-flow table', () => {
  it('writes (3, 1080, 1920) and (3136), while parameter counts keep their separators', async () => {
    render(ShapeFlow)
    await fireEvent.click(screen.getAllByTestId('flow-pick').find((b) => b.dataset.example === 'hd-conv')!)
    const text = screen.getByTestId('flow-table').textContent ?? ''
    expect(text).toContain(`(3,${NB}1080,${NB}1920)`)
    expect(text).not.toContain('1,080')
    expect(screen.getByTestId('flow-total').textContent).toBe('1,328,304')
    await fireEvent.click(screen.getAllByTestId('flow-pick').find((b) => b.dataset.example === 'keras-cnn')!)
    expect(screen.getByTestId('flow-table').textContent).toContain(`(64,${NB}7,${NB}7)(3136)`)
  })

  it('names each layer\'s type as the editor\'s cards do, not by its engine type (Q3: "relu1 Relu", "conv1 Convolution")', async () => {
    i18n.set('ko')
    render(ShapeFlow)
    await fireEvent.click(screen.getAllByTestId('flow-pick').find((b) => b.dataset.example === 'keras-cnn')!)
    const rows = [...screen.getByTestId('flow-table').querySelectorAll('tbody tr td:first-child')].map((td) => td.textContent)
    expect(rows.slice(1, 4)).toEqual(['conv1 합성곱', 'relu1 ReLU', 'pool1 풀링'])
    expect(rows).toContain('softmax1 소프트맥스 + 손실')
  })
})
