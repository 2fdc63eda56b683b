/**
 * A saved history that names one run id twice (Q4's B2: a project file whose history holds the same run twice, another
 * colour) opens with every run kept and each id its own: the later one is renamed "<id>-2". The page lists runs by id
 * and its training page never rendered such a history (Svelte's each_key_duplicate). A page's save of such a history
 * is written cleaned too. On the old code both came back with the id twice.
 */
import { describe, expect, it } from 'vitest'
import { createDispatcher } from '../../src-main/ipc/handlers'
import { cleanHistory } from '../../src-main/ipc/project-schemas'
import { decodeProject, encodeProject } from '../../src-engine/io/project'
import type { SavedHistory, SavedRun } from '../../src-main/ipc/contract'
import { disposingHosts, mlpSpec, settings } from './helpers'

const newHost = disposingHosts()

const run = (id: string, over: Partial<SavedRun> = {}): SavedRun => ({
  id, specName: 'tiny MLP', settings: settings(), state: 'done', batchX: [1, 2], batchLoss: [2.3, 1.9],
  epochs: [{ epoch: 1, trainLoss: 1.9, trainAcc: 0.5, testLoss: 1.8, testAcc: 0.55, seconds: 1 }], color: '#1f77b4', ...over
})

/** Run a, the same run again in another colour, a run continuing a, and a run b-2 already named as the renaming would. */
const damaged = (): SavedHistory => ({
  runs: [
    run('a'),
    run('a', { color: '#ff7f0e', batchLoss: [2.2, 1.7] }),
    run('c', { continues: { runId: 'a', epochOffset: 1 } }),
    run('b'), run('b-2'), run('b')
  ],
  currentId: 'a'
})

const upload = (bytes: Uint8Array) => ({ from: 'upload', fileName: 'dup-ids.bplab', base64: Buffer.from(bytes).toString('base64') })

describe('a history naming one run id twice', () => {
  it('opens with every run, each id its own (the later renamed), the current run and links meaning the first', async () => {
    const call = createDispatcher(newHost())
    const r = await call('project:open', upload(encodeProject({ spec: mlpSpec(), history: damaged() })), true)
    expect(r.ok).toBe(true)
    const history = (r as { value: { history?: SavedHistory } }).value.history!
    expect(history.runs.map((x) => x.id)).toEqual(['a', 'a-2', 'c', 'b', 'b-2', 'b-3'])
    // nothing lost: the duplicate's own points and colour are kept under its new id
    expect(history.runs[1]).toMatchObject({ color: '#ff7f0e', batchLoss: [2.2, 1.7] })
    expect(history.runs[2].continues?.runId).toBe('a')
    expect(history.currentId).toBe('a')
  })

  it('a page’s save of it is written with unique ids', async () => {
    const call = createDispatcher(newHost())
    const r = await call('project:save', { project: { spec: mlpSpec(), settings: settings(), history: damaged() }, to: 'download' }, true)
    expect(r.ok).toBe(true)
    const saved = decodeProject(Buffer.from((r as { value: { base64: string } }).value.base64, 'base64'))
    expect(cleanHistory(saved.history)?.runs.map((x) => x.id)).toEqual(['a', 'a-2', 'c', 'b', 'b-2', 'b-3'])
    expect((saved.history as SavedHistory).runs.map((x) => x.id)).toEqual(['a', 'a-2', 'c', 'b', 'b-2', 'b-3'])
  })

  it('a history with unique ids is kept as it is, and a long id stays within the 200 characters an id may have', () => {
    const fine = { runs: [run('a'), run('b')], currentId: 'b' }
    expect(cleanHistory(fine)).toEqual(fine)
    const long = 'x'.repeat(200)
    const h = cleanHistory({ runs: [run(long), run(long)], currentId: long })!
    expect(h.runs[1].id).toBe(`${'x'.repeat(190)}-2`)
    expect(cleanHistory(h)).toEqual(h)
  })
})
