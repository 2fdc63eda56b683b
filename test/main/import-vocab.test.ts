/**
 * Importing weights into a language model before a text is loaded (the page's spec has no vocabulary size):
 * the size comes from the file (its spec, its characters, or the rows of its embedding), and a size the
 * file gives that no model can have is the file's fault, not the open architecture's. Real training worker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LabHost } from '../../src-main/lab-host'
import { createDispatcher } from '../../src-main/ipc/handlers'
import { expectedWeights } from '../../src-main/projects'
import type { Result } from '../../src-main/ipc/contract'
import { PRESETS } from '../../src-engine/models/presets'
import { encodeSafetensors } from '../../src-engine/io/safetensors'
import type { NetSpec } from '../../src-engine/spec-types'
import { bundleEngineWorker } from '../helpers/bundle'

const charLstm = PRESETS.find((p) => p.id === 'char-lstm')!.spec as NetSpec

let workerPath: string
const hosts: LabHost[] = []
function newHost(): (channel: string, payload?: unknown) => Promise<Result<unknown>> {
  const host = new LabHost({ workerPath, transport: 'web', version: 'test' })
  hosts.push(host)
  const dispatch = createDispatcher(host)
  return (channel, payload) => dispatch(channel, payload, true)
}

/** char-lstm's tensors for a vocabulary of `vocab`, small made-up values. */
function tensorsFor(vocab: number): Record<string, { shape: number[]; data: Float32Array }> {
  const expected = expectedWeights({ ...charLstm, vocab })
  if (!expected.ok) throw new Error(expected.message)
  return Object.fromEntries(Object.entries(expected.shapes).map(([name, shape]) => {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1)).map((_, i) => ((i % 13) - 6) / 100)
    return [name, { shape, data }]
  }))
}

const upload = (fileName: string, bytes: Uint8Array) => ({ from: 'upload', fileName, base64: Buffer.from(bytes).toString('base64') })

beforeAll(async () => {
  workerPath = await bundleEngineWorker()
}, 60_000)

afterAll(async () => {
  await Promise.all(hosts.map((h) => h.dispose()))
})

describe('import weights into a character LSTM with no text loaded', () => {
  it('reads the vocabulary size from embed1.W when the file has no metadata, and the model writes text', async () => {
    expect(charLstm.vocab).toBeUndefined()
    const call = newHost()
    const r = await call('model:import-weights', { spec: charLstm, source: upload('plain.safetensors', encodeSafetensors(tensorsFor(37))) })
    expect(r).toMatchObject({ ok: true, value: { fileName: 'plain.safetensors', vocab: 37 } })
    // no characters in the file: the weights are loaded, the text is still unknown
    const g = await call('model:generate', { prompt: '', length: 5, temperature: 0 })
    expect(!g.ok && g.error.code).toBe('no-vocab')
  }, 60_000)

  it('takes the size and the characters from the file\'s metadata "vocab"', async () => {
    const call = newHost()
    const chars = [...'가나다라마바사아자차카타파하 .']
    const bytes = encodeSafetensors(tensorsFor(chars.length), { vocab: JSON.stringify(chars) })
    const r = await call('model:import-weights', { spec: charLstm, source: upload('ko.safetensors', bytes) })
    expect(r).toMatchObject({ ok: true, value: { vocab: chars.length } })
    const g = await call('model:generate', { prompt: '가나', length: 4, temperature: 0 })
    expect(g.ok).toBe(true)
    if (g.ok) expect([...(g.value as { text: string }).text].every((c) => chars.includes(c))).toBe(true)
  }, 60_000)

  it.each([0, 1e9, 2.5])('a file whose spec gives vocab %s is refused as a bad file, not as the open architecture', async (bad) => {
    const call = newHost()
    const bytes = encodeSafetensors(tensorsFor(20), { spec: JSON.stringify({ ...charLstm, vocab: bad }) })
    const r = await call('model:import-weights', { spec: charLstm, source: upload('bad-vocab.safetensors', bytes) })
    expect(r).toMatchObject({ ok: false, error: { code: 'bad-weights', params: { case: 'vocab', file: 'bad-vocab.safetensors', got: String(bad) } } })
    if (!r.ok) expect(r.error.message).toContain('the file is wrong, not the open architecture')
    // nothing was loaded
    const g = await call('model:generate', { prompt: '', length: 1, temperature: 0 })
    expect(!g.ok && g.error.code).toBe('no-model')
  }, 60_000)

  it('the page\'s own vocabulary size wins over the file\'s (a text is loaded): a file of another size does not fit', async () => {
    const call = newHost()
    const r = await call('model:import-weights', { spec: { ...charLstm, vocab: 40 }, source: upload('v37.safetensors', encodeSafetensors(tensorsFor(37))) })
    expect(r).toMatchObject({ ok: false, error: { code: 'weights-mismatch', params: { case: 'import', tensor: 'embed1.W' } } })
  }, 60_000)

  // The training thread refuses such a vocabulary (train/commands.ts, since 69392f7): the import failed as a whole with
  // 'bad-command', which the page words "the engine did not understand the request, reload the page".
  it.each([
    ['a character twice', ['a', 'b', 'a', 'c']],
    ['an entry of two characters', ['a', 'bc', 'd', 'e']]
  ])('a file whose metadata vocabulary holds %s is imported without it (its size from embed1.W)', async (_what, chars) => {
    const call = newHost()
    const bytes = encodeSafetensors(tensorsFor(4), { vocab: JSON.stringify(chars) })
    const r = await call('model:import-weights', { spec: charLstm, source: upload('odd-vocab.safetensors', bytes) })
    expect(r).toMatchObject({ ok: true, value: { fileName: 'odd-vocab.safetensors', vocab: 4 } })
    // the weights are loaded; only the text is unknown
    const g = await call('model:generate', { prompt: '', length: 3, temperature: 0 })
    expect(!g.ok && g.error.code).toBe('no-vocab')
  }, 60_000)
})
