/**
 * The network being edited survives a reload (lib/draft-store.svelte.ts, Q3's F4): written to storage a moment after an
 * edit, it comes back at load with its name, preset and undo history; a damaged or foreign stored draft is ignored (the
 * default network opens, nothing throws); and a page loaded while the host holds another model, or runs another
 * network, keeps the restored draft as the learner's work. The old page kept the spec in memory only.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushSync } from 'svelte'
import type { CurrentRun } from '../../../src-main/ipc/contract'
import type { NetSpec } from '../../../src-engine/spec-types'
import type { TrainSettings } from '../../../src-engine/protocol'
import { editor } from '../../../src-renderer/lib/editor.svelte'
import { project } from '../../../src-renderer/lib/project.svelte'
import { trainLab } from '../../../src-renderer/lib/train.svelte'
import { learnHeldModel } from '../../../src-renderer/lib/held-model'
import { attachRun } from '../../../src-renderer/lib/attach-run'
import { presetList } from '../../../src-renderer/components/editor/engine'
import {
  DRAFT_KEY, HISTORY_KEPT, WRITE_DELAY_MS, decodeDraft, encodeDraft, keepDraft, readDraft, restoreDraft
} from '../../../src-renderer/lib/draft-store.svelte'

const MLP: NetSpec = { name: 'Their network', input: [1, 28, 28], task: 'classify', layers: [{ type: 'Flatten' }, { type: 'Affine', units: 32 }, { type: 'Relu' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }
const SETTINGS: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'SGD', lr: 0.05, batchSize: 50, epochs: 3, weightDecay: 0, seed: 4, threads: 1 }
const running = (spec: NetSpec): CurrentRun => ({
  runId: 'run-x', state: 'running', spec, settings: SETTINGS, lr: 0.05, lrChanges: [], stride: 1, last: null, snapshot: null,
  history: { runs: [], currentId: 'run-x' }
})

/** The page as it loads: nothing in the editor, no runs, nothing trained. */
function reload(): void {
  editor.reset()
  project.spec = null
  project.presetId = null
  project.trained = false
  project.page = 'editor'
  trainLab.runs = []
}

/** Builds a draft through the editor as the learner does: a preset, then a layer renamed and the network renamed. */
function editSome(): NetSpec {
  editor.ensureSpec()
  editor.loadPreset('mlp')
  editor.rename(0, 'myFlatten')
  editor.endTyping()
  editor.commit({ ...project.spec!, name: 'My CNN draft' })
  return project.spec!
}

beforeEach(() => {
  localStorage.clear()
  reload()
})
afterEach(() => {
  vi.useRealTimers()
  localStorage.clear()
  reload()
})

