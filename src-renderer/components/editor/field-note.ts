/**
 * A layer field's note while the learner types in it (an emptied box's default, a value held for Enter): its element's
 * id (the box's aria-describedby), test id and text. FieldControl says it, its card shows it under the row of fields.
 */
export interface FieldNote { id: string; testid: string; text: string }

/** The card's note after `field` says `note` (null: it has none now; another field's note is left as it is). */
export function noteAfter(current: { field: string; note: FieldNote } | null, field: string, note: FieldNote | null):
  { field: string; note: FieldNote } | null {
  if (note) return current?.field === field && sameNote(current.note, note) ? current : { field, note }
  return current?.field === field ? null : current
}

const sameNote = (a: FieldNote, b: FieldNote): boolean => a.id === b.id && a.testid === b.testid && a.text === b.text
