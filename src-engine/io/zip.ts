/**
 * Reading the zips a learner opens (projects, .npz) without trusting their headers. fflate's unzipSync allocates
 * what an entry's header says it inflates to and walks as many entries as the directory says; a damaged or hostile
 * file can say four billion entries (zip64), or 4 GB behind a few bytes. Here every entry is checked against the
 * file's real size before it is read: at most one directory entry per 46 bytes of file, no entry larger than the
 * file, a stored entry exactly its stored size, a deflated one at most 1032 times its compressed size (deflate's
 * limit), and none over the caller's limit; the entries read take no more compressed bytes together than the file
 * has (entries of a real zip do not overlap). A refusal is a ZipError naming the entry; the caller words it as its own.
 */
import { unzipSync } from 'fflate'

/** Deflate cannot expand data more than this (258-byte matches coded in 2 bits): a larger claim is not a real entry. */
const DEFLATE_MAX_RATIO = 1032
/** A central directory entry is at least 46 bytes. */
const MIN_DIR_ENTRY = 46

/** Why a zip cannot be read: `entry` when one entry is at fault. */
export class ZipError extends Error {
  constructor(message: string, readonly entry?: string) {
    super(message)
    this.name = 'ZipError'
  }
}

export interface ZipEntryInfo { readonly name: string; readonly size: number; readonly originalSize: number; readonly compression: number }

export interface ReadZipOptions {
  /** Which entries to read (the others are skipped after their sizes are checked). */
  want: (entry: ZipEntryInfo) => boolean
  /** The most an entry may inflate to (default: no limit beyond the checks above). */
  maxEntryBytes?: number
  /** Entries whose impossible header skips them (left packed, `onSkip` told why) instead of refusing the zip. */
  lenient?: (name: string) => boolean
  onSkip?: (entry: ZipEntryInfo, problem: string) => void
  /**
   * Entries whose bytes are checked against the CRC-32 the zip's directory gives (fflate does not check): a flipped
   * byte in a stored part would otherwise be read as other numbers. `crc32` computes it (io/project.ts's).
   */
  verify?: { names: (name: string) => boolean; crc32: (bytes: Uint8Array) => number }
}

/**
 * The wanted entries of a zip, by name, in an object without a prototype (an entry named "__proto__" is just a
 * name). Throws ZipError when the bytes are not a zip or an entry's header cannot be true of this file.
 */
export function readZip(bytes: Uint8Array, opts: ReadZipOptions): Record<string, Uint8Array> {
  const maxEntries = Math.floor(bytes.length / MIN_DIR_ENTRY)
  let seen = 0
  // The compressed bytes of the entries read so far. Directory entries may all point at one deflated entry (the same
  // name again, or other names): each is read in full, so a 200 KB file of 50 such entries inflated 10 GB (65 s).
  let packed = 0
  let files: Record<string, Uint8Array>
  try {
    files = unzipSync(bytes, {
      filter: (f) => {
        // the directory's count is only a header: it cannot be more entries than the file has room for
        if (++seen > maxEntries) throw new ZipError(`its directory lists more entries than a file of ${bytes.length} bytes can hold`)
        const problem = entryProblem(f, bytes.length, opts.maxEntryBytes)
        if (problem && opts.lenient?.(f.name)) {
          opts.onSkip?.(f, problem)
          return false
        }
        if (problem) throw new ZipError(`part "${printable(f.name)}" ${problem}`, f.name)
        if (!opts.want(f)) return false
        packed += f.size
        if (packed > bytes.length) throw new ZipError(`part "${printable(f.name)}" overlaps the parts before it: together they claim ${packed} compressed bytes, more than the whole file (${bytes.length})`, f.name)
        return true
      }
    })
  } catch (e) {
    if (e instanceof ZipError) throw e
    throw new ZipError(`it is not a readable zip archive (${e instanceof Error ? e.message : String(e)})`)
  }
  const out: Record<string, Uint8Array> = Object.create(null)
  for (const k of Object.keys(files)) out[k] = files[k]
  if (opts.verify) {
    const crcs = directoryCrcs(bytes)
    for (const k of Object.keys(out)) {
      if (!opts.verify.names(k)) continue
      const want = crcs.get(k)
      // 0: a writer that left the field empty (the lab always fills it), not a checksum to hold the bytes to
      if (want !== undefined && want !== 0 && opts.verify.crc32(out[k]) !== want) throw new ZipError(`part "${printable(k)}" is damaged: its bytes do not match the checksum (CRC-32) the zip gives for them`, k)
    }
  }
  return out
}

/**
 * Each entry's CRC-32 as the central directory gives it, by name (the last one for a name given twice, as fflate
 * keeps). Read only as far as the directory is sound (unzipSync has read it already); a zip64 directory gives none.
 */
function directoryCrcs(bytes: Uint8Array): Map<string, number> {
  const crcs = new Map<string, number>()
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let e = bytes.length - 22
  while (e >= 0 && bytes.length - e <= 65557 && v.getUint32(e, true) !== 0x06054b50) e--
  if (e < 0 || bytes.length - e > 65557) return crcs
  const count = v.getUint16(e + 10, true)
  let o = v.getUint32(e + 16, true)
  for (let i = 0; i < count && o + 46 <= bytes.length && v.getUint32(o, true) === 0x02014b50; i++) {
    const nameLen = v.getUint16(o + 28, true)
    const utf8 = (v.getUint16(o + 8, true) & 0x800) !== 0
    const name = new TextDecoder(utf8 ? 'utf-8' : 'latin1').decode(bytes.subarray(o + 46, o + 46 + nameLen))
    crcs.set(name, v.getUint32(o + 16, true))
    o += 46 + nameLen + v.getUint16(o + 30, true) + v.getUint16(o + 32, true)
  }
  return crcs
}

/** What is impossible about an entry's sizes in a file of `fileBytes`, or null. */
function entryProblem(f: ZipEntryInfo, fileBytes: number, max: number | undefined): string | null {
  if (f.size > fileBytes) return `claims ${f.size} compressed bytes, more than the whole file (${fileBytes})`
  if (f.compression === 0 && f.originalSize !== f.size) return `is stored uncompressed but claims ${f.originalSize} bytes in ${f.size}`
  if (f.compression === 8 && f.originalSize > f.size * DEFLATE_MAX_RATIO + 64) return `claims ${f.originalSize} bytes from ${f.size} compressed bytes, more than deflate can give`
  if (max !== undefined && f.originalSize > max) return `claims ${f.originalSize} bytes, more than the ${max}-byte limit`
  return null
}

/** An entry's name as a message shows it: control characters escaped, at most 80 characters. */
export function printable(name: string): string {
  const s = JSON.stringify(name).slice(1, -1)
  return s.length > 80 ? `${s.slice(0, 77)}...` : s
}
