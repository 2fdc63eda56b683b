/**
 * train:start waits before its run exists (an open settling, an uploaded text counted a slice at a time, the model
 * moving to a thread of the run's priority). A second Start asked for meanwhile (a second window, a page whose Start
 * came back enabled) must neither start a second run nor take away a Pause or Stop pressed for the first.
 */
import { describe, expect, it, vi } from 'vitest'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createDispatcher } from '../../src-main/ipc/handlers'
import type { StoredText } from '../../src-main/ipc/contract'
import { PRESETS } from '../../src-engine/models/presets'
import type { NetSpec } from '../../src-engine/spec-types'
import { encodeIdx } from '../../src-engine/data/idx'
import { disposingHosts, isState, mlpSpec, record, settings } from './helpers'

// an IDX folder's inflation held open by the test (`gate`), so a Start is caught waiting for it
const inflation = vi.hoisted(() => ({ gate: Promise.resolve(), began: 0 }))
vi.mock('../../src-main/idx-classes', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src-main/idx-classes')>()
  return { ...real, inflateIdxFolder: async (dir: string) => { inflation.began++; await inflation.gate; return real.inflateIdxFolder(dir) } }
})

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

  it('a Start while the first one\'s IDX folder inflates is refused, and the Pause pressed then pauses the first run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'start-overlap-idx-'))
    const images = encodeIdx([2, 28, 28], new Uint8Array(2 * 784))
    const labels = encodeIdx([2], Uint8Array.from([3, 1]))
    for (const split of ['train', 't10k']) {
      writeFileSync(join(dir, `${split}-images-idx3-ubyte`), images)
      writeFileSync(join(dir, `${split}-labels-idx1-ubyte`), labels)
    }
    const host = make({ workerOptions: { workerData: { tickMs: 5, batches: 1000, startMs: 30 } } })
    const rec = record(host)
    let open = (): void => undefined
    inflation.gate = new Promise((resolve) => { open = resolve })
    inflation.began = 0
    const s = settings({ data: { kind: 'idx', dir } })
    try {
      const first = host.startRun(mlpSpec(), s)
      await vi.waitFor(() => expect(inflation.began).toBe(1))
      // the old host awaited the inflation after it had stopped counting the first Start as waiting: a second Start
      // went ahead, waited for the inflation too, and then raced the first
      const second = host.startRun(mlpSpec(), s)
      expect(host.pause()).toEqual({ ok: true, value: null })
      // refused at once, not after the inflation
      const soon = await Promise.race([second, new Promise((resolve) => setTimeout(() => resolve('still waiting'), 1000))])
      expect(soon).toMatchObject({ ok: false, error: { code: 'busy', params: { case: 'start' } } })
      open()
      const a = await first
      expect(a.ok).toBe(true)
      await rec.waitFor(isState('paused'), 3000)
      expect(new Set(rec.of('state').map((e) => e.runId)).size).toBe(1)
    } finally {
      // (also when an expectation fails: the first Start, and the host's disposal, wait for it)
      open()
      inflation.gate = Promise.resolve()
    }
  })
})
