/**
 * A text chosen on the training page that is gone by Start (an uploaded one deleted or moved out of the lab's texts/
 * folder after the page listed it, a path on this computer with no file there) is refused before any run, with the
 * name and what to do: the run started and failed with Node's "ENOENT: no such file or directory, open …".
 */
import { describe, expect, it } from 'vitest'
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createDispatcher } from '../../src-main/ipc/handlers'
import type { StoredText } from '../../src-main/ipc/contract'
import { PRESETS } from '../../src-engine/models/presets'
import type { NetSpec } from '../../src-engine/spec-types'
import { disposingHosts, settings } from './helpers'

const make = disposingHosts()
const charLstm = PRESETS.find((p) => p.id === 'char-lstm')!.spec as NetSpec
const upload = (fileName: string, text: string) => ({ from: 'upload', fileName, base64: Buffer.from(text).toString('base64') })
const onText = (file: string) => settings({ data: { kind: 'text', file } })

describe('a text gone by Start', () => {
  it('an uploaded text deleted or moved away after it was chosen: refused with its name, counted or not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'text-gone-'))
    const host = make({ dataDir: dir })
    const dispatch = createDispatcher(host)
    const kept = (await dispatch('data:text-upload', upload('오늘 일기.txt', '오늘은 비가 왔다. '.repeat(100)), true)) as { value: StoredText }
    const other = (await dispatch('data:text-upload', upload('my story.txt', 'the cat sat on the mat. '.repeat(100)), true)) as { value: StoredText }
    // its facts file left behind (a .txt deleted by hand): named as it was uploaded, not as its file ('오늘-일기-….txt')
    rmSync(kept.value.file)
    // the old host started this run, and the engine failed it with "ENOENT: no such file or directory, open …"
    expect(await host.startRun(charLstm, onText(kept.value.file))).toMatchObject({
      ok: false, error: { code: 'train-failed', path: 'settings.data.file', params: { case: 'text-gone', name: '오늘 일기.txt' } }
    })
    // moved out of texts/, its facts with it: not counted at Start either, and named as the lab kept it
    renameSync(other.value.file, join(dir, 'moved.txt'))
    rmSync(other.value.file.replace(/\.txt$/, '.json'))
    const r = await host.startRun(charLstm, onText(other.value.file))
    expect(r).toMatchObject({ ok: false, error: { params: { case: 'text-gone', name: 'my story.txt' } } })
    expect(!r.ok && r.error.message).toBe('Training did not start: the lab no longer keeps the uploaded text my story.txt (it was removed or moved); upload it again, or choose another text.')
    expect(host.run).toEqual({ runId: null, state: 'idle' })
    expect(host.workerThreadId).toBeNull()
  })

  it('a path on this computer with no file there, or a folder: refused with the path; a file that is there starts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'text-path-'))
    const host = make({ dataDir: dir })
    for (const file of [join(dir, 'nowhere.txt'), join(dir, 'no-folder', 'a.txt')]) {
      expect(host.start(charLstm, onText(file))).toMatchObject({ ok: false, error: { code: 'train-failed', path: 'settings.data.file', params: { case: 'text-file', file } } })
    }
    mkdirSync(join(dir, 'a-folder'))
    expect(host.start(charLstm, onText(join(dir, 'a-folder')))).toMatchObject({ ok: false, error: { params: { case: 'text-file' } } })
    expect(host.run).toEqual({ runId: null, state: 'idle' })
    const there = join(dir, 'there.txt')
    writeFileSync(there, 'abc '.repeat(300))
    expect(host.start(charLstm, onText(there)).ok).toBe(true)
    expect(host.stop().ok).toBe(true)
  })
})

describe('a kept text changed on disk after its facts were kept', () => {
  it('is counted again: listed with its new counts, and judged at Start by them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'text-changed-'))
    const host = make({ dataDir: dir })
    const dispatch = createDispatcher(host)
    const kept = (await dispatch('data:text-upload', upload('my story.txt', 'the cat sat on the mat. '.repeat(100)), true)) as { value: StoredText }
    expect(kept.value).toMatchObject({ fileName: 'my story.txt', chars: 2400, vocab: 11 })
    // edited by hand in the lab's texts/ folder: a few lines left
    writeFileSync(kept.value.file, 'ABC abc\n'.repeat(20))
    // the old host listed its old counts (2,400 characters), and Start judged it by them and started the run
    expect(await dispatch('data:texts', undefined, true)).toEqual({ ok: true, value: [{ file: kept.value.file, fileName: 'my story.txt', chars: 160, vocab: 8 }] })
    expect(await host.startRun(charLstm, onText(kept.value.file))).toMatchObject({ ok: false, error: { params: { case: 'text', chars: 160, needs: 646 } } })
    // the counts are written again: the next listing reads them
    expect(JSON.parse(readFileSync(kept.value.file.replace(/\.txt$/, '.json'), 'utf8'))).toEqual({ fileName: 'my story.txt', chars: 160, vocab: 8, bytes: 160 })
  })
})
