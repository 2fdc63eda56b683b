/**
 * Whether a folder can be read as MNIST-format IDX data, told before a run starts (Q3 F12): a folder that was there
 * but empty, or whose files were not IDX, passed Start and failed after it with the reader's English. The folder's
 * listing, then each of its four files as the run's reader would see it (idx-facts.ts: the header against the length,
 * a gzipped file's once inflated): cut short, a header claiming 2 billion images (Q4 B5), values of another type than
 * bytes, the pair's counts, and labels outside the classes 0..9 the run's reader takes; no image decoded. A .gz is
 * inflated to its end, on the command line at once, for the host first on Node's thread pool (idxFolderProblemAsync).
 * Then the images' height × width against a network's input (idxShapeProblem), from the headers alone.
 * The names are the run's (files.ts idxSplitFiles: train-… and t10k-… or test-…, plain or .gz).
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { IDX_TYPE_NAMES } from './idx'
import { idxFilesIn } from './files'
import { idxFileFacts, idxGzFactsAsync, imageDims, type IdxFileFacts } from './idx-facts'
import { idxShapeMismatch, type IdxFolderProblem } from './idx-problem'

export { idxFolderMessage, type IdxFolderProblem } from './idx-problem'

const PARTS = [['train', 'images'], ['train', 'labels'], ['test', 'images'], ['test', 'labels']] as const

/** The classes the run's reader takes labels for (idx.ts idxPairToDataset's default, which files.ts uses). */
const IDX_CLASSES = 10

const hex = (b: number): string => `0x${b.toString(16).padStart(2, '0').toUpperCase()}`

/**
 * The problem the run would meet reading `dir` as IDX data, or null when its four files are there and read as IDX.
 * `gz`: 'inflate' (the command line) inflates a gzipped file here; 'cached' (the host, after idxFolderProblemAsync)
 * takes what that inflation found, and a .gz not inflated yet on trust (the run's reader checks it).
 */
export function idxFolderProblem(dir: string, gz: 'inflate' | 'cached' = 'inflate'): IdxFolderProblem | null {
  const listed = folderFiles(dir)
  if (!('found' in listed)) return listed.problem
  const { found } = listed
  const facts = new Map<string, IdxFileFacts>()
  for (const [split, kind] of PARTS) facts.set(`${split}-${kind}`, idxFileFacts(join(dir, found.get(`${split}-${kind}`)!), kind === 'labels', gz))
  return judge(dir, found, facts)
}

/** idxFolderProblem for the host: its gzipped files inflated on Node's thread pool first, so its main thread answers meanwhile. */
export async function idxFolderProblemAsync(dir: string): Promise<IdxFolderProblem | null> {
  await inflateIdxFolder(dir)
  return idxFolderProblem(dir, 'cached')
}

/** Inflates the gzipped ones among the folder's four files on Node's thread pool (idx-facts.ts keeps what it finds). */
export async function inflateIdxFolder(dir: string): Promise<void> {
  const listed = folderFiles(dir)
  if (!('found' in listed)) return
  await idxGzFactsAsync(PARTS.map(([split, kind]) => ({ path: join(dir, listed.found.get(`${split}-${kind}`)!), labels: kind === 'labels' })))
}

/** The folder's four files by part (the run's choice, files.ts idxFilesIn), or why it has not got them; problem null: unreadable. */
function folderFiles(dir: string): { found: Map<string, string> } | { problem: IdxFolderProblem | null } {
  if (!existsSync(dir)) return { problem: { case: 'folder', dir } }
  let entries: string[]
  try {
    if (!statSync(dir).isDirectory()) return { problem: { case: 'not-folder', dir } }
    entries = readdirSync(dir).sort()
  } catch {
    // unreadable (permissions): the run's reader says why in its own words
    return { problem: null }
  }
  // the run's own choice (files.ts idxFilesIn): the uncompressed file when both are there
  const found = idxFilesIn(entries)
  for (const [split, kind] of PARTS) {
    if (found.has(`${split}-${kind}`)) continue
    const file = `${split === 'train' ? 'train' : 't10k'}-${kind}-idx${kind === 'images' ? 3 : 1}-ubyte`
    const idxLike = entries.filter((e) => /idx|ubyte/i.test(e))
    return { problem: idxLike.length ? { case: 'idx-missing', dir, file, found: idxLike.join(', ') } : { case: 'idx-none', dir } }
  }
  return { found }
}

/** The first problem among the four files' facts, in the order the reader would meet them, or null. */
function judge(dir: string, found: Map<string, string>, facts: Map<string, IdxFileFacts>): IdxFolderProblem | null {
  // a .gz that does not inflate, an empty file, one that does not start as IDX, or one of values other than bytes
  for (const [split, kind] of PARTS) {
    const file = found.get(`${split}-${kind}`)!
    const f = facts.get(`${split}-${kind}`)!
    if (f === 'gzip-damaged') return { case: 'idx-gzip', dir, file }
    if (f === null) continue
    const head = f.head
    if (f.size === 0) return { case: 'idx-empty-file', dir, file }
    const starts = Array.from(head.subarray(0, 4), hex).join(' ')
    // 0x00 0x00, then the type (0x08, unsigned bytes, the only one the reader takes) and 1 to 4 dimensions (idx.ts parseIdx)
    if (head.length < 4 || head[0] !== 0 || head[1] !== 0 || head[3] < 1 || head[3] > 4) return { case: 'idx-not-idx', dir, file, starts }
    if (head[2] !== 0x08) {
      const type = IDX_TYPE_NAMES[head[2]]
      if (type === undefined) return { case: 'idx-not-idx', dir, file, starts }
      return { case: 'idx-type', dir, file, typeCode: hex(head[2]), valueType: type }
    }
  }
  // each file's header against its length: the reader refuses a file whose data is shorter or longer than declared
  const counts = new Map<string, number>()
  for (const [split, kind] of PARTS) {
    const file = found.get(`${split}-${kind}`)!
    const f = facts.get(`${split}-${kind}`)!
    if (f === null || f === 'gzip-damaged') continue
    const length = lengthProblem(dir, file, f.head, f.size)
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
    const f = facts.get(`${split}-labels`)!
    // a labels file has one dimension; another shape, or one too large to read here, is the run's reader's to refuse
    if (f === null || f === 'gzip-damaged' || !f.labels || !counts.has(`${split}-labels`)) continue
    const index = f.labels.findIndex((l) => l >= IDX_CLASSES)
    if (index >= 0) return { case: 'idx-label', dir, file: found.get(`${split}-labels`)!, index, label: f.labels[index], top: IDX_CLASSES - 1 }
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

/**
 * An IDX file's count (its first dimension), or what is wrong with its length, from its first bytes and its length
 * (inflated when gzipped). Its header is 4 bytes and 4 a dimension, the data their product in bytes.
 */
function lengthProblem(dir: string, file: string, head: Uint8Array, size: number): IdxFolderProblem | { count: number } {
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
