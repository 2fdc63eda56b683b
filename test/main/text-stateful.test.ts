/**
 * An uploaded text at Start, judged without standing the host still: a stateful run whose text has fewer windows than
 * its batch size is refused before the run exists, with the numbers (data/text-lanes.ts, as the page says them), where
 * the engine failed it after Start with its English sentence; a kept text whose counts file is gone is counted a slice
 * at a time (file-store.ts countTextFile: the same counts as textCounts, other callbacks running between slices) rather
 * than decoded whole on the main thread, and its counts file is written again.
 */
import { describe, expect, it } from 'vitest'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createDispatcher } from '../../src-main/ipc/handlers'
import type { StoredText } from '../../src-main/ipc/contract'
import { COUNT_CHUNK, countTextFile, lastCut } from '../../src-main/file-store'
import { textCounts } from '../../src-engine/data/text'
import { decodeTextFile } from '../../src-engine/data/files'
import { PRESETS } from '../../src-engine/models/presets'
import type { NetSpec } from '../../src-engine/spec-types'
import { disposingHosts, settings } from './helpers'

const newHost = disposingHosts()
const charLstm = PRESETS.find((p) => p.id === 'char-lstm')!.spec as NetSpec
const upload = (fileName: string, text: string) => ({ from: 'upload', fileName, base64: Buffer.from(text).toString('base64') })

describe('a stateful run on a text shorter than its lanes', () => {
  it('is refused at Start with the windows there are and what would fit, counted or not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'h12-lanes-'))
    const host = newHost({ dataDir: dir })
    const dispatch = createDispatcher(host)
    const kept = ((await dispatch('data:text-upload', upload('short.txt', 'ab'.repeat(400)), true)) as { value: StoredText }).value
    expect(kept.chars).toBe(800)
    const run = (over: object) => settings({ data: { kind: 'text', file: kept.file }, batchSize: 20, stateful: true, ...over })
    const lanes = { ok: false, error: { code: 'train-failed', path: 'settings.batchSize', params: { case: 'lanes', chars: 800, windows: 11, B: 20, T: 64, needs: 1423 } } }
    // the old host started it, and the engine failed the run with "stateful training cuts the text into 20 lanes…"
    expect(await host.startRun(charLstm, run({}))).toMatchObject(lanes)
    // its counts file gone (a text kept before there were any): counted at Start, and written again
    const facts = kept.file.replace(/\.txt$/, '.json')
    rmSync(facts)
    expect(await host.startRun(charLstm, run({}))).toMatchObject(lanes)
    expect(JSON.parse(readFileSync(facts, 'utf8'))).toEqual({ fileName: 'short.txt', chars: 800, vocab: 2, bytes: 800 })
    expect(host.run).toEqual({ runId: null, state: 'idle' })
    expect(host.workerThreadId).toBeNull()
  })
})

describe('countTextFile', () => {
  it('counts as textCounts does across its slices (NFC, line endings, a byte-order mark, Korean, emoji), between other callbacks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'h12-count-'))
    // pieces whose normalisation or decoding could be cut in two at a slice's end: "e" + a combining acute (é once
    // composed), "\r\n", Hangul jamo composing to syllables, a character of 4 bytes, a long run without ASCII
    const part = 'cafe\u0301 \r\n\u1100\u1161\u11A8 한국어😀\r' + '\n' + '가'.repeat(5_000) + 'x\r\r\n'
    const text = '\uFEFF' + part.repeat(Math.ceil((3 * COUNT_CHUNK) / Buffer.byteLength(part)))
    const file = join(dir, 'tricky.txt')
    writeFileSync(file, text)
    let ticks = 0
    const timer = setInterval(() => ticks++, 0)
    const counted = await countTextFile(file)
    clearInterval(timer)
    expect(counted).toEqual(textCounts(decodeTextFile(readFileSync(file), 'tricky.txt')))
    // the old host decoded and counted it in one go: no other callback ran meanwhile
    expect(ticks).toBeGreaterThan(0)
    writeFileSync(file, Buffer.from([0x61, 0xff, 0x62]))
    await expect(countTextFile(file)).rejects.toThrow()
    expect(existsSync(file)).toBe(true)
  })

  it('cuts a text without other ASCII at its line ends (never inside a "\\r\\n"), counting as textCounts does', async () => {
    // full-width punctuation and "\n" only: with no cut the piece was the whole text, rescanned at every slice
    expect(lastCut('「。」\n「」')).toBe(3)
    expect(lastCut('「」\r\n「」')).toBe(2)
    expect(lastCut('「。」「」')).toBe(0)
    // before a CJK ideograph or a Hangul syllable too (never the second of a composition): a text written without line
    // breaks is cut all the same; and only what was appended since the last scan (from) is looked at
    expect(lastCut('床前明月光')).toBe(4)
    expect(lastCut('가나다「」')).toBe(2)
    expect(lastCut('床前明月光', 5)).toBe(0)
    expect(lastCut('床前明月光', 3)).toBe(4)
    expect(lastCut('か\u3099か\u3099')).toBe(0)
    const dir = mkdtempSync(join(tmpdir(), 're-count-'))
    const part = '床前明月光，疑是地上霜。\r\n舉頭望明月，低頭思故鄉。\n'.repeat(40) + 'か\u3099\r'
    const file = join(dir, 'cjk.txt')
    writeFileSync(file, part.repeat(Math.ceil((3 * COUNT_CHUNK) / Buffer.byteLength(part))))
    expect(await countTextFile(file)).toEqual(textCounts(decodeTextFile(readFileSync(file), 'cjk.txt')))
    // one line, no ASCII: cut before its ideographs and syllables, never inside "か\u3099" or a syllable and its jamo
    const line = '床前明月光疑是地上霜か\u3099하\u11a8글\u1100\u1161'
    writeFileSync(file, line.repeat(Math.ceil((3 * COUNT_CHUNK) / Buffer.byteLength(line))))
    expect(await countTextFile(file)).toEqual(textCounts(decodeTextFile(readFileSync(file), 'cjk.txt')))
    rmSync(dir, { recursive: true, force: true })
  })
})
