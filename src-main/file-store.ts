/**
 * Small file helpers of the main process (plain Node, no Electron): atomic writes, the recovery
 * folder, the recent-projects list kept as JSON beside it, and the uploaded texts kept under texts/
 * (each with a .json of its name and counts).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, dirname, join, resolve } from 'node:path'
import { createHash, randomBytes } from 'node:crypto'
import { decodeTextFile } from '../src-engine/data/files'
import { prepareText, textCounts } from '../src-engine/data/text'
import type { StoredText } from './ipc/contract'

/**
 * Writes `bytes` to `path` so that a reader never sees half a file: write a temporary file in the
 * same folder, then rename it over the target (atomic on one file system). A crash mid-write leaves
 * the previous file intact.
 */
export function writeFileAtomic(path: string, bytes: Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true })
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`)
  try {
    writeFileSync(tmp, bytes)
    renameSync(tmp, path)
  } catch (e) {
    rmSync(tmp, { force: true })
    throw e
  }
}

/**
 * writeFileAtomic without blocking the event loop (the autosave during training). `bytes` may be
 * chunks, written one after another.
 */
export async function writeFileAtomicAsync(path: string, bytes: Uint8Array | Uint8Array[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`)
  try {
    await writeFile(tmp, bytes)
    await rename(tmp, path)
  } catch (e) {
    await rm(tmp, { force: true })
    throw e
  }
}

/** Where uploaded texts are kept when the host has no data folder. */
export function textsDir(dataDir: string | null): string {
  return join(dataDir ?? join(tmpdir(), 'backprop-lab'), 'texts')
}

/** What an uploaded text is made of, or why it cannot be trained on. */
export type TextCheck =
  | { ok: true; text: string }
  | { ok: false; why: 'empty' | 'encoding'; message: string }

/**
 * An uploaded file read as a training text, by the rules a text file on the host is read by
 * (src-engine/data/files.ts decodeTextFile): UTF-8 strictly, a byte-order mark dropped; its own message when
 * it is not UTF-8 (upload it again, not open it); and it must hold at least one character (an empty file has
 * nothing to learn).
 */
export function readUploadedText(bytes: Uint8Array, fileName: string): TextCheck {
  let text: string
  try {
    text = decodeTextFile(bytes, fileName)
  } catch {
    return { ok: false, why: 'encoding', message: `${fileName} is not valid UTF-8 text; save it as UTF-8 and upload it again` }
  }
  if (text.length === 0) return { ok: false, why: 'empty', message: `${fileName} is empty: a language model needs a text to learn from` }
  return { ok: true, text }
}

/** A kept text's name, characters and vocabulary size, in a .json beside it (`file` is the .txt's own path). */
type TextFacts = Omit<StoredText, 'file'>

/**
 * A kept text's facts as its .json holds them: with the size in bytes of the text they were counted from, so that a text
 * changed on disk since (edited, or replaced by another file of its name) is counted again rather than judged at Start
 * and sized in the editor by another text's counts.
 */
const factsJson = (facts: TextFacts, bytes: number): Uint8Array =>
  new TextEncoder().encode(JSON.stringify({ fileName: facts.fileName, chars: facts.chars, vocab: facts.vocab, bytes }))

const KEPT_TEXT = /^(.+)-[0-9a-f]{16}\.txt$/

/** Where a kept text's facts are: beside it, `.json` for `.txt`. */
const factsPath = (file: string): string => file.replace(/\.txt$/, '.json')

/**
 * Keeps an uploaded text's bytes in `dir` under a name made of its contents' hash (the same text uploaded
 * twice is one file) and its own name's safe characters, with its facts beside it (`<name>.json`, read by
 * listTextFiles); returns the path a run's data source names.
 */
