/**
 * A value typed into a layer's field that the field cannot take (2.5 for a stride, 1e9 filters, "28, 0" for a
 * shape) is said at the field, naming the field, what to type and the value the layer keeps; the box is not
 * put back in silence. And a stride that leaves a fractional output size shows that fraction, marked, not the
 * rounded-down shape, with no shape after it.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, screen, within } from '@testing-library/svelte'
import { flushSync } from 'svelte'
import type { LayerSpec, NetSpec } from '../../../src-engine/spec-types'
import { project } from '../../../src-renderer/lib/project.svelte'
import { LAYER_DEFS, type FieldDef } from '../../../src-renderer/components/editor/catalog'
import { validateSpec } from '../../../src-engine/spec'
import { readList, readNumber } from '../../../src-renderer/components/editor/typed-value'
import { card, errorsIn, field, layerOut, layerParams, openEditor, paramTotal } from './helpers'

afterEach(() => cleanup())

const net = (): NetSpec => ({
  input: [1, 28, 28],
  layers: [
    { type: 'Convolution', filters: 30, kernel: 5, stride: 1, pad: 0 },
    { type: 'Relu' }, { type: 'Pooling', mode: 'max', size: 2, stride: 2 },
    { type: 'Reshape', shape: [30, 144] }, { type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }
  ]
})
const conv = (): Record<string, unknown> => project.spec!.layers[0] as unknown as Record<string, unknown>
/** Field `key` of layer `i`'s message about a typed value (each field says its own). */
const typedMsg = (i: number, key: string): HTMLElement | null => card(i).querySelector(`#layer-${i}-${key}-typed`)

async function type(el: HTMLInputElement, value: string): Promise<void> {
  await fireEvent.input(el, { target: { value } })
  flushSync()
}

describe('a typed value the field cannot take', () => {
  it('is said at the field while typing and after leaving it, tied to the input, the layer keeping its value', async () => {
    openEditor(net())
    const stride = field(0, 'stride')
    await type(stride, '2.5')
    const m = typedMsg(0, 'stride')
    expect(m?.textContent).toBe('Stride takes a whole number from 1 to 64; 2.5 is not one — the layer keeps 1.')
    expect(stride.getAttribute('aria-invalid')).toBe('true')
    expect(document.getElementById(stride.getAttribute('aria-describedby')!)).toBe(m)
    expect(conv().stride).toBe(1)
    // leaving the box: no silent revert, the value and its message stay for the learner to fix
    await fireEvent.blur(stride)
    flushSync()
    expect(stride.value).toBe('2.5')
    expect(typedMsg(0, 'stride')?.textContent).toContain('2.5 is not one')
    // a value it can take clears it and reaches the layer
    await type(stride, '2')
    expect(typedMsg(0, 'stride')).toBeNull()
    expect(stride.getAttribute('aria-describedby')).toBeNull()
    expect(conv().stride).toBe(2)
  })

  it('refuses numbers beyond the bounds and an emptied required field, in en and ko', async () => {
    openEditor(net())
    await type(field(0, 'filters'), '5000')
    expect(typedMsg(0, 'filters')?.textContent).toBe('Filters (FN) takes a whole number from 1 to 4,096; 5000 is not one — the layer keeps 30.')
    expect(conv().filters).toBe(30)
    await type(field(0, 'pad'), '-1')
    expect(typedMsg(0, 'pad')?.textContent).toBe('Padding takes a whole number from 0 to 64; -1 is not one — the layer keeps 0.')
    cleanup()

    openEditor(net(), 'ko')
    const filters = field(0, 'filters')
    await type(filters, '')
    expect(typedMsg(0, 'filters')).toBeNull() // on the way to another number
    await fireEvent.blur(filters)
    flushSync()
    expect(typedMsg(0, 'filters')?.textContent).toBe('필터 수 (FN)\u2060에는 1부터 4,096까지의 정수를 입력해야 합니다. 칸이 비어 있어서 계층은 지금 값(30) 그대로입니다.')
    await type(field(0, 'stride'), '2.5')
    expect(typedMsg(0, 'stride')?.textContent).toBe('스트라이드에는 1부터 64까지의 정수를 입력하세요. 입력한 값(2.5)\u2060은 쓸 수 없어서 계층은 지금 값(1) 그대로입니다.')
  })

  it('says which part of a size list is wrong, and takes one -1 as the engine does', async () => {
    openEditor(net())
    const shape = field(3, 'shape')
    await type(shape, '30, 0')
    expect(typedMsg(3, 'shape')?.textContent).toContain('New shape takes whole numbers of 1 or more')
    expect(typedMsg(3, 'shape')?.textContent).toContain('0 is not one — the layer keeps 30, 144.')
    await type(shape, '-1, -1')
    expect(typedMsg(3, 'shape')?.textContent).toContain('-1 can stand for only one size')
    await type(shape, '-1, 144')
    expect(typedMsg(3, 'shape')).toBeNull()
    expect((project.spec!.layers[3] as { shape: number[] }).shape).toEqual([-1, 144])
  })

  it('follows the catalog: every number field refuses a value past its bounds and takes its bounds', () => {
    for (const d of LAYER_DEFS) for (const f of d.fields) {
      if (f.kind !== 'int' && f.kind !== 'number' && f.kind !== 'units') continue
      expect(readNumber(f, String(f.min)), `${d.type}.${f.key} min`).toEqual(f.minOpen ? { ok: false, reason: 'range', bad: String(f.min) } : { ok: true, value: f.min })
      expect(readNumber(f, String(f.max)), `${d.type}.${f.key} max`).toEqual(f.maxOpen ? { ok: false, reason: 'range', bad: String(f.max) } : { ok: true, value: f.max })
      expect(readNumber(f, String(f.max! + 1)).ok, `${d.type}.${f.key} max + 1`).toBe(false)
      expect(readNumber(f, String(f.min! - 0.5)).ok, `${d.type}.${f.key} below min`).toBe(false)
    }
    const stride = LAYER_DEFS[0].fields.find((f) => f.key === 'stride')!
    expect(readNumber(stride, '', true)).toEqual({ ok: false, reason: 'not-number', bad: '' })
    expect(readNumber(stride, '')).toEqual({ ok: true, value: undefined }) // the default stride
    expect(readList('1×28×28')).toEqual({ ok: true, value: [1, 28, 28] })
  })
})

