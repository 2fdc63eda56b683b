/** A page loaded again learns on connecting that the host still holds a trained model (model:held): the export items enable. */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import { tick } from 'svelte'
import type { Channel, LabEvent, MenuCommand, Result } from '../../../src-main/ipc/contract'
import type { NetSpec } from '../../../src-engine/spec-types'
import ModelMenu from '../../../src-renderer/components/files/ModelMenu.svelte'
import { setLab, type LabClient, type LabStatus } from '../../../src-renderer/lib/lab'
import { connection } from '../../../src-renderer/lib/connection.svelte'
import { learnHeldModel } from '../../../src-renderer/lib/held-model'
import { project } from '../../../src-renderer/lib/project.svelte'
import { editor } from '../../../src-renderer/lib/editor.svelte'
import { trainLab } from '../../../src-renderer/lib/train.svelte'
import { presetById } from '../../../src-engine/models/presets'

const MLP: NetSpec = { input: [1, 28, 28], task: 'classify', layers: [{ type: 'Flatten' }, { type: 'Affine', units: 32 }, { type: 'Relu' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }

/** A connected client whose model:held answers `held`. */
class HeldLab implements LabClient {
  transport = 'web' as const
  status: LabStatus = 'open'
  asked: Channel[] = []
  constructor(private readonly held: Result<unknown>) {}
  async request(channel: Channel): Promise<Result<never>> {
    this.asked.push(channel)
    return (channel === 'model:held' ? this.held : { ok: false, error: { code: 'unexpected', message: channel } }) as Result<never>
  }
  onEvent(_l: (e: LabEvent) => void): () => void { return () => {} }
  onStatus(l: (s: LabStatus) => void): () => void {
    l(this.status)
    return () => {}
  }
  onMenu(_l: (c: MenuCommand) => void): () => void { return () => {} }
  close(): void {}
}

/** The page as it is just after loading: the editor's default architecture, nothing trained, no history. */
function freshPage(): void {
  project.spec = null
  project.presetId = null
  project.trained = false
  trainLab.runs = []
  editor.reset()
  editor.ensureSpec()
}

afterEach(() => {
  cleanup()
  setLab(null)
  project.trained = false
})

describe('a page loaded again while the host holds a trained model', () => {
  it('takes back its architecture and enables the export items', async () => {
    freshPage()
    const lab = new HeldLab({ ok: true, value: { spec: MLP } })
    setLab(lab)
    const stop = connection.start(lab)
    // after train:current (no run to take over: this double refuses it)
    await vi.waitFor(() => expect(lab.asked).toContain('model:held'))
    await tick()
    stop()
    expect(project.spec).toEqual(MLP)
    expect(project.trained).toBe(true)
    render(ModelMenu)
    await fireEvent.click(screen.getByTestId('model-menu'))
    expect((screen.getByTestId('files-export-onnx') as HTMLButtonElement).disabled).toBe(false)
  })

  it('leaves a page the learner has changed as it is, and a malformed reply changes nothing', () => {
    freshPage()
    const mine = project.spec
    editor.commit({ ...MLP, layers: [...MLP.layers.slice(0, 3), { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }], name: 'mine' })
    const edited = project.spec
    learnHeldModel({ spec: MLP }, true)
    expect(project.spec).toBe(edited)
    expect(project.trained).toBe(false)
    freshPage()
    learnHeldModel({ spec: { input: 'no' } }, true)
    learnHeldModel({ nothing: 1 }, true)
    expect(project.spec).toEqual(mine)
    expect(project.trained).toBe(false)
  })

  it('on a later connection: the same architecture counts as trained, and no model held (a host started again) as not', () => {
    freshPage()
    project.spec = structuredClone(MLP)
    learnHeldModel({ spec: MLP }, false)
    expect(project.trained).toBe(true)
    learnHeldModel(null, false)
    expect(project.trained).toBe(false)
  })

  it('counts the same architecture as trained whatever its key order (the editor moves a retyped field last)', () => {
    freshPage()
    // as the editor holds it after the learner cleared and retyped the Affine's units, and with a key left undefined
    project.spec = { input: [1, 28, 28], task: 'classify', layers: [{ type: 'Flatten' }, { units: 32, type: 'Affine' }, { type: 'Relu' },
      { type: 'Affine', units: 10, name: undefined }, { type: 'SoftmaxWithLoss' }] } as NetSpec
    learnHeldModel({ spec: MLP }, false)
    expect(project.trained).toBe(true)
  })
})

describe('one way to make an architecture the page\'s (editor.adopt: an opened project, the held model)', () => {
  it('forgets the editor session, sets the spec, preset and trained, and fills the form for it (fresh or carried)', () => {
    freshPage()
    editor.commit({ ...MLP, name: 'edited' })
    expect(editor.canUndo).toBe(true)
    trainLab.prepareForm(project.spec)
    trainLab.form = { ...trainLab.form, optimizer: 'SGD', lr: 0.0123 }
    const lstm = structuredClone(presetById('char-lstm')!.spec)
    editor.adopt(lstm, 'char-lstm', true, false)
    expect(editor.canUndo).toBe(false)
    expect(project).toMatchObject({ spec: lstm, presetId: 'char-lstm', trained: true })
    // carried: the learner's choices stay, the language model trains on a text
    expect(trainLab.form).toMatchObject({ dataKind: 'text', optimizer: 'SGD', lr: 0.0123 })
    editor.adopt(structuredClone(MLP), null, false, true)
    expect(project).toMatchObject({ presetId: null, trained: false })
    // fresh: the network's own settings
    expect(trainLab.form).toMatchObject({ dataKind: 'mnist', optimizer: 'Adam', lr: 0.001 })
  })

  it('the held language model fills the form for a text, as an opened one does', () => {
    freshPage()
    trainLab.prepareForm(project.spec)
    const lstm = structuredClone(presetById('char-lstm')!.spec)
    learnHeldModel({ spec: lstm }, true)
    expect(project.presetId).toBe('char-lstm')
    expect(trainLab.form.dataKind).toBe('text')
  })
})