export async function storeTextFile(dir: string, bytes: Uint8Array, facts: TextFacts, hash = contentHash(bytes)): Promise<string> {
  const stem = basename(facts.fileName).replace(/\.[^.]*$/, '').replace(/[^\p{L}\p{N}_-]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'text'
  const path = join(dir, `${stem}-${hash}.txt`)
  await writeFileAtomicAsync(path, bytes)
  await writeFileAtomicAsync(factsPath(path), factsJson(facts, bytes.length))
  namesSeen.set(resolve(path), facts.fileName)
  return path
}

/** The part of a kept text's name made of its contents (sha-256, 16 hex digits). */
export function contentHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 16)
}

/** The name a kept text was uploaded under when its facts are gone: `일기-<hash>.txt` → `일기.txt`. */
export function keptTextName(path: string): string {
  const m = KEPT_TEXT.exec(basename(path))
  return m ? `${m[1]}.txt` : basename(path)
}

/** Whether `path` names a text kept in `dir` (exists or not): a run may name any file, only these are the lab's. */
export function isKeptText(dir: string, path: string): boolean {
  return resolve(dirname(path)) === resolve(dir) && KEPT_TEXT.test(basename(path))
}

/**
 * The texts kept in `dir`, the most recently uploaded first (none when it does not exist). One without its counts file is
 * counted a slice at a time (countKeptText), not decoded whole on the main thread: data:texts asks at every page load.
 */
export async function listTextFiles(dir: string): Promise<StoredText[]> {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return []
  }
  const kept: { text: StoredText; at: number }[] = []
  for (const name of names) {
    if (!KEPT_TEXT.test(name)) continue
    const file = join(dir, name)
    try {
      const text = await countKeptText(dir, file)
      if (!text) continue
      namesSeen.set(resolve(file), text.fileName)
      kept.push({ text, at: statSync(file).mtimeMs })
    } catch {
      // removed meanwhile, or no longer readable as a text: not offered
    }
  }
  return kept.sort((a, b) => b.at - a.at).map((k) => k.text)
}

/**
 * A kept text's facts as its .json holds them; null when it is missing or damaged, or was counted from a text of another
 * size than the file now has (changed on disk since), or does not say the size (kept before it did): counted again.
 */
function readFacts(file: string): TextFacts | null {
  try {
    const f = JSON.parse(readFileSync(factsPath(file), 'utf8')) as Partial<TextFacts> & { bytes?: unknown }
    if (typeof f.fileName === 'string' && Number.isInteger(f.chars) && Number.isInteger(f.vocab) && f.bytes === statSync(file).size) {
      return { fileName: f.fileName, chars: f.chars!, vocab: f.vocab! }
    }
  } catch {
    // none, or not JSON
  }
  return null
}

/** The names of the texts this process kept or listed, by path: a text deleted with its facts is still named as uploaded. */
const namesSeen = new Map<string, string>()

/**
 * The name a kept text was uploaded under: as its facts say it (stale ones, or left by a text deleted), else, `gone`
 * (naming a text deleted with its facts), as this process listed or kept it, else from its file's name.
 */
export function keptName(file: string, gone = false): string {
  try {
    const f = JSON.parse(readFileSync(factsPath(file), 'utf8')) as { fileName?: unknown }
    if (typeof f.fileName === 'string' && f.fileName !== '') return f.fileName
  } catch {
    // none, or not JSON
  }
  return (gone ? namesSeen.get(resolve(file)) : undefined) ?? keptTextName(file)
}

/**
 * A kept text's facts from its .json, else (kept before there were any, or damaged) counted again and written, so a
 * text is decoded and counted once. Decoded whole on the calling thread: only keptText (a project's save) comes here,
 * after the listing and Start have counted the text a slice at a time (countKeptText). A facts file that cannot be
 * written (a read-only folder) leaves the text offered, counted again next time.
 */
function textFacts(file: string): TextFacts {
  const known = readFacts(file)
  if (known) return known
  const bytes = readFileSync(file)
  const facts = { fileName: keptName(file), ...textCounts(decodeTextFile(bytes, basename(file))) }
  try {
    writeFileAtomic(factsPath(file), factsJson(facts, bytes.length))
  } catch {
    // counted again next time
  }
  return facts
}

