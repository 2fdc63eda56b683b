/**
 * Importing an architecture while a trained model is open asks first whether to keep the weights that fit. The page
 * says "Architecture imported" only once the import took effect: after Keep or Start fresh, not while the question is
 * open (the editor still shows the old network then) and not after Cancel (Q1 F9: the note was shown at once).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/svelte'
import type { NetSpec } from '../../../src-engine/spec-types'
import { project } from '../../../src-renderer/lib/project.svelte'
import { openEditor } from './helpers'

afterEach(() => cleanup())

const trained: NetSpec = {
  name: 'Trained', input: [1, 28, 28], task: 'classify',
  layers: [{ type: 'Flatten' }, { type: 'Affine', units: 10, name: 'out' }, { type: 'SoftmaxWithLoss' }]
}
const imported: NetSpec = {
  name: 'Imported', input: [1, 28, 28], task: 'classify',
  // the trained Affine layer fits (same name, same size): Keep is offered
  layers: [{ type: 'Flatten' }, { type: 'Dropout', rate: 0.25 }, { type: 'Affine', units: 10, name: 'out' }, { type: 'SoftmaxWithLoss' }]
}

async function pick(spec: NetSpec): Promise<void> {
  const input = screen.getByTestId('import-file') as HTMLInputElement
  const file = new File([JSON.stringify(spec)], 'net.json', { type: 'application/json' })
  Object.defineProperty(input, 'files', { value: [file], configurable: true })
  await fireEvent.change(input)
}

/** A trained model open in the editor, with no keep-or-fresh answer yet. */
function openTrained(lang: 'en' | 'ko' = 'en'): void {
  openEditor(trained, lang)
  project.trained = true
  project.weightsChoice = null
}

/** Picks the imported file over the trained model: the keep-or-fresh question opens, and nothing says "imported" yet. */
async function importAsked(): Promise<void> {
  await pick(imported)
  await screen.findByTestId('weights-dialog')
  expect(screen.queryByTestId('import-ok')).toBeNull()
}

describe('importing over a trained model', () => {
  it('says nothing while the keep-or-fresh question is open, nothing after Cancel, and "imported" after Start fresh', async () => {
    openTrained()
    await importAsked()
    expect(project.spec!.name).toBe('Trained')
    await fireEvent.click(screen.getByTestId('weights-cancel'))
    expect(screen.queryByTestId('weights-dialog')).toBeNull()
    expect(project.spec!.name).toBe('Trained')
    expect(screen.queryByTestId('import-ok')).toBeNull()

    await importAsked()
    await fireEvent.click(screen.getByTestId('weights-fresh'))
    expect(project.spec!.name).toBe('Imported')
    expect(screen.getByTestId('import-ok').textContent).toContain('Architecture imported')
  })

  it('says "imported" after Keep, in Korean too', async () => {
    openTrained('ko')
    await importAsked()
    await fireEvent.click(screen.getByTestId('weights-keep'))
    expect(project.spec!.name).toBe('Imported')
    expect(screen.getByTestId('import-ok').textContent).toContain('구조를 가져왔습니다')
  })

  it('an untrained network takes the file at once and says so', async () => {
    openEditor(trained)
    await pick(imported)
    await waitFor(() => expect(screen.getByTestId('import-ok')).toBeTruthy())
    expect(screen.queryByTestId('weights-dialog')).toBeNull()
    expect(project.spec!.name).toBe('Imported')
  })
})
