/**
 * IDX files, the format of LeCun's MNIST (and Fashion-MNIST): a 4-byte magic
 * (0x00 0x00 <dtype> <ndim>), ndim big-endian uint32 sizes, then the values row-major.
 * Files may be gzipped (detected by the gzip magic 1f 8b, whatever the name says).
 * Pure functions on bytes; the folder loader is loadIdxDir in files.ts.
 */
import { Gunzip as GunzipStream, gunzipSync } from 'fflate'
import type { Dataset } from './dataset'
import { datasetFromBytes } from './dataset'

/** One parsed IDX file of unsigned bytes. data (dims[0], dims[1], ...), row-major. */
export interface IdxArray {
  readonly dims: readonly number[]
  readonly data: Uint8Array
}

const DTYPE_NAMES: Record<number, string> = {
  0x08: 'unsigned byte',
  0x09: 'signed byte',
  0x0b: 'int16',
  0x0c: 'int32',
  0x0d: 'float32',
  0x0e: 'float64'
}

/**
 * The value types an IDX file may declare besides unsigned bytes (0x08, the only one the lab reads: MNIST's pixels
 * and labels), by their usual short names, which the folder check (idx-folder.ts) names a file by.
 */
export const IDX_TYPE_NAMES: Readonly<Record<number, string>> = { 0x09: 'int8', 0x0b: 'int16', 0x0c: 'int32', 0x0d: 'float32', 0x0e: 'float64' }

const fmt = (n: number): string => n.toLocaleString('en-US')
const hex = (b: number): string => `0x${b.toString(16).padStart(2, '0').toUpperCase()}`

/** True when the bytes start with the gzip magic number. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b
}

/**
 * A gzip decompressor: fflate's by default (pure JS); files.ts passes node:zlib's, about 3× faster, bounded by
 * MAX_IDX_BYTES (its maxOutputLength). One that stops at a bound throws IdxTooLargeError.
 */
export type Gunzip = (bytes: Uint8Array) => Uint8Array

/**
 * The most an IDX file may hold once inflated: 1 GiB, past the largest real set (EMNIST ByClass's training images,
 * 547 MB), and what a file can be before its pixels as floats (4×) outgrow any training thread. A small .gz can
 * inflate to gigabytes (a "zip bomb"): it is refused at this bound, not read to the end.
 */
export const MAX_IDX_BYTES = 1024 * 1024 * 1024

/** An IDX file larger than MAX_IDX_BYTES (or the bound the reader was given). */
export class IdxTooLargeError extends Error {
  constructor(name: string, readonly limit: number) {
    super(`${name} inflates to more than ${fmt(limit)} bytes, more than any MNIST-format data set; the file is damaged or not an IDX file`)
    this.name = 'IdxTooLargeError'
  }
}

/**
 * fflate's gunzip, which allocates what the gzip trailer says the data inflates to. A trailer over `max` (a bomb's,
 * or the last bytes of a stream cut short) is not believed: the data is inflated once only to count it (nothing
 * kept, stopped past `max`), then into a buffer of that size.
 */
export function fflateGunzip(max: number): Gunzip {
  return (bytes) => {
    const n = bytes.length
    const declared = n >= 18 ? (bytes[n - 4] | (bytes[n - 3] << 8) | (bytes[n - 2] << 16) | (bytes[n - 1] << 24)) >>> 0 : 0
    if (declared <= max) return gunzipSync(bytes)
    let size = 0
    new GunzipStream((chunk) => {
      size += chunk.length
      if (size > max) throw new IdxTooLargeError('', max)
    }).push(bytes, true)
    return gunzipSync(bytes, { out: new Uint8Array(size) })
  }
}

/** The bytes themselves, or their decompression when they are gzipped. `name` is for messages. */
export function maybeGunzip(bytes: Uint8Array, name: string, gunzip: Gunzip = fflateGunzip(MAX_IDX_BYTES)): Uint8Array {
  if (!isGzip(bytes)) return bytes
  let out: Uint8Array
  try {
    out = gunzip(bytes)
  } catch (e) {
    // node:zlib's maxOutputLength stops with ERR_BUFFER_TOO_LARGE
    const code = (e as { code?: unknown }).code
    if (e instanceof IdxTooLargeError || code === 'ERR_BUFFER_TOO_LARGE') throw new IdxTooLargeError(name, e instanceof IdxTooLargeError ? e.limit : limitOf(e))
    throw new Error(`${name} looks gzipped but cannot be decompressed (${(e as Error).message}); the download may be incomplete`)
  }
  return out
}

