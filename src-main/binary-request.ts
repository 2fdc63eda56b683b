/**
 * Requests that carry a file's bytes (an uploaded project, weights or text) come over the web shell's WebSocket as
 * binary frames, the bytes as they are, sliced: the page's lib/lab.ts requestFrames writes them, this reads them.
 *
 * Why: a 50 MB upload sent as base64 inside one JSON text frame held the host's main thread 1.1-1.8 s at load 8
 * (the frame made a 67 MB string, parsed, the base64 checked by a regular expression). Raw bytes need none of that,
 * and slices because ws unmasks a client's frame in one JavaScript loop when the frame is complete (no native
 * bufferutil here): 107-145 ms for a 52 MB frame, twice that for 100 MB; a 1 MB slice takes ~2 ms, and the
 * event loop serves timers, the training thread's telemetry and other requests between slices.
 *
 * Every binary frame: a 4-byte little-endian length, that many bytes of JSON, then data.
 * - The first frame's JSON is the request, `{ id, channel, payload, size }`, each file in the payload written as
 *   `{ "$bytes": [offset, length] }` into the request's `size` bytes; its data is their first slice.
 * - Each further frame's JSON is `{ id }` and its data the next slice, in order.
 * - A first frame with `"ack": true` asks for each slice taken to be acknowledged (`partial` carries `ack`, the bytes
 *   received so far; the web shell sends `{ ack: id, received }`): the page paces its slices by these, which come as
 *   message events, not by timers a hidden tab throttles, and counts its time limit from the last one. A page that
 *   does not ask (an older one) gets none, as before.
 * Once `size` bytes have come, the request is whole: each file is a view into one buffer of exactly `size` bytes
 * (whole, so the reader thread gets it by transfer, not by copy).
 */

/** A request made whole, as the JSON frames' `{ id, channel, payload }`. */
export interface WholeRequest { id: number; channel: unknown; payload: unknown }

/**
 * What one binary frame gave: a request made whole, nothing yet (more slices to come, or a slice of a request already
 * refused, which needs no answer of its own), a request whose announced bytes exceed what one request may carry (its
 * file is too big: the page words that as such), one that would fit alone but not beside the uploads of the
 * connection still being sent (`held`: the page says to wait for them, not to reload), one the host has no memory
 * free for (`no-memory`: the page says so, since reloading would not help), one whose payload is nested deeper than
 * any request of the lab (`too-deep`), or why it is refused.
 */
export type FrameOutcome =
  | { kind: 'request'; request: WholeRequest }
  | { kind: 'partial'; ack?: { id: number; received: number } }
  | { kind: 'too-big'; id: number; channel: unknown; size: number }
  | { kind: 'held'; id: number; channel: unknown; size: number; held: number }
  | { kind: 'no-memory'; id: number; channel: unknown; size: number }
  | { kind: 'too-deep'; id: number; channel: unknown; limit: number }
  | { kind: 'bad'; id: number; why: string }

interface Assembling { head: { id: number; channel: unknown; payload: unknown }; bytes: Buffer; received: number; last: number; ack: boolean }

/**
 * A request none of whose slices has come for this long is given up (its bytes no longer held, its later slices passed
 * over): the page's lib/lab.ts stops sending an upload's slices once the request has timed out there (120 s with no
 * slice acknowledged, or, from a page that asks for no acknowledgements, 120 s from its first frame), so one
 * unfinished by then never will be, and it held its bytes, and counted against maxHeld, for the life of the
 * connection (two such, and every later upload was told to wait for files that never came).
 */
export const IDLE_UPLOAD_MS = 120_000

/**
 * One connection's requests being assembled from binary frames. `maxSize` bounds one request's bytes: each upload is
 * judged on its own, so a file the lab accepts is never refused because another is on its way (a text uploaded on the
 * training form while a project opens). `maxHeld` bounds what the connection's requests hold together (two largest
 * uploads by default), so a page cannot make the host hold more than that; a request beyond it is `held`, not bad.
 */
export class BinaryRequests {
  private open = new Map<number, Assembling>()
  private held = 0
  /** Requests refused while their slices were still coming (the last few): their later slices are passed over in silence. */
  private refused = new Set<number>()

  constructor(
    private readonly maxSize: number,
    private readonly revive: (key: string, value: unknown) => unknown = (_k, v) => v,
    private readonly maxHeld = 2 * maxSize,
    private readonly now: () => number = () => performance.now()
  ) {}