/**
 * A kept text's facts as its .json says them, without counting: 'uncounted' when there is none yet (a text kept before
 * there were any, or its .json damaged), null when `file` is not one of `dir`'s texts or is gone. For a caller on the
 * main thread that must not decode a whole text (lab-host.ts refuseData at Start): countKeptText counts it first.
 */
export function keptTextKnown(dir: string, file: string): StoredText | 'uncounted' | null {
  if (!isKeptText(dir, file) || !existsSync(file)) return null
  const facts = readFacts(file)
  return facts ? { file, ...facts } : 'uncounted'
}

/** Bytes read and counted at a time by countKeptText: a few milliseconds' work each, so the event loop stays free. */
export const COUNT_CHUNK = 256 * 1024

/**
 * A kept text's facts, counted when its .json has none, in slices of COUNT_CHUNK bytes read and counted between other
 * work (textFacts decoded and counted a 50 MB text on the main thread in one go: the host stood still meanwhile), and
 * written beside it as textFacts writes them. Null when `file` is not one of `dir`'s texts, is gone or is not UTF-8.
 */
export async function countKeptText(dir: string, file: string): Promise<StoredText | null> {
  const known = keptTextKnown(dir, file)
  if (known !== 'uncounted') return known
  let counts: { chars: number; vocab: number }
  let size: number
  try {
    size = statSync(file).size
    counts = await countTextFile(file)
  } catch {
    return null
  }
  const facts = { fileName: keptName(file), ...counts }
  try {
    await writeFileAtomicAsync(factsPath(file), factsJson(facts, size))
  } catch {
    // counted again next time
  }
  return { file, ...facts }
}

/**
 * textCounts of a text file (decodeTextFile's rules: UTF-8 strictly, a byte-order mark dropped), read and counted a
 * slice at a time, yielding to the event loop between slices. prepareText (NFC, "\n" line endings) is applied to
 * pieces cut just before an ASCII character (not the "\n" of a "\r\n"), a CJK ideograph or a Hangul syllable (lastCut):
 * no canonical composition takes one as its second, so NFC of the whole is NFC of the pieces, and "\r\n" is never cut
 * in two. Throws when it is not UTF-8.
 */
export async function countTextFile(file: string): Promise<{ chars: number; vocab: number }> {
  // one bit a code point: the vocabulary without a Set of strings
  const seen = new Uint8Array(0x110000 >> 3)
  let chars = 0
  let vocab = 0
  const count = (piece: string): void => {
    const t = prepareText(piece)
    for (let i = 0; i < t.length; i++) {
      let c = t.charCodeAt(i)
      if (c >= 0xd800 && c < 0xdc00 && i + 1 < t.length) {
        const d = t.charCodeAt(i + 1)
        if (d >= 0xdc00 && d < 0xe000) {
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00)
          i++
        }
      }
      chars++
      const bit = 1 << (c & 7)
      if ((seen[c >> 3] & bit) === 0) {
        seen[c >> 3] |= bit
        vocab++
      }
    }
  }
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })
  const handle = await open(file, 'r')
  let carry = ''
  try {
    const buf = new Uint8Array(COUNT_CHUNK)
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, COUNT_CHUNK, null)
      const scanned = carry.length
      carry += decoder.decode(buf.subarray(0, bytesRead), { stream: bytesRead > 0 })
      if (bytesRead === 0) break
      const cut = lastCut(carry, scanned)
      if (cut > 0) {
        count(carry.slice(0, cut))
        carry = carry.slice(cut)
      }
      // the next slice after other callbacks: a run's events, a page's request
      await new Promise<void>((resolve) => setImmediate(resolve))
    }
  } finally {
    await handle.close()
  }
  count(carry)
  return { chars, vocab }
}

