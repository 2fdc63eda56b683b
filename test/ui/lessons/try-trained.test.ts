/**
 * A lesson's "Train …" button with a model already trained (Q1 F3): the editor asks keep-or-fresh first, and its
 * answer takes the learner on to the training page the button named (Cancel stays on the editor, with the old
 * network). When no weight of the new network fits the trained one (an MLP replaced by the row-by-row LSTM, the conv
 * autoencoder by the 2-D-code one), the question offers no keeping and Start fresh is its default; when some fit,
 * keeping stays the default. Before, the learner was left on the editor after any answer, and "Keep compatible
 * weights" was the default even where nothing could be kept.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import { tick } from 'svelte'
import { catalogues, i18n } from '../../../src-renderer/i18n/index.svelte'
import { project } from '../../../src-renderer/lib/project.svelte'
import { editor } from '../../../src-renderer/lib/editor.svelte'
import { PRESETS } from '../../../src-engine/models/presets'
import { validateSpec } from '../../../src-engine/spec'
import { weightsFit } from '../../../src-renderer/lib/weights-fit'
import TryIt from '../../../src-renderer/components/lessons/TryIt.svelte'
import WeightsDialog from '../../../src-renderer/components/editor/WeightsDialog.svelte'

const preset = (id: string): (typeof PRESETS)[number] => PRESETS.find((p) => p.id === id)!

/** The learner trained `id`'s network, and is reading a lesson. */
function trained(id: string): void {
  editor.reset()
  project.spec = structuredClone(preset(id).spec)
  project.presetId = id
  project.trained = true
  project.weightsChoice = null
  project.page = 'lessons'
}

afterEach(() => {
  cleanup()
  if (editor.pending) editor.resolvePending('cancel')
  project.trained = false
  project.weightsChoice = null
  project.page = 'editor'
  i18n.set('en')
})

describe('weightsFit', () => {
  it('counts the new network\'s weights that a run from the trained model takes over, by name and size', () => {
    const r = (id: string): ReturnType<typeof validateSpec> => validateSpec(preset(id).spec)
    expect(weightsFit(r('mlp'), r('row-lstm'))?.kept).toBe(0)
    expect(weightsFit(r('conv-autoencoder'), r('ae-2d'))?.kept).toBe(0)
    const same = weightsFit(r('simple-convnet'), r('simple-convnet'))!
    expect(same.kept).toBe(same.total)
    expect(same.total).toBeGreaterThan(0)
    // the last layer widened: every weight but its W and b still fits
    const spec = structuredClone(preset('simple-convnet').spec)
    const last = spec.layers.map((l) => l.type).lastIndexOf('Affine')
    spec.layers[last] = { type: 'Affine', units: 12 }
    expect(weightsFit(r('simple-convnet'), validateSpec(spec))).toEqual({ kept: same.total - 2, total: same.total })
    // a network that is not valid yet: not known
    expect(weightsFit(r('mlp'), validateSpec({ input: [1, 28, 28], layers: [{ type: 'Pooling', size: 50, stride: 50 }] }))).toBeNull()
  })
})

describe('a lesson\'s Train button with a trained model', () => {
  it('asks on the editor, offers no keeping when nothing fits, and goes on to the training page after Start fresh', async () => {
    trained('conv-autoencoder')
    render(TryIt, { tries: [{ preset: 'ae-2d', page: 'train' }] })
    render(WeightsDialog)
    await fireEvent.click(screen.getByTestId('try-button'))
    await tick()
    expect(project.page).toBe('editor')
    expect(editor.pending).not.toBeNull()
    expect(screen.queryByTestId('weights-keep')).toBeNull()
    const fresh = screen.getByTestId('weights-fresh')
    expect(fresh.classList.contains('primary')).toBe(true)
    expect(document.activeElement).toBe(fresh)
    expect(screen.getByTestId('weights-body').textContent).toBe(catalogues.en['editor.weightsNoneFit'])
    // the network coming is named: the editor behind still shows the trained one
    expect(screen.getByTestId('weights-next').textContent).toBe(`New network: ${preset('ae-2d').title.en}`)
    i18n.set('ko')
    await tick()
    expect(screen.getByTestId('weights-body').textContent).toBe(catalogues.ko['editor.weightsNoneFit'])
    expect(screen.getByTestId('weights-next').textContent).toBe(`새 신경망: ${preset('ae-2d').title.ko}`)
    await fireEvent.click(fresh)
    await tick()
    expect(editor.pending).toBeNull()
    expect(project.presetId).toBe('ae-2d')
    expect(project.trained).toBe(false)
    expect(project.page).toBe('train')
  })

  it('keeps "Keep compatible weights" as the default when weights fit, goes on after it, and stays on Cancel', async () => {
    trained('simple-convnet')
    render(TryIt, { tries: [{ preset: 'simple-convnet', page: 'train' }] })
    render(WeightsDialog)
    // Cancel: the old network stays, and so does the learner (on the editor, where the question was)
    await fireEvent.click(screen.getByTestId('try-button'))
    await tick()
    await fireEvent.click(screen.getByTestId('weights-cancel'))
    await tick()
    expect(project.page).toBe('editor')
    expect(project.trained).toBe(true)
    project.page = 'lessons'
    await fireEvent.click(screen.getByTestId('try-button'))
    await tick()
    const keep = screen.getByTestId('weights-keep')
    expect(keep.classList.contains('primary')).toBe(true)
    expect(screen.getByTestId('weights-fresh').classList.contains('primary')).toBe(false)
    expect(screen.getByTestId('weights-body').textContent).toBe(catalogues.en['editor.weightsBody'])
    await fireEvent.click(keep)
    await tick()
    expect(project.weightsChoice).toBe('keep')
    expect(project.page).toBe('train')
  })

  it('goes straight to the page with no model trained', async () => {
    trained('mlp')
    project.trained = false
    render(TryIt, { tries: [{ preset: 'row-lstm', page: 'train' }] })
    await fireEvent.click(screen.getByTestId('try-button'))
    expect(editor.pending).toBeNull()
    expect(project.presetId).toBe('row-lstm')
    expect(project.page).toBe('train')
  })
})
