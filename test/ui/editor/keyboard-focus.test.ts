/**
 * Removing a layer from the keyboard keeps the focus in the layer list: the last card's Remove (Enter on the
 * button) hands the focus to the card before it, and removing the only layer (button or Delete) hands it to the
 * palette, where the next layer comes from. Before, the focus fell to the page and Tab started over at the top,
 * and Delete on a card in the middle sent the focus to the card before it instead of the one that took its place.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, screen, within } from '@testing-library/svelte'
import { flushSync } from 'svelte'
import { project } from '../../../src-renderer/lib/project.svelte'
import { editor } from '../../../src-renderer/lib/editor.svelte'
import { card, cards, field, openEditor } from './helpers'

afterEach(() => cleanup())

const net = {
  input: [1, 28, 28],
  layers: [{ type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }]
} as const

async function removeBy(button: HTMLElement): Promise<void> {
  button.focus()
  // Enter on a focused button is its click
  await fireEvent.click(button)
  await settle()
}

/** Lets the list redraw and its focus move (a tick after the edit). */
async function settle(): Promise<void> {
  flushSync()
  await new Promise((r) => setTimeout(r, 0))
}

describe('focus after removing a layer', () => {
  it('moves to the card before when the last card is removed, and stays on Remove otherwise', async () => {
    openEditor(structuredClone(net) as never)
    await removeBy(within(card(2)).getByTestId('layer-remove'))
    expect(cards()).toHaveLength(2)
    expect(document.activeElement).toBe(card(1))
    // a card in the middle: the next card's Remove is under the same spot and keeps the focus
    const middle = within(card(0)).getByTestId('layer-remove')
    await removeBy(middle)
    expect(cards()).toHaveLength(1)
    expect(document.activeElement).toBe(within(card(0)).getByTestId('layer-remove'))
  })

  it('Delete on a card removes it and focuses the card that took its place, or the one before for the last', async () => {
    openEditor(structuredClone(net) as never)
    card(1).focus()
    await fireEvent.keyDown(card(1), { key: 'Delete' })
    await settle()
    expect(cards().map((c) => c.getAttribute('data-type'))).toEqual(['Flatten', 'SoftmaxWithLoss'])
    expect(document.activeElement).toBe(card(1))
    await fireEvent.keyDown(card(1), { key: 'Delete' })
    await settle()
    expect(document.activeElement).toBe(card(0))
  })

  it('moves to the palette when the only layer is removed, by its button or by Delete', async () => {
    openEditor({ input: [1, 28, 28], layers: [{ type: 'SoftmaxWithLoss' }] })
    await removeBy(within(card(0)).getByTestId('layer-remove'))
    expect(cards()).toHaveLength(0)
    expect(document.activeElement).toBe(screen.getAllByTestId('add-layer')[0])

    cleanup()
    openEditor({ input: [1, 28, 28], layers: [{ type: 'SoftmaxWithLoss' }] })
    card(0).focus()
    await fireEvent.keyDown(card(0), { key: 'Delete' })
    await settle()
    expect(cards()).toHaveLength(0)
    expect(document.activeElement).toBe(screen.getAllByTestId('add-layer')[0])
  })
})

describe('the weights question', () => {
  it('leaves nothing on the page but its own buttons for Tab to reach', async () => {
    // the network strip's layer buttons (and the cost note) stayed in reach: Tab went on from "Cancel" to them
    openEditor(structuredClone(net) as never)
    project.trained = true
    flushSync()
    await fireEvent.input(field(1, 'units'), { target: { value: '12' } })
    const dialog = screen.getByTestId('weights-dialog')
    const focusable = [...document.querySelectorAll<HTMLElement>('button, input, select, textarea, a[href], [tabindex]')]
      .filter((el) => !dialog.contains(el) && !el.closest('[inert]') && !(el as HTMLButtonElement).disabled && el.tabIndex >= 0)
    expect(focusable.map((el) => el.outerHTML.slice(0, 60))).toEqual([])
    // Start fresh and Cancel: the only weights (the Affine's W and b) no longer fit at 12 units, so keeping is not offered
    expect(within(dialog).getAllByRole('button').length).toBe(2)
  })
})

