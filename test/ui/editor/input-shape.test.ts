/**
 * A shape typed into the input card that the network cannot take ("abc", "-3", "1, 0, 28", four sizes) is said
 * beside the box, with what to type and the shape the network keeps, and stays in the box once it is left: the
 * card put the last shape back in silence (K4's walk). The reader itself is pure and checked here too.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, screen } from '@testing-library/svelte'
import { flushSync } from 'svelte'
import { project } from '../../../src-renderer/lib/project.svelte'
import { editor } from '../../../src-renderer/lib/editor.svelte'
import { isShapePrefix, readInputShape } from '../../../src-renderer/components/editor/input-shape'
import { openEditor } from './helpers'
import type { NetSpec } from '../../../src-engine/spec-types'

afterEach(() => cleanup())

const net = (): NetSpec => ({
  input: [1, 28, 28],
  layers: [{ type: 'Convolution', filters: 4, kernel: 3, stride: 1, pad: 1 }, { type: 'Relu' }, { type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }]
})

const box = (): HTMLInputElement => screen.getByTestId('input-shape') as HTMLInputElement
const said = (): HTMLElement | null => {
  const id = box().getAttribute('aria-describedby')
  return id ? document.getElementById(id) : null
}

async function type(value: string): Promise<void> {
  await fireEvent.input(box(), { target: { value } })
  flushSync()
}
async function leave(): Promise<void> {
  await fireEvent.blur(box())
  flushSync()
}

describe('the input shape box', () => {
  it('reads 1 to 3 whole sizes, and names the part it cannot take', () => {
    expect(readInputShape('1, 28, 28')).toEqual({ ok: true, dims: [1, 28, 28] })
    expect(readInputShape('(1×28×28)')).toEqual({ ok: true, dims: [1, 28, 28] })
    expect(readInputShape('abc')).toEqual({ ok: false, reason: 'part', bad: 'abc' })
    expect(readInputShape('-3')).toEqual({ ok: false, reason: 'part', bad: '-3' })
    expect(readInputShape('1, 0, 28')).toEqual({ ok: false, reason: 'part', bad: '0' })
    expect(readInputShape('1, 2, 3, 4')).toEqual({ ok: false, reason: 'too-many', bad: '4' })
    expect(readInputShape('  ')).toEqual({ ok: false, reason: 'empty', bad: '' })
    expect(isShapePrefix('1, ')).toBe(true)
    expect(isShapePrefix('1, 2')).toBe(false)
  })

  it.each([['abc', 'abc is not one'], ['-3', '-3 is not one'], ['1, 0, 28', '0 is not one'], ['1, 2, 3, 4', '4 were typed']])(
    '"%s" is said beside the box, kept there after leaving it, the network keeping 1, 28, 28', async (text, words) => {
      openEditor(net())
      expect(said()).toBeNull()
      await type(text)
      expect(said()?.textContent).toContain(words)
      expect(said()?.textContent).toContain('the network keeps 1, 28, 28')
      expect(box().getAttribute('aria-invalid')).toBe('true')
      await leave()
      // not put back in silence: the text stays for the learner to fix, with its message
      expect(box().value).toBe(text)
      expect(said()?.textContent).toContain(words)
      expect(project.spec!.input).toEqual([1, 28, 28])
      // a shape it can take clears the message
      await type('1, 14, 14')
      expect(said()).toBeNull()
      expect(project.spec!.input).toEqual([1, 14, 14])
    })

  it('says an emptied box when it is left, in Korean too, and the message goes when undo changes the shape', async () => {
    openEditor(net(), 'ko')
    await type('1, 14, 14')
    await type('')
    expect(said()).toBeNull()
    await leave()
    expect(said()?.textContent).toContain('칸이 비어 있어서 신경망은 지금 형상(1, 14, 14) 그대로입니다')
    editor.undo()
    flushSync()
    expect(project.spec!.input).toEqual([1, 28, 28])
    expect(said()).toBeNull()
  })
})
