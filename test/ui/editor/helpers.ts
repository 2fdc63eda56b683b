/** Shared set-up for the editor's component tests: a fresh project and history, the page rendered. */
import { render, screen, within } from '@testing-library/svelte'
import { flushSync } from 'svelte'
import type { NetSpec } from '../../../src-engine/spec-types'
import EditorPage from '../../../src-renderer/pages/EditorPage.svelte'
import { editor } from '../../../src-renderer/lib/editor.svelte'
import { project } from '../../../src-renderer/lib/project.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import golden from '../../fixtures/golden.json'

export { golden }

/** Open `spec` (or the default preset when null) in a fresh editor, in English unless told. */
export function openEditor(spec: NetSpec | null, lang: 'en' | 'ko' = 'en'): ReturnType<typeof render> {
  i18n.set(lang)
  project.spec = spec ? structuredClone(spec) : null
  project.presetId = null
  project.trained = false
  project.weightsChoice = null
  project.page = 'editor'
  editor.reset()
  return render(EditorPage)
}

export const cards = (): HTMLElement[] => screen.queryAllByTestId('layer-card')

export function card(i: number): HTMLElement {
  const c = cards()[i]
  if (!c) throw new Error(`no layer card ${i} (there are ${cards().length})`)
  return c
}

/** The digits-only value of a counter (data-value), as a number. */
export function valueOf(el: HTMLElement): number {
  const v = el.getAttribute('data-value')
  if (v === null || !/^\d+$/.test(v)) throw new Error(`data-value is not digits: ${v}`)
  return Number(v)
}

export const paramTotal = (): number => valueOf(screen.getByTestId('param-total'))
export const layerParams = (i: number): number => valueOf(within(card(i)).getByTestId('layer-params'))
export const layerOut = (i: number): string => within(card(i)).getByTestId('layer-out').textContent ?? ''
export const field = (i: number, key: string): HTMLInputElement =>
  card(i).querySelector(`[data-field="${key}"]`) as HTMLInputElement
export const errorsIn = (i: number): HTMLElement[] => within(card(i)).queryAllByTestId('layer-error')

/** One key as Chromium reports it: the box's value after it, then an InputEvent with inputType and the key's text. */
export function inputKey(el: HTMLInputElement, value: string, data: string | null, inputType = 'insertText'): void {
  el.value = value
  el.dispatchEvent(new InputEvent('input', { bubbles: true, inputType, data }))
  flushSync()
}

/** Types `text` key by key into `el` over its contents, as Chromium reports each key (the box's value, then an InputEvent with inputType). */
export function typeKeys(el: HTMLInputElement, text: string): void {
  for (let i = 1; i <= text.length; i++) inputKey(el, text.slice(0, i), text[i - 1])
}

/** A small ConvNet for the typing tests: a Convolution (30 filters, 5 × 5, `stride`, no padding) first. */
export const convNet = (stride = 1): NetSpec => ({
  input: [1, 28, 28],
  layers: [
    { type: 'Convolution', filters: 30, kernel: 5, stride, pad: 0 },
    { type: 'Relu' }, { type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }
  ]
})

/** The first layer of the open network, its fields by name. */
export const firstLayer = (): Record<string, unknown> => project.spec!.layers[0] as unknown as Record<string, unknown>
