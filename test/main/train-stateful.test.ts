/** train:start carries a language model's `stateful` choice (the training form's checkbox) to the host. */
import { describe, expect, it } from 'vitest'
import { createDispatcher, type HostApi } from '../../src-main/ipc/handlers'
import { validatePayload } from '../../src-main/ipc/validate'
import type { TrainSettings } from '../../src-engine/protocol'
import type { NetSpec } from '../../src-engine/spec-types'

const lm: NetSpec = {
  name: 'char lstm', input: [16], task: 'language-model',
  layers: [{ type: 'TimeEmbedding', dim: 8 }, { type: 'TimeLSTM', hidden: 16 }, { type: 'TimeAffine', units: 'vocab' }, { type: 'TimeSoftmaxWithLoss' }]
}
const settings: TrainSettings = { data: { kind: 'text', file: 'builtin' }, optimizer: 'Adam', lr: 0.005, batchSize: 20, epochs: 2, weightDecay: 0, seed: 1, threads: 2, clip: 5 }

describe('stateful on train:start', () => {
  it('reaches LabHost.startRun with the settings, and is left out when not chosen', async () => {
    const got: TrainSettings[] = []
    const host = { startRun: async (_spec: NetSpec, s: TrainSettings) => { got.push(s); return { ok: true, value: { runId: 'r' } } } } as unknown as HostApi
    const handle = createDispatcher(host)
    expect(await handle('train:start', { spec: lm, settings: { ...settings, stateful: true } }, true)).toMatchObject({ ok: true })
    expect(await handle('train:start', { spec: lm, settings }, true)).toMatchObject({ ok: true })
    expect(got[0].stateful).toBe(true)
    expect('stateful' in got[1]).toBe(false)
  })

  it('must be true or false', () => {
    expect(validatePayload('train:start', { spec: lm, settings: { ...settings, stateful: 'yes' } })).toMatchObject({ ok: false, error: { code: 'bad-payload', path: 'settings.stateful' } })
    expect(validatePayload('train:start', { spec: lm, settings: { ...settings, stateful: 1 } })).toMatchObject({ ok: false, error: { path: 'settings.stateful' } })
  })
})
