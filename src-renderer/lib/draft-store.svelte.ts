/**
 * The network being edited survives a reload, a closed tab and a restarted lab (Q3's F4). Before, the spec lived only
 * in memory: F5 brought back the default ConvNet with no undo, and half an hour of building was gone. Now the editor's
 * draft (the network with its name, the preset it came from, and the last HISTORY_KEPT undo and redo steps each way)
 * is written to localStorage a moment after each change (and at once when the page goes away), as drawings, theme and
 * speed are; at load it comes back before the page is drawn (main.ts). In Electron the window's localStorage lives in
 * the app's userData folder, so the draft outlives a restart there too.
 *
 * Storage is the learner's: a stored draft is read as an imported file is (spec-json.ts checkSpec), and one that does
 * not read (damaged, or written by a version whose layers this one does not know) is ignored, as is a history step
 * that does not; without storage (or when it is full) nothing is kept, as before.
 *
 * Two windows of the lab (two tabs of the web shell) share the one stored draft. Each wrote its own, so the last to
 * write won: a stale window given one more edit overwrote the other's half hour of building, silently. Now a window
 * hears the other's write (the `storage` event) and, while nothing of its own is on the way, takes that draft with
 * its history (it mirrors the other); a window with edits of its own not yet written, a question or a typed value
 * waiting, a trained model or a run does not: its editor offers the other's network instead (`otherWindow`: load it,
 * an undoable edit, or keep mine, written over the other's), so neither window's work is replaced unseen.
 */
import type { NetSpec } from '../../src-engine/spec-types'
import { checkSpec } from '../components/editor/spec-json'
import { MAX_LAYERS } from '../../src-engine/spec-limits'
import { presetList } from '../components/editor/engine'
import { flushSync } from 'svelte'
import { project } from './project.svelte'
import { editor } from './editor.svelte'
import { trainLab } from './train.svelte'
import { sameSpec } from './same-spec'
import { typingWaits } from './typing'
import { parseRecord, readRecord, type Store } from './stored'

export const DRAFT_KEY = 'backprop-lab.draft'
const VERSION = 1
/** Undo (and redo) steps kept each way: the editor keeps 200 in memory, a few dozen specs are a few tens of KB. */
export const HISTORY_KEPT = 30
/** Above this, the draft is kept without its history (localStorage holds about 5 MB for the whole lab). */
const MAX_CHARS = 1_000_000
/**
 * The most layers a stored draft is read back with. The editor lets a learner add layers past the lab's MAX_LAYERS (it
 * then says how many to remove), so a draft of 257 is the learner's work and comes back; far more can only be an
 * import from before files were held to MAX_LAYERS (Q7 F5: a 5,000-layer draft took every reload ~46 s to draw), and
 * such a draft is ignored as a damaged one is.
 */
export const DRAFT_MAX_LAYERS = 2 * MAX_LAYERS
/** Quiet time after a change before the draft is written: typing in a field writes once, not per key. */
export const WRITE_DELAY_MS = 400

/** One state of the network: the spec and the preset it came from (null: a custom network). */
export interface DraftStep {
  spec: NetSpec
  presetId: string | null
}

export interface Draft extends DraftStep {
  /** Undo steps, oldest first, and redo steps, next first (as EditorState.past and .future). */
  past: DraftStep[]
  future: DraftStep[]
}


/** The draft as stored: the history trimmed to HISTORY_KEPT each way, dropped when the whole would be too large. */
export function encodeDraft(d: Draft): string {
  const whole = JSON.stringify({ v: VERSION, ...d, past: d.past.slice(-HISTORY_KEPT), future: d.future.slice(0, HISTORY_KEPT) })
  return whole.length <= MAX_CHARS ? whole : JSON.stringify({ v: VERSION, spec: d.spec, presetId: d.presetId, past: [], future: [] })
}

/** A step read back, or null: its spec checked as an import is, a preset id this lab no longer has read as custom. */
function decodeStep(raw: unknown): DraftStep | null {
  if (typeof raw !== 'object' || raw === null) return null
  const o = raw as Record<string, unknown>
  const r = checkSpec(o.spec, DRAFT_MAX_LAYERS)
  if (!r.ok) return null
  const presetId = typeof o.presetId === 'string' && presetList().some((p) => p.id === o.presetId) ? o.presetId : null
  return { spec: r.spec, presetId }
}

/** A history read back whole, or empty when any step does not read (a history with a hole would undo to the wrong net). */
function decodeSteps(raw: unknown, limit: number): DraftStep[] {
  if (!Array.isArray(raw) || raw.length > limit) return []
  const steps = raw.map(decodeStep)
  return steps.every((s) => s !== null) ? (steps as DraftStep[]) : []
}

