/**
 * Problems appear at the layer and field they concern, with the fix in words, in both languages; an
 * invalid network cannot be trained and the Train button says why.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, screen, within } from '@testing-library/svelte'
import { flushSync } from 'svelte'
import type { NetSpec } from '../../../src-engine/spec-types'
import { project } from '../../../src-renderer/lib/project.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import { forData, issueText } from '../../../src-renderer/components/editor/issues'
import { trainLab } from '../../../src-renderer/lib/train.svelte'
import { folderClasses } from '../../../src-renderer/lib/folder-classes.svelte'
import type { LabApi } from '../../../src-main/ipc/contract'
import { validateSpec } from '../../../src-engine/spec'
import { PRESETS } from '../../../src-engine/models/presets'
import { card, cards, errorsIn, field, golden, openEditor } from './helpers'

afterEach(() => cleanup())

const bad = golden.conv_output_size.invalid_case
/** The course's invalid case: 7×7 input, 3×3 kernel, stride 3, pad 0. */
const strideNet = (): NetSpec => ({
  input: [1, ...bad.input],
  layers: [
    { type: 'Convolution', filters: 4, kernel: bad.filter[0], stride: bad.stride, pad: bad.pad },
    { type: 'Relu' }, { type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }
  ]
})
const trainButton = (): HTMLButtonElement => screen.getByTestId('train-button') as HTMLButtonElement

describe('a stride that does not divide the padded size', () => {
  it('is reported at that layer and field, with the formula and the strides that work', () => {
    openEditor(strideNet())
    const errs = errorsIn(0)
    expect(errs).toHaveLength(1)
    expect(errs[0].getAttribute('data-code')).toBe('conv-size-not-integer')
    expect(errs[0].getAttribute('data-error-field')).toBe('stride')
    expect(errs[0].textContent).toContain('conv1')
    expect(errs[0].textContent).toContain('(7 + 2·0 − 3) / 3 + 1 = 2.33')
    expect(errs[0].textContent).toContain('To fix it, use stride 1 or 2, or padding 1.')
    expect(field(0, 'stride').getAttribute('aria-invalid')).toBe('true')
    expect(card(0).classList.contains('error')).toBe(true)
    // the other layers carry no error of their own
    for (let i = 1; i < cards().length; i++) expect(errorsIn(i)).toHaveLength(0)
  })

  it('blocks training with the reason on the button, and fixing the stride unblocks it', async () => {
    openEditor(strideNet())
    expect(trainButton().disabled).toBe(true)
    expect(screen.getByTestId('train-reason').textContent).toContain('conv1')
    expect(trainButton().getAttribute('title')).toContain('conv1')
    // screen readers read the reason with the button
    expect(document.getElementById(trainButton().getAttribute('aria-describedby')!)).toBe(screen.getByTestId('train-reason'))
    await fireEvent.click(trainButton())
    expect(project.page).toBe('editor')

    await fireEvent.input(field(0, 'stride'), { target: { value: '2' } })
    flushSync()
    expect(errorsIn(0)).toHaveLength(0)
    expect(trainButton().disabled).toBe(false)
    expect(screen.queryByTestId('train-reason')).toBeNull()
    await fireEvent.click(trainButton())
    expect(project.page).toBe('train')
    expect(project.spec?.layers[0]).toMatchObject({ type: 'Convolution', stride: 2 })
  })

  it('is explained in Korean with the same numbers', () => {
    openEditor(strideNet(), 'ko')
    const text = errorsIn(0)[0].textContent ?? ''
    expect(text).toContain('정수가 아닙니다')
    expect(text).toContain('고치는 방법: 스트라이드 1 또는 2, 또는 패딩 1.')
    expect(text).toContain('2.33')
    expect(screen.getByTestId('train-reason').textContent).toContain('학습할 수 없습니다')
  })
})

