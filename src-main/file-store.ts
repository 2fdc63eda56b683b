/**
 * Small file helpers of the main process (plain Node, no Electron): atomic writes, the recovery
 * folder, the recent-projects list kept as JSON beside it, and the uploaded texts kept under texts/
 * (each with a .json of its name and counts).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, dirname, join, resolve } from 'node:path'
import { createHash, randomBytes } from 'node:crypto'
import { decodeTextFile } from '../src-engine/data/files'
import { textCounts } from '../src-engine/data/text'
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
  await writeFileAtomicAsync(factsPath(path), new TextEncoder().encode(JSON.stringify(facts)))
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

/** The texts kept in `dir`, the most recently uploaded first (none when it does not exist). */
export function listTextFiles(dir: string): StoredText[] {
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
      kept.push({ text: { file, ...textFacts(file) }, at: statSync(file).mtimeMs })
    } catch {
      // removed meanwhile, or no longer readable as a text: not offered
    }
  }
  return kept.sort((a, b) => b.at - a.at).map((k) => k.text)
}

/**
 * A kept text's facts from its .json, else (kept before there were any, or damaged) counted again and written, so a
 * text is decoded and counted on the main thread once, not at every listing. A facts file that cannot be written (a
 * read-only folder) leaves the text offered, counted again next time.
 */
function textFacts(file: string): TextFacts {
  try {
    const f = JSON.parse(readFileSync(factsPath(file), 'utf8')) as Partial<TextFacts>
    if (typeof f.fileName === 'string' && Number.isInteger(f.chars) && Number.isInteger(f.vocab)) return { fileName: f.fileName, chars: f.chars!, vocab: f.vocab! }
  } catch {
    // counted below
  }
  const facts = { fileName: keptTextName(file), ...textCounts(decodeTextFile(readFileSync(file), basename(file))) }
  try {
    writeFileAtomic(factsPath(file), new TextEncoder().encode(JSON.stringify(facts)))
  } catch {
    // counted again next time
  }
  return facts
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
  const same = listTextFiles(dir).find((k) => k.file.endsWith(`-${hash}.txt`))
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
