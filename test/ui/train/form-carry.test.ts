/**
 * The training settings the learner chose survive the editor's edits (each makes a new spec); a preset chosen
 * from the list, or an opened project, brings its own (lib/train.svelte.ts carryForm, freshForm).
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { OpenedProject } from '../../../src-main/ipc/contract'
import type { NetSpec } from '../../../src-engine/spec-types'
import { project } from '../../../src-renderer/lib/project.svelte'
import { editor } from '../../../src-renderer/lib/editor.svelte'
import { trainLab, carryData, defaultsFor, settingsFromForm, type DataChoice } from '../../../src-renderer/lib/train.svelte'
import { FilesLab } from '../../../src-renderer/lib/files.svelte'
import { presetList } from '../../../src-renderer/components/editor/engine'
import { FakeApi } from '../files/fake-api'

/** What the training page does whenever the editor's spec changes. */
const fill = (): void => trainLab.prepareForm(project.spec, trainLab.presetFor(project.spec, project.presetId))

afterEach(() => {
  editor.reset()
  project.spec = null
  project.presetId = null
  trainLab.form = defaultsFor(null, 1)
})

describe('training settings across edits', () => {
  it("keeps the learner's settings when a layer is edited; choosing a preset again sets its own", () => {
    const id = presetList()[0].id
    editor.loadPreset(id)
    fill()
    const own = { ...trainLab.form }
    trainLab.form = { ...trainLab.form, optimizer: 'SGD', lr: 0.0123, epochs: 9 }
    // widen a layer, as the editor's fields do
    const spec = project.spec!
    editor.commit({ ...spec, layers: spec.layers.map((l) => (l.type === 'Affine' ? { ...l, units: (l.units ?? 10) + 1 } : l)) })
    fill()
    expect(trainLab.form).toMatchObject({ optimizer: 'SGD', lr: 0.0123, epochs: 9 })
    editor.loadPreset(id)
    fill()
    expect(trainLab.form).toMatchObject({ optimizer: own.optimizer, lr: own.lr, epochs: own.epochs })
  })

  it("an opened project without saved settings gets its network's defaults, not the form the learner left", async () => {
    const spec: NetSpec = { name: 'tiny', input: [1, 28, 28], layers: [{ type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }
    project.spec = spec
    fill()
    trainLab.form = { ...trainLab.form, optimizer: 'SGD', lr: 0.0123 }
    const opened: OpenedProject = { fileName: 'old.bplab', savedAt: '2026-11-25T17:00:00Z', spec: { ...spec }, presetId: null, hasWeights: false } as OpenedProject
    const files = new FilesLab()
    files.connect(new FakeApi({ 'project:open': { ok: true, value: opened } }), false)
    expect(await files.open({ from: 'recovery' })).not.toBeNull()
    expect(trainLab.form).toMatchObject({ optimizer: 'Adam', lr: 0.001 })
  })

  it("keeps the learner's IDX folder across a language model and back; an emptied folder path goes to the digits, said so", () => {
    editor.loadPreset('simple-convnet')
    fill()
    trainLab.form = { ...trainLab.form, dataKind: 'idx', idxDir: '/data/fashion' }
    editor.loadPreset('char-lstm')
    fill()
    expect(trainLab.form.dataKind).toBe('text')
    expect(trainLab.formDropped).toEqual([])
    // an edit of the language model keeps the memory of the folder
    const lm = project.spec!
    editor.commit({ ...lm, layers: lm.layers.map((l) => (l.type === 'TimeLSTM' ? { ...l, hidden: 64 } : l)) })
    fill()
    editor.loadPreset('simple-convnet')
    fill()
    expect(trainLab.form).toMatchObject({ dataKind: 'idx', idxDir: '/data/fashion' })
    expect(settingsFromForm(trainLab.form).data).toEqual({ kind: 'idx', dir: '/data/fashion' })
    // by edits, with the learner's own text chosen meanwhile: the line says the folder is back
    const cnn = project.spec!
    editor.commit({ ...structuredClone(presetList().find((p) => p.id === 'char-lstm')!.spec) })
    fill()
    expect(trainLab.formDropped).toEqual(['data-text'])
    trainLab.form = { ...trainLab.form, textFile: '/data/diary.txt' }
    editor.commit(structuredClone(cnn))
    fill()
    expect(trainLab.form.dataKind).toBe('idx')
    expect(trainLab.formDropped).toEqual(['data-folder'])
    // the digits chosen before the text stay the digits; a folder path emptied meanwhile cannot be trained on
    trainLab.form = { ...trainLab.form, dataKind: 'mnist' }
    editor.loadPreset('char-lstm')
    fill()
    editor.loadPreset('simple-convnet')
    fill()
    expect(trainLab.form.dataKind).toBe('mnist')
    trainLab.form = { ...trainLab.form, dataKind: 'idx' }
    editor.commit(structuredClone(presetList().find((p) => p.id === 'char-lstm')!.spec))
    fill()
    trainLab.form = { ...trainLab.form, idxDir: '  ', textFile: '/data/diary.txt' }
    editor.commit(structuredClone(cnn))
    fill()
    expect(trainLab.form.dataKind).toBe('mnist')
    expect(trainLab.formDropped).toEqual(['data-images'])
  })

  it('says the IDX folder is back when the network leaves a language model that trained on the built-in text', () => {
    editor.loadPreset('simple-convnet')
    fill()
    trainLab.form = { ...trainLab.form, dataKind: 'idx', idxDir: '/data/fashion' }
    const cnn = project.spec!
    editor.commit(structuredClone(presetList().find((p) => p.id === 'char-lstm')!.spec))
    fill()
    expect(trainLab.form).toMatchObject({ dataKind: 'text', textFile: 'builtin' })
    expect(trainLab.formDropped).toEqual(['data-text'])
    // before, nothing was said here: only a text of the learner's own was worth a line
    editor.commit(structuredClone(cnn))
    fill()
    expect(trainLab.form.dataKind).toBe('idx')
    expect(trainLab.formDropped).toEqual(['data-folder'])
  })
})

describe('the data choice', () => {
  const images: DataChoice = { dataKind: 'mnist', idxDir: '/usr/share/datasets/fashion-mnist', textFile: 'builtin', imageKind: 'mnist' }
  const text: DataChoice = { ...images, dataKind: 'text' }

  it('is carried whole across an edit: the kind, both paths and the image data chosen last', () => {
    const mine: DataChoice = { dataKind: 'idx', idxDir: '/data/a', textFile: '/data/t.txt', imageKind: 'mnist' }
    expect(carryData(mine, 'mnist', images)).toEqual({ data: { ...mine, imageKind: 'idx' }, dropped: null })
    // to a language model: the text, the folder remembered
    expect(carryData(mine, 'mnist', text)).toEqual({ data: { ...mine, dataKind: 'text', imageKind: 'idx' }, dropped: 'data-text' })
    // and back: the folder again, said so whichever text it trained on
    const lm: DataChoice = { dataKind: 'text', idxDir: '/data/a', textFile: 'builtin', imageKind: 'idx' }
    expect(carryData(lm, 'text', images)).toEqual({ data: { ...lm, dataKind: 'idx' }, dropped: 'data-folder' })
    // the built-in text following the network back to the digits is not worth a word
    expect(carryData({ ...lm, imageKind: 'mnist' }, 'text', images)).toEqual({ data: { ...lm, dataKind: 'mnist', imageKind: 'mnist' }, dropped: null })
    // an emptied path keeps its place: the network's default folder is offered again
    expect(carryData({ ...mine, idxDir: '' }, 'mnist', images).data.idxDir).toBe('/usr/share/datasets/fashion-mnist')
  })
})
