/**
 * Files the host hands to the page (a project download, a model export) travel as base64 text in the
 * reply's `base64` field. For a 5 MB project that is 7 MB of text: making the string, writing it into
 * the reply's JSON and turning the JSON into bytes for the socket held the web shell's event loop for
 * about 60 ms. So the host attaches the file's bytes to the reply's value (`withFileBytes`), and
 * `base64` is a getter that makes the string only if something reads it (Electron's structured clone,
 * tests); the web shell writes such a reply's frame straight from the bytes, a slice at a time with the
 * event loop served in between (`fileReplyFrame`), and no 7 MB string is ever made.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises'

const FILE_BYTES = Symbol('file bytes')

/** Input bytes per turn of the event loop for a file reply (~0.5 ms). */
const SLICE_BYTES = 3 * 128 * 1024
/** Input bytes per base64 string: a multiple of 3, so the pieces join into the whole's; 64 KB strings stay small objects. */
const PIECE_BYTES = 3 * 16 * 1024

const base64Of = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64')

/**
 * Writes the base64 of `src` into `out` from `at` (standard alphabet, padded) and returns the end:
 * Node's encoder, 48 KB at a time, so only short-lived 64 KB strings are made (a JavaScript loop
 * writing the bytes directly was 5× slower).
 */
export function base64Into(src: Uint8Array, out: Buffer, at: number): number {
  for (let from = 0; from < src.length; from += PIECE_BYTES) at += out.write(base64Of(src.subarray(from, from + PIECE_BYTES)), at, 'latin1')
  return at
}

/** `value` with an enumerable `base64` getter for `bytes` (computed once, on first read) and the bytes attached. */
export function withFileBytes<T extends object>(value: T, bytes: Uint8Array): T & { base64: string } {
  let text: string | undefined
  Object.defineProperty(value, 'base64', { enumerable: true, configurable: true, get: () => (text ??= base64Of(bytes)) })
  Object.defineProperty(value, FILE_BYTES, { value: bytes, enumerable: false })
  return value as T & { base64: string }
}

/** The bytes `withFileBytes` attached to `value`, or null. */
export function fileBytesOf(value: unknown): Uint8Array | null {
  if (!value || typeof value !== 'object') return null
  const b = (value as { [FILE_BYTES]?: unknown })[FILE_BYTES]
  return b instanceof Uint8Array ? b : null
}

/**
 * The JSON text of `{ id, result: { ok: true, value } }` for a value from `withFileBytes`, as bytes:
 * the other fields as JSON, then `"base64":"…"` written from the file's bytes a slice at a time
 * (base64 needs no JSON escaping). The same JSON as JSON.stringify gives, with `base64` last.
 */
export async function fileReplyFrame(id: number, value: object, bytes: Uint8Array): Promise<Buffer> {
  const rest: Record<string, unknown> = {}
  for (const k of Object.keys(value)) if (k !== 'base64') rest[k] = (value as Record<string, unknown>)[k]
  const head = JSON.stringify({ id, result: { ok: true, value: rest } })
  // head ends with the three closing braces of value, result and the message
  const open = `${head.slice(0, -3)}${Object.keys(rest).length > 0 ? ',' : ''}"base64":"`
  const close = '"}}}'
  const b64Length = 4 * Math.ceil(bytes.length / 3)
  const openLength = Buffer.byteLength(open)
  const frame = Buffer.allocUnsafe(openLength + b64Length + close.length)
  let at = frame.write(open, 0, 'utf8')
  for (let from = 0; from < bytes.length; from += SLICE_BYTES) {
    if (from > 0) await yieldToLoop()
    at = base64Into(bytes.subarray(from, from + SLICE_BYTES), frame, at)
  }
  frame.write(close, at, 'latin1')
  return frame
}
