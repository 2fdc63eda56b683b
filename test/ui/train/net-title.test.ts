/**
 * The training page's name for an edited network: the default two-layer preset with its input changed to
 * 3 × 224 × 224 was "Two-layer network (784 → 100 → 10) · from the Architecture page", sizes no longer true. It is
 * now the preset's name without its sizes and what the network is now (input shape → output shape), en and ko.
 * Before, the page showed "{name} · from the Architecture page" for any edited network; the page test fails on that.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, render, screen } from '@testing-library/svelte'
import TrainPage from '../../../src-renderer/pages/TrainPage.svelte'
import { setLab } from '../../../src-renderer/lib/lab'
import { project } from '../../../src-renderer/lib/project.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import { netTitle, shapesNow, titleWithoutSizes } from '../../../src-renderer/lib/net-title'
import { presetById } from '../../../src-engine/models/presets'
import { validateSpec } from '../../../src-engine/spec'
import { FakeLab, PRESETS as FAKE_PRESETS, flush } from './fake-lab'

afterEach(() => {
  cleanup()
  setLab(null)
  project.spec = null
  project.presetId = null
  i18n.set('en')
})

const NB = '\u00a0'

describe('an edited network’s name on the training page', () => {
  it('drops a preset title’s sizes, keeps its other brackets, and says the shapes from the report', () => {
    const mlp = presetById('mlp')!
    expect(titleWithoutSizes(mlp.title.en)).toBe('Two-layer network')
    expect(titleWithoutSizes(mlp.title.ko)).toBe('2층 신경망')
    expect(titleWithoutSizes('Simple ConvNet (book)')).toBe('Simple ConvNet (book)')
    const spec = { ...structuredClone(mlp.spec), input: [3, 224, 224] }
    expect(shapesNow(spec, validateSpec(spec))).toBe(`3${NB}×${NB}224${NB}×${NB}224${NB}→${NB}10`)
    // no shapes to tell from a refused design: the page keeps the plain wording
    const bad = { ...spec, layers: [] }
    expect(shapesNow(bad, validateSpec(bad))).toBeNull()
  })

  it('is one function of what the page knows: loading, default, preset as it came, edited, own (en, ko)', () => {
    const mlp = presetById('mlp')!
    const preset = { id: 'mlp', title: mlp.title.en, titles: mlp.title, kind: 'mlp' as const, spec: mlp.spec, params: 0 }
    const edited = { ...structuredClone(mlp.spec), input: [3, 224, 224] }
    const facts = { project: null, spec: mlp.spec, preset, defaultId: 'mlp', report: null }
    expect(netTitle({ ...facts, spec: null })).toBe('Loading the presets…')
    expect(netTitle(facts)).toBe(`Two-layer network (784 → 100 → 10)${NB}· default preset`)
    // the default preset untouched in the editor is still the default; another preset untouched is a preset as it came
    expect(netTitle({ ...facts, project: structuredClone(mlp.spec) })).toBe(`Two-layer network (784 → 100 → 10)${NB}· default preset`)
    expect(netTitle({ ...facts, project: structuredClone(mlp.spec), defaultId: 'simple-convnet' })).toBe(`Two-layer network (784 → 100 → 10)${NB}· preset, as it came`)
    const now = { ...facts, project: edited, spec: edited, report: validateSpec(edited) }
    expect(netTitle(now)).toBe(`Two-layer network, edited (3${NB}×${NB}224${NB}×${NB}224${NB}→${NB}10)${NB}· from the Architecture page`)
    // no shapes to tell (the report not in yet), or no preset it came from: the plain wording, by its own name
    expect(netTitle({ ...now, report: null })).toBe(`Two-layer network (784 → 100 → 10)${NB}· from the Architecture page`)
    expect(netTitle({ ...now, preset: null })).toBe(`${edited.name}${NB}· from the Architecture page`)
    expect(netTitle({ ...now, preset: null, spec: { ...edited, name: undefined } })).toBe(`Your network${NB}· from the Architecture page`)
    i18n.set('ko')
    expect(netTitle(now)).toBe(`2층 신경망 수정본 (3${NB}×${NB}224${NB}×${NB}224${NB}→${NB}10)${NB}· 아키텍처 페이지에서 가져옴`)
    expect(netTitle(facts)).toBe(`${mlp.title.ko}${NB}· 기본 프리셋`)
  })

  it('names the edited preset by what it is now (en, ko)', async () => {
    setLab(new FakeLab())
    const mlp = FAKE_PRESETS.find((p) => p.id === 'mlp')!
    project.spec = { ...structuredClone(mlp.spec), input: [3, 224, 224], layers: [{ type: 'Flatten' }, { type: 'Affine', units: 100 }, { type: 'Relu' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }
    project.presetId = 'mlp'
    render(TrainPage)
    await flush()
    const name = (): string => screen.getAllByTestId('train-network').at(-1)!.textContent!
    expect(name()).toBe(`Two-layer net, edited (3${NB}×${NB}224${NB}×${NB}224${NB}→${NB}10)${NB}· from the Architecture page`)
    i18n.set('ko')
    await flush()
    expect(name()).toBe(`Two-layer net 수정본 (3${NB}×${NB}224${NB}×${NB}224${NB}→${NB}10)${NB}· 아키텍처 페이지에서 가져옴`)
  })

  it('keeps the plain wording for a network that did not start from a preset (built from an empty one, imported)', async () => {
    setLab(new FakeLab())
    project.spec = { name: 'My CNN (v2)', input: [3, 32, 32], layers: [{ type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }
    project.presetId = null
    render(TrainPage)
    await flush()
    const name = (): string => screen.getAllByTestId('train-network').at(-1)!.textContent!
    expect(name()).toBe(`My CNN (v2)${NB}· from the Architecture page`)
    project.spec = { ...project.spec, name: undefined }
    await flush()
    expect(name()).toBe(`Your network${NB}· from the Architecture page`)
  })
})