describe('the boxes\' bounds are the validator\'s (Q7 F4)', () => {
  it('a value a box takes is one the validator takes, and one it refuses the validator refuses, at and past every bound', () => {
    const tried: string[] = []
    for (const d of LAYER_DEFS) for (const f of d.fields) {
      if (f.kind !== 'int' && f.kind !== 'number' && f.kind !== 'units') continue
      expect(f.min, `${d.type}.${f.key} has bounds`).toBeDefined()
      expect(f.max, `${d.type}.${f.key} has bounds`).toBeDefined()
      const step = f.kind === 'number' ? 0.001 : 1
      for (const v of [f.min!, f.max!, f.min! - step, f.max! + step, f.min! + step, f.max! - step]) {
        const layer = { ...d.make(), [f.key]: v } as unknown as LayerSpec
        const fieldError = validateSpec({ input: [1, 28, 28], layers: [layer] }).issues
          .some((i) => i.layer === 0 && i.field === f.key && i.severity === 'error' && i.code.startsWith('field-')) // not a kernel too large for 28
        expect(readNumber(f, String(v)).ok, `${d.type}.${f.key} = ${v}: the box and the validator agree`).toBe(!fieldError)
        tried.push(`${d.type}.${f.key}`)
      }
    }
    expect(new Set(tried).size).toBeGreaterThanOrEqual(17)
    // the caps Q7 met: kernel 64 (was 31), filters 4,096 (1,024), scale 16 (8), units 1,000,000 (65,536), rate 0.99 (0.95)
    const def = (type: string, key: string): FieldDef => LAYER_DEFS.find((d) => d.type === type)!.fields.find((f) => f.key === key)!
    expect([def('Convolution', 'kernel').max, def('Convolution', 'filters').max, def('Upsample', 'scale').max, def('Affine', 'units').max])
      .toEqual([64, 4096, 16, 1_000_000])
    expect(readNumber(def('Dropout', 'rate'), '0.99')).toEqual({ ok: true, value: 0.99 })
    expect(readNumber(def('BatchNormalization', 'eps'), '0')).toEqual({ ok: false, reason: 'range', bad: '0' })
  })

  it('refuses a BatchNorm ε of 0 at the box with the validator\'s words, en and ko', async () => {
    const bn: NetSpec = { input: [1, 28, 28], layers: [{ type: 'Convolution', filters: 8, kernel: 3 }, { type: 'BatchNormalization' }, { type: 'Relu' },
      { type: 'Dropout', rate: 0.5 }, { type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }
    openEditor(bn)
    await type(field(1, 'eps'), '0')
    expect(typedMsg(1, 'eps')?.textContent).toBe('ε takes a number above 0, up to 1; 0 is not one — the layer keeps 0.00001.')
    expect((project.spec!.layers[1] as { eps?: number }).eps).toBeUndefined()
    await type(field(3, 'rate'), '1')
    expect(typedMsg(3, 'rate')?.textContent).toBe('Dropout rate takes a number from 0 up to, but not including, 1; 1 is not one — the layer keeps 0.5.')
    await type(field(3, 'rate'), '0.99')
    expect((project.spec!.layers[3] as { rate: number }).rate).toBe(0.99)
    cleanup()
    openEditor(bn, 'ko')
    await type(field(1, 'eps'), '0')
    expect(typedMsg(1, 'eps')?.textContent).toBe('ε에는 0 초과 1 이하의 수를 입력하세요. 입력한 값(0)\u2060은 쓸 수 없어서 계층은 지금 값(0.00001) 그대로입니다.')
  })

  it('an ε the layer cannot take (from a file) is an error at the layer, and the shapes and counts after it stay known', () => {
    openEditor({ input: [1, 28, 28], layers: [{ type: 'Convolution', filters: 8, kernel: 3 }, { type: 'BatchNormalization', eps: 0 }, { type: 'Relu' },
      { type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] })
    expect(errorsIn(1).map((e) => e.getAttribute('data-code'))).toEqual(['field-out-of-range'])
    expect(layerOut(4)).toBe('(10)')
    // conv 8·9 + 8, BatchNorm γ and β 2·8, Affine 8·26·26·10 + 10
    expect(paramTotal()).toBe(80 + 16 + 8 * 26 * 26 * 10 + 10)
  })
})

describe('a stride that leaves a fractional output size', () => {
  it('shows the fraction at that layer, marked, and no shape after it; a whole size brings them back', async () => {
    openEditor(net())
    await type(field(0, 'stride'), '2')
    const out0 = within(card(0)).getByTestId('layer-out')
    expect(out0.getAttribute('data-mark')).toBe('not-whole')
    expect(out0.textContent).toBe('(30, 12.5, 12.5) (Not a valid shape: its sizes must be whole numbers.)')
    const in1 = within(card(1)).getByTestId('layer-in')
    expect(in1.textContent).toContain('(30, 12.5, 12.5)')
    expect(layerOut(1)).toBe('— (Not known until the output size of layer 1 is a whole number.)')
    expect(within(card(5)).getByTestId('layer-in').getAttribute('data-mark')).toBe('unknown')
    // the strip above the cards says the same
    const strip = [...screen.getByTestId('net-strip').querySelectorAll('[data-mark]')].map((e) => e.textContent)
    expect(strip.slice(0, 3)).toEqual(['(30, 12.5, 12.5)', '—', '—'])
    await type(field(0, 'kernel'), '4') // (28 − 4) / 2 + 1 = 13
    expect(layerOut(0)).toBe('(30, 13, 13)')
    expect(layerOut(1)).toBe('(30, 13, 13)')
  })

  it('says "—" for the counts that follow the shape that is not one (0 for a layer with no weights), and for the totals and the output', async () => {
    openEditor({ input: [1, 28, 28], layers: [{ type: 'Convolution', filters: 30, kernel: 5, stride: 1, pad: 0 }, { type: 'Relu' },
      { type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] })
    const before = paramTotal()
    await type(field(0, 'stride'), '2')
    // the convolution's own weights follow its whole input; its multiply-adds follow the fractional output
    expect(layerParams(0)).toBe(30 * 25 + 30)
    const macs0 = within(card(0)).getByTestId('layer-macs')
    expect(macs0.getAttribute('data-mark')).toBe('unknown')
    expect(macs0.textContent).toBe('— (Not known until the output size of layer 1 is a whole number.)')
    // the Affine after it was counted from (30, 12, 12): not said
    const affine = within(card(3)).getByTestId('layer-params')
    expect(affine.getAttribute('data-mark')).toBe('unknown')
    expect(affine.textContent?.startsWith('—')).toBe(true)
    expect(card(3).textContent).not.toMatch(/W \d+×\d+/)
    // after it no count is trusted, as no shape is shown: where a shape no longer fits the engine stops and says 0;
    // but a layer with no weights has 0 whatever its shape (the ReLU and the Flatten said "—")
    for (const i of [1, 2]) {
      const p = within(card(i)).getByTestId('layer-params')
      expect(p.getAttribute('data-mark'), `card ${i}`).toBeNull()
      expect(layerParams(i), `card ${i}`).toBe(0)
    }
    for (const id of ['param-total', 'macs-total', 'output-shape']) {
      expect(screen.getByTestId(id).textContent?.startsWith('—'), id).toBe(true)
      expect(screen.getByTestId(id).getAttribute('data-value'), id).toBeNull()
    }
    expect(screen.queryByTestId('cost-slow')).toBeNull()
    await type(field(0, 'stride'), '1')
    expect(paramTotal()).toBe(before)
    expect(screen.getByTestId('output-shape').textContent).toBe('(10)')
  })

  it('says "—" for the totals when the engine stops counting after the fraction (a reshape that no longer fits)', async () => {
    openEditor(net())
    await type(field(0, 'stride'), '2')
    expect(within(card(5)).getByTestId('layer-params').textContent?.startsWith('—')).toBe(true)
    // the pooling and the reshape after the fraction hold no weights: 0, not "—"; the total still waits for the Affine
    expect([2, 3].map(layerParams)).toEqual([0, 0])
    expect(screen.getByTestId('param-total').textContent?.startsWith('—')).toBe(true)
    // the pooling's output-size formula would be worked from the rounded-down 12: not shown; conv1's, with 12.50, is
    expect(within(card(2)).queryByTestId('layer-formula')).toBeNull()
    expect(within(card(0)).getByTestId('layer-formula').textContent).toContain('12.50')
  })
})
