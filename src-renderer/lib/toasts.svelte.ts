/**
 * Short notices shown in the corner of the window (errors the host reports outside any page's
 * request, for instance). Any page may call `toasts.show(msg('area.key', values), 'error')`: the
 * message is translated when drawn, so a toast follows a language switch. A plain string is shown
 * as is (for text that has no translation, such as a file name).
 *
 * What stays and what fades: an error is something the learner must act on (a file that could not be
 * read, a thread that stopped), so it stays until they close it; a confirmation or notice ('Saved …',
 * 'Opened …') fades after a few seconds. The same message shown again is not added a second time: the
 * one on screen moves to the bottom and, if it fades, starts its time again.
 */
import { sameMsg, type Msg } from '../i18n/index.svelte'

export type ToastKind = 'info' | 'error'

export interface Toast {
  id: number
  kind: ToastKind
  text: Msg | string
}

/** How long a toast of each kind stays, in ms (0: until closed). */
export const TOAST_MS: Record<ToastKind, number> = { info: 6000, error: 0 }

/** At most this many toasts at once; the oldest that fades goes first, else the oldest. */
const MAX_TOASTS = 4

class Toasts {
  items = $state<Toast[]>([])
  private next = 1
  private timers = new Map<number, ReturnType<typeof setTimeout>>()

  /**
   * Shows `text` for TOAST_MS of its kind (an error until closed) and returns the toast's id: the one already
   * showing the same message, if there is one.
   */
  show(text: Msg | string, kind: ToastKind = 'info'): number {
    const same = this.items.find((t) => t.kind === kind && sameMsg(t.text, text))
    const toast = same ?? { id: this.next++, kind, text }
    let items = [...this.items.filter((t) => t !== same), toast]
    while (items.length > MAX_TOASTS) {
      const drop = items.find((t) => t !== toast && this.timers.has(t.id)) ?? items[0]
      this.clearTimer(drop.id)
      items = items.filter((t) => t !== drop)
    }
    this.items = items
    this.clearTimer(toast.id)
    const ms = TOAST_MS[kind]
    if (ms > 0) this.timers.set(toast.id, setTimeout(() => this.dismiss(toast.id), ms))
    return toast.id
  }

  dismiss(id: number): void {
    this.clearTimer(id)
    this.items = this.items.filter((t) => t.id !== id)
  }

  private clearTimer(id: number): void {
    const timer = this.timers.get(id)
    if (timer !== undefined) clearTimeout(timer)
    this.timers.delete(id)
  }
}

export const toasts = new Toasts()
