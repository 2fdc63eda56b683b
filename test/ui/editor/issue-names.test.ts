/**
 * The editor's messages name a layer's type as its card and the palette do (LSTM, 합성곱, 시계열 소프트맥스 + 손실), not as
 * the engine does (TimeLSTM, Convolution); a layer that needs a sequence after a LastTimeStep is told to delete it, not
 * to reshape; two linear layers with nothing between are one (Q3's F1–F3).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, screen, within } from '@testing-library/svelte'
import { flushSync } from 'svelte'
import type { LayerSpec, NetSpec } from '../../../src-engine/spec-types'
import { validateSpec } from '../../../src-engine/spec'
import { emptySpec } from '../../../src-engine/models/presets'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import { issueText } from '../../../src-renderer/components/editor/issues'
import { card, openEditor } from './helpers'

afterEach(() => { cleanup(); i18n.set('en') })

/** The text of the only issue with `code`, in `lang`. */
function said(spec: NetSpec, code: string, lang: 'en' | 'ko'): string {
  const found = validateSpec(spec).issues.filter((i) => i.code === code)
  expect(found, code).toHaveLength(1)
  i18n.set(lang)
  return issueText(found[0], spec.layers[found[0].layer]?.type)
}

const digits = (...layers: LayerSpec[]): NetSpec => ({ input: [1, 28, 28], task: 'classify', layers })
const lm = (...mid: LayerSpec[]): NetSpec => ({ input: [64], task: 'language-model', vocab: 74,
  layers: [{ type: 'TimeEmbedding', dim: 16 }, { type: 'TimeLSTM', hidden: 32 }, ...mid, { type: 'TimeSoftmaxWithLoss' }] })

