/**
 * train:start waits before its run exists (an open settling, an uploaded text counted a slice at a time, the model
 * moving to a thread of the run's priority). A second Start asked for meanwhile (a second window, a page whose Start
 * came back enabled) must neither start a second run nor take away a Pause or Stop pressed for the first.
 */
import { describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createDispatcher } from '../../src-main/ipc/handlers'
import type { StoredText } from '../../src-main/ipc/contract'
import { PRESETS } from '../../src-engine/models/presets'
import type { NetSpec } from '../../src-engine/spec-types'
import { disposingHosts, isState, record, settings } from './helpers'

const make = disposingHosts()
const charLstm = PRESETS.find((p) => p.id === 'char-lstm')!.spec as NetSpec
const upload = (fileName: string, text: string) => ({ from: 'upload', fileName, base64: Buffer.from(text).toString('base64') })

/** A host keeping an uploaded text whose counts are gone, so that Start counts it (awaits) before its run exists. */
async function uncountedText(): Promise<{ host: ReturnType<typeof make>; file: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'start-overlap-'))
  const host = make({ dataDir: dir, workerOptions: { workerData: { tickMs: 5, batches: 1000, startMs: 30 } } })
  const kept = (await createDispatcher(host)('data:text-upload', upload('story.txt', 'the cat sat on the mat. '.repeat(200)), true)) as { ok: true; value: StoredText }
  rmSync(kept.value.file.replace(/\.txt$/, '.json'))
  return { host, file: kept.value.file }
}

describe('two Starts while the first waits for its run', () => {
  it('start one run, refuse the second as a run already starting, and the Pause pressed meanwhile pauses the run', async () => {
    const { host, file } = await uncountedText()
    const rec = record(host)
    const s = settings({ data: { kind: 'text', file } })
    const first = host.startRun(charLstm, s)
    const second = host.startRun(charLstm, s)
    // the old host kept this Pause for the second Start, which was then refused: the run the first started trained on
    expect(host.pause()).toEqual({ ok: true, value: null })
    const [a, b] = await Promise.all([first, second])
    expect(a.ok).toBe(true)
    expect(b).toMatchObject({ ok: false, error: { code: 'busy', params: { case: 'start' } } })
    await rec.waitFor(isState('paused'), 3000)
    expect(host.run).toEqual({ runId: a.ok ? a.value.runId : '', state: 'paused' })
    expect(new Set(rec.of('state').map((e) => e.runId)).size).toBe(1)
  })

  it('a Stop pressed meanwhile stops that run before its first batch', async () => {
    const { host, file } = await uncountedText()
    const rec = record(host)
    const s = settings({ data: { kind: 'text', file } })
    const first = host.startRun(charLstm, s)
    const second = host.startRun(charLstm, s)
    expect(host.stop()).toEqual({ ok: true, value: null })
    const [a, b] = await Promise.all([first, second])
    expect(a.ok).toBe(true)
    expect(b.ok).toBe(false)
    await rec.waitFor(isState('stopped'), 3000)
    expect(rec.of('batches')).toEqual([])
    // and once that Start is over, a Start is taken again
    expect((await host.startRun(charLstm, s)).ok).toBe(true)
  })
})
