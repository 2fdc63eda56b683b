/**
 * Whether a folder can be read as MNIST-format IDX data, told before a run starts (Q3 F12): a folder that was there
 * but empty, or whose files were not IDX, passed Start and failed after it with the reader's English. Cheap enough for
 * the host's main thread: the folder's listing and the first 4 bytes of each of the four files, nothing decoded
 * (a gzipped file is taken on trust: its header is inside the compressed stream, and the run's reader checks it).
 * The names are the run's (files.ts idxSplitFiles: train-… and t10k-… or test-…, plain or .gz).
 */
import { closeSync, existsSync, openSync, readSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { isGzip } from './idx'
import { idxFilesIn } from './files'
import type { IdxFolderProblem } from './idx-problem'

export { idxFolderMessage, type IdxFolderProblem } from './idx-problem'

const PARTS = [['train', 'images'], ['train', 'labels'], ['test', 'images'], ['test', 'labels']] as const

/** The problem the run would meet reading `dir` as IDX data, or null when its four files are there and start as IDX. */
export function idxFolderProblem(dir: string): IdxFolderProblem | null {
  if (!existsSync(dir)) return { case: 'folder', dir }
  let entries: string[]
  try {
    if (!statSync(dir).isDirectory()) return { case: 'not-folder', dir }
    entries = readdirSync(dir).sort()
  } catch {
    // unreadable (permissions): the run's reader says why in its own words
    return null
  }
  // the run's own choice (files.ts idxFilesIn): the uncompressed file when both are there
  const found = idxFilesIn(entries)
  for (const [split, kind] of PARTS) {
    if (found.has(`${split}-${kind}`)) continue
    const file = `${split === 'train' ? 'train' : 't10k'}-${kind}-idx${kind === 'images' ? 3 : 1}-ubyte`
    const idxLike = entries.filter((e) => /idx|ubyte/i.test(e))
    return idxLike.length ? { case: 'idx-missing', dir, file, found: idxLike.join(', ') } : { case: 'idx-none', dir }
  }
  for (const [split, kind] of PARTS) {
    const file = found.get(`${split}-${kind}`)!
    const head = firstBytes(join(dir, file), 4)
    if (head === null || isGzip(head)) continue
    if (head.length === 0) return { case: 'idx-empty-file', dir, file }
    // 0x00 0x00, then 0x08 (unsigned bytes, the only type the reader takes) and 1 to 4 dimensions (idx.ts parseIdx)
    if (head.length < 4 || head[0] !== 0 || head[1] !== 0 || head[2] !== 0x08 || head[3] < 1 || head[3] > 4) {
      const starts = Array.from(head, (b) => `0x${b.toString(16).padStart(2, '0').toUpperCase()}`).join(' ')
      return { case: 'idx-not-idx', dir, file, starts }
    }
  }
  return null
}

/** Up to n bytes from the start of a file, or null when it cannot be read. */
function firstBytes(path: string, n: number): Uint8Array | null {
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