describe('layer types in messages', () => {
  it('are the names on the cards, in Korean and English', () => {
    // Q3: an LSTM after a convolution, a convolution after Flatten
    const lstm = digits({ type: 'Convolution', filters: 4, kernel: 3 }, { type: 'TimeLSTM', hidden: 8 }, { type: 'LastTimeStep' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' })
    expect(said(lstm, 'needs-sequence', 'ko')).toMatch(/^lstm1: LSTM 계층에는 시계열 \(T, D\)\u2060가 들어와야 하는데 지금은 \(4, 26, 26\) 형상이/)
    expect(said(lstm, 'needs-sequence', 'en')).toMatch(/^lstm1: LSTM needs a sequence \(T, D\) but gets \(4, 26, 26\)\./)
    const conv = digits({ type: 'Flatten' }, { type: 'Convolution', filters: 4, kernel: 3 }, { type: 'Relu' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' })
    expect(said(conv, 'needs-image', 'ko')).toMatch(/^conv1: 합성곱 계층에는 이미지/)
    const deconv = digits({ type: 'Flatten' }, { type: 'Deconvolution', filters: 4, kernel: 3 }, { type: 'Relu' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' })
    expect(said(deconv, 'needs-image', 'en')).toMatch(/^deconv1: Transposed conv needs an image/)
    for (const lang of ['en', 'ko'] as const) {
      expect(said(lstm, 'needs-sequence', lang)).not.toContain('TimeLSTM')
      expect(said(deconv, 'needs-image', lang)).not.toContain('Deconvolution')
    }
  })

  it('the first thing an empty text network says names the loss as the palette does', () => {
    openEditor(emptySpec('text'), 'ko')
    const error = within(card(0)).getByTestId('layer-error')
    expect(error.getAttribute('data-code')).toBe('tokens-need-embedding')
    expect(error.textContent).toContain('tsoftmax1: 시계열 소프트맥스 + 손실 계층은 토큰 번호를 바로 읽을 수 없습니다.')
    expect(said(emptySpec('text'), 'tokens-need-embedding', 'en')).toBe('tsoftmax1: Time softmax + loss cannot read token ids. Put an Embedding layer first to turn each token into a vector.')
  })

  it('an unknown type stays as the learner wrote it', () => {
    const r = validateSpec({ input: [4], layers: [{ type: 'Dense', units: 2 }, { type: 'SoftmaxWithLoss' }] })
    i18n.set('ko')
    expect(issueText(r.issues.find((i) => i.code === 'unknown-layer-type')!)).toContain('"Dense"')
  })
})

describe('a sequence made one vector', () => {
  it('before the per-step loss: delete the LastTimeStep, or classify with Softmax + loss (not "add a Reshape")', () => {
    // Q3's language model: 임베딩, LSTM, 시계열 Affine, then 마지막 시각 before the loss
    const spec = lm({ type: 'TimeAffine', units: 'vocab' }, { type: 'LastTimeStep' })
    expect(said(spec, 'needs-sequence', 'ko')).toBe('tsoftmax1: 시계열 소프트맥스 + 손실 계층에는 시계열 (T, D)\u2060가 들어와야 하는데 지금은 (74) 형상이 들어옵니다. ' +
      'last1 계층이 마지막 시각의 출력만 남기므로 시계열이 이어지지 않습니다. last1 계층을 삭제하세요. 시퀀스 전체를 하나로 분류하려는 것이라면 대신 소프트맥스 + 손실을 쓰세요.')
    expect(said(spec, 'needs-sequence', 'en')).toBe('tsoftmax1: Time softmax + loss needs a sequence (T, D) but gets (74). ' +
      'last1 keeps only the last time step, so no sequence is left. Delete last1. Or, to classify the whole sequence, use Softmax + loss instead.')
    // an Affine after the LastTimeStep must become a Time affine too; an Affine on the sequence is what made the vector
    expect(said(lm({ type: 'LastTimeStep' }, { type: 'Affine', units: 74 }), 'needs-sequence', 'ko'))
      .toContain('last1 계층을 삭제하고 affine1 계층을 시계열 Affine으로 바꾸세요.')
    expect(said(lm({ type: 'Affine', units: 74 }), 'needs-sequence', 'en'))
      .toContain('affine1 turns the sequence into one vector, so no sequence is left. Make affine1 a Time affine. Or,')
    for (const lang of ['en', 'ko'] as const) expect(said(spec, 'needs-sequence', lang)).not.toMatch(/Reshape|형상 바꾸기/)
  })

  it('before an LSTM: delete the LastTimeStep or move it after; a vector that was never a sequence still gets the reshape', () => {
    const rows = digits({ type: 'Reshape', shape: [28, 28] }, { type: 'TimeLSTM', hidden: 32 }, { type: 'LastTimeStep' }, { type: 'TimeLSTM', hidden: 16 },
      { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' })
    expect(said(rows, 'needs-sequence', 'ko')).toContain('last1 계층이 마지막 시각의 출력만 남기므로 시계열이 이어지지 않습니다. last1 계층을 삭제하거나 lstm2 뒤로 옮기세요.')
    expect(said(rows, 'needs-sequence', 'en')).toContain('Delete last1, or move it after lstm2.')
    const flat = { input: [784], layers: [{ type: 'TimeLSTM', hidden: 8 }, { type: 'LastTimeStep' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] } as NetSpec
    expect(said(flat, 'needs-sequence', 'en')).toContain('Add a Reshape to (28, 28) before it.')
    // a per-step loss on a vector that never was a sequence: the engine's advice, Softmax + loss (it said "add a Reshape to (T, D)")
    const scores = { input: [784], layers: [{ type: 'Affine', units: 10 }, { type: 'TimeSoftmaxWithLoss' }] } as NetSpec
    expect(said(scores, 'needs-sequence', 'ko')).toContain('샘플마다 출력이 하나라면 대신 소프트맥스 + 손실을 쓰세요.')
  })
})

describe('a Reshape right above with the wrong shape', () => {
  it('is told to change its shape, not to add another Reshape (the palette\'s Reshape comes as (1, 28, 28))', () => {
    const spec = digits({ type: 'Reshape', shape: [1, 28, 28] }, { type: 'TimeLSTM', hidden: 32 }, { type: 'LastTimeStep' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' })
    const ko = said(spec, 'needs-sequence', 'ko')
    expect(ko).toContain('바로 위 reshape1 계층의 새 형상을 (28, 28) 형상으로 바꾸세요.')
    expect(ko).not.toContain('형상 바꾸기 계층을 넣')
    expect(said(spec, 'needs-sequence', 'en')).toContain('Change the new shape of reshape1, right above it, to (28, 28).')
  })
})

describe('the task', () => {
  it('is named in words, not by its id (Q3: “classify” 작업)', () => {
    const spec = digits({ type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'TimeSoftmaxWithLoss' })
    expect(said(spec, 'loss-task-mismatch', 'ko')).toContain('이 손실 함수는 “분류” 작업에 맞지 않습니다.')
    expect(said(spec, 'loss-task-mismatch', 'en')).toContain('this loss does not fit the task “classification”.')
  })
})

describe('two linear layers in a row', () => {
  it('are one: the second is warned to put an activation between (en, ko)', () => {
    const spec = digits({ type: 'Flatten' }, { type: 'Affine', units: 100 }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' })
    expect(said(spec, 'no-activation-between', 'ko')).toBe('affine2: 앞의 affine1 계층과의 사이에 활성화 함수가 없어서 두 계층을 합쳐도 Affine 계층 하나와 같습니다. ' +
      '선형 계층 뒤에 선형 계층을 쌓아도 선형이기 때문입니다. 사이에 ReLU 같은 활성화 함수를 넣으세요.')
    expect(said(spec, 'no-activation-between', 'en')).toBe('affine2: follows affine1 with no activation between them, so the two are no more than one Affine layer: ' +
      'a linear layer after a linear layer is still linear. Put an activation such as ReLU between them.')
    const conv = digits({ type: 'Convolution', filters: 8, kernel: 3 }, { type: 'Convolution', filters: 8, kernel: 3 }, { type: 'Relu' }, { type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' })
    expect(said(conv, 'no-activation-between', 'ko')).toContain('두 계층을 합쳐도 커널이 더 큰 합성곱 계층 하나와 같습니다.')
  })

  it('shows on the second layer\'s card as a warning, without blocking training', () => {
    openEditor(digits({ type: 'Flatten' }, { type: 'Affine', units: 100 }, { type: 'Affine', units: 100 }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }))
    for (const [i, previous] of [[2, 'affine1'], [3, 'affine2']] as const) {
      const w = within(card(i)).getAllByTestId('layer-warning')
      expect(w.map((e) => e.getAttribute('data-code'))).toEqual(['no-activation-between'])
      expect(w[0].textContent).toContain(`follows ${previous} with no activation`)
    }
    expect(within(card(1)).queryAllByTestId('layer-warning')).toHaveLength(0)
    expect((document.querySelector('[data-testid="train-button"]') as HTMLButtonElement).disabled).toBe(false)
  })
})

describe('an image layer right after a Reshape that gives no image (M21)', () => {
  it('is told to change that Reshape\'s shape, not to add a Reshape (as for a sequence)', () => {
    const rows = digits({ type: 'Reshape', shape: [28, 28] }, { type: 'Convolution', filters: 8, kernel: 3 }, { type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' })
    expect(said(rows, 'needs-image', 'en')).toBe('conv1: Convolution needs an image (C, H, W) but gets (28, 28). Change the new shape of reshape1, right above it, to (1, 28, 28).')
    expect(said(rows, 'needs-image', 'ko')).toBe('conv1: 합성곱 계층에는 이미지 (C, H, W)\u2060가 들어와야 하는데 지금은 (28, 28) 형상이 들어옵니다. ' +
      '바로 위 reshape1 계층의 새 형상을 (1, 28, 28) 형상으로 바꾸세요.')
    const odd = { input: [1, 1, 7], layers: [{ type: 'Reshape', shape: [7] }, { type: 'Pooling', size: 1 }, { type: 'Flatten' }, { type: 'Affine', units: 2 }, { type: 'SoftmaxWithLoss' }] } as NetSpec
    expect(said(odd, 'needs-image', 'ko')).toContain('바로 위 reshape1 계층의 새 형상을 값의 개수가 같은 (C, H, W) 형상으로 바꾸세요.')
    for (const lang of ['en', 'ko'] as const) expect(said(rows, 'needs-image', lang)).not.toMatch(/add a Reshape|형상 바꾸기 계층을 넣/)
    // after a Flatten it still says to move the layer up
    expect(said(digits({ type: 'Flatten' }, { type: 'Convolution', filters: 4, kernel: 3 }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }), 'needs-image', 'en')).toContain('move it up')
  })

  it('names the (C, H, W) a Reshape would give, as the CLI does (Q7 F9)', () => {
    const afterAffine = digits({ type: 'Affine', units: 100 }, { type: 'Convolution', filters: 8, kernel: 3 }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' })
    expect(said(afterAffine, 'needs-image', 'en')).toBe('conv1: Convolution needs an image (C, H, W) but gets (100). Image layers must come before Flatten and Affine: ' +
      'move it up, or add a Reshape to (1, 10, 10) before it.')
    expect(said(afterAffine, 'needs-image', 'ko')).toContain('위로 옮기거나, 앞에 형상 바꾸기 계층을 넣어 (1, 10, 10) 형상으로 바꾸세요.')
    // no square image holds 10 values: only "move it up", and why no Reshape
    const ten = digits({ type: 'Affine', units: 10 }, { type: 'Convolution', filters: 8, kernel: 3 }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' })
    expect(said(ten, 'needs-image', 'en')).toBe('conv1: Convolution needs an image (C, H, W) but gets (10). Image layers must come before Flatten and Affine: ' +
      'move it up. (A Reshape cannot help: (10) does not split into square images.)')
    expect(said(ten, 'needs-image', 'ko')).toContain('위로 옮기세요. ((10) 형상은 정사각형 이미지로 나눌 수 없어서')
    for (const lang of ['en', 'ko'] as const) expect(said(afterAffine, 'needs-image', lang)).not.toContain('(C, H, W) before')
  })
})

describe('a per-step loss given an image (M21)', () => {
  it('is told it needs a language model\'s scores, or Softmax + loss to classify images, on its card', () => {
    const spec = digits({ type: 'Convolution', filters: 4, kernel: 3 }, { type: 'TimeSoftmaxWithLoss' })
    expect(said(spec, 'needs-sequence', 'en')).toBe('tsoftmax1: Time softmax + loss needs a sequence (T, D) but gets (4, 26, 26). It takes a score for every token at every step, ' +
      'which a language model\'s layers give: Embedding, LSTM, Time affine. To classify images, use Softmax + loss instead.')
    openEditor(spec, 'ko')
    const error = within(card(1)).getAllByTestId('layer-error').find((e) => e.getAttribute('data-code') === 'needs-sequence')
    expect(error?.textContent).toContain('이 계층은 시각마다 모든 토큰의 점수를 받아 손실을 구하는데, 이런 점수는 언어 모델의 계층(임베딩, LSTM, 시계열 Affine)\u2060이 만듭니다. ' +
      '이미지를 분류하려면 대신 소프트맥스 + 손실 계층을 쓰세요.')
    expect(error?.textContent).not.toMatch(/형상 바꾸기|TimeAffine/)
  })
})

describe('a file import\'s refusal (M21)', () => {
  async function pick(text: string): Promise<void> {
    const input = screen.getByTestId('import-file') as HTMLInputElement
    Object.defineProperty(input, 'files', { value: [new File([text], 'net.json', { type: 'application/json' })], configurable: true })
    await fireEvent.change(input)
  }
  const file = (...layers: object[]): string => JSON.stringify({ input: [1, 28, 28], layers })

  it('names the layer\'s type as its card does, and follows a change of language', async () => {
    openEditor(digits({ type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }), 'ko')
    await pick(file({ type: 'Convolution', filters: 8, kernel_size: 3 }))
    const banner = await screen.findByTestId('import-error')
    expect(banner.textContent).toContain('1번째 계층인 합성곱 계층에 이 실험실이 모르는 설정이 있습니다: "kernel_size".')
    i18n.set('en')
    flushSync()
    expect(banner.textContent).toContain('Layer 1, Convolution, has a setting "kernel_size"')
    await pick(file({ type: 'Flatten' }, { type: 'Deconvolution', filters: 8, kernel: 'three' }))
    expect(screen.getByTestId('import-error').textContent).toContain('Layer 2, Transposed conv, has "kernel" = "three"; it takes a whole number without quotes, such as "kernel": 3.')
    await pick(file({ type: 'TimeAffine' }))
    expect(screen.getByTestId('import-error').textContent).toContain('Layer 1, Time affine, is missing "units".')
    // a card name with brackets of its own is not put in brackets again: 'Layer 1 (Affine (dense))' read badly
    await pick(file({ type: 'Affine' }))
    expect(screen.getByTestId('import-error').textContent).toContain('Layer 1, Affine (dense), is missing "units".')
    i18n.set('ko')
    flushSync()
    expect(screen.getByTestId('import-error').textContent).toContain('1번째 계층인 Affine (완전연결) 계층에 "units" 값이 없습니다.')
    expect(screen.getByTestId('import-error').textContent).not.toMatch(/\([^()]*\(/)
    i18n.set('en')
    // the type the file wrote, when the lab has no such type, stays as written
    await pick(file({ type: 'Conv2D', filters: 8, kernel: 3 }))
    expect(screen.getByTestId('import-error').textContent).toContain('"Conv2D"')
  })
})
