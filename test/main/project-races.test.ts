/**
 * What an open, an import, the recovery check or a text upload read can no longer be applied as it was when the read
 * began: the read takes seconds (a reader thread), and a run may start, the lab close, a second open overtake the
 * first, or the autosave be discarded meanwhile. Each case here fails on the code that checked only before the read.
 * The stub host answers at once and reads run on this thread, so the order of events is fixed, not timed.
 */
import { afterAll, describe, expect, it, vi } from 'vitest'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ProjectService, type ModelHost } from '../../src-main/projects'
import type { OpenedProject, Result } from '../../src-main/ipc/contract'
import { encodeProject } from '../../src-engine/io/project'
import { encodeModelWeights } from '../../src-engine/io/safetensors'
import type { NetSpec } from '../../src-engine/spec-types'
import type { TrainSettings } from '../../src-engine/protocol'
import { disposingHosts, image, isState, mlpSpec, record, settings as hostSettings } from './helpers'

const spec: NetSpec = { name: 'MLP', input: [1, 28, 28], layers: [{ type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }
const settings: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 2, weightDecay: 0, seed: 1, threads: 1 }
const tensors = () => ({ 'affine1.W': { shape: [784, 10], data: new Float32Array(7840).fill(0.01) }, 'affine1.b': { shape: [10], data: new Float32Array(10) } })
const upload = (fileName: string, bytes: Uint8Array) => ({ from: 'upload' as const, fileName, base64: Buffer.from(bytes).toString('base64') })

const dirs: string[] = []
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }) })
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'backprop-lab-races-'))
  dirs.push(d)
  return d
}

/** A host whose run and closing the test sets, recording which model it holds (the last load or forget). */
function stubHost() {
  const state = { training: false, closed: false, held: null as string | null, loads: 0 }
  const host: ModelHost = {
    getModel: async () => ({ ok: false, error: { code: 'no-model', message: 'none' } }),
    loadModel: async (s) => {
      state.loads++
      state.held = s.name ?? '?'
      return { ok: true, value: { params: 7850 } }
    },
    modelFile: async () => ({ ok: false, error: { code: 'no-model', message: 'none' } }),
    isTraining: () => state.training,
    isClosed: () => state.closed,
    preferPriority: () => 'low',
    autosave: async () => ({ ok: true, value: { written: true } }),
    forgetModel: () => { state.held = null }
  }
  return { host, state }
}