/** The bound a node:zlib size error names ("… larger than 1073741824 bytes"), else MAX_IDX_BYTES. */
function limitOf(e: unknown): number {
  const m = /(\d{4,})/.exec(String((e as Error).message))
  return m ? Number(m[1]) : MAX_IDX_BYTES
}

/** What the header declares, in words: "60000 images of 28×28", "60000 labels". */
function describe(dims: readonly number[]): string {
  if (dims.length === 1) return `${dims[0]} labels`
  if (dims.length === 3) return `${dims[0]} images of ${dims[1]}×${dims[2]}`
  return `${dims[0]} items of ${dims.slice(1).join('×')}`
}

/** Parse one IDX file (gzipped or not) of unsigned bytes, checking the header against the length. */
export function parseIdx(raw: Uint8Array, name: string, gunzip?: Gunzip): IdxArray {
  const bytes = maybeGunzip(raw, name, gunzip)
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) {
    const got = Array.from(bytes.subarray(0, 4), hex).join(' ') || 'nothing'
    throw new Error(`${name} is not an IDX file: it should start with 0x00 0x00 <dtype> <ndim> but starts with ${got}`)
  }
  const dtype = bytes[2]
  const ndim = bytes[3]
  if (dtype !== 0x08) {
    const what = DTYPE_NAMES[dtype] ? `${hex(dtype)} (${DTYPE_NAMES[dtype]})` : `${hex(dtype)}, which is not an IDX type`
    throw new Error(`${name} has dtype code ${what}; MNIST-format files hold unsigned bytes (0x08)`)
  }
  if (ndim < 1 || ndim > 4) throw new Error(`${name} declares ${ndim} dimensions; expected 1 (labels) or 3 (images)`)
  const headerBytes = 4 + 4 * ndim
  if (bytes.length < headerBytes) {
    throw new Error(`${name} is truncated: its header needs ${headerBytes} bytes but the file has ${fmt(bytes.length)}`)
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const dims: number[] = []
  for (let d = 0; d < ndim; d++) dims.push(view.getUint32(4 + 4 * d, false))
  const declared = dims.reduce((p, d) => p * d, 1)
  const follow = bytes.length - headerBytes
  if (declared > follow) {
    throw new Error(`${name} is truncated: header declares ${describe(dims)} (${fmt(declared)} bytes) but only ${fmt(follow)} bytes follow`)
  }
  if (declared < follow) {
    throw new Error(`${name} has ${fmt(follow - declared)} bytes more than its header declares (${describe(dims)}, ${fmt(declared)} bytes)`)
  }
  return { dims, data: bytes.subarray(headerBytes) }
}

/** Names of the two files of a pair, for messages. */
export interface IdxPairNames {
  images: string
  labels: string
}

export interface IdxPairOptions {
  /** Number of classes (labels must be below it); default 10. */
  classes?: number
  classNames?: readonly string[]
  gunzip?: Gunzip
}

/**
 * An images file (N, H, W) and a labels file (N) → Dataset of shape (1, H, W), pixels/255.
 * Checks that the counts agree and every label is below `classes`.
 */
export function idxPairToDataset(imagesRaw: Uint8Array, labelsRaw: Uint8Array, names: IdxPairNames, options: IdxPairOptions = {}): Dataset {
  const classes = options.classes ?? 10
  const images = parseIdx(imagesRaw, names.images, options.gunzip)
  const labels = parseIdx(labelsRaw, names.labels, options.gunzip)
  if (images.dims.length !== 3) {
    throw new Error(`${names.images} should hold images (3 dimensions: count, height, width) but declares ${images.dims.length}`)
  }
  if (labels.dims.length !== 1) {
    throw new Error(`${names.labels} should hold labels (1 dimension) but declares ${labels.dims.length}`)
  }
  const [n, h, w] = images.dims
  if (labels.dims[0] !== n) {
    throw new Error(`${names.images} has ${n} images but ${names.labels} has ${labels.dims[0]} labels; they must come in matching pairs`)
  }
  for (let i = 0; i < n; i++) {
    if (labels.data[i] >= classes) {
      throw new Error(`${names.labels}: label #${i} is ${labels.data[i]}, outside 0..${classes - 1}`)
    }
  }
  return datasetFromBytes(images.data, labels.data, [1, h, w], classes, options.classNames)
}

/** Encode an IDX file of unsigned bytes (tests, and the built-in MNIST build). data (dims...). */
export function encodeIdx(dims: readonly number[], data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length)
  const view = new DataView(out.buffer)
  out[2] = 0x08
  out[3] = dims.length
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false))
  out.set(data, 4 + 4 * dims.length)
  return out
}
