/**
 * The box the learner is leaving, while its change or blur event is being handled: on Tab, Chromium takes the focus off
 * the box (to <body>) before the box's change event, and its blur comes after, so the keep-weights question (asked in
 * that change: editor.svelte.ts) finds no focused element to give the focus back to; the box being left is the way back.
 * Listeners on the document's capture phase run before the box's own.
 *
 * Started by the editor's page while it is shown (EditorPage.svelte), not at import: importing the editor's state (the
 * training page, the lessons, the tests do) added two document listeners that nothing could remove.
 */

let last: Event | null = null
let owners = 0
const note = (e: Event): void => { last = e }

/** Notes every change and blur event on `doc` from now on; returns the function that stops it (once per start). */
export function watchLeaving(doc: Document): () => void {
  if (owners++ === 0) {
    doc.addEventListener('change', note, true)
    doc.addEventListener('blur', note, true)
  }
  let stopped = false
  return () => {
    if (stopped) return
    stopped = true
    if (--owners > 0) return
    doc.removeEventListener('change', note, true)
    doc.removeEventListener('blur', note, true)
    last = null
  }
}

/** The element whose change or blur event is being dispatched now (eventPhase NONE once it is over), or null. */
export function boxLeaving(): HTMLElement | null {
  return last !== null && last.eventPhase !== Event.NONE && last.target instanceof HTMLElement ? last.target : null
}
