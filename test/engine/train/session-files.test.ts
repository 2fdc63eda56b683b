/** The worker's side of projects: checkpoints after each epoch, vocabularies and continuing from a model. */
import { describe, expect, it } from 'vitest'
import type { Checkpoint, TrainSettings, WorkerEvent } from '../../../src-engine/protocol'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { WorkerSession } from '../../../src-engine/train/session'
import type { TrainData } from '../../../src-engine/train/data'
import { decodeProject } from '../../../src-engine/io/project'
import { TINY_MLP, recordingSession, smallDigits } from './fixtures'

const data = smallDigits()
const SETTINGS: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.01, batchSize: 20, epochs: 2, weightDecay: 0, seed: 5, threads: 1 }

const session = () => recordingSession(data)

/** A session whose events are recorded and also handed to `on` as they are posted (a host answering at once). */
function recordingSessionWith(d: TrainData, on: (e: WorkerEvent) => void): { s: WorkerSession; events: WorkerEvent[] } {
  const events: WorkerEvent[] = []
  const s = new WorkerSession((e) => { events.push(e); on(e) }, { loadData: () => d })
  return { s, events }
}

const lastReply = (events: WorkerEvent[]) => events.at(-1) as Extract<WorkerEvent, { type: 'reply' }>

describe('WorkerSession and project files', () => {
  it('keeps a checkpoint after each epoch only when the start asks for it, and writes the one kept as the autosave', async () => {
    const { s, events } = session()
    s.handle({ type: 'start', runId: 'a', spec: TINY_MLP, settings: SETTINGS })
    await s.running
    expect(events.some((e) => e.type === 'checkpoint')).toBe(false)
    events.length = 0
    const dir = mkdtempSync(join(tmpdir(), 'session-autosave-'))
    const project = (epoch: number) => ({ settings: SETTINGS, history: { runs: [{ id: 'b', batchLoss: [2.3, 0.4] }], currentId: 'b' }, epoch: epoch + 10 })
    // The host answers a checkpoint at once, as LabHost does; epoch 1's is written while epoch 2 is still to train.
    const written: Record<number, unknown> = {}
    const { s: s2, events: events2 } = recordingSessionWith(data, (e) => {
      if (e.type !== 'checkpoint') return
      s2.handle({ type: 'autosave', reqId: e.epoch, runId: e.runId, epoch: e.epoch, path: join(dir, `epoch${e.epoch}.bplab`), project: project(e.epoch) })
      written[e.epoch] = (lastReply(events2) as { value: unknown }).value
    })
    s2.handle({ type: 'start', runId: 'b', spec: TINY_MLP, settings: SETTINGS, checkpoints: true })
    await s2.running
    const types = events2.map((e) => e.type).filter((t) => t === 'epoch' || t === 'checkpoint')
    expect(types).toEqual(['epoch', 'checkpoint', 'epoch', 'checkpoint'])
    // The event says which epoch; the arrays stay in the worker.
    expect(events2.filter((e) => e.type === 'checkpoint')).toEqual([{ type: 'checkpoint', runId: 'b', epoch: 1 }, { type: 'checkpoint', runId: 'b', epoch: 2 }])
    const bytes1 = readFileSync(join(dir, 'epoch1.bplab'))
    expect(written[1]).toEqual({ written: true, bytes: bytes1.length })
    const cp1 = decodeProject(new Uint8Array(bytes1))
    const cp2 = decodeProject(new Uint8Array(readFileSync(join(dir, 'epoch2.bplab'))))
    expect(Object.keys(cp1.weights!)).toEqual(['affine1.W', 'affine1.b', 'affine2.W', 'affine2.b'])
    expect(cp1.optimizer?.name).toBe('Adam')
    // the host's fields go into project.json as it sent them
    expect(cp1.epoch).toBe(11)
    expect(cp1.history).toEqual(project(1).history)
    expect(cp1.settings).toEqual(SETTINGS)
    expect(cp1.spec.layers).toEqual(TINY_MLP.layers)
    // epoch 1's weights are a copy: epoch 2 trained on and changed them
    expect(cp1.weights!['affine1.W'].data).not.toEqual(cp2.weights!['affine1.W'].data)
    // the last checkpoint is the finished model
    s2.handle({ type: 'get-weights', reqId: 90 })
    const now = (lastReply(events2) as { value: Checkpoint }).value
    expect(now.weights['affine1.W'].data).toEqual(cp2.weights!['affine1.W'].data)
    expect(Array.from(now.optimizer!.state.iter)).toEqual(Array.from(cp2.optimizer!.state['iter']))
    // A checkpoint is written once; one that is no longer kept (written, replaced, another run's) is not written.
    for (const [reqId, runId, epoch] of [[91, 'b', 2], [92, 'b', 1], [93, 'a', 2]] as const) {
      s2.handle({ type: 'autosave', reqId, runId, epoch, path: join(dir, 'again.bplab'), project: project(epoch) })
      expect(lastReply(events2)).toEqual({ type: 'reply', reqId, ok: true, value: { written: false } })
    }
    expect(readdirSync(dir).sort()).toEqual(['epoch1.bplab', 'epoch2.bplab'])
    // A malformed request is refused before anything is written.
    s2.handle({ type: 'autosave', reqId: 94, runId: 'b', epoch: 2, path: '', project: {} })
    expect(lastReply(events2)).toMatchObject({ reqId: 94, ok: false, code: 'bad-command' })
  })

  it('an autosave that cannot be written is a failed reply with the reason, and leaves no temporary file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'session-autosave-'))
    // a folder where the file should be: the rename fails
    mkdirSync(join(dir, 'taken', 'inside'), { recursive: true })
    const { s, events } = recordingSessionWith(data, (e) => {
      if (e.type === 'checkpoint') s.handle({ type: 'autosave', reqId: 1, runId: e.runId, epoch: e.epoch, path: join(dir, 'taken'), project: {} })
    })
    s.handle({ type: 'start', runId: 'b', spec: TINY_MLP, settings: { ...SETTINGS, epochs: 1 }, checkpoints: true })
    await s.running
    expect(events.find((e) => e.type === 'reply')).toMatchObject({ reqId: 1, ok: false, code: 'failed', message: expect.stringMatching(/E(ISDIR|NOTEMPTY|EXIST)/) })
    expect(readdirSync(dir)).toEqual(['taken'])
  })

  it('keeps a loaded model\'s vocabulary and optimizer state, and a run can continue from that model', async () => {
    const { s, events } = session()
    s.handle({ type: 'start', runId: 'a', spec: TINY_MLP, settings: { ...SETTINGS, epochs: 1 } })
    await s.running
    s.handle({ type: 'get-weights', reqId: 1 })
    const trained = (lastReply(events) as { value: Checkpoint }).value
    const flat = Object.fromEntries(Object.entries(trained.weights).map(([k, t]) => [k, t.data]))

    const other = session()
    other.s.handle({ type: 'load-model', reqId: 2, spec: TINY_MLP, weights: flat, optimizer: trained.optimizer, vocab: ['a', 'b'] })
    expect(lastReply(other.events)).toMatchObject({ ok: true })
    other.s.handle({ type: 'get-weights', reqId: 3 })
    expect((lastReply(other.events) as { value: Checkpoint }).value.vocab).toEqual(['a', 'b'])
    other.s.handle({ type: 'load-model', reqId: 4, spec: TINY_MLP, weights: flat, vocab: 'ab' as unknown as string[] })
    expect(lastReply(other.events)).toMatchObject({ ok: false, code: 'bad-command' })

    other.s.handle({ type: 'start', runId: 'c', spec: TINY_MLP, settings: { ...SETTINGS, epochs: 1 }, fromModel: true })
    await other.s.running
    other.s.handle({ type: 'get-weights', reqId: 5 })
    const continued = (lastReply(other.events) as { value: Checkpoint }).value
    const steps = Array.from(trained.optimizer!.state.iter)[0]
    expect(Array.from(continued.optimizer!.state.iter)).toEqual([2 * steps])
    const firstLoss = (run: string, ev: WorkerEvent[]) => ev.filter((e): e is Extract<WorkerEvent, { type: 'batches' }> => e.type === 'batches' && e.runId === run)[0].points[0].loss
    expect(firstLoss('c', other.events)).toBeLessThan(firstLoss('a', events))
  })
})
