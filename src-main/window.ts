/**
 * The one application window, hardened: the renderer is treated as an untrusted web page
 * (sandboxed, context-isolated, no Node), may not navigate away, open windows or hand URLs to the
 * OS, gets a strict Content-Security-Policy from the session's response headers as well as its own
 * <meta> tag, and is refused every permission. Its size and position are remembered in userData/window-state.json.
 */
import { BrowserWindow, screen, session, type Rectangle } from 'electron'
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { isAppUrl, type AppPage } from './sender'

export interface WindowOptions {
  page: AppPage
  preloadPath: string
  statePath: string
  title: string
}

export interface WindowState { x?: number; y?: number; width: number; height: number; maximized: boolean }

const DEFAULT_STATE: WindowState = { width: 1280, height: 820, maximized: false }
const MIN = { width: 900, height: 600 }

/** The policy sent with every response of a built app (the renderer's <meta> tag says the same). */
export const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

/** Development also lets the page reach the dev server and its hot-reload socket. */
export function windowCsp(devUrl?: string): string {
  if (!devUrl) return CSP
  const dev = new URL(devUrl)
  return CSP.replace("connect-src 'self'", `connect-src 'self' ${dev.origin} ws://${dev.host}`)
}

/** Reads the remembered bounds; anything malformed or off every screen falls back to the default. */
export function loadWindowState(path: string, displays: Rectangle[]): WindowState {
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'))
  } catch {
    return { ...DEFAULT_STATE }
  }
  const r = raw as Partial<Record<keyof WindowState, unknown>>
  const okNum = (n: unknown, lo: number, hi: number): n is number => typeof n === 'number' && Number.isFinite(n) && n >= lo && n <= hi
  if (!r || typeof r !== 'object' || !okNum(r.width, MIN.width, 20000) || !okNum(r.height, MIN.height, 20000)) return { ...DEFAULT_STATE }
  const state: WindowState = { width: Math.round(r.width), height: Math.round(r.height), maximized: r.maximized === true }
  if (okNum(r.x, -20000, 20000) && okNum(r.y, -20000, 20000)) {
    const b = { x: Math.round(r.x), y: Math.round(r.y), width: state.width, height: state.height }
    // Keep the position only if at least 100×100 px of the title area is on some screen.
    const visible = displays.some((d) =>
      Math.min(b.x + b.width, d.x + d.width) - Math.max(b.x, d.x) >= 100 &&
      Math.min(b.y + 100, d.y + d.height) - Math.max(b.y, d.y) >= 50)
    if (visible) { state.x = b.x; state.y = b.y }
  }
  return state
}

export function saveWindowState(path: string, state: WindowState): void {
  try {
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, JSON.stringify(state))
  } catch {
    // Losing the window position is not worth an error dialog.
  }
}

/** Session-wide protections: CSP header on every response, every permission refused. */
export function hardenSession(devUrl?: string): void {
  const s = session.defaultSession
  const csp = windowCsp(devUrl)
  s.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp], 'X-Content-Type-Options': ['nosniff'] } })
  })
  s.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  s.setPermissionCheckHandler(() => false)
}

export function createMainWindow(opts: WindowOptions): BrowserWindow {
  const state = loadWindowState(opts.statePath, screen.getAllDisplays().map((d) => d.workArea))
  const win = new BrowserWindow({
    ...state,
    minWidth: MIN.width,
    minHeight: MIN.height,
    show: false,
    title: opts.title,
    backgroundColor: '#0f1115',
    autoHideMenuBar: false,
    webPreferences: {
      preload: opts.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // Middle-click would otherwise open links in new windows, bypassing will-navigate.
      disableBlinkFeatures: 'Auxclick'
    }
  })
  if (state.maximized) win.maximize()
  win.once('ready-to-show', () => win.show())

  const wc = win.webContents
  // No navigation away from our page and no new windows: the lab has no business on other sites.
  const guard = (event: { preventDefault(): void }, url: string): void => {
    if (!isAppUrl(url, opts.page)) event.preventDefault()
  }
  wc.on('will-navigate', guard)
  wc.on('will-redirect', guard)
  wc.setWindowOpenHandler(() => ({ action: 'deny' }))
  wc.on('will-attach-webview', (event) => event.preventDefault())
  // A crashed or killed page comes back on its own (training state lives in the main process).
  wc.on('render-process-gone', (_event, details) => {
    if (details.reason !== 'clean-exit' && !win.isDestroyed()) wc.reload()
  })

  const remember = (): void => {
    if (win.isDestroyed()) return
    const b = win.getNormalBounds()
    saveWindowState(opts.statePath, { x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() })
  }
  win.on('close', remember)

  if (opts.page.devUrl) void win.loadURL(opts.page.devUrl)
  else void win.loadFile(opts.page.indexFile)
  return win
}
