/**
 * An Embedding put on an image network (Q7 F8) is the learner's mistake, shown at the layer: it does not make the network
 * a language model, so the training page's data stays the digits the learner chose (it switched to a text by itself,
 * then the editor warned about "the data chosen"), and already first it is not told to "put it first" (en, ko).
 */
import { afterEach, expect, it } from 'vitest'
import { cleanup, screen } from '@testing-library/svelte'
import { flushSync } from 'svelte'
import type { NetSpec } from '../../../src-engine/spec-types'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import { editor } from '../../../src-renderer/lib/editor.svelte'
import { trainLab } from '../../../src-renderer/lib/train.svelte'
import { isLanguageModel } from '../../../src-renderer/lib/train-form'
import { errorsIn, openEditor } from './helpers'

afterEach(() => cleanup())

const MLP: NetSpec = { input: [1, 28, 28], task: 'classify', layers: [{ type: 'Flatten' }, { type: 'Affine', units: 100 }, { type: 'Relu' },
  { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }

it('an Embedding moved to the top of the MLP leaves the digits chosen, warns of no data, and is told to change the input or go', () => {
  openEditor(MLP)
  expect(trainLab.form.dataKind).toBe('mnist')
  editor.selected = null
  editor.addLayer('TimeEmbedding')
  flushSync()
  const at = editor.addsAt('TimeEmbedding') - 1
  editor.move(at, 0)
  flushSync()
  expect(trainLab.form.dataKind).toBe('mnist')
  expect(screen.queryAllByTestId('net-warning').map((w) => w.getAttribute('data-code'))).not.toContain('data-text-for-images')
  expect(screen.queryAllByTestId('net-warning').filter((w) => w.getAttribute('data-code')?.startsWith('data-'))).toHaveLength(0)
  const said = (): string => errorsIn(0).find((e) => e.getAttribute('data-code') === 'embedding-needs-tokens')?.textContent ?? ''
  expect(said()).toContain('embed1: Embedding looks up token ids, a sequence (T), but the input is (1, 28, 28). Make the input a text sequence (T) with a vocabulary, or remove this layer.')
  i18n.set('ko')
  flushSync()
  expect(said()).toContain('embed1: 임베딩은 토큰 번호의 시퀀스 (T)\u2060를 받는데 지금 입력 형상은 (1, 28, 28)\u2060입니다. 입력을 어휘가 있는 텍스트 시퀀스 (T)\u2060로 바꾸거나 이 계층을 삭제하세요.')
  i18n.set('en')
  flushSync()
  // not first, it is still told to go first
  editor.move(0, 2)
  flushSync()
  expect(errorsIn(2).map((e) => e.textContent).join(' ')).toContain('Put it first, on a text input, or remove it.')
})

it('a language model is one by its task or by an Embedding on a sequence input, not by an Embedding anywhere', () => {
  expect(isLanguageModel({ ...MLP, layers: [{ type: 'TimeEmbedding', dim: 8 }, ...MLP.layers] })).toBe(false)
  expect(isLanguageModel({ input: [20], vocab: 30, layers: [{ type: 'TimeEmbedding', dim: 8 }, { type: 'TimeAffine', units: 'vocab' }, { type: 'TimeSoftmaxWithLoss' }] })).toBe(true)
  expect(isLanguageModel({ ...MLP, task: 'language-model' })).toBe(true)
})
