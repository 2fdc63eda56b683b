/**
 * What the page keeps in localStorage as a versioned JSON record (the editor's draft: draft-store.svelte.ts; lesson
 * progress: lessons/progress-store.svelte.ts). Storage is the learner's and may hold anything — a record of another
 * version, damaged text, a value far too long — so a record is read through here and then checked field by field by
 * its store; reaching storage at all may throw (a locked-down browser), which reads as no storage.
 */

/** The storage a store reads and writes, or undefined where there is none. */
export type Store = Pick<Storage, 'getItem' | 'setItem'> | undefined

/** The page's localStorage, or undefined where there is none (or reaching it is refused). */
export function pageStorage(): Store {
  try {
    return globalThis.localStorage ?? undefined
  } catch {
    return undefined
  }
}

/** The fields of a stored record of `version`, or null: none, longer than `maxChars`, not JSON, not an object, another version. */
export function parseRecord(text: string | null | undefined, version: number, maxChars = Infinity): Record<string, unknown> | null {
  if (!text || text.length > maxChars) return null
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    return null
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || (raw as { v?: unknown }).v !== version) return null
  return raw as Record<string, unknown>
}

/** The record under `key` decoded by `decode`, or null when there is none, it does not read, or storage throws. */
export function readRecord<T>(store: Store, key: string, decode: (text: string | null | undefined) => T | null): T | null {
  try {
    return decode(store?.getItem(key))
  } catch {
    return null
  }
}
