/**
 * Export writes the open architecture as JSON; import checks a file before it touches the project,
 * says clearly what is wrong with a bad one, and loses nothing.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/svelte'
import type { NetSpec } from '../../../src-engine/spec-types'
import { project } from '../../../src-renderer/lib/project.svelte'
import { editor } from '../../../src-renderer/lib/editor.svelte'
import { parseSpecJson } from '../../../src-renderer/components/editor/spec-json'
import { cards, openEditor, paramTotal } from './helpers'

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
    ['text that is not JSON', '{"input": [1, 28, 28], "layers": [', 'not valid JSON'],
    ['a list instead of an object', '[1, 2, 3]', 'one object'],
    ['an input shape with a zero', '{"input": [1, 0, 28], "layers": []}', '"input" must be'],
    ['an unknown layer type', '{"input": [4], "layers": [{"type": "Conv9D"}]}', 'Layer 1 has an unknown type "Conv9D"'],
    ['a missing required setting', '{"input": [4], "layers": [{"type": "Affine"}]}', 'is missing "units"'],
    ['a setting of the wrong kind', '{"input": [1,8,8], "layers": [{"type": "Convolution", "filters": "8", "kernel": 3}]}', '"filters" = "8"'],
    ['a misspelt setting', '{"input": [1,8,8], "layers": [{"type": "Convolution", "filters": 8, "kernel": 3, "strides": 2}]}', '"strides"']
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

  it('opens a file whose shapes do not work, and shows the problem at its layer', async () => {
    openEditor(net)
    await pick(JSON.stringify({ input: [1, 7, 7], layers: [{ type: 'Convolution', filters: 2, kernel: 3, stride: 3 }, { type: 'Flatten' }, { type: 'Affine', units: 2 }, { type: 'SoftmaxWithLoss' }] }))
    const err = await screen.findByTestId('layer-error')
    expect(err.getAttribute('data-code')).toBe('conv-size-not-integer')
  })
})
