/**
 * The autosave file, written by the training thread itself. After every epoch of a run that asked for
 * checkpoints the worker keeps a copy of the weights and optimizer state (session.ts); the host answers
 * with an 'autosave' command carrying what only it knows (the settings, the runs' history, the epoch as
 * the page numbers it, the path), and this thread checks the values for NaN, computes the zip's CRC-32s
 * and writes the file through a temporary file and a rename. The host's main thread never holds the
 * arrays: keeping a 5 MB checkpoint alive there through an asynchronous write promoted it to the old
 * generation and brought on a full garbage collection (a 10–20 ms pause of the event loop) at every epoch.
 */
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { randomBytes } from 'node:crypto'
import * as zlib from 'node:zlib'
import { crc32 as crc32Js, projectParts, zipChunks, type ProjectData } from '../io/project'
import { chunksLength } from '../io/chunks'

/** Node's native CRC-32 (zlib.crc32, Node ≥ 20.15) when present; the same numbers in JS otherwise. */
export const crc32: (bytes: Uint8Array, crc: number) => number =
  (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32 ?? crc32Js

/**
 * Writes `data` as a project file at `path` so that a reader never sees half a file: the chunks go to a
 * temporary file in the same folder, which is then renamed over `path` (atomic on one file system). Throws (leaving
 * any previous file at `path` and no temporary file) on NaN or ±Infinity, naming the tensor, or on a
 * failed write. Returns the file's size in bytes.
 */
export function writeProjectFileSync(path: string, data: ProjectData): number {
  const parts = projectParts(data).map((part) => ({ ...part, crc: part.chunks.reduce((c, b) => crc32(b, c), 0) }))
  const chunks = zipChunks(parts)
  mkdirSync(dirname(path), { recursive: true })
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`)
  try {
    const fd = openSync(tmp, 'w')
    try {
      for (const chunk of chunks) {
        for (let at = 0; at < chunk.length;) at += writeSync(fd, chunk, at, chunk.length - at)
      }
    } finally {
      closeSync(fd)
    }
    renameSync(tmp, path)
  } catch (e) {
    rmSync(tmp, { force: true })
    throw e
  }
  return chunksLength(chunks)
}
