/**
 * data:text-upload: a language model's text uploaded by the page (the web shell cannot name a host file)
 * is read by a host text file's rules, kept under the data folder, and answered with the path a run names,
 * its characters and vocabulary size; an empty or non-UTF-8 file is refused with the file's name.
 */
import { describe, expect, it } from 'vitest'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { createDispatcher } from '../../src-main/ipc/handlers'
import type { Channel, Result, StoredText } from '../../src-main/ipc/contract'
import { loadTrainData } from '../../src-engine/train/data'
import { loadTextFile } from '../../src-engine/data/files'
import { PRESETS } from '../../src-engine/models/presets'
import type { NetSpec } from '../../src-engine/spec-types'
import { disposingHosts, mlpSpec, settings } from './helpers'

const newHost = disposingHosts()
const charLstm = PRESETS.find((p) => p.id === 'char-lstm')!.spec as NetSpec

function caller(dataDir: string, channel: Channel = 'data:text-upload'): (payload: unknown) => Promise<Result<unknown>> {
  const dispatch = createDispatcher(newHost({ dataDir }))
  return (payload) => dispatch(channel, payload, true)
}
const upload = (fileName: string, bytes: Uint8Array | string) =>
  ({ from: 'upload', fileName, base64: Buffer.from(typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes).toString('base64') })

const korean = '오늘 도서관에서 책을 읽었다.\r\n내일은 바다에 간다.\n'.repeat(20)

