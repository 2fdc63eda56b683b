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

it('a network too large through its layers names them, not the input (Q7 F6): the kernel and padding, or the layers before (en, ko)', () => {
  openEditor({ input: [1, 28, 28], layers: [{ type: 'Convolution', filters: 4096, kernel: 64, pad: 63 }, { type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] })
  const at = (): string => errorsIn(0).find((e) => e.getAttribute('data-code') === 'too-large')?.textContent ?? ''
  expect(screen.queryAllByTestId('net-error').filter((e) => e.getAttribute('data-code') === 'too-large')).toHaveLength(0)
  expect(at()).toMatch(/conv1: the network needs about \d+\.\d\d GiB of memory to train, more than the 2\.00 GiB limit\. Even with one filter this layer needs about 1\d\.\d\d GiB: it unfolds its 64×64 kernel at each of its 91×91 output positions\. Make its “Kernel” or its “Padding” smaller, or its “Stride” larger\.$/)
  i18n.set('ko')
  flushSync()
  expect(at()).toContain('필터가 하나뿐이어도 이 계층에 약 1')
  expect(at()).toContain('GiB가 필요합니다. 91×91개의 출력 위치마다 64×64 필터를 펼쳐 두기 때문입니다. 필터 크기나 패딩을 줄이거나 스트라이드를 늘리세요.')
  i18n.set('en')
  cleanup()
  // a 200 × 200 input is no large input (one unit on an Affine right after it needs 31 MiB), but 100 ReLUs on it hold 3 GiB
  openEditor({ input: [1, 200, 200], layers: [{ type: 'Flatten' }, ...Array.from({ length: 100 }, () => ({ type: 'Relu' as const })), { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] })
  const net = (): string => screen.getAllByTestId('net-error').find((e) => e.getAttribute('data-code') === 'too-large')?.textContent ?? ''
  expect(net()).toMatch(/^The network needs about \d+\.\d\d GiB of memory to train, more than the 2\.00 GiB limit\. The 101 layers before affine1 hold about \d\.\d\d GiB of outputs and gradients between them, which no smaller layer would fix: remove some of them\.$/)
  i18n.set('ko')
  flushSync()
  expect(net()).toMatch(/^신경망 학습에 메모리가 약 \d+\.\d\d GiB 필요해서 한도를 넘습니다 \(한도 2\.00 GiB\)\. affine1 앞에 있는 계층 101개의 출력과 기울기만 약 \d\.\d\d GiB라서, 어느 계층의 크기를 줄여도 한도 안으로 들어오지 않습니다\. 이 계층 중 일부를 삭제하세요\.$/)
  i18n.set('en')
})
