/**
 * The lab's limits on a network are said in the editor, in both languages, with what to change (Q4's B1): a network of
 * more than 256 layers (a JSON import, a project file) said "✓ Ready to train" and the Train button was on, and Start
 * then failed with the host's '"spec.layers" must be at most 256 long'; a setting over its limit (5,000 filters) the
 * same. On the old code the validator named neither (no too-many-layers or field-too-large issue, the setting's card
 * showed no error and Train was on), and the editor had no words for them.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, screen } from '@testing-library/svelte'
import { flushSync } from 'svelte'
import type { LayerSpec, NetSpec } from '../../../src-engine/spec-types'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import { issueText } from '../../../src-renderer/components/editor/issues'
import { validateSpec } from '../../../src-engine/spec'
import { errorsIn, openEditor } from './helpers'

afterEach(() => {
  cleanup()
  i18n.set('en')
})

const trainButton = (): HTMLButtonElement => screen.getByTestId('train-button') as HTMLButtonElement

describe('the lab’s limits, in the editor', () => {
  it('a network of 257 layers is not ready to train: the network says how many to remove (en, ko)', () => {
    // Flatten, 255 ReLUs, the loss: each is a sound layer, only their number is too large. (The page's rendering of an
    // error at the network and its Train button are the same as for the setting below; 257 cards take 3.5 s to render.)
    const relus = Array.from({ length: 255 }, (): LayerSpec => ({ type: 'Relu' }))
    const deep: NetSpec = { input: [1, 28, 28], layers: [{ type: 'Flatten' }, ...relus, { type: 'SoftmaxWithLoss' }] }
    const report = validateSpec(deep)
    expect(report.ok).toBe(false)
    const issue = report.issues.find((i) => i.code === 'too-many-layers')!
    expect(issue).toMatchObject({ severity: 'error', layer: -1 })
    expect(issueText(issue)).toBe('The network has 257 layers, more than the 256 the lab can train. Remove 1 or more of them.')
    i18n.set('ko')
    expect(issueText(issue)).toBe('신경망의 계층이 257개로, 실험실에서 학습할 수 있는 256개보다 많습니다. 계층을 1개 이상 삭제하세요.')
  })

  it('a setting over its limit is an error at its field, with the largest value it takes (en, ko)', () => {
    openEditor({ input: [1, 28, 28], layers: [{ type: 'Convolution', filters: 5000, kernel: 3 }, { type: 'Relu' }, { type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] })
    const errs = errorsIn(0)
    expect(errs.map((e) => e.getAttribute('data-code'))).toEqual(['field-too-large'])
    expect(errs[0].getAttribute('data-error-field')).toBe('filters')
    expect(errs[0].textContent).toContain('conv1: “Filters (FN)” can be at most 4,096, not 5,000. Lower it to 4,096 or less.')
    expect(trainButton().disabled).toBe(true)
    i18n.set('ko')
    flushSync()
    expect(errorsIn(0)[0].textContent).toContain('값은 4,096 이하여야 합니다 (지금 값: 5,000). 4,096 이하로 줄이세요.')
  })

  it('a name, an input size over the limit (en, ko)', () => {
    const long = validateSpec({ name: 'n'.repeat(201), input: [1, 28, 28], layers: [{ type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] })
      .issues.find((i) => i.code === 'name-too-long')!
    expect(issueText(long)).toBe('the network: the name is 201 characters long; the lab keeps names of at most 200. Shorten it.')
    const wide = validateSpec({ input: [1, 200000], layers: [{ type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] })
      .issues.find((i) => i.code === 'input-size-too-large')!
    expect(issueText(wide)).toBe('The input shape (1, 200000) has a size of 200,000; each size can be at most 100,000. Use smaller sizes.')
    i18n.set('ko')
    expect(issueText(long)).toBe('신경망 전체: 이름이 201자로 너무 깁니다. 실험실은 200자까지만 저장하니 이름을 줄이세요.')
    expect(issueText(wide)).toBe('입력 형상 (1, 200000)\u2060의 크기는 각각 100,000 이하여야 하는데 200,000인 크기가 있습니다. 더 작은 크기를 쓰세요.')
  })
})
