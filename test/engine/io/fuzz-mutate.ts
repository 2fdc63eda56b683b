/**
 * A small seeded mutator for the readers' fuzz tests (fuzz-*.test.ts): byte flips, truncation at the
 * structural boundaries a caller names (and anywhere), lengths/offsets/counts set to 0, −1, 2^31, 2^32−1,
 * 2^53…, ranges dropped or doubled, and for JSON: hostile values at a random place (NaN as text, huge and
 * negative numbers, wrong types, "__proto__"/"constructor" keys, deep nesting). Deterministic: the same
 * seed gives the same case, so a failure names the seed that replays it.
 */

/** mulberry32: a tiny seeded generator, enough to pick mutations. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export type Rand = () => number
export const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]
export const below = (r: Rand, n: number): number => Math.floor(r() * n)

/** Values a length, offset, count or dimension is set to. */
export const SPECIAL_U32 = [0, 1, 2, 0x7f, 0xff, 0xffff, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff] as const
export const SPECIAL_U64 = [0n, 1n, 2n ** 31n, 2n ** 32n - 1n, 2n ** 53n, 2n ** 63n, 2n ** 64n - 1n] as const

/** The mutations mutateBytes may make, for a case's description. */
export type ByteMutation = string

/**
 * One mutation of `base` (never modified). `boundaries`: offsets where the format's structure changes (header
 * ends, length fields, entry starts): truncations and field overwrites favour them.
 */
export function mutateBytes(base: Uint8Array, r: Rand, boundaries: readonly number[] = []): { bytes: Uint8Array; what: ByteMutation } {
  const at = (): number => (boundaries.length > 0 && r() < 0.7 ? pick(r, boundaries) : below(r, Math.max(1, base.length)))
  const copy = (): Uint8Array => base.slice()
  switch (below(r, 9)) {
    case 0: {
      const b = copy()
      const n = 1 + below(r, 4)
      const spots: number[] = []
      for (let k = 0; k < n && b.length > 0; k++) {
        const i = below(r, b.length)
        b[i] ^= 1 << below(r, 8)
        spots.push(i)
      }
      return { bytes: b, what: `bit flips at ${spots.join(',')}` }
    }
    case 1: {
      const i = Math.min(at(), base.length)
      const cut = Math.max(0, i + pick(r, [-1, 0, 1]))
      return { bytes: base.slice(0, cut), what: `truncated to ${cut}` }
    }
    case 2: case 3: {
      const b = copy()
      const i = at()
      const v = pick(r, SPECIAL_U32)
      const le = r() < 0.7
      const width = pick(r, [2, 4, 4, 4])
      const view = new DataView(b.buffer)
      if (i + width > b.length) return { bytes: b, what: 'unchanged (field past end)' }
      if (width === 2) view.setUint16(i, v & 0xffff, le)
      else view.setUint32(i, v, le)
      return { bytes: b, what: `u${width * 8}${le ? 'le' : 'be'} at ${i} = ${v}` }
    }
    case 4: {
      const b = copy()
      const i = at()
      const v = pick(r, SPECIAL_U64)
      if (i + 8 > b.length) return { bytes: b, what: 'unchanged (field past end)' }
      new DataView(b.buffer).setBigUint64(i, v, true)
      return { bytes: b, what: `u64le at ${i} = ${v}` }
    }
    case 5: {
      const i = below(r, base.length + 1)
      const n = Math.min(1 + below(r, 64), base.length - i)
      const out = new Uint8Array(base.length - n)
      out.set(base.subarray(0, i))
      out.set(base.subarray(i + n), i)
      return { bytes: out, what: `dropped ${n} bytes at ${i}` }
    }
    case 6: {
      const i = Math.min(at(), base.length)
      const n = 1 + below(r, 200)
      const piece = base.subarray(i, i + n)
      const out = new Uint8Array(base.length + piece.length)
      out.set(base.subarray(0, i + piece.length))
      out.set(piece, i + piece.length)
      out.set(base.subarray(i + piece.length), i + 2 * piece.length)
      return { bytes: out, what: `doubled ${piece.length} bytes at ${i}` }
    }
    case 7: {
      const b = copy()
      const i = at()
      const n = 1 + below(r, 16)
      for (let k = i; k < Math.min(b.length, i + n); k++) b[k] = pick(r, [0x00, 0xff, 0x80, 0xc0, 0xfe, 0x22, 0x7b])
      return { bytes: b, what: `${n} bytes at ${i} set to hostile values` }
    }
    default: {
      const n = below(r, 300)
      const out = new Uint8Array(base.length + n)
      out.set(base)
      for (let k = base.length; k < out.length; k++) out[k] = below(r, 256)
      return { bytes: out, what: `${n} random bytes appended` }
    }
  }
}

/** Hostile values put where a JSON document had something else. */
export function hostileValue(r: Rand): unknown {
  switch (below(r, 16)) {
    case 0: return null
    case 1: return -1
    case 2: return 0
    case 3: return 2 ** 31
    case 4: return 2 ** 53
    case 5: return 1e308
    case 6: return -1e308
    case 7: return 'NaN'
    case 8: return 0.5
    case 9: return ''
    case 10: return 'x'.repeat(1 + below(r, 5000))
    case 11: return []
    case 12: return {}
    case 13: return JSON.parse('{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 1}}}')
    case 14: return Array.from({ length: 1 + below(r, 2000) }, () => below(r, 3) - 1)
    default: return true
  }
}