  /** Reads one binary frame (never throws). */
  take(frame: Buffer): FrameOutcome {
    let json: unknown
    let data: Buffer
    try {
      if (frame.length < 4) return bad(-1, 'a binary frame starts with a 4-byte length')
      const length = frame.readUInt32LE(0)
      if (length > frame.length - 4) return bad(-1, 'the JSON length runs past the end of the frame')
      json = JSON.parse(frame.toString('utf8', 4, 4 + length))
      data = frame.subarray(4 + length)
    } catch {
      return bad(-1, 'the JSON after the length is not JSON')
    }
    const m = json as { id?: unknown; channel?: unknown; payload?: unknown; size?: unknown } | null
    if (!m || typeof m !== 'object' || typeof m.id !== 'number' || !Number.isSafeInteger(m.id)) return bad(-1, 'the JSON needs a whole-number "id"')
    const id = m.id
    const now = this.now()
    this.dropIdle(id, now)
    let a = this.open.get(id)
    if (!a) {
      if (!('channel' in m)) {
        // a refused request's further slices (a 400 MB file: some 400 frames) each got a refusal of their own
        if (this.refused.has(id)) return { kind: 'partial' }
        return bad(id, `no request ${id} is being sent: its first frame carries "channel", "payload" and "size"`)
      }
      this.refused.delete(id)
      const size = m.size
      if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) return this.refuse(id, '"size" must be the whole number of bytes the request carries')
      if (size > this.maxSize) {
        this.refuse(id, '')
        return { kind: 'too-big', id, channel: m.channel, size }
      }
      if (size + this.held > this.maxHeld) {
        // the file itself is within the limit: the uploads still coming on this connection leave no room for it now
        this.refuse(id, '')
        return { kind: 'held', id, channel: m.channel, size, held: this.held }
      }
      let bytes: Buffer
      try {
        bytes = Buffer.allocUnsafeSlow(size)
      } catch {
        // no room for it now (a RangeError: the host is short of memory): refused, not thrown into the socket's handler
        this.refuse(id, '')
        return { kind: 'no-memory', id, channel: m.channel, size }
      }
      a = { head: { id, channel: m.channel, payload: m.payload }, bytes, received: 0, last: now, ack: (m as { ack?: unknown }).ack === true }
      this.open.set(id, a)
      this.held += size
    } else if ('channel' in m) {
      this.drop(id)
      return this.refuse(id, `request ${id} was started again before its bytes were all sent`)
    }
    if (a.received + data.length > a.bytes.length) {
      this.drop(id)
      return this.refuse(id, `request ${id} sent more than the ${a.bytes.length} bytes it announced`)
    }
    data.copy(a.bytes, a.received)
    a.received += data.length
    a.last = now
    if (a.received < a.bytes.length) return a.ack ? { kind: 'partial', ack: { id, received: a.received } } : { kind: 'partial' }
    this.drop(id)
    try {
      return { kind: 'request', request: { ...a.head, payload: placeFiles(a.head.payload, a.bytes, this.revive) } }
    } catch (e) {
      if (e instanceof TooDeep) return { kind: 'too-deep', id, channel: a.head.channel, limit: MAX_NESTING }
      return bad(id, e instanceof Error ? e.message : String(e))
    }
  }

  /** Forgets every request still being sent (the connection closed). */
  clear(): void {
    this.open.clear()
    this.held = 0
    this.refused.clear()
  }

  /** Refuses request `id` and passes over its later slices (remembering the last REMEMBER_REFUSED such ids). */
  private refuse(id: number, why: string): FrameOutcome {
    this.refused.add(id)
    if (this.refused.size > REMEMBER_REFUSED) this.refused.delete(this.refused.values().next().value as number)
    return bad(id, why)
  }

  /** Gives up the requests other than `id` that no slice has come for in IDLE_UPLOAD_MS, as refused ones (their later slices pass unanswered). */
  private dropIdle(id: number, now: number): void {
    for (const [other, a] of this.open) {
      if (other !== id && now - a.last > IDLE_UPLOAD_MS) {
        this.drop(other)
        this.refuse(other, '')
      }
    }
  }

  private drop(id: number): void {
    const a = this.open.get(id)
    if (!a) return
    this.open.delete(id)
    this.held -= a.bytes.length
  }
}

const bad = (id: number, why: string): FrameOutcome => ({ kind: 'bad', id, why })
/** How many refused requests' ids are remembered (a page sends one upload at a time, or a few). */
const REMEMBER_REFUSED = 16

/**
 * How deep a payload's arrays and objects may nest. The lab's deepest request (weights import: its architecture's
 * layers' fields) nests a handful of levels; JSON.parse reads any depth, but the walk below recurses, and a payload 100,000 deep
 * overflowed the stack ('Maximum call stack size exceeded' was the refusal's reason).
 */
export const MAX_NESTING = 100
class TooDeep extends Error {}

/** The payload with each `{ $bytes: [offset, length] }` made a view into `bytes` (and other values revived). */
function placeFiles(payload: unknown, bytes: Buffer, revive: (key: string, value: unknown) => unknown): unknown {
  const walk = (key: string, value: unknown, depth = 0): unknown => {
    if (!value || typeof value !== 'object') return revive(key, value)
    if (depth >= MAX_NESTING) throw new TooDeep()
    if (Array.isArray(value)) return value.map((x, i) => walk(String(i), x, depth + 1))
    const at = (value as { $bytes?: unknown }).$bytes
    if (at !== undefined && Object.keys(value).length === 1) {
      const [offset, length] = Array.isArray(at) ? (at as unknown[]) : []
      if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || (offset as number) < 0 || (length as number) < 0 || (offset as number) + (length as number) > bytes.length) {
        throw new Error('a file {"$bytes": [offset, length]} lies outside the bytes sent')
      }
      return new Uint8Array(bytes.buffer, bytes.byteOffset + (offset as number), length as number)
    }
    // fromEntries defines each key as data (a "__proto__" key stays a key, as JSON.parse makes it)
    return revive(key, Object.fromEntries(Object.entries(value).map(([k, x]) => [k, walk(k, x, depth + 1)])))
  }
  return walk('', payload)
}
