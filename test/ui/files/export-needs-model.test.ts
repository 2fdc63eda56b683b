/** The model menu's export items before there is a model: unavailable (aria-disabled, still focusable), and they say why (en, ko), instead of a refusal after a click. */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import { flushSync, tick } from 'svelte'
import ModelMenu from '../../../src-renderer/components/files/ModelMenu.svelte'
import { setLab } from '../../../src-renderer/lib/lab'
import { project } from '../../../src-renderer/lib/project.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import { FakeApi } from './fake-api'

afterEach(() => {
  cleanup()
  i18n.set('en')
  setLab(null)
  project.trained = false
})

const items = (): HTMLButtonElement[] => ['safetensors', 'npz', 'onnx'].map((f) => screen.getByTestId(`files-export-${f}`) as HTMLButtonElement)

describe('export with no model', () => {
  it('marks the export items unavailable with the reason, and enables them once a model is trained', async () => {
    const api = new FakeApi({})
    setLab(api)
    project.trained = false
    render(ModelMenu)
    await fireEvent.click(screen.getByTestId('model-menu'))
    for (const b of items()) {
      expect(b.getAttribute('aria-disabled')).toBe('true')
      expect(b.title).toBe('Train a model first, or open a project saved with weights: there is nothing to export yet.')
    }
    expect(screen.getByTestId('files-export-none').textContent).toBe(items()[0].title)
    await fireEvent.click(items()[2])
    expect(api.calls.some((c) => c.channel === 'model:export')).toBe(false)
    i18n.set('ko')
    flushSync()
    expect(items()[2].title).toBe('내보낼 모델이 아직 없습니다. 먼저 학습하거나 가중치와 함께 저장한 프로젝트를 여세요.')
    project.trained = true
    await tick()
    for (const b of items()) expect([b.getAttribute('aria-disabled'), b.title, b.hasAttribute('aria-describedby')]).toEqual(['false', '', false])
    expect(screen.queryByTestId('files-export-none')).toBeNull()
    // the import item never depended on a model
    expect((screen.getByTestId('files-import') as HTMLButtonElement).disabled).toBe(false)
  })
})