/** Every path (as keys) into a JSON value, its root included. */
function paths(v: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at)
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out))
  else if (typeof v === 'object' && v !== null) for (const k of Object.keys(v)) paths((v as Record<string, unknown>)[k], [...at, k], out)
  return out
}

/**
 * A structurally near copy of `value` (plain JSON) with one or two changes: a value replaced by a hostile
 * one, a key removed, an extra key added ("__proto__", "constructor", or another), or an array emptied.
 */
export function mutateJson(value: unknown, r: Rand): { value: unknown; what: string } {
  let out: unknown = structuredClone(value)
  const whats: string[] = []
  const changes = 1 + below(r, 2)
  for (let c = 0; c < changes; c++) {
    const all = paths(out)
    const path = pick(r, all)
    const kind = below(r, 4)
    const hostile = hostileValue(r)
    if (path.length === 0) {
      out = kind === 0 ? hostile : out
      whats.push(kind === 0 ? `root = ${short(hostile)}` : 'unchanged')
      continue
    }
    const parent = path.slice(0, -1).reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], out) as Record<string | number, unknown>
    const key = path[path.length - 1]
    if (kind === 0 || kind === 1) {
      parent[key] = hostile
      whats.push(`${path.join('.')} = ${short(hostile)}`)
    } else if (kind === 2 && !Array.isArray(parent)) {
      delete parent[key]
      whats.push(`${path.join('.')} removed`)
    } else {
      const target = parent[key]
      if (typeof target === 'object' && target !== null && !Array.isArray(target)) {
        const extra = pick(r, ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'extra'])
        Object.defineProperty(target, extra, { value: hostile, enumerable: true, writable: true, configurable: true })
        whats.push(`${path.join('.')}.${extra} = ${short(hostile)}`)
      } else if (Array.isArray(target)) {
        target.length = 0
        whats.push(`${path.join('.')} emptied`)
      } else {
        parent[key] = hostile
        whats.push(`${path.join('.')} = ${short(hostile)}`)
      }
    }
  }
  return { value: out, what: whats.join('; ') }
}

/** JSON nested `depth` arrays deep (a parser that recurses runs out of stack on it). */
export const deepJson = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth)

function short(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v)
  return s.length > 40 ? `${s.slice(0, 37)}...` : s
}

/**
 * A fuzzed case slower than this is a failure: it catches a reader that believes a header's size (gigabytes
 * allocated or inflated) or walks a loop the input does not bound (the hangs F1 found took 16 s to 65 s). Cases take
 * well under 1 ms; the bound is that generous because a GC pause or a busy shared core can stop a case for a few
 * hundred ms (a 200 ms bound tripped at load 8), and a timing assertion must not fail on a slow machine.
 */
export const SLOW_CASE_MS = 2000

/** What a fuzzed call did: returned, or threw something. */
export type Outcome = { threw: false; ms: number } | { threw: true; error: unknown; ms: number }

export function attempt(run: () => unknown): Outcome {
  const t0 = performance.now()
  try {
    run()
    return { threw: false, ms: performance.now() - t0 }
  } catch (error) {
    return { threw: true, error, ms: performance.now() - t0 }
  }
}

/** Errors that mean a reader failed deep inside instead of refusing with its own message. */
export function isCrash(e: unknown): boolean {
  if (!(e instanceof Error)) return true
  if (e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError || e instanceof SyntaxError) return true
  return /undefined|Cannot read|is not a function|Invalid typed array|Array buffer allocation|Maximum call stack/i.test(e.message)
}

/**
 * `zip` with its central directory entry for `name` listed `copies` times, every copy pointing at the same local
 * entry (the overlapping-entries zip bomb: each listing is inflated in full). `rename` gives each copy its own name
 * (the same length as `name`, so the entry's size fields stay right); without it they all keep `name`.
 */
export function overlappingZip(zip: Uint8Array, name: string, copies: number, rename?: (i: number) => string): Uint8Array {
  const v = new DataView(zip.buffer, zip.byteOffset, zip.byteLength)
  let e = zip.length - 22
  while (v.getUint32(e, true) !== 0x06054b50) e--
  const start = v.getUint32(e + 16, true)
  const entries: Uint8Array[] = []
  let target: Uint8Array | null = null
  for (let o = start; o < e;) {
    const len = 46 + v.getUint16(o + 28, true) + v.getUint16(o + 30, true) + v.getUint16(o + 32, true)
    const entry = zip.slice(o, o + len)
    if (new TextDecoder().decode(entry.subarray(46, 46 + v.getUint16(o + 28, true))) === name) target = entry
    else entries.push(entry)
    o += len
  }
  if (!target) throw new Error(`overlappingZip: no entry ${name}`)
  for (let i = 0; i < copies; i++) {
    const copy = target.slice()
    if (rename) copy.set(new TextEncoder().encode(rename(i)).subarray(0, name.length), 46)
    entries.push(copy)
  }
  const dirBytes = entries.reduce((n, x) => n + x.length, 0)
  const out = new Uint8Array(start + dirBytes + 22)
  out.set(zip.subarray(0, start))
  let o = start
  for (const x of entries) { out.set(x, o); o += x.length }
  const end = zip.slice(e, e + 22)
  const ev = new DataView(end.buffer)
  ev.setUint16(8, entries.length, true)
  ev.setUint16(10, entries.length, true)
  ev.setUint32(12, dirBytes, true)
  out.set(end, o)
  return out
}