/**
 * Where a piece may end: before the last ASCII character, unless it is the "\n" of a "\r\n", or before the last CJK
 * ideograph (U+4E00–U+9FFF) or Hangul syllable (U+AC00–U+D7A3): a starter that is never the second of a canonical
 * composition either, so NFC of the pieces is NFC of the whole. 0 when there is none at or after `from` (index 0
 * never: the piece would be empty). A "\n" counts: a text without other ASCII (Chinese or Japanese with full-width
 * punctuation) has one a line, where without it the piece grew to the whole text, rescanned at every slice (20 MB: 6 s,
 * the event loop held 442 ms); the ideographs count for such a text written without line breaks.
 * `from`: where the text not scanned before begins. The carry left by the last cut has no place to cut after its
 * first character (the cut was the last), so only what was appended since need be scanned: without it, a text with
 * nowhere to cut was scanned again whole at every slice.
 */
export function lastCut(s: string, from = 1): number {
  for (let i = s.length - 1; i >= Math.max(1, from); i--) {
    const c = s.charCodeAt(i)
    if (c < 0x80 ? c !== 0x0a || s.charCodeAt(i - 1) !== 0x0d : (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7a3)) return i
  }
  return 0
}

/** A text kept in `dir` as data:texts lists it (name and counts), or null when `file` is not one of them or is gone. */
export function keptText(dir: string, file: string): StoredText | null {
  if (!isKeptText(dir, file) || !existsSync(file)) return null
  try {
    return { file, ...textFacts(file) }
  } catch {
    return null
  }
}

/**
 * Keeps a text as storeTextFile does, unless the same bytes are kept already (under any name: the name ends in
 * the hash of the contents), which is then the one given back: a project opened twice adds no second copy.
 * `hash`: contentHash(bytes) when the caller has it already (an opened project's, from its reader thread).
 */
export async function keepText(dir: string, bytes: Uint8Array, facts: TextFacts, hash = contentHash(bytes)): Promise<StoredText> {
  const same = (await listTextFiles(dir)).find((k) => k.file.endsWith(`-${hash}.txt`))
  if (same) return same
  return { file: await storeTextFile(dir, bytes, facts, hash), ...facts }
}

/** Removes a kept text and its facts; false when `file` is not one of `dir`'s texts or was gone already. */
export function removeTextFile(dir: string, file: string): boolean {
  if (!isKeptText(dir, file)) return false
  const existed = existsSync(file)
  rmSync(file, { force: true })
  rmSync(factsPath(file), { force: true })
  return existed
}

/** Where the web shell keeps its autosave: BACKPROP_LAB_DATA_DIR, else a folder under the OS temp dir. */
export function webDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.BACKPROP_LAB_DATA_DIR
  return fromEnv && fromEnv.trim() ? fromEnv : join(tmpdir(), 'backprop-lab')
}

export const RECOVERY_FILE = 'recovery.bplab'
export const RECENT_FILE = 'recent-projects.json'
const MAX_RECENT = 10

/** The most recently opened or saved projects, newest first, persisted as a JSON list of paths. */
export class RecentList {
  private paths: string[]

  constructor(private readonly file: string) {
    this.paths = RecentList.read(file)
  }

  private static read(file: string): string[] {
    try {
      const v: unknown = JSON.parse(readFileSync(file, 'utf8'))
      return Array.isArray(v) ? v.filter((p): p is string => typeof p === 'string' && p.length > 0).slice(0, MAX_RECENT) : []
    } catch {
      return [] // missing or damaged: start an empty list rather than fail the app
    }
  }

  list(): string[] {
    return [...this.paths]
  }

  has(path: string): boolean {
    return this.paths.includes(path)
  }

  add(path: string): void {
    this.paths = [path, ...this.paths.filter((p) => p !== path)].slice(0, MAX_RECENT)
    this.save()
  }

  remove(path: string): void {
    this.paths = this.paths.filter((p) => p !== path)
    this.save()
  }

  private save(): void {
    try {
      writeFileAtomic(this.file, new TextEncoder().encode(JSON.stringify(this.paths, null, 1)))
    } catch {
      // The list is a convenience: failing to store it must not fail an open or a save.
    }
  }
}
