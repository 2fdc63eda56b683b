/**
 * A project carries its language model's uploaded text: saved on one computer (the host keeps the text under
 * its data folder), opened on another (another data folder), the text is kept there again, once, and the
 * opened settings name it, so the project trains at once. Only a text the lab keeps goes into a project, and
 * a bad text part costs only the text. The fake worker stands in for the engine (no model: no weights).
 */
import { describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createDispatcher } from '../../src-main/ipc/handlers'
import type { OpenedProject, Result, SavedFile, StoredText } from '../../src-main/ipc/contract'
import { decodeProject, encodeProject } from '../../src-engine/io/project'
import { PRESETS } from '../../src-engine/models/presets'
import type { NetSpec } from '../../src-engine/spec-types'
import { disposingHosts, settings } from './helpers'

const newHost = disposingHosts()
const charLstm = PRESETS.find((p) => p.id === 'char-lstm')!.spec as NetSpec
const korean = '오늘 도서관에서 책을 읽었다.\n내일은 바다에 간다.\n'.repeat(20)

/** A computer of its own: a host with its own data folder. */
function computer() {
  const dataDir = mkdtempSync(join(tmpdir(), 'f7-text-'))
  const dispatch = createDispatcher(newHost({ dataDir }))
  return { dataDir, call: <T>(channel: string, payload?: unknown) => dispatch(channel as never, payload, true) as Promise<Result<T>> }
}
const value = <T>(r: Result<T>): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`)
  return r.value
}
const upload = (fileName: string, bytes: Uint8Array | string) =>
  ({ from: 'upload', fileName, base64: Buffer.from(typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes).toString('base64') })
const textSettings = (file: string) => settings({ data: { kind: 'text', file }, batchSize: 20 })

async function savedOn(c: ReturnType<typeof computer>, file: string): Promise<Uint8Array> {
  const saved = value(await c.call<SavedFile>('project:save', { project: { spec: charLstm, presetId: 'char-lstm', settings: textSettings(file) }, to: 'download' }))
  return new Uint8Array(Buffer.from(saved.base64!, 'base64'))
}

describe('a project carries its uploaded text to another computer', () => {
  it('saves the kept text; opened elsewhere it is kept there once, and the settings name it', async () => {
    const a = computer()
    const kept = value(await a.call<StoredText>('data:text-upload', upload('일기.txt', korean)))
    const bytes = await savedOn(a, kept.file)
    expect(decodeProject(bytes).text?.fileName).toBe('일기.txt')

    const b = computer()
    const opened = value(await b.call<OpenedProject>('project:open', upload('diary.bplab', bytes)))
    expect(opened.textProblem).toBeUndefined()
    expect(opened.text).toMatchObject({ fileName: '일기.txt', chars: kept.chars, vocab: kept.vocab })
    expect(dirname(opened.text!.file)).toBe(join(b.dataDir, 'texts'))
    expect(readFileSync(opened.text!.file, 'utf8')).toBe(korean)
    expect(opened.settings?.data).toEqual({ kind: 'text', file: opened.text!.file })
    expect(value(await b.call<StoredText[]>('data:texts'))).toEqual([opened.text])
    // opened again: the same text, not a second copy
    const again = value(await b.call<OpenedProject>('project:open', upload('diary.bplab', bytes)))
    expect(again.text?.file).toBe(opened.text!.file)
    expect(value(await b.call<StoredText[]>('data:texts'))).toHaveLength(1)
  })

  it('reuses the same text kept under another name, and opens it on the computer it was saved on as before', async () => {
    const a = computer()
    const kept = value(await a.call<StoredText>('data:text-upload', upload('일기.txt', korean)))
    const bytes = await savedOn(a, kept.file)
    const reopened = value(await a.call<OpenedProject>('project:open', upload('diary.bplab', bytes)))
    expect(reopened.settings?.data).toEqual({ kind: 'text', file: kept.file })
    const b = computer()
    const mine = value(await b.call<StoredText>('data:text-upload', upload('my-copy.txt', korean)))
    const opened = value(await b.call<OpenedProject>('project:open', upload('diary.bplab', bytes)))
    expect(opened.text).toEqual(mine)
    expect(value(await b.call<StoredText[]>('data:texts'))).toHaveLength(1)
  })

  it('carries no file the page names outside the kept texts, nor the built-in text', async () => {
    const a = computer()
    const secret = join(a.dataDir, 'secret.txt')
    writeFileSync(secret, 'not for the page')
    for (const file of [secret, join(a.dataDir, 'texts', '..', 'secret.txt'), 'builtin']) {
      expect(decodeProject(await savedOn(a, file)).text).toBeUndefined()
    }
  })

  it('opens a project whose text is damaged without it, saying so, and keeps nothing', async () => {
    const good = encodeProject({ spec: charLstm, settings: textSettings('/elsewhere/texts/일기-0123456789abcdef.txt'), text: { fileName: '일기.txt', bytes: new TextEncoder().encode(korean) } })
    const bad = new Uint8Array(good)
    const at = Buffer.from(bad).indexOf(Buffer.from('도서관'))
    bad[at] ^= 1
    const b = computer()
    const opened = value(await b.call<OpenedProject>('project:open', upload('diary.bplab', bad)))
    expect(opened.text).toBeUndefined()
    expect(opened.textProblem).toEqual({ case: 'damaged', fileName: '일기.txt' })
    expect(opened.spec).toEqual(charLstm)
    expect(value(await b.call<StoredText[]>('data:texts'))).toEqual([])
    // where the text cannot be kept (texts/ is a file here), the project opens and says why
    const c = computer()
    writeFileSync(join(c.dataDir, 'texts'), '')
    const notKept = value(await c.call<OpenedProject>('project:open', upload('diary.bplab', good)))
    expect(notKept.textProblem).toMatchObject({ case: 'write-failed', fileName: '일기.txt' })
    expect(notKept.text).toBeUndefined()
  })
})
