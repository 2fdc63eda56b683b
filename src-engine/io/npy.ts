/**
 * NumPy .npy files: "\x93NUMPY", version (1.0 with a uint16 header length, 2.0/3.0 with uint32), a
 * Python dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), } padded with spaces
 * to a multiple of 64 bytes, then the values. We write float32 C-order; we read float32, float64 and
 * uint8 (either byte order), converting to float32. Pure functions on bytes.
 */

/** An array from a .npy file: shape and float32 values in C (row-major) order. */
export interface NpyArray {
  readonly shape: number[]
  readonly data: Float32Array
  /** The dtype as stored in the file ('<f4', '<f8', '|u1', ...). */
  readonly descr: string
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59] // \x93NUMPY

/** Encode float32 values of `shape` (C order) as a version 1.0 .npy file (2.0 if the header is huge). */
export function encodeNpy(shape: readonly number[], data: Float32Array): Uint8Array {
  const n = shape.reduce((p, d) => p * d, 1)
  if (data.length !== n) throw new Error(`encodeNpy: shape (${shape.join(', ')}) holds ${n} values but data has ${data.length}`)
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shapeText}, }`
  let version = 1
  let lenBytes = 2
  let total = 6 + 2 + lenBytes + dict.length + 1
  if (Math.ceil(total / 64) * 64 - 10 > 0xffff) {
    version = 2
    lenBytes = 4
    total = 6 + 2 + lenBytes + dict.length + 1
  }
  const padded = Math.ceil(total / 64) * 64
  const header = dict + ' '.repeat(padded - total) + '\n'
  const out = new Uint8Array(padded + data.length * 4)
  out.set(MAGIC)
  out[6] = version
  out[7] = 0
  const view = new DataView(out.buffer)
  if (version === 1) view.setUint16(8, header.length, true)
  else view.setUint32(8, header.length, true)
  for (let i = 0; i < header.length; i++) out[8 + lenBytes + i] = header.charCodeAt(i)
  // Float32 little-endian, written through DataView so the result is right on any host.
  for (let i = 0; i < data.length; i++) view.setFloat32(padded + 4 * i, data[i], true)
  return out
}

/** The largest header read: numpy's own limit (np.load max_header_size) is 10,000 bytes. */
const MAX_HEADER_BYTES = 65536

/** Decode a .npy file (float32, float64 or uint8, C order) into float32. `name` is for messages. */
export function decodeNpy(bytes: Uint8Array, name = 'array.npy'): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new Error(`${name} is not a .npy file (it does not start with \\x93NUMPY)`)
  }
  const major = bytes[6]
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let headerLen: number
  let start: number
  if (major === 1) {
    headerLen = view.getUint16(8, true)
    start = 10
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new Error(`${name} is truncated inside its header`)
    headerLen = view.getUint32(8, true)
    start = 12
  } else {
    throw new Error(`${name} uses .npy format version ${major}.${bytes[7]}; versions 1, 2 and 3 are supported`)
  }
  // numpy itself reads headers of at most 10,000 bytes (np.load's max_header_size); a larger one is a damaged or hostile file's
  if (headerLen > MAX_HEADER_BYTES) {
    throw new Error(`${name} declares a header of ${headerLen} bytes; a .npy header is a few hundred bytes (at most ${MAX_HEADER_BYTES}), so the file is damaged or not a .npy file`)
  }
  if (start + headerLen > bytes.length) {
    throw new Error(`${name} is truncated: its header declares ${headerLen} bytes but only ${bytes.length - start} follow`)
  }
  // Version 3 allows UTF-8 in the header (field names of structured dtypes); 1 and 2 are latin-1.
  const headerText = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLen))
  let header: unknown
  try {
    header = parsePyLiteral(headerText)
  } catch (e) {
    throw new Error(`${name} has an unreadable header (${(e as Error).message}): ${clip(headerText.trim())}`)
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new Error(`${name}: the header should be a dict but is ${clip(headerText.trim())}`)
  }
  const h = header as Record<string, unknown>
  const descr = h.descr
  const fortran = h.fortran_order
  const shape = h.shape
  if (typeof descr !== 'string') throw new Error(`${name}: header field 'descr' should be a dtype string like '<f4'`)
  if (typeof fortran !== 'boolean') throw new Error(`${name}: header field 'fortran_order' should be True or False`)
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && (d as number) >= 0)) {
    throw new Error(`${name}: header field 'shape' should be a tuple of non-negative integers`)
  }
  if (fortran && shape.length > 1) {
    throw new Error(`${name} is stored in Fortran (column-major) order; save it in C order, e.g. np.save(f, np.ascontiguousarray(a))`)
  }
  const dims = shape as number[]
  const n = dims.reduce((p, d) => p * d, 1)
  const dataStart = start + headerLen
  const kind = Object.hasOwn(DTYPES, descr) ? DTYPES[descr] : undefined
  if (!kind) {
    throw new Error(`${name} has dtype '${clip(descr)}'; Backprop Lab reads float32 ('<f4'), float64 ('<f8') and uint8 ('|u1') arrays`)
  }
  const expected = n * kind.size
  const have = bytes.length - dataStart
  if (have < expected) {
    throw new Error(`${name} is truncated: shape (${dims.join(', ')}) of ${kind.label} needs ${expected} bytes but only ${have} follow the header`)
  }
  if (have > expected) throw new Error(`${name} has ${have - expected} bytes more than its shape (${dims.join(', ')}) of ${kind.label} needs`)
  const data = new Float32Array(n)
  for (let i = 0; i < n; i++) data[i] = kind.read(view, dataStart + i * kind.size)
  return { shape: dims, data, descr }
}

/** A header's text as a message quotes it: at most 80 characters (a hostile header is up to 4 GB). */
const clip = (s: string): string => (s.length > 80 ? `${s.slice(0, 77)}...` : s)

interface DtypeReader {
  size: number
  label: string
  read: (v: DataView, at: number) => number
}

const DTYPES: Record<string, DtypeReader> = {
  '<f4': { size: 4, label: 'float32', read: (v, at) => v.getFloat32(at, true) },
  '>f4': { size: 4, label: 'float32', read: (v, at) => v.getFloat32(at, false) },
  '<f8': { size: 8, label: 'float64', read: (v, at) => v.getFloat64(at, true) },
  '>f8': { size: 8, label: 'float64', read: (v, at) => v.getFloat64(at, false) },
  '|u1': { size: 1, label: 'uint8', read: (v, at) => v.getUint8(at) },
  '<u1': { size: 1, label: 'uint8', read: (v, at) => v.getUint8(at) },
  '>u1': { size: 1, label: 'uint8', read: (v, at) => v.getUint8(at) }
}

/**
 * Parse the small subset of Python literals a .npy header uses: dicts, tuples, lists, quoted strings,
 * integers (with Python 2's trailing L), True, False and None. Whitespace and trailing commas allowed.
 */
const LITERAL = /(-?\d+)L?|(True|False|None)\b/y

export function parsePyLiteral(text: string): unknown {
  let i = 0
  // a header nests a tuple in a dict; a hostile one nests a million brackets, which recursion would not survive
  let depth = 0
  const MAX_DEPTH = 32
  const skip = (): void => {
    while (i < text.length && /\s/.test(text[i])) i++
  }
  const fail = (what: string): never => {
    throw new Error(`${what} at character ${i}`)
  }
  const sequence = (close: string): unknown[] => {
    depth++
    const items: unknown[] = []
    skip()
    while (text[i] !== close) {
      items.push(value())
      skip()
      if (text[i] === ',') {
        i++
        skip()
      } else if (text[i] !== close) fail(`expected ',' or '${close}'`)
    }
    i++
    depth--
    return items
  }
  const value = (): unknown => {
    skip()
    const c = text[i]
    if ((c === '{' || c === '(' || c === '[') && depth >= MAX_DEPTH) fail(`nested more than ${MAX_DEPTH} levels deep`)
    if (c === '{') {
      i++
      depth++
      // no prototype: a key "__proto__" is a key like any other, not the dict's prototype
      const obj: Record<string, unknown> = Object.create(null)
      skip()
      while (text[i] !== '}') {
        const key = value()
        if (typeof key !== 'string') fail('dict keys must be strings')
        skip()
        if (text[i] !== ':') fail("expected ':'")
        i++
        obj[key as string] = value()
        skip()
        if (text[i] === ',') {
          i++
          skip()
        } else if (text[i] !== '}') fail("expected ',' or '}'")
      }
      i++
      depth--
      return obj
    }
    if (c === '(') {
      i++
      return sequence(')')
    }
    if (c === '[') {
      i++
      return sequence(']')
    }
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1)
      if (end < 0) fail('unterminated string')
      const s = text.slice(i + 1, end)
      i = end + 1
      return s
    }
    // sticky, at i: no copy of the rest of the text per number (a header may hold a million of them)
    const m = (LITERAL.lastIndex = i, LITERAL.exec(text))
    if (!m) return fail(i >= text.length ? 'unexpected end' : `unexpected '${c}'`)
    i += m[0].length
    if (m[1] !== undefined) return Number(m[1])
    return m[2] === 'True' ? true : m[2] === 'False' ? false : null
  }
  const result = value()
  skip()
  if (i < text.length) fail('unexpected text after the literal')
  return result
}