/** A stored draft read back, or null when there is none or it does not read. */
export function decodeDraft(text: string | null | undefined): Draft | null {
  const o = parseRecord(text, VERSION)
  if (!o) return null
  const now = decodeStep(o)
  if (!now) return null
  return { ...now, past: decodeSteps(o.past, HISTORY_KEPT), future: decodeSteps(o.future, HISTORY_KEPT) }
}

export function readDraft(store: Store): Draft | null {
  return readRecord(store, DRAFT_KEY, decodeDraft)
}

/** Writes the draft; when storage is full, tries once more without the history. Returns whether it was kept. */
export function writeDraft(store: Store, d: Draft): boolean {
  if (!store) return false
  for (const draft of [d, { ...d, past: [], future: [] }]) {
    try {
      store.setItem(DRAFT_KEY, encodeDraft(draft))
      return true
    } catch {
      // full (or refused): the smaller draft next, else nothing is kept
    }
  }
  return false
}

/** At load: the stored draft becomes the editor's network (with its history). Returns whether one was restored. */
export function restoreDraft(store: Store): boolean {
  const d = readDraft(store)
  if (!d) return false
  editor.restore(d)
  return true
}

/** A newer draft another window wrote while this one had work of its own on the way (keepDraft), for the editor's note. */
class OtherWindow {
  /** The other window's draft, offered by the editor's note; null: none waits. */
  draft = $state.raw<Draft | null>(null)
  /** Writes this window's draft now (keepDraft's, while it runs). */
  writeMine: (() => void) | null = null

  /** Load it: the other window's network replaces this one's as an edit (Undo brings this one back; a trained model asks first). */
  load(): void {
    const d = this.draft
    this.draft = null
    if (d) editor.commit(structuredClone(d.spec), null, d.presetId)
  }

  /** Keep mine: this window's network is stored over the other's (which that window takes, unless it has work on the way). */
  keep(): void {
    this.draft = null
    this.writeMine?.()
  }
}
export const otherWindow = new OtherWindow()

/**
 * From now on, the editor's draft is written WRITE_DELAY_MS after its last change, and at once when the page is hidden
 * or goes away (a reload within the delay keeps the last edit); another window's newer draft is taken or offered (see
 * above). Returns a function that stops it.
 */
export function keepDraft(store: Store, delayMs = WRITE_DELAY_MS): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null
  // set while another window's draft is put in place: that is no edit of this window's, and is not written back
  let taking = false
  const write = (): void => {
    if (timer !== null) clearTimeout(timer)
    timer = null
    const d = editor.draft()
    if (d) writeDraft(store, d)
  }
  const stopEffect = $effect.root(() => {
    $effect(() => {
      // what a draft is made of: a change to any of them is written (the first run writes what is there, once)
      void [project.spec, project.presetId, editor.past, editor.future]
      if (taking) return
      if (timer !== null) clearTimeout(timer)
      timer = setTimeout(write, delayMs)
    })
  })
  /** Work of this window's own that another window's draft must not replace unseen. */
  const ownWork = (): boolean =>
    timer !== null || editor.pending !== null || typingWaits() || project.trained || trainLab.runs.some((r) => r.active) ||
    otherWindow.draft !== null
  const onStorage = (e: StorageEvent): void => {
    if (e.key !== DRAFT_KEY) return
    const theirs = decodeDraft(e.newValue)
    if (!theirs) return
    if (project.spec && sameSpec(project.spec, theirs.spec)) {
      // the same network (this window's own, taken there): nothing to offer; an offer this supersedes goes
      otherWindow.draft = null
      if (!ownWork()) take(theirs)
      return
    }
    if (ownWork()) otherWindow.draft = theirs
    else take(theirs)
  }
  const take = (d: Draft): void => {
    taking = true
    try {
      editor.restore(d)
      flushSync()
    } finally {
      taking = false
    }
  }
  otherWindow.writeMine = write
  globalThis.addEventListener?.('storage', onStorage)
  const onHide = (): void => {
    if (timer !== null) write()
  }
  const onVisibility = (): void => {
    if (document.visibilityState === 'hidden') onHide()
  }
  globalThis.addEventListener?.('pagehide', onHide)
  globalThis.document?.addEventListener('visibilitychange', onVisibility)
  return () => {
    stopEffect()
    if (timer !== null) clearTimeout(timer)
    timer = null
    globalThis.removeEventListener?.('pagehide', onHide)
    globalThis.document?.removeEventListener('visibilitychange', onVisibility)
    globalThis.removeEventListener?.('storage', onStorage)
    if (otherWindow.writeMine === write) otherWindow.writeMine = null
    otherWindow.draft = null
  }
}
