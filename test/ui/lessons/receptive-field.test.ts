/**
 * The receptive field explainer with deep stacks: a field wider than the 32×32 image (94×94 after five 3×3 layers
 * with pooling) is explained as the whole image plus padding (ko, en), not left as a patch larger than the input.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import ReceptiveField from '../../../src-renderer/components/explainers/ReceptiveField.svelte'
import { flush } from '../train/fake-lab'

afterEach(() => {
  cleanup()
  i18n.set('en')
})

describe('the receptive field explainer', () => {
  it('says when the field has grown past the image (ko, en)', async () => {
    i18n.set('ko')
    render(ReceptiveField, { props: { pool: true } })
    // three 3×3 layers with pooling: 22×22, inside the image
    expect(screen.queryByTestId('rf-beyond')).toBeNull()
    await fireEvent.input(screen.getByTestId('rf-depth'), { target: { value: '5' } })
    await flush()
    expect(screen.getByTestId('rf-beyond').textContent!.trim()).toBe('이는 32×32 이미지보다 넓습니다. 이 유닛은 이미 이미지 전체를 보고 있으며, 94×94 영역의 나머지는 이미지 둘레의 0 패딩에 걸쳐 있습니다. 여기서 계층을 더 쌓아도 실제로 보는 범위는 넓어지지 않습니다.')
    // a sentence of its own after the note, not glued to its full stop
    expect(screen.getByTestId('rf-beyond').parentElement!.textContent).toMatch(/\. 이는 32×32/)
    i18n.set('en')
    await flush()
    expect(screen.getByTestId('rf-beyond').textContent).toContain('the rest of its 94×94 field lies on the zero padding')
  })
})
