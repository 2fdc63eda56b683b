/**
 * Which pages may call the lab over Electron IPC: only our own renderer. In development that is the
 * electron-vite dev server's origin; in a build it is exactly our index.html loaded from disk.
 * Plain functions (no Electron import) so the rule is tested directly.
 */
import { fileURLToPath } from 'node:url'
import { resolve } from 'node:path'

export interface AppPage {
  /** ELECTRON_RENDERER_URL in development (never honoured in a packaged app). */
  devUrl?: string
  /** Absolute path of out/renderer/index.html. */
  indexFile: string
}

/** True when `frameUrl` (a sender frame's URL) belongs to our app's page. */
export function isAppUrl(frameUrl: string | undefined | null, page: AppPage): boolean {
  if (!frameUrl) return false
  let u: URL
  try {
    u = new URL(frameUrl)
  } catch {
    return false
  }
  if (page.devUrl) {
    try {
      return u.origin === new URL(page.devUrl).origin
    } catch {
      return false
    }
  }
  if (u.protocol !== 'file:') return false
  try {
    return resolve(fileURLToPath(u)) === resolve(page.indexFile)
  } catch {
    return false
  }
}
