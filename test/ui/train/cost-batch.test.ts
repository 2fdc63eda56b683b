/**
 * Beside the training form the memory note says its estimate is for a mini-batch of 100 and which way the form's own
 * batch moves it (Q8's F1: "a mini-batch of 100" beside a form saying 32, unexplained); nothing more when the form says
 * 100, and nothing in the editor (no batch there).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, render, screen } from '@testing-library/svelte'
import CostNote from '../../../src-renderer/components/editor/CostNote.svelte'
import { validateSpec } from '../../../src-engine/spec'
import type { NetSpec } from '../../../src-engine/spec-types'
import { i18n } from '../../../src-renderer/i18n/index.svelte'

const wide: NetSpec = { input: [1, 28, 28], task: 'classify', layers: [{ type: 'Flatten' }, { type: 'Affine', units: 70000 }, { type: 'Relu' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }
const note = (batch?: number): string | null => {
  render(CostNote, { props: { spec: wide, report: validateSpec(wide), names: [], ...(batch === undefined ? {} : { batch }) } })
  const text = screen.queryByTestId('cost-batch')?.textContent ?? null
  cleanup()
  return text
}

afterEach(() => {
  cleanup()
  i18n.set('en')
})

describe("the memory note and the form's mini-batch", () => {
  it('says the estimate is for 100 and that the form’s smaller or larger batch needs less or more (en, ko)', () => {
    expect(note(32)).toBe('That is for a mini-batch of 100; the form’s 32 needs less for the layer outputs and gradients, the same for the weights.')
    expect(note(1000)).toBe('That is for a mini-batch of 100; the form’s 1,000 needs more for the layer outputs and gradients, the same for the weights.')
    i18n.set('ko')
    expect(note(32)).toBe('이 값은 크기 100인 미니배치 기준입니다. 입력한 미니배치 크기(32)\u2060에서는 계층 출력과 기울기에 드는 메모리가 이보다 적고, 가중치에 드는 메모리는 같습니다.')
  })
  it('adds nothing for a batch of 100, in the editor, or for a batch the form refuses', () => {
    expect(note(100)).toBeNull()
    expect(note()).toBeNull()
    expect(note(Number.NaN)).toBeNull()
  })
})
