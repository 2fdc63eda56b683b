/**
 * A value typed key by key is taken once complete: after this pause, Enter or leaving the box (the editor's layer
 * fields, the input card's boxes; the training form holds its messages as long). "2.5" then never passes through 2.
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