describe('adding from the palette', () => {
  it('says what was added, and where, in a status line (the focus stays on the palette)', async () => {
    openEditor(structuredClone(net) as never)
    const status = screen.getByTestId('palette-added')
    expect(status.getAttribute('role')).toBe('status')
    expect(status.textContent).toBe('')
    const relu = screen.getAllByTestId('add-layer').find((b) => b.getAttribute('data-type') === 'Relu')!
    relu.focus()
    await fireEvent.click(relu)
    await settle()
    const i = cards().findIndex((c) => c.getAttribute('data-type') === 'Relu')
    expect(status.textContent).toBe(`Added layer ${i + 1}: ${within(card(i)).getByLabelText('Layer name').getAttribute('placeholder')}, ReLU. Ctrl+↓ goes to its settings.`)
    expect(document.activeElement).toBe(relu)
    cleanup()
    openEditor(structuredClone(net) as never, 'ko')
    await fireEvent.click(screen.getAllByTestId('add-layer').find((b) => b.getAttribute('data-type') === 'Relu')!)
    await settle()
    expect(screen.getByTestId('palette-added').textContent).toMatch(/^\d번 계층으로 추가했습니다: .+, ReLU\. 설정으로 가려면 Ctrl\+↓를 누르세요\.$/)
  })

  it('says it too when the layer is added after the keep-weights question is answered, and not when it is cancelled', async () => {
    // before, the question took the place of the line and nothing was said once Keep or Start fresh added the layer
    openEditor(structuredClone(net) as never)
    project.trained = true
    flushSync()
    const status = screen.getByTestId('palette-added')
    const add = (type: string): HTMLElement => screen.getAllByTestId('add-layer').find((b) => b.getAttribute('data-type') === type)!
    await fireEvent.click(add('Relu'))
    await settle()
    expect(screen.getByTestId('weights-dialog')).toBeTruthy()
    expect(status.textContent).toBe('')
    await fireEvent.click(screen.getByTestId('weights-cancel'))
    await settle()
    expect(status.textContent).toBe('')
    await fireEvent.click(add('Relu'))
    await settle()
    await fireEvent.click(screen.getByTestId('weights-keep'))
    await settle()
    const i = cards().findIndex((c) => c.getAttribute('data-type') === 'Relu')
    expect(i).toBeGreaterThanOrEqual(0)
    expect(status.textContent).toBe(`Added layer ${i + 1}: ${within(card(i)).getByLabelText('Layer name').getAttribute('placeholder')}, ReLU. Ctrl+↓ goes to its settings.`)
  })

  it('puts a layer added with the loss card selected before the loss, and says so (Q3 F15)', async () => {
    // the only card of an empty network is its loss; a beginner clicks it, then a palette button
    openEditor({ input: [1, 28, 28], layers: [{ type: 'SoftmaxWithLoss' }] } as never)
    editor.selected = 0
    flushSync()
    expect(screen.getByTestId('palette-where').textContent).toBe('New layers go before layer 1 (softmax1): nothing may follow a loss layer.')
    await fireEvent.click(screen.getAllByTestId('add-layer').find((b) => b.getAttribute('data-type') === 'Flatten')!)
    await settle()
    expect(cards().map((c) => c.getAttribute('data-type'))).toEqual(['Flatten', 'SoftmaxWithLoss'])
    expect(screen.queryAllByTestId('layer-error')).toHaveLength(0)
    // the new layer is selected: the next goes after it, still before the loss
    expect(screen.getByTestId('palette-where').textContent).toBe('New layers go after layer 1.')
    // a loss layer itself goes where asked
    editor.selected = 1
    editor.addLayer('MSE')
    flushSync()
    expect(cards().map((c) => c.getAttribute('data-type'))).toEqual(['Flatten', 'SoftmaxWithLoss', 'MSE'])
  })

  it('says new layers go at the end, with nothing selected, of a network no loss layer ends', () => {
    openEditor({ input: [1, 28, 28], layers: [{ type: 'Flatten' }, { type: 'Affine', units: 10 }] } as never)
    editor.selected = null
    flushSync()
    // it said "before the loss layer", which there is none of
    expect(screen.getByTestId('palette-where').textContent).toBe('New layers go at the end.')
    editor.addLayer('Relu')
    editor.selected = null
    flushSync()
    expect(cards().map((c) => c.getAttribute('data-type'))).toEqual(['Flatten', 'Affine', 'Relu'])
    editor.addLayer('SoftmaxWithLoss')
    editor.selected = null
    flushSync()
    expect(screen.getByTestId('palette-where').textContent).toBe('New layers go before the loss layer.')
  })

  it('Ctrl+↓ on a palette button goes to the added layer\'s first setting, or its card when it has none (Q3 F21)', async () => {
    openEditor(structuredClone(net) as never)
    const add = (type: string): HTMLElement => screen.getAllByTestId('add-layer').find((b) => b.getAttribute('data-type') === type)!
    add('Affine').focus()
    await fireEvent.click(add('Affine'))
    await settle()
    const i = editor.selected!
    expect(cards()[i].getAttribute('data-type')).toBe('Affine')
    await fireEvent.keyDown(add('Affine'), { key: 'ArrowDown', ctrlKey: true })
    expect(document.activeElement).toBe(field(i, 'units'))
    await fireEvent.click(add('Relu'))
    await settle()
    await fireEvent.keyDown(add('Relu'), { key: 'ArrowDown', ctrlKey: true })
    expect(document.activeElement).toBe(card(editor.selected!))
    expect(screen.getByText(/In the palette, Ctrl\+↓ goes to the selected layer’s settings\./)).toBeTruthy()
  })
})
