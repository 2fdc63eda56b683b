/**
 * Q7's findings on the editor: a layer whose output an error leaves unknown showed "Parameters 0" and the header a
 * definite smaller total (F1); errors worked out from a rounded-down size after one not whole were counted and sent the
 * learner to fix phantoms (F2); a window too large with a stride other than 1 was told to take a pad that gave a new
 * error (F3).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, screen, within } from '@testing-library/svelte'
import type { LayerSpec, NetSpec } from '../../../src-engine/spec-types'
import { card, errorsIn, layerOut, layerParams, openEditor } from './helpers'

afterEach(() => cleanup())

const digits = (...layers: LayerSpec[]): NetSpec => ({ input: [1, 28, 28], task: 'classify', layers })
const params = (i: number): HTMLElement => within(card(i)).getByTestId('layer-params')

describe('counts after an output an error leaves unknown (F1)', () => {
  it('shows a convolution\'s own weights whose kernel does not fit, "—" with why after it, and "—" totals', () => {
    openEditor(digits({ type: 'Convolution', filters: 8, kernel: 29 }, { type: 'Relu' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }))
    expect(layerParams(0)).toBe(8 * 29 * 29 + 8)
    expect(card(0).textContent).toContain('W 8×1×29×29, b 8')
    const macs0 = within(card(0)).getByTestId('layer-macs')
    expect(macs0.getAttribute('data-mark')).toBe('unknown')
    expect(macs0.textContent).toBe('— (Not known until the error in layer 1 is fixed.)')
    expect(layerOut(0)).toBe('— (Not known until the error in layer 1 is fixed.)')
    expect(params(1).getAttribute('data-mark')).toBeNull() // a ReLU has 0 whatever reaches it
    expect(params(2).getAttribute('data-mark')).toBe('unknown')
    expect(params(2).textContent).toBe('— (Not known until the error in layer 1 is fixed.)')
    for (const id of ['param-total', 'macs-total', 'output-shape']) {
      const el = screen.getByTestId(id)
      expect(el.getAttribute('data-mark'), id).toBe('unknown')
      expect(el.getAttribute('data-value'), id).toBeNull()
      expect(el.getAttribute('title'), id).toBe('Not known until the error in layer 1 is fixed.')
    }
  })

  it('does not total the known layers of a convolution after a flat vector as certain (ko)', () => {
    openEditor(digits({ type: 'Affine', units: 100 }, { type: 'Convolution', filters: 8, kernel: 3 }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }), 'ko')
    expect(layerParams(0)).toBe(78_500)
    for (const i of [1, 2]) {
      expect(params(i).getAttribute('data-mark'), `card ${i}`).toBe('unknown')
      expect(params(i).textContent, `card ${i}`).toBe('— (2번 계층의 오류를 고쳐야 알 수 있습니다.)')
    }
    expect(screen.getByTestId('param-total').textContent).toBe('— (2번 계층의 오류를 고쳐야 알 수 있습니다.)')
  })
})

describe('errors after a size that is not whole (F2)', () => {
  it('counts only the error that can be known: pool5 on the rounded-down 1×1 is not said', () => {
    const pool: LayerSpec = { type: 'Pooling', size: 2 }
    openEditor(digits({ type: 'Convolution', filters: 8, kernel: 5 }, { type: 'Relu' }, pool, pool, pool, pool, pool,
      { type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }))
    expect(errorsIn(5)).toHaveLength(1)
    expect(errorsIn(6)).toHaveLength(0)
    expect(screen.getByTestId('spec-status').textContent).toBe('1 error to fix')
    expect(screen.getByTestId('train-reason').textContent).toContain('pool4')
    expect(within(card(6)).getByTestId('layer-in').textContent).toContain('(8, 1.5, 1.5)')
    expect(layerOut(6)).toBe('— (Not known until the output size of layer 6 is a whole number.)')
  })
})

describe('a window too large for a strided layer (F3)', () => {
  const net = (): NetSpec => ({ input: [8, 3, 3], layers: [{ type: 'Pooling', size: 4 }, { type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] })

  it('offers only a window or a stride with padding that give a whole size (en)', () => {
    openEditor(net())
    expect(errorsIn(0).map((e) => e.textContent)).toEqual([expect.stringContaining(
      'pool1: the 4×4 window is larger than the 3×3 input with padding 0. To fix it, use a 3×3 window, or stride 1 with padding 1.')])
  })

  it('says the same in Korean, and keeps the stride-1 wording for a stride-1 kernel', () => {
    openEditor(net(), 'ko')
    expect(errorsIn(0)[0].textContent).toContain('pool1: 4×4 창이 패딩 0까지 더한 3×3 입력보다 큽니다. 고치는 방법: 3×3 크기의 창, 또는 스트라이드 1에 패딩 1.')
    cleanup()
    openEditor(digits({ type: 'Convolution', filters: 8, kernel: 29 }, { type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }))
    expect(errorsIn(0)[0].textContent).toContain('Use a kernel of at most 28, or padding 1 or more.')
  })
})

describe('a pooling whose only window that fits does nothing (M37\'s note on F3)', () => {
  // 8 → 4 → 2 → 1, then a 2×2 pooling on the 1×1 map: a 1×1 window would fit, and pass the map on unchanged
  const net = (last: LayerSpec): NetSpec => ({ input: [1, 8, 8], task: 'classify', layers: [{ type: 'Pooling', size: 2 }, { type: 'Pooling', size: 2 },
    { type: 'Pooling', size: 2 }, last, { type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] })

  it('says to remove the layer, not to use a 1×1 window, with the stride or padding that also fits (en, ko)', () => {
    openEditor(net({ type: 'Pooling', size: 2 }))
    expect(errorsIn(3)[0].textContent).toContain('pool4: the 2×2 window is larger than the 1×1 input with padding 0. ' +
      'Remove this layer (a 1×1 window would pass its input on unchanged), or use stride 1 with padding 1.')
    expect(errorsIn(3)[0].textContent).not.toContain('1×1 window,')
    cleanup()
    openEditor(net({ type: 'Pooling', size: 2, stride: 1 }), 'ko')
    expect(errorsIn(3)[0].textContent).toContain('pool4: 2×2 창이 패딩 0까지 더한 1×1 입력보다 큽니다. ' +
      '이 계층을 지우세요. 1×1 창은 입력을 그대로 내보내서 아무 일도 하지 않습니다. 다른 방법: 패딩 1.')
    expect(errorsIn(3)[0].textContent).not.toContain('1 이하')
  })
})
