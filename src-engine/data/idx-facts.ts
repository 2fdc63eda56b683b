/**
 * What the IDX folder check (idx-folder.ts) reads of one file, plain or gzipped: its first bytes and its length as the
 * run's reader sees them (after inflating a .gz), and a labels file's values. A plain file costs its header and a
 * stat (its labels: 60 kB for MNIST's 60,000); a gzipped one is inflated to its end, since a copy cut short or a damaged
 * stream shows only there: at once (idxFileFacts, the command line) or on Node's thread pool (idxGzFactsAsync, the
 * host, whose main thread answers the window meanwhile). Only the first bytes are kept, and a labels file's values up
 * to IDX_LABELS_MAX_BYTES; nothing past MAX_IDX_BYTES is inflated. A .gz's facts are kept (by path, size and time
 * of change) for the next question: the page's folder note, then Start, ask about the same files.
 */
import { closeSync, createReadStream, openSync, readFileSync, readSync, statSync } from 'node:fs'
import { constants, createGunzip, gunzipSync } from 'node:zlib'
import { isGzip, MAX_IDX_BYTES } from './idx'
import { IDX_LABELS_MAX_BYTES } from './idx-labels'

/** The header bytes the check reads: the magic and up to 4 dimensions (idx.ts parseIdx). */
export const IDX_HEAD_BYTES = 4 + 4 * 4

/**
 * One IDX file as the check sees it: `head`, its first IDX_HEAD_BYTES bytes (fewer when shorter), `size` its whole
 * length, both after inflating a .gz; `labels`, the values after a one-dimension header when asked for and small enough.
 * 'gzip-damaged': a .gz that does not inflate to its end (cut short, corrupt); null: not judged here (unreadable, or
 * inflating past MAX_IDX_BYTES), left to the run's reader.
 */
export type IdxFileFacts = { head: Uint8Array; size: number; labels?: Uint8Array } | 'gzip-damaged' | null

/** Up to n bytes from the start of a file, or null when it cannot be read. */
export function firstBytes(path: string, n: number): Uint8Array | null {
  let fd: number | null = null
  try {
    fd = openSync(path, 'r')
    const buf = new Uint8Array(n)
    return buf.subarray(0, readSync(fd, buf, 0, n, 0))
  } catch {
    return null
  } finally {
    if (fd !== null) closeSync(fd)
  }
}

/** The labels after a labels file's header (one dimension: 8 bytes), when it has that header. */
function labelsOf(bytes: Uint8Array): Uint8Array | undefined {
  return bytes.length >= 8 && bytes[0] === 0 && bytes[1] === 0 && bytes[3] === 1 ? bytes.subarray(8) : undefined
}

const gzCache = new Map<string, IdxFileFacts>()
const GZ_CACHE_SIZE = 8

function cacheKey(path: string, labels: boolean): string | null {
  try {
    const st = statSync(path)
    return `${path}\0${st.size}\0${st.mtimeMs}\0${labels ? 'l' : 'i'}`
  } catch {
    return null
  }
}

function remember(key: string | null, facts: IdxFileFacts): IdxFileFacts {
  if (key === null) return facts
  gzCache.delete(key)
  gzCache.set(key, facts)
  while (gzCache.size > GZ_CACHE_SIZE) gzCache.delete(gzCache.keys().next().value!)
  return facts
}

/**
 * A file's facts (IdxFileFacts), its labels too when `labels`. `gz`: 'inflate' inflates a .gz here and now, whole (up
 * to MAX_IDX_BYTES; Fashion-MNIST's four files took 2.2 s so, where idxGzFactsAsync's streams took 0.7 s, the main
 * thread never held for more than 36 ms); 'cached' takes a .gz's facts from an earlier idxGzFactsAsync or inflation,
 * and null (on trust, for the run's reader) when there are none.
 */
