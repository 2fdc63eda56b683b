/**
 * Whether a folder can be read as MNIST-format IDX data, told before a run starts (Q3 F12): a folder that was there
 * but empty, or whose files were not IDX, passed Start and failed after it with the reader's English. Cheap enough for
 * the host's main thread: the folder's listing, each file's header (at most 20 bytes) against its size (a copy cut
 * short, a header claiming 2 billion images; Q4 B5), the pair's counts, and the labels files (60 kB for MNIST's
 * 60,000), whose labels must be classes 0..9 as the run's reader takes them; no image decoded. A gzipped file is taken
 * on trust: its header is inside the compressed stream, and the run's reader checks it.
 * The names are the run's (files.ts idxSplitFiles: train-… and t10k-… or test-…, plain or .gz).
 */
import { closeSync, existsSync, openSync, readFileSync, readSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { constants, gunzipSync } from 'node:zlib'
import { isGzip } from './idx'
import { idxFilesIn } from './files'
import { IDX_LABELS_MAX_BYTES } from './idx-labels'
import { idxShapeMismatch, type IdxFolderProblem } from './idx-problem'

export { idxFolderMessage, type IdxFolderProblem } from './idx-problem'

const PARTS = [['train', 'images'], ['train', 'labels'], ['test', 'images'], ['test', 'labels']] as const

/** The classes the run's reader takes labels for (idx.ts idxPairToDataset's default, which files.ts uses). */
const IDX_CLASSES = 10

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
  // each plain file's header against its size: the reader refuses a file whose data is shorter or longer than declared
  const counts = new Map<string, number>()
  for (const [split, kind] of PARTS) {
    const file = found.get(`${split}-${kind}`)!
    const length = lengthProblem(dir, file)
    if (length === null) continue
    if ('case' in length) return length
    counts.set(`${split}-${kind}`, length.count)
  }
  for (const split of ['train', 'test'] as const) {
    const images = counts.get(`${split}-images`)
    const labels = counts.get(`${split}-labels`)
    if (images === undefined || labels === undefined || images === labels) continue
    return { case: 'idx-count-mismatch', dir, imagesFile: found.get(`${split}-images`)!, labelsFile: found.get(`${split}-labels`)!, images, labels }
  }
  for (const split of ['train', 'test'] as const) {
    const file = found.get(`${split}-labels`)!
    if (!counts.has(`${split}-labels`)) continue
    const bad = labelOutside(join(dir, file))
    if (bad) return { case: 'idx-label', dir, file, ...bad, top: IDX_CLASSES - 1 }
  }
  return null
}

/**
 * The images' height × width against a network's `input` (Q4 B5: 56 × 14 images trained a (1, 28, 28) network as if
 * they were 28 × 28, silently): the first images file, training then held-out, whose size the network does not take
 * (data/idx-problem.ts idxShapeMismatch, by the network's kind), or null. Only the headers are read: a gzipped file's
 * first kilobyte is inflated as far as it goes. A folder idxFolderProblem refuses is its to say, so not judged here.
 */
export function idxShapeProblem(dir: string, input: readonly number[], task?: string): IdxFolderProblem | null {
  for (const { file, height, width } of idxImageSizes(dir)) {
    const problem = idxShapeMismatch(dir, file, height, width, input, task)
    if (problem) return problem
  }
  return null
}

/** The height × width of each images file in `dir` whose header says it, training then held-out (the page's folder note). */
export function idxImageSizes(dir: string): { file: string; height: number; width: number }[] {
  let found: Map<string, string>
  try {
    found = idxFilesIn(readdirSync(dir))
  } catch {
    return []
  }
  const sizes: { file: string; height: number; width: number }[] = []
  for (const split of ['train', 'test'] as const) {
    const file = found.get(`${split}-images`)
    const dims = file === undefined ? null : imageDims(join(dir, file))
    if (file !== undefined && dims) sizes.push({ file, ...dims })
  }
  return sizes
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

/**
 * A plain IDX file's count (its first dimension), or what is wrong with its length; null when it is gzipped or cannot
 * be read (the run's reader says why). Its header is 4 bytes and 4 a dimension, the data their product in bytes.
 */
function lengthProblem(dir: string, file: string): IdxFolderProblem | { count: number } | null {
  const path = join(dir, file)
  const head = firstBytes(path, 4 + 4 * 4)
  if (head === null || head.length < 4 || isGzip(head)) return null
  let size: number
  try {
    size = statSync(path).size
  } catch {
    return null
  }
  const headerBytes = 4 + 4 * head[3]
  // shorter than its own header: the dimensions themselves are cut off
  if (head.length < headerBytes) return { case: 'idx-truncated', dir, file, declared: headerBytes, size }
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength)
  let declared = 1
  for (let d = 0; d < head[3]; d++) declared *= view.getUint32(4 + 4 * d, false)
  const follow = size - headerBytes
  if (declared > follow) return { case: 'idx-truncated', dir, file, declared, size: follow }
  if (declared < follow) return { case: 'idx-extra', dir, file, declared, size: follow }
  return { count: view.getUint32(4, false) }
}

/** The first label of a plain labels file outside 0..IDX_CLASSES - 1, or null (none, too large to read here, unreadable). */
function labelOutside(path: string): { index: number; label: number } | null {
  try {
    if (statSync(path).size > IDX_LABELS_MAX_BYTES) return null
    const bytes = readFileSync(path)
    // a labels file has one dimension (a header of 8 bytes); another shape is the run's reader's to refuse
    if (bytes.length < 8 || bytes[3] !== 1) return null
    for (let i = 8; i < bytes.length; i++) if (bytes[i] >= IDX_CLASSES) return { index: i - 8, label: bytes[i] }
    return null
  } catch {
    return null
  }
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
