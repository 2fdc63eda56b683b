import { flushSync } from 'svelte'
import type { Attachment } from 'svelte/attachments'
import { on } from 'svelte/events'

/**
 * A value typed key by key is taken once complete: after this pause, Enter or leaving the box (the editor's layer
 * fields, the input card's boxes; the training form holds its messages as long). "2.5" then never passes through 2.
 * Each box waits through a settler (below).
 */
export const SETTLE_MS = 600

/** A key typed into the box: Chromium gives its input event an inputType; a spin step, an arrow or a value set whole has none. */
export function typedByKey(e: Event): boolean {
  const kind: unknown = (e as InputEvent).inputType
  return typeof kind === 'string' && kind !== ''
}

/** An undo or redo the browser is about to perform in the box (its beforeinput event). */
export const historyEdit = (e: InputEvent): boolean => e.inputType === 'historyUndo' || e.inputType === 'historyRedo'

/** A paste: the whole value at once, taken like a value set whole (the input card's boxes). */
export const pasted = (e: Event): boolean => (e as InputEvent).inputType === 'insertFromPaste'

/** A key pressed with Ctrl, Cmd or Alt (not the modifier alone): a shortcut the page acts on (Ctrl+Z, Alt+2, Ctrl+S). */
export const shortcut = (e: KeyboardEvent): boolean =>
  (e.ctrlKey || e.metaKey || e.altKey) && !['Control', 'Meta', 'Alt', 'Shift'].includes(e.key)

/**
 * One box's typed value on its way: `wait` holds what to do with it until the pause (SETTLE_MS) unless a later key
 * waits again; `flush` does it now (Enter, leaving the box, a shortcut or the Edit menu's Undo while it waits: the
 * page then acts on the network with the value in it); `cancel` drops it (the box emptied, the component gone). A
 * spin step or a paste is applied by the caller at once, after `cancel`. Used by the editor's layer fields, the input
 * card's shape and vocabulary boxes and the training form's messages, which had a timer each; tied to their box by
 * typedBox (below), to the training form by holds.
 */
export interface Settler {
  wait(apply: () => void): void
  /**
   * Holds what to do with the value with no pause to end it: only Enter, leaving the box, a shortcut (flush) or a
   * later key (wait, hold) moves it on. For a value whose taking interrupts the learner (a trained model's change opens
   * the keep-weights question and takes the focus): a beginner's pause between two digits must not end the number.
   */
  hold(apply: () => void): void
  /** Applies the waiting value now; false when none waited. */
  flush(): boolean
  cancel(): void
}

/** The flush of every settler whose value is waiting, for an action that does not pass through the box (flushTyped). */
const waiting = new Set<() => boolean>()

/**
 * Applies every typed value still waiting for its pause; false when none waited. For actions that reach the page
 * without a key in the box or its leaving it: the desktop's File menu (Save with Ctrl+S is the menu's accelerator, so
 * the box sees no shortcut key) must save the value the learner typed, not have it land 600 ms later on the project
 * it just saved or on the one it opened. The caller runs `flushSync()` when this returns true.
 */
export function flushTyped(): boolean {
  let any = false
  for (const flush of [...waiting]) any = flush() || any
  return any
}

/** Whether a typed value waits in some box (the learner is typing): the draft store takes no other window's network then. */
export const typingWaits = (): boolean => waiting.size > 0

export function settler(ms = SETTLE_MS): Settler {
  let timer: ReturnType<typeof setTimeout> | null = null
  let apply: (() => void) | null = null
  const cancel = (): void => {
    if (timer !== null) clearTimeout(timer)
    timer = null
    apply = null
    waiting.delete(flush)
  }
  const flush = (): boolean => {
    const f = apply
    cancel()
    if (f === null) return false
    f()
    return true
  }
  return {
    wait(f) {
      cancel()
      apply = f
      timer = setTimeout(flush, ms)
      waiting.add(flush)
    },
    hold(f) {
      cancel()
      apply = f
      waiting.add(flush)
    },
    flush,
    cancel
  }
}

/**
 * A settler held by an element: what waits is dropped when the element goes (the component gone, the box replaced),
 * not applied to a network or form it no longer belongs to. `{@attach holds(settle)}`.
 */
export function holds(settle: Settler): Attachment {
  return () => () => settle.cancel()
}

/** The value waiting in `settle` applied now, and the page updated with it (flushSync) before whatever comes next acts. */
export function settleNow(settle: Settler): void {
  if (settle.flush()) flushSync()
}

/** What a box does when it is committed (Enter, or left after an edit: its change event) and when it is left (blur). */
export interface BoxEnds {
  change?: (box: HTMLInputElement) => void
  blur?: (box: HTMLInputElement) => void
}

/**
 * A typed box and its settler, wired one way for every box (`{@attach typedBox(settle, ends)}`): a shortcut (Ctrl+Z,
 * Alt+2, Ctrl+S: keydown) or the desktop Edit menu's Undo and Redo (history beforeinput) applies the waiting value
 * first and lets the page update (flushSync) before it acts; Enter, or leaving the box after an edit (change), and
 * leaving it (blur) run the box's own `ends`, or else apply the waiting value now; the box gone, what waits is dropped
 * (holds). The box's input events (what waits, and when) stay the box's own. The input card's shape and vocabulary boxes
 * took Enter two ways (change, keydown); a box's Enter is its change event, which Chromium fires on Enter whenever a
 * typed value waits (the box has changed since it last fired).
 */
export function typedBox(settle: Settler, ends: BoxEnds = {}): Attachment<HTMLInputElement> {
  return (box) => {
    const now = (): void => settleNow(settle)
    const offs = [
      on(box, 'keydown', (e) => { if (shortcut(e)) now() }),
      on(box, 'beforeinput', (e) => { if (historyEdit(e)) now() }),
      on(box, 'change', () => (ends.change ? ends.change(box) : now())),
      on(box, 'blur', () => (ends.blur ? ends.blur(box) : now()))
    ]
    return () => {
      for (const off of offs) off()
      settle.cancel()
    }
  }
}
