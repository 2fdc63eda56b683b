/**
 * Export writes the open architecture as JSON; import checks a file before it touches the project,
 * says clearly what is wrong with a bad one, and loses nothing.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/svelte'
import type { NetSpec } from '../../../src-engine/spec-types'
import { project } from '../../../src-renderer/lib/project.svelte'
import { editor } from '../../../src-renderer/lib/editor.svelte'
import { jsonErrorAt, parseSpecJson } from '../../../src-renderer/components/editor/spec-json'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import { cards, openEditor, paramTotal } from './helpers'
import { importText } from '../../../src-renderer/components/editor/issues'

afterEach(() => cleanup())

const net: NetSpec = {
  name: 'Tiny', input: [1, 28, 28], task: 'classify',
  layers: [{ type: 'Flatten' }, { type: 'Affine', units: 10, name: 'out' }, { type: 'SoftmaxWithLoss' }]
}

async function pick(text: string): Promise<void> {
  const input = screen.getByTestId('import-file') as HTMLInputElement
  const file = new File([text], 'net.json', { type: 'application/json' })
  Object.defineProperty(input, 'files', { value: [file], configurable: true })
  await fireEvent.change(input)
}

describe('export', () => {
  it('writes the spec as JSON that reads back to the same spec', () => {
    openEditor(net)
    const json = editor.exportJson()
    expect(JSON.parse(json)).toEqual(net)
    const back = parseSpecJson(json)
    expect(back).toEqual({ ok: true, spec: net })
  })
})

describe('import', () => {
  it('opens a good file, and undo brings back the previous network', async () => {
    openEditor({ input: [4], layers: [{ type: 'Affine', units: 2 }, { type: 'SoftmaxWithLoss' }] })
    await pick(JSON.stringify(net))
    await waitFor(() => expect(cards()).toHaveLength(3))
    expect(paramTotal()).toBe(7850)
    expect(screen.getByTestId('import-ok')).toBeTruthy()
    await fireEvent.click(screen.getByTestId('undo'))
    expect(cards()).toHaveLength(2)
  })

  const badFiles: [string, string, string][] = [
    ['text that is not JSON', '{"input": [1, 28, 28], "layers": [', 'not valid JSON: the file ends too early'],
    ['JSON with a stray comma', '{"input": [1, 28, 28],\n  "layers": [,]}', 'not valid JSON: look near line 2, column 14'],
    ['a list instead of an object', '[1, 2, 3]', 'one object'],
    ['an input shape with a zero', '{"input": [1, 0, 28], "layers": []}', '"input" must be'],
    ['an unknown layer type', '{"input": [4], "layers": [{"type": "Conv9D"}]}', 'Layer 1 has an unknown type "Conv9D". The types are "Convolution", "Pooling"'],
    ['a missing required setting', '{"input": [4], "layers": [{"type": "Affine"}]}', 'is missing "units"'],
    ['a setting of the wrong kind', '{"input": [1,8,8], "layers": [{"type": "Convolution", "filters": "8", "kernel": 3}]}', '"filters" = "8"'],
    ['a misspelt setting', '{"input": [1,8,8], "layers": [{"type": "Convolution", "filters": 8, "kernel": 3, "strides": 2}]}', 'a setting "strides" this lab does not know: write "stride" instead.']
  ]
  for (const [what, text, words] of badFiles) {
    it(`refuses ${what} with a clear message and keeps the open network`, async () => {
      openEditor(net)
      const before = structuredClone(project.spec)
      await pick(text)
      const msg = await screen.findByTestId('import-error')
      expect(msg.textContent).toContain('your network is unchanged')
      expect(msg.textContent).toContain(words)
      expect(project.spec).toEqual(before)
      expect(editor.canUndo).toBe(false)
    })
  }

  it('opens a Reshape with a -1 size, as the validator, the engine and the host take it; two -1s are the validator\'s to say', async () => {
    const reshape = (shape: number[]): string => JSON.stringify({
      input: [784], layers: [{ type: 'Reshape', shape }, { type: 'Convolution', filters: 2, kernel: 3 }, { type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }]
    })
    const read = parseSpecJson(reshape([1, 28, -1]))
    expect(read.ok && read.spec.layers[0]).toEqual({ type: 'Reshape', shape: [1, 28, -1] })
    // other sizes below 1 are still refused by the reader
    expect(parseSpecJson(reshape([1, 28, -2])).ok).toBe(false)
    expect(parseSpecJson(reshape([0, 28, 28])).ok).toBe(false)
    openEditor(net)
    await pick(reshape([1, -1, -1]))
    const err = await screen.findByTestId('layer-error')
    expect(err.getAttribute('data-code')).toBe('field-out-of-range')
    expect(project.spec?.layers[0]).toEqual({ type: 'Reshape', shape: [1, -1, -1] })
  })

  it('opens a file whose shapes do not work, and shows the problem at its layer', async () => {
    openEditor(net)
    await pick(JSON.stringify({ input: [1, 7, 7], layers: [{ type: 'Convolution', filters: 2, kernel: 3, stride: 3 }, { type: 'Flatten' }, { type: 'Affine', units: 2 }, { type: 'SoftmaxWithLoss' }] }))
    const err = await screen.findByTestId('layer-error')
    expect(err.getAttribute('data-code')).toBe('conv-size-not-integer')
  })
})

describe('an unknown type or setting in a file (Q3 F19)', () => {
  // as the page says it (issues.ts importText): the layer's type as its card names it, in the page's language
  const said = (text: string): string => {
    const r = parseSpecJson(text)
    if (r.ok) throw new Error('read')
    return importText(r)
  }
  const layer = (l: object): string => JSON.stringify({ input: [1, 28, 28], layers: [l] })

  it('says what to write: the type the engine suggests, the setting it is near to, else what there is (en, ko)', () => {
    expect(said(layer({ type: 'convolution', filters: 8, kernel: 3 }))).toContain('this lab calls it "Convolution"')
    expect(said(layer({ type: 'Dense', units: 10 }))).toContain('this lab calls it "Affine"')
    expect(said(layer({ type: 'Convolution', filter: 8, kernel_size: 3 }))).toContain('"filter" this lab does not know: write "filters" instead.')
    expect(said(layer({ type: 'Convolution', filters: 8, kernel_size: 3 }))).toContain('write "kernel" instead.')
    expect(said(layer({ type: 'Pooling', size: 2, wibble: 1 }))).toContain('Its settings are "mode", "size", "stride", "pad".')
    expect(said(layer({ type: 'Relu', alpha: 0.1 }))).toContain('this layer takes no settings besides "name".')
    i18n.set('ko')
    try {
      expect(said(layer({ type: 'Conv2D', filters: 8, kernel: 3 }))).toBe('1번째 계층의 종류를 알 수 없습니다: "Conv2D". 이 실험실에서 쓰는 이름은 "Convolution"입니다. "type": "Convolution"처럼 고치세요.')
      expect(said(layer({ type: 'Convolution', filter: 8, kernel: 3 }))).toBe('1번째 계층인 합성곱 계층에 이 실험실이 모르는 설정이 있습니다: "filter". "filter" 대신 쓸 설정 이름은 "filters"입니다.')
      // a name ending in a consonant ("kernel", "Convolution") took "라고" where Korean needs "이라고": no particle now
      expect(said(layer({ type: 'Convolution', filters: 8, kernel_size: 3 }))).toContain('"kernel_size" 대신 쓸 설정 이름은 "kernel"입니다.')
    } finally {
      i18n.set('en')
    }
  })
})

describe('a refusal says what to write, and lists the file\'s other problems (Q7 F10)', () => {
  const said = (text: string): string => {
    const r = parseSpecJson(text)
    if (r.ok) throw new Error('read')
    return importText(r)
  }
  const layers = (...ls: object[]): string => JSON.stringify({ input: [1, 28, 28], layers: ls })

  it('a layer with no type is told to write one, not \'unknown type "undefined"\' (en, ko)', () => {
    expect(said(layers({ units: 10 }))).toBe('Layer 1 has no "type": write one, such as "type": "Relu". The types are "Convolution", "Pooling", ' +
      '"BatchNormalization", "Deconvolution", "Upsample", "Affine", "Flatten", "Dropout", "Reshape", "Relu", "LeakyRelu", "Sigmoid", "Tanh", ' +
      '"TimeEmbedding", "TimeRNN", "TimeLSTM", "TimeAffine", "LastTimeStep", "SoftmaxWithLoss", "SigmoidWithLoss", "MSE", "TimeSoftmaxWithLoss".')
    i18n.set('ko')
    try {
      expect(said(layers({ units: 10 }))).toMatch(/^1번째 계층에 "type"이 없습니다\. "type": "Relu"처럼 종류를 쓰세요\./)
      expect(said(layers({ units: 10 }))).not.toContain('undefined')
    } finally {
      i18n.set('en')
    }
  })

  it('a number in quotes is told to lose them; a setting of the wrong kind says what it takes, with an example (en, ko)', () => {
    expect(said(layers({ type: 'Convolution', filters: '8', kernel: 3 })))
      .toBe('Layer 1, Convolution, has "filters" = "8", a number in quotes: write it without them, "filters": 8.')
    expect(said(layers({ type: 'Dropout', rate: '0.5' }))).toContain('write it without them, "rate": 0.5.')
    expect(said(layers({ type: 'Convolution', filters: 'eight', kernel: 3 })))
      .toBe('Layer 1, Convolution, has "filters" = "eight"; it takes a whole number without quotes, such as "filters": 16.')
    expect(said(layers({ type: 'BatchNormalization', eps: 'small' }))).toContain('it takes a number without quotes, such as "eps": 0.00001.')
    expect(said(layers({ type: 'Affine', units: 'ten' }))).toContain('it takes a whole number without quotes, such as "units": 10.')
    expect(said(layers({ type: 'TimeAffine', units: 'V' }))).toContain('such as "units": 10, or "vocab".')
    expect(said(layers({ type: 'Affine', units: 10, bias: 'true' }))).toContain('"bias" = "true" in quotes: write it without them, "bias": true.')
    expect(said(layers({ type: 'Pooling', size: 2, mode: 'min' }))).toContain('"mode" = "min"; it takes one of "max", "avg".')
    i18n.set('ko')
    try {
      expect(said(layers({ type: 'Convolution', filters: '8', kernel: 3 })))
        .toBe('1번째 계층인 합성곱 계층의 "filters" 값이 따옴표로 감싼 숫자입니다("8"). 따옴표 없이 "filters": 8처럼 쓰세요.')
      expect(said(layers({ type: 'Convolution', filters: 'eight', kernel: 3 }))).toContain('따옴표 없는 정수를 "filters": 16처럼 쓰세요.')
    } finally {
      i18n.set('en')
    }
  })

  it('lists up to four problems of the layers in one import, and counts the rest', async () => {
    const six = layers({ units: 10 }, { type: 'Convolution', filters: '8', kernel_size: 3 }, { type: 'Dense', units: 10 }, { type: 'Affine' },
      { type: 'Dropout', rate: 'half' }, { type: 'SoftmaxWithLoss' })
    const r = parseSpecJson(six)
    expect(r.ok).toBe(false)
    if (r.ok) return
    // layer 1 no type; layer 2 an unknown setting, a quoted number and a missing kernel; layer 3 Keras' name; 4 no units; 5 a bad rate
    expect([r.key, ...(r.more ?? []).map((m) => m.key)]).toEqual(['import.noType', 'import.unknownFieldNear', 'import.quotedNumber', 'import.missingField'])
    expect(r.rest).toBe(3)
    openEditor(net)
    const before = structuredClone(project.spec)
    await pick(six)
    const banner = await screen.findByTestId('import-error')
    expect(banner.textContent).toContain('Layer 1 has no "type"')
    const items = [...screen.getByTestId('import-more').querySelectorAll('li')].map((li) => li.textContent)
    expect(items).toEqual([
      'Layer 2, Convolution, has a setting "kernel_size" this lab does not know: write "kernel" instead.',
      'Layer 2, Convolution, has "filters" = "8", a number in quotes: write it without them, "filters": 8.',
      'Layer 2, Convolution, is missing "kernel".',
      '…and 3 more problems in the file.'
    ])
    expect(project.spec).toEqual(before)
    // one problem: no list
    await pick(layers({ type: 'Affine' }, { type: 'SoftmaxWithLoss' }))
    await waitFor(() => expect(screen.getByTestId('import-error').textContent).toContain('is missing "units"'))
    expect(screen.queryByTestId('import-more')).toBeNull()
  })
})

describe('a file that is not JSON', () => {
  it('is described by where it breaks, not by the parser\'s English words', () => {
    expect(parseSpecJson('{"input": [1, 28')).toEqual({ ok: false, key: 'import.notJsonEnd', values: {} })
    expect(parseSpecJson('')).toEqual({ ok: false, key: 'import.emptyFile', values: {} })
    expect(parseSpecJson(' \n\t')).toEqual({ ok: false, key: 'import.emptyFile', values: {} })
    expect(parseSpecJson('{"input": [1, 28, 28],\n  "layers": [,]}')).toEqual({ ok: false, key: 'import.notJsonAt', values: { line: 2, column: 14 } })
    expect(parseSpecJson('{"input": [1, 28, 28], "layers": []} x')).toMatchObject({ key: 'import.notJsonAt', values: { line: 1, column: 38 } })
  })
})

describe('jsonErrorAt', () => {
  it('agrees with JSON.parse on what is valid, and points at the first character that is not', () => {
    const valid = ['{}', '[]', ' {"a": [1, -2.5e3, true, false, null, "x\\"y\\u00e9"]} ', '0', '"s"']
    for (const v of valid) expect(jsonErrorAt(v), v).toBe(-1)
    const cases: [string, number][] = [
      ['{"a": [1, 2', 11], ['{"a": [,]}', 7], ['{a: 1}', 1], ['[1 2]', 3], ['{"a": tru}', 9], ['[01]', 2], ['"abc', 4], ['{} x', 3], ['', 0]
    ]
    for (const [text, at] of cases) {
      expect(() => JSON.parse(text), text).toThrow()
      expect(jsonErrorAt(text), text).toBe(at)
    }
  })
})

describe('a file larger than the lab takes is refused before a card is drawn (Q7 F5)', () => {
  const relus = (n: number): string => JSON.stringify({
    input: [1, 28, 28], layers: [{ type: 'Flatten' }, ...Array.from({ length: n - 3 }, () => ({ type: 'Relu' })), { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }]
  })

  it('more layers than MAX_LAYERS: the count and the limit, the network and its history unchanged (en, ko)', async () => {
    // 5,000 layers took 46 s to draw as cards and 420,000 crashed the tab; 256 is what training takes
    openEditor(net)
    editor.commit({ ...net, name: 'Edited' })
    const before = structuredClone(project.spec)
    await pick(relus(5000))
    const msg = await screen.findByTestId('import-error')
    expect(msg.textContent).toContain('This file was not opened, and your network is unchanged. It has 5,000 layers, more than the 256 the lab can train, so no layer of it was drawn. Keep at most 256 layers in the file.')
    expect(project.spec).toEqual(before)
    expect(cards()).toHaveLength(3)
    await fireEvent.click(screen.getByTestId('undo'))
    expect(project.spec?.name).toBe('Tiny')
    const r = parseSpecJson(relus(257))
    expect(r).toEqual({ ok: false, key: 'import.tooManyLayers', values: { count: 257, max: 256 } })
    expect(parseSpecJson(relus(256)).ok).toBe(true)
    i18n.set('ko')
    try {
      expect(importText(r as { key: string; values: Record<string, number> })).toBe('계층이 257개로, 실험실에서 학습할 수 있는 256개보다 많아서 계층을 하나도 그리지 않았습니다. 파일의 계층을 256개 이하로 줄이세요.')
    } finally {
      i18n.set('en')
    }
  })

  it('a file over 1 MB is refused by its size, unread, whatever it holds', async () => {
    openEditor(net)
    const before = structuredClone(project.spec)
    // 6.7 MB, the tester's 420,000-layer file; its text is never read (a File whose text() throws)
    const input = screen.getByTestId('import-file') as HTMLInputElement
    const file = new File(['x'], 'big.json', { type: 'application/json' })
    Object.defineProperty(file, 'size', { value: 6_700_000 })
    Object.defineProperty(file, 'text', { value: () => { throw new Error('read') } })
    Object.defineProperty(input, 'files', { value: [file], configurable: true })
    await fireEvent.change(input)
    const msg = await screen.findByTestId('import-error')
    expect(msg.textContent).toContain('It is 6.7 MB, larger than the 1.0 MB a network file can be')
    expect(project.spec).toEqual(before)
    // the same limit on text given directly (a 1 MB string of spaces around a good network)
    expect(parseSpecJson(JSON.stringify(net) + ' '.repeat(1_000_000))).toMatchObject({ ok: false, key: 'import.fileTooLarge' })
    expect(parseSpecJson(JSON.stringify(net, null, 2)).ok).toBe(true)
  })
})
