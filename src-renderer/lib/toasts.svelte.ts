/**
 * Short notices shown in the corner of the window (errors the host reports outside any page's
 * request, for instance). Any page may call `toasts.show(msg('area.key', values), 'error')`: the
 * message is translated when drawn, so a toast follows a language switch. A plain string is shown
 * as is (for text that has no translation, such as a file name).
 */
import { sameMsg, type Msg } from '../i18n/index.svelte'

export type ToastKind = 'info' | 'error'

export interface Toast {
  id: number
  kind: ToastKind
  text: Msg | string
}

class Toasts {
  items = $state<Toast[]>([])
  private next = 1

  /** Shows `text` for `ms` milliseconds (0 = until dismissed); returns the toast's id. */
  show(text: Msg | string, kind: ToastKind = 'info', ms = 6000): number {
    const id = this.next++
    // One line per message: repeating the same error ten times helps nobody.
    if (this.items.some((t) => sameMsg(t.text, text) && t.kind === kind)) return id
    this.items = [...this.items.slice(-3), { id, kind, text }]
    if (ms > 0) setTimeout(() => this.dismiss(id), ms)
    return id
  }

  dismiss(id: number): void {
    this.items = this.items.filter((t) => t.id !== id)
  }
}

export const toasts = new Toasts()