describe('the draft kept across a reload', () => {
  it('is written after a pause, and comes back with its name, preset and undo history', () => {
    vi.useFakeTimers()
    const stop = keepDraft(localStorage)
    const edited = editSome()
    flushSync()
    expect(localStorage.getItem(DRAFT_KEY)).toBeNull()
    vi.advanceTimersByTime(WRITE_DELAY_MS)
    stop()
    expect(localStorage.getItem(DRAFT_KEY)).not.toBeNull()

    reload()
    expect(restoreDraft(localStorage)).toBe(true)
    editor.ensureSpec()
    expect(project.spec).toEqual(edited)
    expect(project.spec?.name).toBe('My CNN draft')
    expect(project.presetId).toBe('mlp')
    expect(editor.canUndo).toBe(true)
    expect(editor.restored).toBe(true)
    editor.undo()
    expect((project.spec!.layers[0] as { name?: string }).name).toBe('myFlatten')
    editor.undo()
    editor.undo()
    // back to the default preset, with its own preset id
    expect(project.presetId).toBe(presetList()[0].id)
    expect(editor.canUndo).toBe(false)
    editor.redo()
    expect(project.presetId).toBe('mlp')
  })

  it('is written at once when the page goes away within the pause', () => {
    vi.useFakeTimers()
    const stop = keepDraft(localStorage)
    editSome()
    flushSync()
    window.dispatchEvent(new Event('pagehide'))
    stop()
    expect(readDraft(localStorage)?.spec.name).toBe('My CNN draft')
  })

  it('keeps the last HISTORY_KEPT undo steps', () => {
    const steps = Array.from({ length: HISTORY_KEPT + 5 }, (_, i) => ({ spec: { ...MLP, name: `n${i}` }, presetId: null }))
    const d = decodeDraft(encodeDraft({ spec: MLP, presetId: null, past: steps, future: [] }))!
    expect(d.past).toHaveLength(HISTORY_KEPT)
    expect(d.past[HISTORY_KEPT - 1].spec.name).toBe(`n${HISTORY_KEPT + 4}`)
  })

  it('is ignored when damaged or foreign: the default network opens and nothing throws', () => {
    const good = encodeDraft({ spec: MLP, presetId: null, past: [], future: [] })
    const bad = [
      '{"v":1,"spec":', 'null', '"text"', '{}', good.replace('"v":1', '"v":99'),
      good.replace('"Affine"', '"Wormhole"'), good.replace('"input":[1,28,28]', '"input":"big"')
    ]
    for (const text of bad) {
      reload()
      localStorage.setItem(DRAFT_KEY, text)
      expect(restoreDraft(localStorage), text).toBe(false)
      editor.ensureSpec()
      expect(project.presetId).toBe(presetList()[0].id)
      expect(editor.canUndo).toBe(false)
    }
    // a history step that does not read drops the history, not the network; an unknown preset id reads as custom
    const holed = JSON.stringify({ v: 1, spec: MLP, presetId: 'gone-preset', past: [{ spec: MLP, presetId: null }, { spec: { input: 'x' } }], future: [] })
    expect(decodeDraft(holed)).toEqual({ spec: MLP, presetId: null, past: [], future: [] })
    // storage that throws (refused, full) keeps nothing and breaks nothing
    const refusing = { getItem: () => { throw new Error('denied') }, setItem: () => { throw new Error('full') } }
    expect(restoreDraft(refusing)).toBe(false)
    expect(restoreDraft(undefined)).toBe(false)
  })

  it('comes back past the lab\'s 256 layers (a learner may add more, then remove some), not far past it (Q7 F5)', () => {
    const relus = (n: number): NetSpec => ({ ...MLP, layers: [{ type: 'Flatten' }, ...Array.from({ length: n - 3 }, () => ({ type: 'Relu' as const })), { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] })
    expect(decodeDraft(encodeDraft({ spec: relus(300), presetId: null, past: [], future: [] }))?.spec.layers).toHaveLength(300)
    // a 5,000-layer draft (imported before files were held to 256) made every reload draw 5,000 cards: ignored
    reload()
    localStorage.setItem(DRAFT_KEY, encodeDraft({ spec: relus(5000), presetId: null, past: [], future: [] }))
    expect(restoreDraft(localStorage)).toBe(false)
  })

  it('counts as the learner\'s work when the page learns of another held model or a run of another network', () => {
    // a draft with no history (an opened project, say): restored, it is not replaced by the host's model
    localStorage.setItem(DRAFT_KEY, encodeDraft({ spec: { ...MLP, name: 'Mine' }, presetId: null, past: [], future: [] }))
    restoreDraft(localStorage)
    const mine = project.spec
    learnHeldModel({ spec: MLP }, true)
    expect(project.spec).toBe(mine)
    expect(project.trained).toBe(false)
    attachRun(running(MLP), true)
    expect(project.spec).toBe(mine)
    expect(project.page).toBe('editor')

    // the draft is the running network itself (edited, then trained, then F5): the run is taken over as on a fresh page
    reload()
    localStorage.setItem(DRAFT_KEY, encodeDraft({ spec: MLP, presetId: null, past: [{ spec: presetList()[0].spec, presetId: presetList()[0].id }], future: [] }))
    restoreDraft(localStorage)
    attachRun(running(MLP), true)
    expect(project.page).toBe('train')
    expect(editor.canUndo).toBe(true)
  })

  it('is not counted as work when it is only the default network, untouched', () => {
    const first = presetList()[0]
    localStorage.setItem(DRAFT_KEY, encodeDraft({ spec: first.spec, presetId: first.id, past: [], future: [] }))
    restoreDraft(localStorage)
    expect(editor.restored).toBe(false)
    learnHeldModel({ spec: MLP }, true)
    expect(project.spec).toEqual(MLP)
  })
})
