/**
 * Editing the layer list (add, remove, duplicate, reorder by button, keyboard and drag, rename), undo
 * and redo by buttons and keys, and the question about trained weights.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, screen, within } from '@testing-library/svelte'
import { flushSync } from 'svelte'
import type { NetSpec } from '../../../src-engine/spec-types'
import { project } from '../../../src-renderer/lib/project.svelte'
import { editor } from '../../../src-renderer/lib/editor.svelte'
import { card, cards, field, layerOut, openEditor, paramTotal } from './helpers'

afterEach(() => cleanup())

const small = (): NetSpec => ({
  input: [1, 28, 28],
  layers: [
    { type: 'Convolution', filters: 8, kernel: 3, pad: 1 }, { type: 'Relu' }, { type: 'Pooling', size: 2, stride: 2 },
    { type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }
  ]
})
const types = (): string[] => cards().map((c) => c.getAttribute('data-type') ?? '')
const add = (type: string): Promise<boolean> =>
  fireEvent.click(screen.getAllByTestId('add-layer').find((b) => b.getAttribute('data-type') === type)!)
const key = (el: Element | Window, k: string, mods: KeyboardEventInit = {}): Promise<boolean> =>
  fireEvent.keyDown(el, { key: k, ...mods })

describe('building the layer list', () => {
  it('adds palette layers before the loss layer of an empty network, in order, with live shapes', async () => {
    openEditor({ input: [1, 28, 28], layers: [{ type: 'SoftmaxWithLoss' }] })
    await add('Convolution')
    await add('Relu')
    await add('Pooling')
    await add('Flatten')
    await add('Affine')
    expect(types()).toEqual(['Convolution', 'Relu', 'Pooling', 'Flatten', 'Affine', 'SoftmaxWithLoss'])
    // palette defaults: 16 filters 3×3 pad 1, 2×2 max pool, 100 units
    expect(layerOut(0)).toBe('(16, 28, 28)')
    expect(layerOut(2)).toBe('(16, 14, 14)')
    expect(layerOut(4)).toBe('(100)')
  })

  it('inserts after the selected layer', async () => {
    openEditor(small())
    await fireEvent.focusIn(card(0))
    await add('BatchNormalization')
    expect(types().slice(0, 3)).toEqual(['Convolution', 'BatchNormalization', 'Relu'])
  })

  it('removes and duplicates layers; a duplicate gets its own default name', async () => {
    openEditor(small())
    await fireEvent.click(within(card(0)).getByTestId('layer-duplicate'))
    expect(types().slice(0, 3)).toEqual(['Convolution', 'Convolution', 'Relu'])
    expect(cards().map((c) => c.getAttribute('data-name')).slice(0, 2)).toEqual(['conv1', 'conv2'])
    expect(layerOut(1)).toBe('(8, 28, 28)')
    await fireEvent.click(within(card(1)).getByTestId('layer-remove'))
    expect(types()).toEqual(small().layers.map((l) => l.type))
  })

  it('renames a layer, and an empty name goes back to the default', async () => {
    openEditor(small())
    const name = field(0, 'name')
    await fireEvent.input(name, { target: { value: 'edges' } })
    expect(card(0).getAttribute('data-name')).toBe('edges')
    expect(project.spec?.layers[0].name).toBe('edges')
    await fireEvent.input(name, { target: { value: '  ' } })
    expect(card(0).getAttribute('data-name')).toBe('conv1')
    expect(project.spec?.layers[0]).not.toHaveProperty('name')
  })

  it('reorders with Alt+↑/↓ and keeps the focus on the moved layer', async () => {
    openEditor(small())
    card(1).focus()
    await key(card(1), 'ArrowDown', { altKey: true })
    flushSync()
    expect(types().slice(0, 3)).toEqual(['Convolution', 'Pooling', 'Relu'])
    await new Promise((r) => setTimeout(r, 0))
    expect(document.activeElement).toBe(card(2))
    await key(card(2), 'ArrowUp', { altKey: true })
    expect(types().slice(0, 3)).toEqual(['Convolution', 'Relu', 'Pooling'])
  })

  it('reorders by dragging a layer’s handle onto another layer', async () => {
    openEditor(small())
    const handle = card(4).querySelector('.handle')!
    await fireEvent.dragStart(handle)
    await fireEvent.dragOver(card(0))
    await fireEvent.drop(card(0))
    expect(types()).toEqual(['Affine', 'Convolution', 'Relu', 'Pooling', 'Flatten', 'SoftmaxWithLoss'])
  })

  it('reorders with the arrow buttons and disables them at the ends', async () => {
    openEditor(small())
    const up0 = within(card(0)).getByRole('button', { name: /Move up/ }) as HTMLButtonElement
    expect(up0.disabled).toBe(true)
    const down0 = within(card(0)).getByRole('button', { name: /Move down/ }) as HTMLButtonElement
    await fireEvent.click(down0)
    expect(types().slice(0, 2)).toEqual(['Relu', 'Convolution'])
  })
})

describe('undo and redo', () => {
  it('undoes and redoes with the buttons and with Ctrl+Z / Ctrl+Shift+Z', async () => {
    openEditor(small())
    const undo = screen.getByTestId('undo') as HTMLButtonElement
    const redo = screen.getByTestId('redo') as HTMLButtonElement
    expect(undo.disabled).toBe(true)
    await fireEvent.click(within(card(0)).getByTestId('layer-remove'))
    await add('Dropout')
    expect(cards()).toHaveLength(6)
    expect(types()).toContain('Dropout')

    await fireEvent.click(undo)
    expect(types()).not.toContain('Dropout')
    await key(window, 'z', { ctrlKey: true })
    expect(types()).toEqual(small().layers.map((l) => l.type))
    expect(undo.disabled).toBe(true)

    await key(window, 'Z', { ctrlKey: true, shiftKey: true })
    expect(types()[0]).toBe('Relu')
    await fireEvent.click(redo)
    expect(types()).toContain('Dropout')
    expect(redo.disabled).toBe(true)
  })

  it('routes the menu’s native Undo/Redo in a field to the editor’s history', async () => {
    openEditor(small())
    await fireEvent.click(within(card(0)).getByTestId('layer-remove'))
    const f = field(0, 'name')
    f.dispatchEvent(new InputEvent('beforeinput', { inputType: 'historyUndo', bubbles: true, cancelable: true }))
    flushSync()
    expect(types()).toEqual(small().layers.map((l) => l.type))
    card(0).dispatchEvent(new InputEvent('beforeinput', { inputType: 'historyRedo', bubbles: true, cancelable: true }))
    flushSync()
    expect(types()[0]).toBe('Relu')
  })

  it('makes a run of typing in one field a single undo step, and a new edit clears redo', async () => {
    openEditor(small())
    const before = paramTotal()
    for (const v of ['1', '12', '120']) await fireEvent.input(field(4, 'units'), { target: { value: v } })
    expect(project.spec?.layers[4]).toMatchObject({ units: 120 })
    expect(editor.past).toHaveLength(1)
    await fireEvent.click(screen.getByTestId('undo'))
    expect(paramTotal()).toBe(before)
    expect(editor.canRedo).toBe(true)
    await fireEvent.input(field(0, 'filters'), { target: { value: '4' } })
    expect(editor.canRedo).toBe(false)
  })

  it('makes a second visit to the same field a new undo step', async () => {
    openEditor(small())
    const units = field(4, 'units')
    await fireEvent.input(units, { target: { value: '20' } })
    await fireEvent.change(units)
    await fireEvent.input(units, { target: { value: '30' } })
    await fireEvent.click(screen.getByTestId('undo'))
    expect(project.spec?.layers[4]).toMatchObject({ units: 20 })
  })

  it('ignores a number field left empty, and says on blur that the layer keeps its value (no silent revert)', async () => {
    openEditor(small())
    const f = field(0, 'kernel')
    await fireEvent.input(f, { target: { value: '' } })
    expect(project.spec?.layers[0]).toMatchObject({ kernel: 3 })
    await fireEvent.blur(f)
    expect(project.spec?.layers[0]).toMatchObject({ kernel: 3 })
    expect(document.getElementById(f.getAttribute('aria-describedby') ?? '')?.textContent).toContain('the box is empty — the layer keeps 3')
  })
})

describe('changing a trained network', () => {
  it('asks first; "keep" applies the change and records the choice', async () => {
    openEditor(small())
    project.trained = true
    flushSync()
    await add('Dropout')
    expect(screen.getByTestId('weights-dialog')).toBeTruthy()
    expect(types()).not.toContain('Dropout')
    await fireEvent.click(screen.getByTestId('weights-keep'))
    expect(types()).toContain('Dropout')
    expect(project.weightsChoice).toBe('keep')
    expect(project.trained).toBe(true)
    expect(screen.queryByTestId('weights-dialog')).toBeNull()
    // asked once: the next change goes straight through
    await add('Relu')
    expect(screen.queryByTestId('weights-dialog')).toBeNull()
  })

  it('"start fresh" applies the change and marks the model untrained', async () => {
    openEditor(small())
    project.trained = true
    flushSync()
    await fireEvent.input(field(0, 'filters'), { target: { value: '12' } })
    await fireEvent.click(screen.getByTestId('weights-fresh'))
    expect(project.spec?.layers[0]).toMatchObject({ filters: 12 })
    expect(project.weightsChoice).toBe('fresh')
    expect(project.trained).toBe(false)
  })

  it('"cancel" puts the typed value back in its field', async () => {
    openEditor(small())
    project.trained = true
    flushSync()
    await fireEvent.input(field(4, 'units'), { target: { value: '77' } })
    expect(document.activeElement).toBe(screen.getByTestId('weights-keep'))
    await fireEvent.click(screen.getByTestId('weights-cancel'))
    expect(field(4, 'units').value).toBe('10')
  })

  it('"cancel" leaves the network as it was, undo included', async () => {
    openEditor(small())
    project.trained = true
    flushSync()
    await fireEvent.click(within(card(0)).getByTestId('layer-remove'))
    await fireEvent.click(screen.getByTestId('weights-cancel'))
    expect(types()).toEqual(small().layers.map((l) => l.type))
    expect(project.weightsChoice).toBeNull()
    expect(editor.canUndo).toBe(false)
  })

  it('"cancel" leaves the selection too, so the next layer goes where it would have gone', async () => {
    openEditor(small())
    project.trained = true
    flushSync()
    editor.selected = 0
    // asked, then cancelled: no Dropout, and the selection stays on conv (not on the Dropout that never came)
    await add('Dropout')
    await fireEvent.click(screen.getByTestId('weights-cancel'))
    expect(editor.selected).toBe(0)
    // the next addition goes right after the selected convolution, as it would have without the cancelled one
    await add('Relu')
    await fireEvent.click(screen.getByTestId('weights-keep'))
    expect(types()).toEqual(['Convolution', 'Relu', 'Relu', 'Pooling', 'Flatten', 'Affine', 'SoftmaxWithLoss'])
    expect(editor.selected).toBe(1)
    // a removal waiting on the question does not move the selection either until it is answered
    project.weightsChoice = null
    await fireEvent.click(within(card(3)).getByTestId('layer-remove'))
    expect(editor.selected).toBe(1)
    await fireEvent.click(screen.getByTestId('weights-keep'))
    expect(types()).toEqual(['Convolution', 'Relu', 'Relu', 'Flatten', 'Affine', 'SoftmaxWithLoss'])
    expect(editor.selected).toBe(3)
  })
})

describe('an empty network for text', () => {
  it('starts with the loss layer and says what to add, then takes embedding → LSTM → time affine', async () => {
    openEditor(null)
    await fireEvent.change(screen.getByTestId('preset-select'), { target: { value: 'empty:text' } })
    expect(types()).toEqual(['TimeSoftmaxWithLoss'])
    expect(within(card(0)).getByTestId('layer-error').getAttribute('data-code')).toBe('tokens-need-embedding')
    expect((screen.getByTestId('train-button') as HTMLButtonElement).disabled).toBe(true)
    await add('TimeEmbedding')
    await add('TimeLSTM')
    await add('TimeAffine')
    expect(types()).toEqual(['TimeEmbedding', 'TimeLSTM', 'TimeAffine', 'TimeSoftmaxWithLoss'])
    expect(layerOut(1)).toBe('(64, 128)')
    expect(screen.queryAllByTestId('layer-error')).toHaveLength(0)
    // the vocabulary is the built-in text's, the one the training page trains on (text-vocab.test.ts): whole shapes
    expect(layerOut(2)).toBe('(64, 74)')
    expect(screen.queryAllByTestId('layer-warning')).toHaveLength(0)
    expect((screen.getByTestId('train-button') as HTMLButtonElement).disabled).toBe(false)
  })
})

describe('identity across edits', () => {
  it('keeps the facts and issues of layers an edit did not change as the same objects', async () => {
    openEditor(small())
    const infos = editor.infos
    const issues = editor.layerIssues
    await fireEvent.input(field(4, 'units'), { target: { value: '12' } })
    flushSync()
    expect(editor.infos[0]).toBe(infos[0])
    expect(editor.infos[3]).toBe(infos[3])
    expect(editor.infos[4]).not.toBe(infos[4])
    expect(editor.infos[4].params).toBe(8 * 14 * 14 * 12 + 12)
    expect(editor.layerIssues[0]).toBe(issues[0])
  })
})
