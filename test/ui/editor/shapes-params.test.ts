/**
 * The editor shows each layer's shapes and parameter counts, live, with the course's numbers:
 * 13 for the 2·3 + 3·1 + 4·1 chain, 1,200 for 16 filters of 3×5×5, 3,241,354 for the Keras-style CNN,
 * 433,890 for the book's SimpleConvNet, and (28, 31) → (10, 11) for a 5×5 kernel with pad 2 and stride 3.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, screen, within } from '@testing-library/svelte'
import { flushSync } from 'svelte'
import { cards, card, field, golden, layerOut, layerParams, openEditor, paramTotal } from './helpers'

afterEach(() => cleanup())
const counts = golden.parameter_counts

describe('parameter counts', () => {
  it('counts the no-bias linear chain 2·3 + 3·1 + 4·1 = 13, per layer and in total', () => {
    // 2 → 3 → 1 → 4: the last layer's W is (1, 4), four weights, as the course's (4, 1) layer
    openEditor({
      input: [2],
      layers: [
        { type: 'Affine', units: 3, bias: false },
        { type: 'Affine', units: 1, bias: false },
        { type: 'Affine', units: 4, bias: false }
      ]
    })
    expect([0, 1, 2].map(layerParams)).toEqual(counts.linear_chain_no_bias.each)
    expect(paramTotal()).toBe(counts.linear_chain_no_bias.total)
  })

  it('counts 16 filters of 3×5×5 without bias as 1,200 and shows W (16, 3, 5, 5)', () => {
    openEditor({ input: [3, 32, 32], layers: [{ type: 'Convolution', filters: 16, kernel: 5, bias: false }] })
    expect(layerParams(0)).toBe(counts.conv_3in_16out_5x5_no_bias)
    expect(card(0).textContent).toContain('W 16×3×5×5')
    expect(card(0).textContent).not.toContain('b 16')
  })

  it('shows the Keras-style CNN from the preset list with 3,241,354 parameters and the course shapes', async () => {
    openEditor(null)
    const select = screen.getByTestId('preset-select') as HTMLSelectElement
    await fireEvent.change(select, { target: { value: 'keras-cnn' } })
    const k = counts.keras_cnn_from_course
    expect(paramTotal()).toBe(k.total)
    expect(screen.getByTestId('param-total').textContent).toBe('3,241,354')
    const withParams = cards().map((_, i) => layerParams(i)).filter((p) => p > 0)
    expect(withParams).toEqual(k.params.filter((p) => p > 0))
    // the course lists (H, W, C); the lab shows (C, H, W)
    const chw = (s: number[]): string => `(${(s.length === 3 ? [s[2], s[0], s[1]] : s).join(', ')})`
    const types = cards().map((c) => c.getAttribute('data-type'))
    const convs = types.flatMap((t, i) => (t === 'Convolution' ? [i] : []))
    const pools = types.flatMap((t, i) => (t === 'Pooling' ? [i] : []))
    expect(layerOut(convs[0])).toBe(chw(k.output_shapes_hwc[0]))
    expect(layerOut(pools[0])).toBe(chw(k.output_shapes_hwc[1]))
    expect(layerOut(convs[1])).toBe(chw(k.output_shapes_hwc[2]))
    expect(layerOut(pools[1])).toBe(chw(k.output_shapes_hwc[3]))
    expect(layerOut(types.indexOf('Flatten'))).toBe(chw(k.output_shapes_hwc[4]))
  })

  it('shows the book’s SimpleConvNet with 433,890 parameters, layer by layer', async () => {
    openEditor(null)
    await fireEvent.change(screen.getByTestId('preset-select'), { target: { value: 'simple-convnet' } })
    const s = counts.simple_convnet_from_book
    expect(paramTotal()).toBe(s.total)
    expect(cards().map((_, i) => layerParams(i)).slice(0, s.params.length)).toEqual(s.params)
    expect(cards().slice(0, s.output_shapes_chw.length).map((_, i) => layerOut(i)))
      .toEqual(s.output_shapes_chw.map((x) => `(${x.join(', ')})`))
  })
})

describe('shapes, formula and receptive field', () => {
  it('gives (10, 11) for a (28, 31) input, 5×5 kernel, pad 2, stride 3, and shows both formulas with numbers', () => {
    const c = golden.conv_output_size.cases[2]
    openEditor({
      input: [1, ...c.input],
      layers: [{ type: 'Convolution', filters: 1, kernel: c.filter[0], stride: c.stride, pad: c.pad }]
    })
    expect(layerOut(0)).toBe(`(1, ${c.output.join(', ')})`)
    const formula = within(card(0)).getByTestId('layer-formula').textContent ?? ''
    expect(formula).toContain('28 + 2·2')
    expect(formula).toContain('31 + 2·2')
    expect(formula).toContain('= 10')
    expect(formula).toContain('= 11')
    expect(within(card(0)).queryAllByTestId('layer-error')).toHaveLength(0)
  })

  it('reproduces every valid case of the output-size table', () => {
    for (const c of golden.conv_output_size.cases) {
      cleanup()
      openEditor({ input: [1, ...c.input], layers: [{ type: 'Convolution', filters: 2, kernel: c.filter[0], stride: c.stride, pad: c.pad }] })
      expect(layerOut(0), JSON.stringify(c)).toBe(`(2, ${c.output.join(', ')})`)
    }
  })

  it('grows the receptive field through a conv–pool–conv stack (3, then 4, then 8)', () => {
    openEditor({
      input: [1, 28, 28],
      layers: [
        { type: 'Convolution', filters: 4, kernel: 3, pad: 1 },
        { type: 'Pooling', size: 2, stride: 2 },
        { type: 'Convolution', filters: 4, kernel: 3, pad: 1 }
      ]
    })
    const rf = (i: number): string => within(card(i)).getByTestId('layer-rf').textContent ?? ''
    expect([rf(0), rf(1), rf(2)]).toEqual(['3×3', '4×4', '8×8'])
  })

  it('updates shapes, parameters and multiply-adds live when a setting changes', async () => {
    openEditor({ input: [1, 28, 28], layers: [{ type: 'Convolution', filters: 30, kernel: 5 }, { type: 'Flatten' }] })
    expect(layerOut(0)).toBe('(30, 24, 24)')
    expect(layerParams(0)).toBe(780)
    expect(Number(screen.getByTestId('macs-total').getAttribute('data-value'))).toBe(30 * 24 * 24 * 25)
    await fireEvent.input(field(0, 'filters'), { target: { value: '16' } })
    await fireEvent.input(field(0, 'pad'), { target: { value: '2' } })
    flushSync()
    expect(layerOut(0)).toBe('(16, 28, 28)')
    expect(layerOut(1)).toBe('(12544)')
    expect(layerParams(0)).toBe(16 * 25 + 16)
    expect(paramTotal()).toBe(416)
    expect(Number(screen.getByTestId('macs-total').getAttribute('data-value'))).toBe(16 * 28 * 28 * 25)
  })

  it('draws each shape as a block whose size follows the shape', () => {
    openEditor({ input: [1, 28, 28], layers: [{ type: 'Convolution', filters: 64, kernel: 3, pad: 1 }, { type: 'Pooling', size: 4, stride: 4 }] })
    const outBox = (i: number): SVGSVGElement => card(i).querySelectorAll('svg.sketch')[1] as SVGSVGElement
    const w = (el: SVGSVGElement): number => Number(el.getAttribute('width'))
    const h = (el: SVGSVGElement): number => Number(el.getAttribute('height'))
    // pooling 4×4 shrinks the face; 64 channels make the conv output deeper than the 1-channel input
    const inBox = card(0).querySelectorAll('svg.sketch')[0] as SVGSVGElement
    expect(w(outBox(1))).toBeLessThan(w(outBox(0)))
    expect(h(outBox(1))).toBeLessThan(h(outBox(0)))
    expect(w(outBox(0))).toBeGreaterThan(w(inBox))
  })
})
