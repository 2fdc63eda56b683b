/**
 * The "start from" list opens a network once it is chosen, not on every arrow key (Q3's F5). Chromium changes a closed
 * list's value on each ArrowDown and fires change: the old page loaded every preset on the way (12 undo steps for 12
 * presses), and after the empty digits network showed "Custom architecture", so the next ArrowDown went back to the
 * first preset. Now keys only show the choice, with a Load button; Enter or Load opens it; a click in the open list
 * (change with no key first) opens at once, as before.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, screen } from '@testing-library/svelte'
import type { NetSpec } from '../../../src-engine/spec-types'
import { editor } from '../../../src-renderer/lib/editor.svelte'
import { project } from '../../../src-renderer/lib/project.svelte'
import { presetList } from '../../../src-renderer/components/editor/engine'
import { openEditor } from './helpers'

afterEach(() => cleanup())

// a small network of the learner's own (no preset): the page draws it quickly
const MINE: NetSpec = { name: 'Mine', input: [1, 28, 28], task: 'classify', layers: [{ type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }

const select = (): HTMLSelectElement => screen.getByTestId('preset-select') as HTMLSelectElement

/** ArrowDown on the closed list as Chromium does it: the key, then the value moves on and change fires. */
async function arrowTo(value: string): Promise<void> {
  await fireEvent.keyDown(select(), { key: 'ArrowDown' })
  select().value = value
  await fireEvent.change(select())
}

describe('the start-from list', () => {
  it('only shows what the arrow keys reach; Enter opens it, as one undo step', async () => {
    openEditor(MINE)
    const first = project.spec
    await arrowTo(presetList()[0].id)
    await arrowTo(presetList()[1].id)
    await arrowTo('mlp')
    expect(project.spec).toBe(first)
    expect(editor.canUndo).toBe(false)
    expect(select().value).toBe('mlp')
    expect(screen.getByTestId('preset-load')).toBeTruthy()
    await fireEvent.keyDown(select(), { key: 'Enter' })
    expect(project.presetId).toBe('mlp')
    expect(screen.queryByTestId('preset-load')).toBeNull()
    editor.undo()
    expect(project.spec).toBe(first)
  })

  it('Load opens the choice; Escape puts back the network\'s own', async () => {
    openEditor(MINE)
    await arrowTo('mlp')
    await fireEvent.keyDown(select(), { key: 'Escape' })
    expect(select().value).toBe('')
    expect(screen.queryByTestId('preset-load')).toBeNull()
    await arrowTo('mlp')
    await fireEvent.click(screen.getByTestId('preset-load'))
    expect(project.presetId).toBe('mlp')
    expect(select().value).toBe('mlp')
  })

  it('opens at once when chosen in the open list, and shows the empty network it opened', async () => {
    openEditor(MINE)
    select().value = 'empty:digits'
    await fireEvent.change(select())
    expect(project.presetId).toBeNull()
    expect(project.spec?.layers).toHaveLength(1)
    // not "Custom architecture": the next ArrowDown goes on to the empty text network
    expect(select().value).toBe('empty:digits')
    await arrowTo('empty:text')
    await fireEvent.keyDown(select(), { key: 'Enter' })
    expect(project.spec?.task).toBe('language-model')
    expect(select().value).toBe('empty:text')
    // once edited, it is the learner's own network
    editor.addLayer('Relu')
    await fireEvent.blur(select())
    expect(select().value).toBe('')
  })
})
