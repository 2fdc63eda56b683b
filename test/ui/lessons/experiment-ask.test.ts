/**
 * The optimizer race, started from its lesson with a model the learner trained earlier (the CNN of lesson 7, say),
 * asks beside its button whether to replace that model, in both languages, and "Not now" leaves everything as it
 * was. Before, the button sent the learner to the editor's keep-or-fresh question for an edited network, and the
 * race did not start once it was answered.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import { tick } from 'svelte'
import { catalogues, i18n } from '../../../src-renderer/i18n/index.svelte'
import { race } from '../../../src-renderer/lib/lessons/race.svelte'
import { project } from '../../../src-renderer/lib/project.svelte'
import { editor } from '../../../src-renderer/lib/editor.svelte'
import { PRESETS } from '../../../src-engine/models/presets'
import OptimizerPaths from '../../../src-renderer/components/explainers/OptimizerPaths.svelte'

afterEach(() => {
  cleanup()
  race.stop()
  project.trained = false
  project.page = 'editor'
  if (editor.pending) editor.resolvePending('cancel')
  i18n.set('en')
})

describe('the optimizer race with a trained model', () => {
  it('asks beside its button and, on "Not now", changes nothing', async () => {
    const cnn = PRESETS.find((p) => p.id === 'simple-convnet')!
    project.spec = structuredClone(cnn.spec)
    project.presetId = cnn.id
    project.trained = true
    project.page = 'lessons'
    i18n.set('en')
    render(OptimizerPaths)
    const ask = screen.getByTestId('experiment-ask')
    expect(ask.textContent?.trim()).toBe('')
    await fireEvent.click(screen.getByTestId('opt-race'))
    await tick()
    expect(ask.textContent).toContain('The model you trained will be replaced')
    expect(ask.textContent).toContain('Model & project')
    expect(ask.querySelector('[role="status"]')?.textContent).toContain('fresh random weights')
    expect(project.page).toBe('lessons')
    expect(editor.pending).toBeNull()
    i18n.set('ko')
    await tick()
    expect(ask.textContent).toContain(catalogues.ko['explain.expGo'])
    expect(ask.textContent).toContain('모델·프로젝트')
    await fireEvent.click(screen.getByTestId('experiment-cancel'))
    await tick()
    expect(race.asking).toBe(false)
    expect(ask.textContent?.trim()).toBe('')
    expect(project.presetId).toBe('simple-convnet')
    expect(project.trained).toBe(true)
  })
})
