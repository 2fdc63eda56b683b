/**
 * The model menu from the keyboard, as a menu button: ↓/↑ on the button open it at the first/last item, ↑/↓ and
 * Home/End move through the items (one tab stop; unavailable ones too, saying why), Escape and a chosen item give the focus back to the
 * button, and Tab out of the menu closes it.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import { tick } from 'svelte'
import ModelMenu from '../../../src-renderer/components/files/ModelMenu.svelte'
import { setLab } from '../../../src-renderer/lib/lab'
import { project } from '../../../src-renderer/lib/project.svelte'
import { FakeApi } from './fake-api'

afterEach(() => {
  cleanup()
  setLab(null)
  project.trained = false
})

const focused = (): string | null => (document.activeElement as HTMLElement | null)?.dataset.testid ?? document.activeElement?.tagName ?? null
const key = async (k: string): Promise<void> => {
  await fireEvent.keyDown(document.activeElement as HTMLElement, { key: k })
  await tick()
}

describe('the model menu from the keyboard', () => {
  it('moves through the items with the arrows, Home and End, and Escape returns to the button', async () => {
    // a fake host is the desktop's (its Save as and recent projects are in the menu)
    const api = new FakeApi({})
    setLab(api)
    project.trained = false
    render(ModelMenu)
    const button = screen.getByTestId('model-menu')
    button.focus()
    await key('ArrowDown')
    expect(screen.getByRole('menu')).toBeTruthy()
    expect(button.getAttribute('aria-expanded')).toBe('true')
    expect(button.getAttribute('aria-controls')).toBe(screen.getByRole('menu').id)
    expect(focused()).toBe('files-save')
    // one tab stop: the items are reached by the arrows, not by Tab
    for (const item of screen.getAllByRole('menuitem')) expect(item.tabIndex).toBe(-1)
    await key('ArrowDown')
    expect(focused()).toBe('files-save-as')
    await key('ArrowDown')
    expect(focused()).toBe('files-open')
    // no recent projects (a line of text, not an item) and no model yet: the export items are still reached, each
    // unavailable and described by the reason (before, they were disabled and the arrows passed over them)
    for (const format of ['safetensors', 'npz', 'onnx']) {
      await key('ArrowDown')
      expect(focused()).toBe(`files-export-${format}`)
      const item = document.activeElement as HTMLButtonElement
      expect(item.getAttribute('aria-disabled')).toBe('true')
      expect(document.getElementById(item.getAttribute('aria-describedby') ?? '')?.textContent)
        .toBe('Train a model first, or open a project saved with weights: there is nothing to export yet.')
    }
    await key('ArrowDown')
    expect(focused()).toBe('files-import')
    await key('ArrowDown')
    expect(focused()).toBe('files-save')
    await key('ArrowUp')
    expect(focused()).toBe('files-import')
    await key('Home')
    expect(focused()).toBe('files-save')
    await key('End')
    expect(focused()).toBe('files-import')
    // Enter on an unavailable item (a click) does nothing: no export asked for, the menu open, the focus kept
    await key('ArrowUp')
    expect(focused()).toBe('files-export-onnx')
    await fireEvent.click(document.activeElement as HTMLElement)
    await tick()
    expect(api.calls.some((c) => c.channel === 'model:save-export' || c.channel === 'model:export')).toBe(false)
    expect(screen.getByRole('menu')).toBeTruthy()
    expect(focused()).toBe('files-export-onnx')

    await key('Escape')
    expect(screen.queryByRole('menu')).toBeNull()
    expect(document.activeElement).toBe(button)
    // no reference to a panel that is not there (polish.spec checks every page for those)
    expect(button.hasAttribute('aria-controls')).toBe(false)

    // ↑ opens it at the last item; with a model the export items take part
    project.trained = true
    await tick()
    await key('ArrowUp')
    expect(focused()).toBe('files-import')
    await key('ArrowUp')
    expect(focused()).toBe('files-export-onnx')
  })

  it('gives the focus back to the button after an item, and closes when the focus leaves it', async () => {
    const api = new FakeApi({})
    setLab(api)
    project.trained = true
    const outside = document.createElement('button')
    document.body.append(outside)
    render(ModelMenu)
    const button = screen.getByTestId('model-menu')
    button.focus()
    // Enter or Space on the button clicks it: the menu opens at its first item
    await fireEvent.click(button)
    await tick()
    expect(focused()).toBe('files-save')
    await key('End')
    await key('ArrowUp')
    expect(focused()).toBe('files-export-onnx')
    await fireEvent.click(document.activeElement as HTMLElement)
    for (let i = 0; i < 3; i++) await new Promise((r) => setTimeout(r, 0))
    expect(api.calls.some((c) => c.channel === 'model:save-export')).toBe(true)
    expect(screen.queryByRole('menu')).toBeNull()
    expect(document.activeElement).toBe(button)

    // Tab from an item to the next control on the page closes the menu
    await fireEvent.click(button)
    await tick()
    expect(focused()).toBe('files-save')
    outside.focus()
    await tick()
    expect(screen.queryByRole('menu')).toBeNull()
    expect(button.getAttribute('aria-expanded')).toBe('false')
    outside.remove()
  })
})
