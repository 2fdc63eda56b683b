/**
 * The training page's cost note comes from the editor's report (editor.reportFor): the page does not validate the
 * editor's architecture a second time, and a language model's output layer is counted with the chosen text's
 * vocabulary there as in the editor. Before, the page validated the spec without it: the char-LSTM preset's
 * TimeAffine counted 0 multiply-adds on the training page and 256 · 74 a step in the editor.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { cleanup, render, screen } from '@testing-library/svelte'
import TrainPage from '../../../src-renderer/pages/TrainPage.svelte'
import { setLab } from '../../../src-renderer/lib/lab'
import { project } from '../../../src-renderer/lib/project.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import { defaultsFor, trainLab } from '../../../src-renderer/lib/train.svelte'
import { labSpeed, measuredSpeed } from '../../../src-renderer/lib/speed.svelte'
import { validateSpec } from '../../../src-renderer/components/editor/engine'
import { validateSpec as engineValidate, withVocab } from '../../../src-engine/spec'
import { presetById } from '../../../src-engine/models/presets'
import { BUILTIN_TEXT_VOCAB } from '../../../src-engine/data/text'
import { FakeLab, flush } from './fake-lab'
import { openEditor } from '../editor/helpers'

vi.mock('../../../src-renderer/components/editor/engine', async (original) => {
  const m = await original<typeof import('../../../src-renderer/components/editor/engine')>()
  return { ...m, validateSpec: vi.fn(m.validateSpec) }
})

afterEach(() => {
  cleanup()
  setLab(null)
  labSpeed.forget()
  trainLab.form = defaultsFor(null, 1)
  trainLab.runs = []
  trainLab.currentId = null
  project.spec = null
  i18n.set('en')
})

/** The multiply-adds per example a cost note states ("… 22,183,936 multiply-adds per example forward …"). */
const stated = (): string => /([\d,]+) multiply-adds per example/.exec(screen.getByTestId('cost-slow').textContent ?? '')?.[1] ?? ''

describe("the training page's cost note", () => {
  it("counts the char-LSTM preset with the built-in text's vocabulary, as the editor does, validating it once", async () => {
    const lstm = structuredClone(presetById('char-lstm')!.spec)
    trainLab.form = defaultsFor(lstm, 1)
    // a slow computer, so the preset's epoch gets the note (~14 min at 10^8 multiply-adds a second)
    labSpeed.record(measuredSpeed(10, 1e7, 1, 'slow')!)
    const macs = engineValidate(withVocab(lstm, BUILTIN_TEXT_VOCAB)).totalMacs
    // embed1 → lstm1 (4 · 256 · (64 + 256) a step) → taffine1 (256 · 74 a step), 64 steps
    expect(macs).toBe(64 * (4 * 256 * (64 + 256) + 256 * 74))
    const editorSays = (openEditor(lstm), stated())
    cleanup()
    setLab(new FakeLab())
    project.spec = structuredClone(lstm)
    project.presetId = 'char-lstm'
    vi.mocked(validateSpec).mockClear()
    render(TrainPage)
    await flush()
    expect(stated()).toBe(macs.toLocaleString('en'))
    expect(stated()).toBe(editorSays)
    // the editor's report, validated once for the page (before: once more for the note, without the vocabulary)
    expect(validateSpec).toHaveBeenCalledTimes(1)
  })
})