describe('data:text-upload', () => {
  it('keeps a Korean UTF-8 text and says its characters and vocabulary size, as a run on it counts them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'f3-text-'))
    const r = await caller(dir)(upload('일기.txt', korean))
    expect(r.ok).toBe(true)
    const v = (r as { value: StoredText }).value
    const prepared = korean.replace(/\r\n/g, '\n')
    expect(v.fileName).toBe('일기.txt')
    expect(v.chars).toBe([...prepared].length)
    expect(v.vocab).toBe(new Set(prepared).size)
    expect(dirname(v.file)).toBe(join(dir, 'texts'))
    expect(v.file.endsWith('.txt')).toBe(true)
    expect(readFileSync(v.file, 'utf8')).toBe(korean)
    // what the training thread reads from that path: the same vocabulary
    const data = loadTrainData({ kind: 'text', file: v.file }, 0.2, { ...charLstm, input: [16] })
    expect(data.vocab).toBe(v.vocab)
    // the same text again is the same file
    const again = await caller(dir)(upload('일기.txt', korean))
    expect(again.ok && (again.value as StoredText).file).toBe(v.file)
  })

  it('drops a byte-order mark, as a text file on the host is read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'f3-text-'))
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('가나다')])
    const r = await caller(dir)(upload('bom.txt', bom))
    expect(r).toMatchObject({ ok: true, value: { chars: 3, vocab: 3 } })
    expect(loadTextFile((r as { value: StoredText }).value.file)).toBe('가나다')
  })

  it('refuses an empty file and one that is not UTF-8, naming the file, and keeps nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'f3-text-'))
    const call = caller(dir)
    expect(await call(upload('empty.txt', ''))).toMatchObject({ ok: false, error: { code: 'bad-text', params: { case: 'empty', file: 'empty.txt' } } })
    // "한" in EUC-KR (CP949): not UTF-8
    const r = await call(upload('euc-kr.txt', new Uint8Array([0xc7, 0xd1, 0xb1, 0xdb])))
    expect(r).toMatchObject({ ok: false, error: { code: 'bad-text', params: { case: 'encoding', file: 'euc-kr.txt' }, message: 'euc-kr.txt is not valid UTF-8 text; save it as UTF-8 and upload it again' } })
    expect(existsSync(join(dir, 'texts'))).toBe(false)
  })

  it('takes only uploads, with the upload limits of projects and weights', async () => {
    const call = caller(mkdtempSync(join(tmpdir(), 'f3-text-')))
    expect(await call({ from: 'dialog' })).toMatchObject({ ok: false, error: { code: 'bad-payload' } })
    expect(await call({ from: 'upload', fileName: 'x.txt', base64: '%%%' })).toMatchObject({ ok: false, error: { code: 'bad-payload', path: 'base64' } })
  })

  it('offers the texts uploaded before (newest first, with their names and counts) and removes only its own', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'f4-texts-'))
    const up = caller(dir)
    const list = caller(dir, 'data:texts')
    const remove = caller(dir, 'data:text-remove')
    expect(await list(undefined)).toEqual({ ok: true, value: [] })
    const a = ((await up(upload('일기.txt', korean))) as { value: StoredText }).value
    utimesSync(a.file, 1_000_000, 1_000_000)
    const b = ((await up(upload('poem (2).txt', 'roses are red\n'))) as { value: StoredText }).value
    expect((await list(undefined) as { value: StoredText[] }).value).toEqual([b, a])
    // a text kept before its facts were (or whose facts were damaged) is still offered, counted again
    rmSync(a.file.replace(/\.txt$/, '.json'))
    writeFileSync(b.file.replace(/\.txt$/, '.json'), '{')
    expect((await list(undefined) as { value: StoredText[] }).value).toEqual([{ ...b, fileName: 'poem-2.txt' }, a])
    // ...once: the counts are written, and the next listing reads them instead of decoding the text again
    const factsOf = (t: StoredText): unknown => JSON.parse(readFileSync(t.file.replace(/\.txt$/, '.json'), 'utf8'))
    expect(factsOf(a)).toEqual({ fileName: a.fileName, chars: a.chars, vocab: a.vocab, bytes: Buffer.byteLength(korean) })
    expect(factsOf(b)).toEqual({ fileName: 'poem-2.txt', chars: b.chars, vocab: b.vocab, bytes: 14 })
    // (bytes that are no text, as many as its facts say it has: a text of another size is counted again)
    writeFileSync(a.file, new Uint8Array(Buffer.byteLength(korean)).fill(0xff))
    utimesSync(a.file, 1_000_000, 1_000_000)
    expect((await list(undefined) as { value: StoredText[] }).value.map((t) => t.file)).toEqual([b.file, a.file])
    // only the lab's copies: a path elsewhere, or one made to look like it, is left alone
    const outside = join(dir, 'mine-0123456789abcdef.txt')
    writeFileSync(outside, 'keep me')
    expect(await remove({ file: outside })).toEqual({ ok: true, value: { removed: false } })
    expect(await remove({ file: join(dir, 'texts', '..', 'mine-0123456789abcdef.txt') })).toEqual({ ok: true, value: { removed: false } })
    expect(existsSync(outside)).toBe(true)
    expect(await remove({ file: a.file })).toEqual({ ok: true, value: { removed: true } })
    expect(await remove({ file: a.file })).toEqual({ ok: true, value: { removed: false } })
    expect(readdirSync(join(dir, 'texts')).sort()).toEqual([basename(b.file), basename(b.file).replace(/\.txt$/, '.json')].sort())
    expect((await list(undefined) as { value: StoredText[] }).value.map((t) => t.file)).toEqual([b.file])
  })

  it('refuses Start for a kept text too short for the network\'s input, and for an IDX folder that is not there, before any run (Q1 F13)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'f3-text-'))
    const host = newHost({ dataDir: dir })
    const dispatch = createDispatcher(host)
    const short = (await dispatch('data:text-upload', upload('tiny.txt', 'ab'), true)) as { value: StoredText }
    const long = (await dispatch('data:text-upload', upload('long.txt', 'ab'.repeat(323)), true)) as { value: StoredText }
    expect([short.value.chars, long.value.chars]).toEqual([2, 646])
    const text = (file: string) => settings({ data: { kind: 'text', file } })
    // the old host started the run, and the engine failed it with "makeWindows: the text has 2 tokens, fewer than one window of T+1 = 65"
    expect(host.start(charLstm, text(short.value.file))).toMatchObject({ ok: false, error: { code: 'train-failed', path: 'settings.data.file', params: { case: 'text', chars: 2, needs: 646, T: 64, window: 65 } } })
    // the built-in text (278,848 characters) is short only for an input of some 28,000 characters (a tiny network: under the memory limit)
    const longInput: NetSpec = { input: [30_000], task: 'language-model', layers: [{ type: 'TimeEmbedding', dim: 2 }, { type: 'TimeLSTM', hidden: 2 }, { type: 'TimeAffine', units: 'vocab' }, { type: 'TimeSoftmaxWithLoss' }] }
    expect(host.start(longInput, text('builtin'))).toMatchObject({ ok: false, error: { params: { case: 'text', chars: 278_848, needs: 300_006 } } })
    const missing = join(dir, 'no-such-folder')
    expect(host.start(mlpSpec(), settings({ data: { kind: 'idx', dir: missing } }))).toMatchObject({ ok: false, error: { code: 'train-failed', path: 'settings.data.dir', params: { case: 'folder', dir: missing } } })
    expect(host.run).toEqual({ runId: null, state: 'idle' })
    expect(host.workerThreadId).toBeNull()
    // long enough, a folder that is there: the engine reads them
    expect(host.start(charLstm, text(long.value.file)).ok).toBe(true)
    expect(host.stop().ok).toBe(true)
  })
})
