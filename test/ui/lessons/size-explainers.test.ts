/**
 * The output-size calculator and the convolution stepper at the edges a learner tries: padding as wide as the
 * filter (legal, but the editor warns), a filter too wide for one side only, and a stride that does not divide
 * the span (what to change, as the editor suggests it).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import OutputSize from '../../../src-renderer/components/explainers/OutputSize.svelte'
import ConvStepper from '../../../src-renderer/components/explainers/ConvStepper.svelte'
import { flush } from '../train/fake-lab'

async function type(testid: string, value: string): Promise<void> {
  await fireEvent.input(screen.getByTestId(testid), { target: { value } })
  await flush()
}

async function size(H: number, W: number, F: number, S: number, P: number): Promise<void> {
  for (const [id, v] of [['size-h', H], ['size-w', W], ['size-f', F], ['size-stride', S], ['size-pad', P]] as const) await type(id, String(v))
}

afterEach(() => {
  cleanup()
  i18n.set('en')
})

describe('the output-size calculator', () => {
  it('does not call padding as wide as the filter simply valid: it shows the editor’s warning (en, ko)', async () => {
    i18n.set('en')
    render(OutputSize)
    await size(5, 5, 3, 1, 3)
    expect(screen.getByTestId('size-result').textContent).toBe('The size works: the output is 9\u00a0×\u00a09. But the editor warns about this layer (below).')
    expect(screen.getByTestId('size-editor').textContent).toContain('padding 3 is not smaller than the 3×3 kernel')
    i18n.set('ko')
    await flush()
    expect(screen.getByTestId('size-result').textContent).toBe('크기는 맞습니다. 출력은 9\u00a0×\u00a09입니다. 하지만 편집기가 아래와 같이 이 계층에 경고합니다.')
    expect(screen.getByTestId('size-editor').textContent).toContain('패딩(3)\u2060이 3×3 필터 크기보다 작지 않아서')
    // padding 2 on a 3-wide filter: nothing to warn about
    await type('size-pad', '2')
    expect(screen.getByTestId('size-result').textContent).toBe('올바른 설정입니다. 출력은 7\u00a0×\u00a07입니다.')
    expect(screen.queryByTestId('size-editor')).toBeNull()
  })

  it('names the side the filter does not fit, the width when only the width is too narrow', async () => {
    i18n.set('en')
    render(OutputSize)
    await size(28, 2, 3, 1, 0)
    expect(screen.getByTestId('size-result').textContent).toBe('Invalid: a 3-wide filter does not fit into an input of 2 with padding 0.')
    await size(2, 28, 3, 1, 0)
    expect(screen.getByTestId('size-result').textContent).toBe('Invalid: a 3-wide filter does not fit into an input of 2 with padding 0.')
  })

  it('works AlexNet’s first layer, 227 × 227, F 11, S 4 → 55 (H and W up to 512, not capped at 64), drawing all 55 window positions (en, ko)', async () => {
    i18n.set('en')
    const { container } = render(OutputSize)
    const windows = (): number => container.querySelectorAll('rect.winok, rect.winbad').length
    await size(227, 227, 11, 4, 0)
    expect(screen.queryByTestId('size-field-problem')).toBeNull()
    expect(screen.getByTestId('size-result').textContent).toBe('Valid: the output is 55 × 55.')
    // the strip of 227 cells stays within the card
    expect(Number(screen.getByRole('img').getAttribute('width'))).toBeLessThanOrEqual(564)
    // every window position is drawn (it stopped at 40), the rows closing up instead of making the card 55 × 7 px tall
    expect(windows()).toBe(55)
    expect(screen.queryByTestId('size-strip-some')).toBeNull()
    expect(Number(screen.getByRole('img').getAttribute('height'))).toBeLessThanOrEqual(330)
    // past 100 it says how many are drawn; the strip is one row of the width: W 512, F 1, S 1 (H stays 227)
    await type('size-f', '1')
    await type('size-stride', '1')
    await type('size-w', '512')
    expect(windows()).toBe(100)
    expect(screen.getByTestId('size-strip-some').textContent).toBe('The first 100 of the 512 window positions are drawn.')
    i18n.set('ko')
    await flush()
    expect(screen.getByTestId('size-strip-some').textContent).toBe('창이 놓이는 위치 512곳 가운데 처음 100곳만 그렸습니다.')
    i18n.set('en')
    await type('size-w', '7')
    await type('size-f', '3')
    await type('size-stride', '3')
    expect(windows()).toBe(3) // 0, 3 and the overhanging 6
    expect(container.querySelectorAll('rect.winbad')).toHaveLength(1)
    await size(513, 513, 11, 4, 0)
    expect(screen.getByTestId('size-field-problem').textContent).toContain('512')
  })
})

describe('the convolution stepper', () => {
  it('says which strides and paddings fit when the stride does not divide the span (ko)', async () => {
    i18n.set('ko')
    render(ConvStepper)
    // 4×4 input, 3×3 filter, padding 2: the window travels 5 cells, which stride 3 does not divide
    await type('conv-pad', '2')
    await type('conv-stride', '3')
    expect(screen.getByTestId('conv-invalid').textContent).toContain('창이 움직일 수 있는 거리가 스트라이드로 나누어떨어지지 않아서')
    expect(screen.getByTestId('conv-fix-strides').textContent).toBe('맞는 스트라이드: 1. 편집기가 제안하는 값과 같습니다.')
    expect(screen.getByTestId('conv-fix-pads').textContent).toBe('스트라이드를 그대로 둔다면 패딩 1도 맞습니다.')
    await type('conv-pad', '1')
    expect(screen.queryByTestId('conv-invalid')).toBeNull()
  })
})