export function idxFileFacts(path: string, labels: boolean, gz: 'inflate' | 'cached'): IdxFileFacts {
  const head = firstBytes(path, IDX_HEAD_BYTES)
  if (head === null) return null
  if (isGzip(head)) {
    const key = cacheKey(path, labels)
    if (key !== null && gzCache.has(key)) return gzCache.get(key)!
    if (gz === 'cached') return null
    let bytes: Uint8Array
    try {
      bytes = gunzipSync(readFileSync(path), { maxOutputLength: MAX_IDX_BYTES, finishFlush: constants.Z_FINISH })
    } catch (e) {
      return remember(key, (e as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE' ? null : 'gzip-damaged')
    }
    return remember(key, factsOf(bytes.subarray(0, IDX_HEAD_BYTES), bytes.length, labels && bytes.length <= IDX_LABELS_MAX_BYTES ? labelsOf(bytes) : undefined))
  }
  let size: number
  try {
    size = statSync(path).size
  } catch {
    return null
  }
  if (!labels || size > IDX_LABELS_MAX_BYTES) return factsOf(head, size)
  try {
    return factsOf(head, size, labelsOf(readFileSync(path)))
  } catch {
    return factsOf(head, size)
  }
}

function factsOf(head: Uint8Array, size: number, labels?: Uint8Array): IdxFileFacts {
  return labels ? { head, size, labels } : { head, size }
}

/**
 * Inflates the gzipped one among `files` (path and whether it holds labels) on Node's thread pool, a chunk at a time,
 * keeping the facts for idxFileFacts(…, 'cached'); plain files are left alone (their facts cost a header and a stat).
 */
export async function idxGzFactsAsync(files: readonly { path: string; labels: boolean }[]): Promise<void> {
  await Promise.all(files.map(async ({ path, labels }) => {
    const head = firstBytes(path, 2)
    if (head === null || !isGzip(head)) return
    const key = cacheKey(path, labels)
    if (key === null || gzCache.has(key)) return
    remember(key, await inflateFacts(path, labels))
  }))
}

/** A .gz's facts, inflated as a stream: nothing kept but the first bytes and, for a small labels file, its values. */
function inflateFacts(path: string, labels: boolean): Promise<IdxFileFacts> {
  return new Promise((resolve) => {
    const head = new Uint8Array(IDX_HEAD_BYTES)
    let size = 0
    let kept: Buffer[] | null = labels ? [] : null
    const source = createReadStream(path)
    const gunzip = createGunzip()
    let done = false
    const finish = (facts: IdxFileFacts): void => {
      if (done) return
      done = true
      source.destroy()
      gunzip.destroy()
      resolve(facts)
    }
    source.on('error', () => finish(null))
    gunzip.on('error', () => finish('gzip-damaged'))
    gunzip.on('data', (chunk: Buffer) => {
      if (size < IDX_HEAD_BYTES) head.set(chunk.subarray(0, IDX_HEAD_BYTES - size), size)
      size += chunk.length
      if (kept && size <= IDX_LABELS_MAX_BYTES) kept.push(chunk)
      else kept = null
      // past the bound the run's reader refuses it (idx.ts IdxTooLargeError): not judged here
      if (size > MAX_IDX_BYTES) finish(null)
    })
    gunzip.on('end', () => finish(factsOf(head.subarray(0, Math.min(size, IDX_HEAD_BYTES)), size, kept ? labelsOf(new Uint8Array(Buffer.concat(kept))) : undefined)))
    source.pipe(gunzip)
  })
}

/** An images file's height and width from its header (3 dimensions: count, height, width), or null (unreadable, not images). */
export function imageDims(path: string): { height: number; width: number } | null {
  let head = firstBytes(path, 1024)
  if (head === null) return null
  if (isGzip(head)) {
    try {
      // a kilobyte of the stream, not the file: Z_SYNC_FLUSH gives what it holds without asking for the rest
      head = new Uint8Array(gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH }))
    } catch {
      return null
    }
  }
  if (head.length < 16 || head[0] !== 0 || head[1] !== 0 || head[2] !== 0x08 || head[3] !== 3) return null
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength)
  return { height: view.getUint32(8, false), width: view.getUint32(12, false) }
}