describe('other errors at their layer', () => {
  const cases: { what: string; spec: NetSpec; layer: number; code: string; words: string[] }[] = [
    {
      what: 'a kernel larger than its input',
      spec: { input: [1, 4, 4], layers: [{ type: 'Convolution', filters: 2, kernel: 7 }, { type: 'Flatten' }, { type: 'Affine', units: 2 }, { type: 'SoftmaxWithLoss' }] },
      layer: 0, code: 'conv-kernel-too-large', words: ['7×7', 'at most 4', 'padding 2 or more']
    },
    {
      what: 'a pooling window that does not tile the input',
      spec: { input: [1, 7, 7], layers: [{ type: 'Convolution', filters: 2, kernel: 3, pad: 1 }, { type: 'Pooling', size: 2, stride: 2 }, { type: 'Flatten' }, { type: 'Affine', units: 2 }, { type: 'SoftmaxWithLoss' }] },
      layer: 1, code: 'pool-size-not-integer', words: ['pool1', 'not a whole number']
    },
    {
      what: 'softmax on an image (the empty digits network)',
      spec: { input: [1, 28, 28], layers: [{ type: 'SoftmaxWithLoss' }] },
      layer: 0, code: 'softmax-needs-vector', words: ['(1, 28, 28)', 'Flatten', 'Affine']
    },
    {
      what: 'a convolution after Flatten',
      spec: { input: [1, 28, 28], layers: [{ type: 'Flatten' }, { type: 'Convolution', filters: 2, kernel: 3 }, { type: 'Affine', units: 2 }, { type: 'SoftmaxWithLoss' }] },
      layer: 1, code: 'needs-image', words: ['conv1', '(784)', 'move it up']
    },
    {
      what: 'zero filters',
      spec: { input: [1, 8, 8], layers: [{ type: 'Convolution', filters: 0, kernel: 3 }, { type: 'Flatten' }, { type: 'Affine', units: 2 }, { type: 'SoftmaxWithLoss' }] },
      layer: 0, code: 'field-out-of-range', words: ['Filters (FN)', 'at least 1, not 0']
    },
    {
      what: 'a layer with weights after the loss layer',
      spec: { input: [4], layers: [{ type: 'Affine', units: 2 }, { type: 'SoftmaxWithLoss' }, { type: 'Affine', units: 2 }] },
      layer: 2, code: 'loss-not-last', words: ['softmax1', 'must be last', 'affine2']
    },
    {
      what: 'two layers with one name',
      spec: { input: [4], layers: [{ type: 'Affine', units: 3, name: 'fc' }, { type: 'Affine', units: 2, name: 'fc' }, { type: 'SoftmaxWithLoss' }] },
      layer: 1, code: 'duplicate-name', words: ['layer 1', 'own name']
    },
    {
      what: 'a dropout rate of 1',
      spec: { input: [4], layers: [{ type: 'Affine', units: 3 }, { type: 'Dropout', rate: 1 }, { type: 'Affine', units: 2 }, { type: 'SoftmaxWithLoss' }] },
      layer: 1, code: 'field-out-of-range', words: ['Dropout rate', 'not including, 1, not 1']
    }
  ]
  it('marks the name field of a layer whose name is taken', () => {
    openEditor({ input: [4], layers: [{ type: 'Affine', units: 3, name: 'fc' }, { type: 'Affine', units: 2, name: 'fc' }, { type: 'SoftmaxWithLoss' }] })
    expect(field(1, 'name').getAttribute('aria-invalid')).toBe('true')
    expect(field(0, 'name').getAttribute('aria-invalid')).toBe('false')
  })

  for (const c of cases) {
    it(`reports ${c.what} at layer ${c.layer + 1} (${c.code}) and blocks training`, () => {
      openEditor(c.spec)
      const errs = errorsIn(c.layer)
      expect(errs.map((e) => e.getAttribute('data-code'))).toContain(c.code)
      const text = errs.find((e) => e.getAttribute('data-code') === c.code)?.textContent ?? ''
      for (const w of c.words) expect(text).toContain(w)
      expect(trainButton().disabled).toBe(true)
    })
  }

  it('a second loss layer after the first is told to remove one of the two, not to move the first to the end (en, ko)', () => {
    const spec: NetSpec = { input: [4], layers: [{ type: 'Affine', units: 2 }, { type: 'SoftmaxWithLoss' }, { type: 'SoftmaxWithLoss' }] }
    expect(validateSpec(spec).issues.find((i) => i.code === 'loss-not-last')?.message).toBe('softmax2: is a second loss layer after softmax1; a network has one loss layer, at the end, so remove softmax2 or softmax1')
    openEditor(spec)
    const text = (): string => errorsIn(2).find((e) => e.getAttribute('data-code') === 'loss-not-last')?.textContent ?? ''
    expect(text()).toContain('softmax2: a second loss layer, after softmax1. A network has one loss layer, at the end: remove softmax2 or softmax1.')
    expect(text()).not.toContain('move softmax1')
    i18n.set('ko')
    flushSync()
    expect(text()).toContain('softmax2: softmax1 뒤에 있는 두 번째 손실 계층입니다. 손실 계층은 맨 끝에 하나만 있어야 하니 softmax2, softmax1 둘 중 하나를 삭제하세요.')
    i18n.set('en')
  })

  it('a layer too large to train says which of its settings to lower (en, ko)', () => {
    const spec: NetSpec = { input: [1, 28, 28], layers: [{ type: 'Flatten' }, { type: 'Affine', units: 400_000 }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }
    const issue = validateSpec(spec).issues.find((i) => i.code === 'too-large')!
    expect(issue.layer).toBe(1)
    openEditor(spec)
    const text = (): string => errorsIn(1).find((e) => e.getAttribute('data-code') === 'too-large')?.textContent ?? ''
    expect(text()).toContain('limit. Make this layer smaller: lower its “Units”.')
    expect(issueText(issue)).toContain('limit. Make this layer smaller.')
    i18n.set('ko')
    flushSync()
    expect(text()).toContain('이 계층의 “유닛 수” 값을 줄이세요.')
    i18n.set('en')
  })

  it('warns (without blocking) about Dropout after the output, the course’s own placement', () => {
    openEditor({
      input: [1, 28, 28],
      layers: [{ type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }, { type: 'Dropout', rate: 0.25 }]
    })
    const warn = within(card(3)).getAllByTestId('layer-warning')
    expect(warn[0].getAttribute('data-code')).toBe('dropout-after-output')
    expect(warn[0].textContent).toContain('almost certainly a mistake')
    expect(screen.queryAllByTestId('layer-error')).toHaveLength(0)
    expect(trainButton().disabled).toBe(false)
  })

  it('flags a digits classifier whose last Affine is not 10 units at that layer, saying which number to set (en, ko)', () => {
    // a CNN built from scratch keeps the Affine default of 100
    openEditor({ input: [1, 28, 28], task: 'classify', layers: [{ type: 'Convolution', filters: 8, kernel: 5 }, { type: 'Relu' }, { type: 'Affine', units: 100 }, { type: 'SoftmaxWithLoss' }] })
    const warn = (): HTMLElement => within(card(2)).getAllByTestId('layer-warning').find((w) => w.getAttribute('data-code') === 'outputs-more-than-classes')!
    expect(warn().textContent).toContain('affine1: gives 100 class scores, but the digits have 10 classes, so 90 of the scores stand for classes that never occur, and training on the digits would not start. ' +
      'Set its “Units” to 10.')
    expect(trainButton().disabled).toBe(false)
    // Start refuses it on the digits (train/checks.ts 'classes'): no green "✓ Trainable · 1 warning" (Q7's F7)
    expect(screen.getByTestId('spec-status').textContent).toBe('Trainable once the data fits · 1 warning')
    expect(screen.getByTestId('spec-status').classList.contains('data')).toBe(true)
    i18n.set('ko')
    flushSync()
    expect(warn().textContent).toContain('affine1: 클래스 점수를 100개 내는데 숫자 데이터의 클래스는 10개라서, 점수 90개는 나오지 않는 클래스의 점수이고, 숫자 데이터로는 학습이 시작되지 않습니다. “유닛 수”를 10개로 하세요')
    i18n.set('en')
    const fewer = forData(validateSpec({ input: [1, 28, 28], task: 'classify', layers: [{ type: 'Affine', units: 5 }, { type: 'SoftmaxWithLoss' }] }).issues, 'mnist')
      .find((i) => i.code === 'outputs-fewer-than-classes')!
    expect(issueText(fewer)).toBe('affine1: gives only 5 class scores, but the digits have 10 classes, so training on the digits would not start: every label needs a score. ' +
      'Set its “Units” to 10.')
  })

  it('compares the class scores with the data chosen on the training page: an IDX folder allows fewer, a text none (en, ko)', async () => {
    const net = (units: number): NetSpec => ({ input: [1, 28, 28], task: 'classify', layers: [{ type: 'Flatten' }, { type: 'Affine', units }, { type: 'SoftmaxWithLoss' }] })
    const codes = (): (string | null)[] => within(card(1)).queryAllByTestId('layer-warning').map((w) => w.getAttribute('data-code'))
    try {
      trainLab.form = { ...trainLab.form, dataKind: 'idx' }
      // a folder whose labels use 5 classes trains with 5 outputs: nothing is known to be wrong
      openEditor(net(5))
      expect(codes()).not.toContain('outputs-fewer-than-classes')
      cleanup()
      // its labels are 0 to 9, so 12 scores are too many whatever the folder holds
      openEditor(net(12))
      const warn = within(card(1)).getAllByTestId('layer-warning').find((w) => w.getAttribute('data-code') === 'outputs-more-than-classes')!
      expect(warn.textContent).toContain('affine1: gives 12 class scores, but an IDX folder has at most 10 classes (its labels are 0 to 9), so at least 2 of the scores ' +
        'stand for classes that never occur, and training on the folder would not start. Set its “Units” to the number of classes in the folder (at most 10).')
      expect(warn.textContent).not.toContain('digits')
      i18n.set('ko')
      flushSync()
      expect(warn.textContent).toContain('IDX 폴더의 클래스는 많아야 10개(레이블 0~9)\u2060라서, 점수 중 적어도 2개는 나오지 않는 클래스의 점수이고, 이 폴더로는 학습이 시작되지 않습니다. “유닛 수”를 폴더의 클래스 수로 하세요 (10개 이하).')
      i18n.set('en')
      // once the host has read the folder's training labels (five classes, 0 to 4), fewer scores than that are wrong
      cleanup()
      const asked: unknown[] = []
      folderClasses.connect({
        request: async (channel: string, payload: unknown) => {
          asked.push([channel, payload])
          return { ok: true, value: { used: 5 } }
        },
        onEvent: () => () => {}
      } as unknown as LabApi)
      await new Promise((r) => setTimeout(r, 400))
      expect(asked).toEqual([['data:idx-classes', { dir: trainLab.form.idxDir.trim() }]])
      openEditor(net(3))
      const fewer = within(card(1)).getAllByTestId('layer-warning').find((w) => w.getAttribute('data-code') === 'outputs-fewer-than-classes')!
      expect(fewer.textContent).toContain('affine1: gives only 3 class scores, but the folder’s training labels use 5 classes (0 to 4), so training on the folder ' +
        'would not start: every label needs a score. Set its “Units” to 5.')
      i18n.set('ko')
      flushSync()
      expect(fewer.textContent).toContain('폴더의 학습 레이블은 클래스 5개(0~4)\u2060를 쓰므로, 이 폴더로는 학습이 시작되지 않습니다. 레이블마다 점수가 하나씩 있어야 합니다. “유닛 수”를 5개로 하세요.')
      i18n.set('en')
      cleanup()
      openEditor(net(5))
      expect(codes()).not.toContain('outputs-fewer-than-classes')
      trainLab.form = { ...trainLab.form, dataKind: 'text' }
      flushSync()
      expect(codes()).not.toContain('outputs-fewer-than-classes')
      // the digits have 10 classes: 5 scores are too few
      trainLab.form = { ...trainLab.form, dataKind: 'mnist' }
      flushSync()
      expect(codes()).toContain('outputs-fewer-than-classes')
    } finally {
      folderClasses.connect(null)
      trainLab.form = { ...trainLab.form, dataKind: 'mnist' }
    }
  })

  it('says, above the layers, that the data chosen on the training page cannot feed the input, as the training page does (en, ko)', () => {
    const status = (): string => screen.getByTestId('spec-status').textContent ?? ''
    const netWarn = (): HTMLElement | undefined => screen.queryAllByTestId('net-warning').find((w) => w.getAttribute('data-code')?.startsWith('data-'))
    const colour: NetSpec = { input: [3, 32, 32], task: 'classify', layers: [{ type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }
    try {
      trainLab.form = { ...trainLab.form, dataKind: 'mnist' }
      openEditor(colour)
      // it said "✓ Ready to train" while the training page disabled Start for the same network (Q1's F10)
      expect(status()).not.toContain('Ready')
      // nor a green "✓ Trainable · 1 warning": Start is refused there until the data fits
      expect(status()).toBe('Trainable once the data fits · 1 warning')
      expect(screen.getByTestId('spec-status').classList.contains('data')).toBe(true)
      expect(netWarn()?.getAttribute('data-code')).toBe('data-input-digits')
      expect(netWarn()?.textContent).toBe('The data chosen on the Training page, the built-in digits, are images of (1, 28, 28), 784 values, but this network takes ' +
        'inputs of (3, 32, 32), 3,072 values, so training would not start. Set the input shape to 1, 28, 28, or choose an IDX folder of images that fit on the Training page.')
      i18n.set('ko')
      flushSync()
      expect(netWarn()?.textContent).toContain('이 신경망의 입력은 (3, 32, 32) 형상으로 값이 3,072개라서 학습이 시작되지 않습니다.')
      expect(status()).toBe('데이터가 맞으면 학습 가능 · 경고 1개')
      i18n.set('en')
      // an IDX folder's images are first read at Start: nothing to say before
      trainLab.form = { ...trainLab.form, dataKind: 'idx' }
      flushSync()
      expect(netWarn()).toBeUndefined()
      expect(status()).toContain('Ready')
      cleanup()
      // a language model picked here with the digits chosen there: the training page trains it on its text (carryData)
      trainLab.form = { ...trainLab.form, dataKind: 'mnist' }
      openEditor(structuredClone(PRESETS.find((p) => p.spec.task === 'language-model')!.spec))
      expect(netWarn()).toBeUndefined()
      cleanup()
      // and a text chosen there for this image network goes back to the digits there, which cannot feed it either
      trainLab.form = { ...trainLab.form, dataKind: 'text', imageKind: 'mnist' }
      openEditor(colour)
      expect(netWarn()?.getAttribute('data-code')).toBe('data-input-digits')
    } finally {
      trainLab.form = { ...trainLab.form, dataKind: 'mnist' }
    }
  })

  it('warns about padding as wide as the kernel, with the padding that keeps the size (en, ko)', () => {
    const issue = validateSpec({ input: [1, 28, 28], layers: [{ type: 'Convolution', filters: 4, kernel: 3, pad: 9 }, { type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] })
      .issues.find((i) => i.code === 'pad-not-smaller-than-kernel')!
    expect(issueText(issue)).toBe('conv1: padding 9 is not smaller than the 3×3 kernel, so the outputs along the border see only the added zeros. Use padding of at most 2; padding 1 keeps the size.')
    i18n.set('ko')
    expect(issueText(issue)).toBe('conv1: 패딩(9)\u2060이 3×3 필터 크기보다 작지 않아서 가장자리의 출력은 덧붙인 0만 봅니다. 패딩을 2 이하로 하세요. 패딩이 1일 때 크기가 그대로입니다.')
    // no particle after the number: “2이면” would be wrong (2 is read 이), “2일 때” is right for every number
    expect(issueText({ ...issue, values: { ...issue.values, kernel: 5, maxPad: 4 } })).toContain('패딩을 4 이하로 하세요. 패딩이 2일 때 크기가 그대로입니다.')
    i18n.set('en')
  })

  it('shows network-wide problems above the layers (no loss layer)', () => {
    openEditor({ input: [4], layers: [{ type: 'Affine', units: 2 }] })
    const e = screen.getByTestId('net-error')
    expect(e.getAttribute('data-code')).toBe('no-loss')
    expect(e.textContent).toContain('Softmax + loss')
    expect(trainButton().disabled).toBe(true)
  })

  it('says "add layers" on the button when there are none', () => {
    openEditor({ input: [1, 28, 28], layers: [] })
    expect(trainButton().disabled).toBe(true)
    expect(screen.getByTestId('train-reason').textContent).toBe('Add layers before training.')
  })
})

describe('issue text', () => {
  it('falls back to the engine’s English message for a code the editor does not know', () => {
    i18n.set('ko')
    const msg = issueText({ severity: 'error', layer: 0, layerName: 'x1', code: 'brand-new-code', message: 'x1: something new' })
    expect(msg).toBe('x1: something new')
    i18n.set('en')
  })

  it('translates a known code with its values and the field’s label', () => {
    i18n.set('ko')
    const msg = issueText({
      severity: 'error', layer: 2, layerName: 'conv2', code: 'field-not-integer', field: 'stride',
      message: 'conv2: "stride" must be a whole number ≥ 1, not 1.5', values: { field: 'stride', value: '1.5' }
    })
    expect(msg).toBe('conv2: “스트라이드” 값은 정수여야 합니다 (지금 값: 1.5).')
    i18n.set('en')
  })

  it('says which values a setting takes when it is out of range and the layer is known (the validator\'s rule)', () => {
    const units = { severity: 'error', layer: 0, layerName: 'affine1', code: 'field-out-of-range', field: 'units',
      message: 'affine1: "units" must be a whole number ≥ 1, not 0', values: { field: 'units', value: '0' } } as const
    expect(issueText(units, 'Affine')).toBe('affine1: “Units” must be a whole number of at least 1, not 0.')
    // without the layer's type (a refused import) the general sentence stays
    expect(issueText(units)).toContain('Choose a value in its range')
    const rate = { severity: 'error', layer: 1, layerName: 'dropout1', code: 'field-out-of-range', field: 'rate',
      message: 'dropout1: "rate" must be …', values: { field: 'rate', value: '1' } } as const
    expect(issueText(rate, 'Dropout')).toBe('dropout1: “Dropout rate” must be a number from 0 up to, but not including, 1, not 1.')
    i18n.set('ko')
    expect(issueText(units, 'Affine')).toBe('affine1: “유닛 수”에는 1 이상의 정수만 쓸 수 있습니다 (지금 값: 0).')
    expect(issueText(rate, 'Dropout')).toContain('0 이상 1 미만의 수만 쓸 수 있습니다')
    i18n.set('en')
  })

  it('a Time affine\'s units out of range name “= vocab” and the vocabulary size, or say the text will set it', () => {
    const lm = PRESETS.find((p) => p.id === 'char-lstm')!.spec as NetSpec
    const withUnits = (spec: NetSpec): NetSpec => ({ ...spec, layers: spec.layers.map((l) => (l.type === 'TimeAffine' ? { ...l, units: 0 } : l)) })
    const issueOf = (spec: NetSpec) => validateSpec(spec).issues.find((i) => i.code === 'field-out-of-range')!
    const known = issueOf(withUnits({ ...lm, vocab: 65 }))
    expect(known.message).toBe('taffine1: "units" must be a whole number ≥ 1 or "vocab" (the vocabulary size, 65), not 0')
    expect(known.values).toMatchObject({ vocab: 65 })
    expect(issueText(known, 'TimeAffine')).toBe('taffine1: “Units” must be a whole number of at least 1, or “= vocab” (the vocabulary size, 65), not 0.')
    const pending = issueOf(withUnits(lm))
    expect(pending.message).toContain('or "vocab" (the vocabulary size, set when the text is loaded)')
    expect(issueText(pending, 'TimeAffine')).toContain('or “= vocab” (the vocabulary size, set from the text when training starts), not 0.')
    i18n.set('ko')
    expect(issueText(known, 'TimeAffine')).toBe('taffine1: “유닛 수”에는 1 이상의 정수 또는 “= 어휘 수”(지금 65)\u2060만 쓸 수 있습니다 (지금 값: 0).')
    expect(issueText(pending, 'TimeAffine')).toContain('“= 어휘 수”(학습을 시작할 때 텍스트에서 정해지는 값)\u2060만 쓸 수 있습니다')
    i18n.set('en')
    // an Affine's units cannot be “= vocab”: its range stays as it was
    expect(issueText({ ...known, layerName: 'affine1', message: '' }, 'Affine')).toBe('affine1: “Units” must be a whole number of at least 1, not 0.')
  })

  it('shows the range on the layer card where a setting is out of range', () => {
    openEditor({ input: [1, 28, 28], layers: [{ type: 'Flatten' }, { type: 'Affine', units: 0 }, { type: 'SoftmaxWithLoss' }] })
    expect(screen.getByTestId('layer-error').textContent).toContain('must be a whole number of at least 1, not 0')
  })
})
