/**
 * A learner's progress through the lessons survives a reload, a closed tab and a restarted lab (Q3's F7): the open
 * lesson, every quiz answer and which lessons were opened. Before, all three lived in memory only, and a student coming
 * back the next day was on lesson 1 with no answer and no mark. Kept in localStorage as the editor's draft
 * (draft-store.svelte.ts), drawings, theme and speed are; in Electron that storage lives in the app's userData folder.
 *
 * Storage is the learner's: what is read back is checked against this lab's curriculum, entry by entry (a lesson id it
 * no longer has, a question index or answer out of range, a value of the wrong type is dropped, the rest kept), and a
 * record that does not parse at all is ignored. The record is bounded by the curriculum (15 lessons, 2–3 questions
 * each: well under a kilobyte); a stored text far longer than that is not even parsed.
 *
 * Two windows of the lab share the record. Each wrote its own state whole, so the last click in a stale window put
 * back the answers and marks it had when it opened, over those given in the other since. Now a window hears the
 * other's write (the `storage` event) and takes it in (mergeProgress): the other's answers and opened lessons join its
 * own (the other's answer to a question both gave is the newer), and the open lesson follows while the window is hidden.
 */
import { LESSONS } from './curriculum'
import { lessons } from './state.svelte'
import { parseRecord, readRecord, type Store } from '../stored'

export const PROGRESS_KEY = 'backprop-lab.lessons'
const VERSION = 1
/** Far above any record this curriculum can produce (about 600 characters): anything longer is not ours. */
const MAX_CHARS = 20_000

export interface Progress {
  current: string
  answers: Record<string, number>
  visited: string[]
}

export function encodeProgress(p: Progress): string {
  return JSON.stringify({ v: VERSION, current: p.current, answers: p.answers, visited: p.visited })
}

/** The answers that still fit the curriculum: `<lesson>:<k>` with question k there and a choice it has. */
function checkAnswers(raw: unknown): Record<string, number> {
  const out: Record<string, number> = {}
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return out
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const m = /^([A-Za-z0-9_-]+):(\d+)$/.exec(key)
    const q = m ? LESSONS.find((l) => l.id === m[1])?.questions[Number(m[2])] : undefined
    if (q && Number.isInteger(value) && (value as number) >= 0 && (value as number) < q.choices) out[key] = value as number
  }
  return out
}

/** Stored progress read back, or null when there is none or it does not read. */
export function decodeProgress(text: string | null | undefined): Progress | null {
  const o = parseRecord(text, VERSION, MAX_CHARS)
  if (!o) return null
  const ids = LESSONS.map((l) => l.id)
  const current = typeof o.current === 'string' && (o.current === 'glossary' || ids.includes(o.current)) ? o.current : LESSONS[0].id
  const visited = Array.isArray(o.visited) ? ids.filter((id) => (o.visited as unknown[]).includes(id)) : []
  return { current, answers: checkAnswers(o.answers), visited }
}

export function readProgress(store: Store): Progress | null {
  return readRecord(store, PROGRESS_KEY, decodeProgress)
}

/** At load: the stored progress becomes the lessons' state. Returns whether there was one. */
export function restoreProgress(store: Store): boolean {
  const p = readProgress(store)
  if (!p) return false
  lessons.current = p.current
  lessons.answers = p.answers
  lessons.visited = p.visited
  return true
}

/**
 * This window's progress with another window's newer record taken in: every answer and opened lesson of both (the
 * other's answer where both answered a question: it was written last), and the other's open lesson when `follow` (this
 * window is hidden; one being looked at stays where the learner is). Nothing is ever lost: progress only grows.
 */
export function mergeProgress(mine: Progress, theirs: Progress, follow: boolean): Progress {
  const visited = LESSONS.map((l) => l.id).filter((id) => mine.visited.includes(id) || theirs.visited.includes(id))
  return { current: follow ? theirs.current : mine.current, answers: { ...mine.answers, ...theirs.answers }, visited }
}

/**
 * From now on, the progress is written at each change (a click: a few hundred characters, so no delay is needed), and
 * another window's is taken in (mergeProgress). Without storage, or when it is full or refused, nothing is kept, as
 * before. Returns a function that stops it.
 */
export function keepProgress(store: Store): () => void {
  const onStorage = (e: StorageEvent): void => {
    if (e.key !== PROGRESS_KEY) return
    const theirs = decodeProgress(e.newValue)
    if (!theirs) return
    const mine: Progress = { current: lessons.current, answers: lessons.answers, visited: lessons.visited }
    const next = mergeProgress(mine, theirs, globalThis.document?.visibilityState === 'hidden')
    // only what changed is set: an unchanged state is not written back (and the windows do not echo each other)
    if (next.current !== mine.current) lessons.current = next.current
    if (JSON.stringify(next.answers) !== JSON.stringify(mine.answers)) lessons.answers = next.answers
    if (next.visited.length !== mine.visited.length) lessons.visited = next.visited
  }
  globalThis.addEventListener?.('storage', onStorage)
  let first = true
  const stopEffect = $effect.root(() => {
    $effect(() => {
      const text = encodeProgress({ current: lessons.current, answers: lessons.answers, visited: lessons.visited })
      // the first run is what was just restored (or the defaults): nothing to write yet
      if (first) {
        first = false
        return
      }
      try {
        store?.setItem(PROGRESS_KEY, text)
      } catch {
        // full or refused: kept for this session only
      }
    })
  })
  return () => {
    stopEffect()
    globalThis.removeEventListener?.('storage', onStorage)
  }
}
