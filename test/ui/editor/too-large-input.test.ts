/**
 * A network too large to train because of its input (spec-lint.ts lintMemory: even one unit on the first Affine leaves
 * it over the limit) says so at the top of the editor, on the input shape, not on the Affine's “Units” (en, ko).
 */
import { afterEach, expect, it } from 'vitest'
import { cleanup, screen } from '@testing-library/svelte'
import { flushSync } from 'svelte'
import type { NetSpec } from '../../../src-engine/spec-types'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import { errorsIn, openEditor } from './helpers'

afterEach(() => cleanup())

it('a 5,000 × 5,000 input is told to be made smaller, and the Affine after it is not', () => {
  const spec: NetSpec = { input: [1, 5000, 5000], layers: [{ type: 'Flatten' }, { type: 'Affine', units: 100 }, { type: 'Relu' },
    { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }
  openEditor(spec)
  const net = (): string => screen.getAllByTestId('net-error').find((e) => e.getAttribute('data-code') === 'too-large')?.textContent ?? ''
  expect(net()).toMatch(/^Input: the network needs about \d+\.\d\d GiB of memory to train, more than the 2\.00 GiB limit\. /)
  expect(net()).toContain('Most of it comes from the size of the input, (1, 5000, 5000), which no smaller layer would fix: make the input shape smaller.')
  expect(errorsIn(1).filter((e) => e.getAttribute('data-code') === 'too-large')).toHaveLength(0)
  i18n.set('ko')
  flushSync()
  expect(net()).toMatch(/^입력: 학습에 메모리가 약 \d+\.\d\d GiB 필요해서 한도를 넘습니다/)
  expect(net()).toContain('대부분은 입력 크기 (1, 5000, 5000) 때문이라 계층을 줄여도 한도 안으로 들어오지 않습니다. 입력 형상을 더 작게 바꾸세요.')
  i18n.set('en')
})