describe('what changes while a file is read', () => {
  it('an open refuses as busy when a run started during its read, and leaves the model as the run has it', async () => {
    const { host, state } = stubHost()
    const p = new ProjectService(host, { dataDir: null })
    state.held = 'the run'
    // a project without weights: applied, it would forget the running run's model
    const opening = p.open(upload('plain.bplab', encodeProject({ spec })))
    state.training = true
    expect(await opening).toMatchObject({ ok: false, error: { code: 'busy', params: { case: 'open' } } })
    expect(state.held).toBe('the run')
  })

  it('an import refuses as busy (case import) when a run started during its read, without loading', async () => {
    const { host, state } = stubHost()
    const p = new ProjectService(host, { dataDir: null })
    const importing = p.importWeights(spec, upload('w.safetensors', encodeModelWeights(spec, tensors())))
    state.training = true
    expect(await importing).toMatchObject({ ok: false, error: { code: 'busy', params: { case: 'import' } } })
    expect(state.loads).toBe(0)
  })

  it('nothing is applied or kept once the lab closed during the read', async () => {
    const { host, state } = stubHost()
    const dir = tempDir()
    const p = new ProjectService(host, { dataDir: dir })
    const opening = p.open(upload('w.bplab', encodeProject({ spec, weights: tensors() })))
    const importing = p.importWeights(spec, upload('w.safetensors', encodeModelWeights(spec, tensors())))
    const storing = p.storeText(upload('t.txt', new TextEncoder().encode('hello, world\n')))
    state.closed = true
    for (const r of [await opening, await importing, await storing]) expect(r).toMatchObject({ ok: false, error: { code: 'closed' } })
    expect(state.loads).toBe(0)
    expect(await p.keptTexts()).toEqual({ ok: true, value: [] })
  })

  it('two opens apply one after the other: the host holds the model of the last one answered', async () => {
    const { host, state } = stubHost()
    const p = new ProjectService(host, { dataDir: tempDir() })
    // the first carries no weights but a text, whose keeping is written to disk after the model is forgotten;
    // the second, with weights, was read meanwhile
    const text = { fileName: 'diary.txt', bytes: new TextEncoder().encode('a long diary\n'.repeat(20_000)) }
    const first = encodeProject({ spec: { ...spec, name: 'untrained' }, settings: { ...settings, data: { kind: 'text', file: '/elsewhere/diary.txt' } }, text })
    const second = encodeProject({ spec: { ...spec, name: 'trained' }, weights: tensors() })
    const answered: Result<OpenedProject>[] = []
    await Promise.all([p.open(upload('first.bplab', first)), p.open(upload('second.bplab', second))].map((o) => o.then((r) => answered.push(r))))
    const last = answered.at(-1)!
    if (!last.ok) throw new Error(last.error.message)
    // the page shows the last answer's project: trained if and only if the host holds its model
    expect(answered.every((r) => r.ok)).toBe(true)
    expect(last.value.hasWeights ? last.value.spec.name : null).toBe(state.held)
  })

  it('the recovery check offers no autosave that was discarded while it was read', async () => {
    const { host } = stubHost()
    const dir = tempDir()
    writeFileSync(join(dir, 'recovery.bplab'), encodeProject({ spec, settings }))
    const p = new ProjectService(host, { dataDir: dir })
    const asking = p.recovery()
    p.discardRecovery()
    expect(await asking).toEqual({ ok: true, value: null })
    // and one still there is offered
    writeFileSync(join(dir, 'recovery.bplab'), encodeProject({ spec, settings }))
    expect(await p.recovery()).toMatchObject({ ok: true, value: { specName: 'MLP' } })
  })
})

describe('a model the host forgets', () => {
  const newHost = disposingHosts()

  it('is dropped by the training thread too (drop-model), so its engine memory comes back before the next run', async () => {
    const host = newHost()
    const events = record(host)
    const started = host.start(mlpSpec(), hostSettings())
    if (!started.ok) throw new Error(started.error.message)
    await events.waitFor(isState('done'))
    const worker = host['worker']!
    const sent = vi.spyOn(worker, 'postMessage')
    // a project without weights: the host holds no model any more
    const opened = await host.projects.open(upload('plain.bplab', encodeProject({ spec: mlpSpec() })))
    expect(opened.ok).toBe(true)
    expect(sent.mock.calls.map((c) => (c[0] as { type: string }).type)).toEqual(['drop-model'])
    expect(host.heldModel()).toEqual({ ok: true, value: null })
    expect(events.of('error')).toEqual([])
  })

  it('stays forgotten when it was forgotten while moving to a thread of another priority', async () => {
    const host = newHost()
    const events = record(host)
    const started = host.start(mlpSpec(), hostSettings())
    if (!started.ok) throw new Error(started.error.message)
    await events.waitFor(isState('done'))
    // the model moves to a thread at normal priority; a project without weights opens meanwhile
    const moving = host.setPriority('normal')
    while (host['switching'] === null) await new Promise((r) => setImmediate(r))
    const opened = await host.projects.open(upload('plain.bplab', encodeProject({ spec: mlpSpec() })))
    expect(opened.ok).toBe(true)
    expect(await moving).toMatchObject({ ok: true, value: { restarted: true } })
    // before, the move's load marked the moved model held again, and the new thread kept it
    expect(host.heldModel()).toEqual({ ok: true, value: null })
    expect(await host.predict(image())).toMatchObject({ ok: false, error: { code: 'no-model' } })
  })
})
