/**
 * Undo and redo bring back the preset a spec came from with the spec. Before, they kept the project's preset id of the
 * moment: undoing the choice of the char-LSTM preset gave back the simple ConvNet, which the training page then called
 * "Character LSTM language model · from the Architecture page" and filled with that preset's training defaults.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { editor } from '../../../src-renderer/lib/editor.svelte'
import { project } from '../../../src-renderer/lib/project.svelte'
import { isPresetAsIs, trainLab } from '../../../src-renderer/lib/train.svelte'
import { presetList } from '../../../src-renderer/components/editor/engine'

afterEach(() => {
  editor.reset()
  project.spec = null
  project.presetId = null
})

describe('undo across a preset choice', () => {
  it("gives back the spec with its own preset, and redo the chosen one; an edit keeps the spec's preset", () => {
    editor.loadPreset('simple-convnet')
    editor.loadPreset('char-lstm')
    expect(project.presetId).toBe('char-lstm')
    editor.undo()
    expect(project.presetId).toBe('simple-convnet')
    const convnet = presetList().find((p) => p.id === 'simple-convnet')!
    expect(isPresetAsIs(project.spec, trainLab.presetFor(project.spec, project.presetId) ?? convnet)).toBe(true)
    expect(project.spec?.name).toBe(convnet.spec.name)
    editor.redo()
    expect(project.presetId).toBe('char-lstm')
    // an edit of the LSTM and its undo stay the LSTM's
    const lm = project.spec!
    editor.commit({ ...lm, layers: lm.layers.map((l) => (l.type === 'TimeLSTM' ? { ...l, hidden: 32 } : l)) })
    editor.undo()
    expect(project.presetId).toBe('char-lstm')
    editor.undo()
    expect(project.presetId).toBe('simple-convnet')
  })
})
