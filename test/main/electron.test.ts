/**
 * The Electron adapters with 'electron' mocked (its binary is absent here): preload, window
 * hardening, remembered bounds, menu, sender check and the app entry's IPC wiring.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

type Handler = (...args: unknown[]) => unknown

const m = vi.hoisted(() => {
  const state = {
    exposed: {} as Record<string, unknown>,
    rendererListeners: new Map<string, Set<(...a: unknown[]) => void>>(),
    invoked: [] as unknown[][],
    windows: [] as { options: Record<string, unknown>; on: Map<string, ((...a: unknown[]) => void)[]>; wcOn: Map<string, ((...a: unknown[]) => void)[]>; openHandler?: (d: { url: string }) => unknown; loaded?: string; sent: unknown[][] }[],
    opened: [] as string[],
    headersHook: null as null | ((details: unknown, cb: (r: unknown) => void) => void),
    permissionHandler: null as null | ((...a: unknown[]) => void),
    ipcHandlers: new Map<string, (...a: unknown[]) => unknown>(),
    appEvents: new Map<string, ((...a: unknown[]) => void)[]>(),
    lock: true,
    quit: 0,
    reloads: 0,
    messageBoxes: [] as Record<string, unknown>[],
    menu: null as unknown
  }
  return state
})

vi.mock('electron', () => {
  class BrowserWindow {
    webContents: Record<string, unknown>
    constructor(options: Record<string, unknown>) {
      const rec = { options, on: new Map(), wcOn: new Map(), sent: [] as unknown[][] } as (typeof m.windows)[number]
      m.windows.push(rec)
      this.webContents = {
        on: (ev: string, fn: (...a: unknown[]) => void) => { rec.wcOn.set(ev, [...(rec.wcOn.get(ev) ?? []), fn]) },
        setWindowOpenHandler: (fn: (d: { url: string }) => unknown) => { rec.openHandler = fn },
        send: (...a: unknown[]) => { rec.sent.push(a) },
        reload: () => { m.reloads++ }
      }
      ;(this as unknown as { rec: unknown }).rec = rec
    }
    static getAllWindows(): unknown[] { return m.windows }
    on(ev: string, fn: (...a: unknown[]) => void): this { const rec = m.windows.at(-1)!; rec.on.set(ev, [...(rec.on.get(ev) ?? []), fn]); return this }
    once(ev: string, fn: (...a: unknown[]) => void): this { return this.on(ev, fn) }
    maximize(): void {}
    show(): void {}
    isDestroyed(): boolean { return false }
    isMaximized(): boolean { return false }
    isMinimized(): boolean { return false }
    getNormalBounds() { return { x: 10, y: 20, width: 1000, height: 700 } }
    loadURL(u: string) { m.windows.at(-1)!.loaded = u; return Promise.resolve() }
    loadFile(f: string) { m.windows.at(-1)!.loaded = f; return Promise.resolve() }
  }
  const ipcRenderer = {
    invoke: (...a: unknown[]) => { m.invoked.push(a); return Promise.resolve({ ok: true, value: 'pong' }) },
    on: (ch: string, fn: (...a: unknown[]) => void) => { if (!m.rendererListeners.has(ch)) m.rendererListeners.set(ch, new Set()); m.rendererListeners.get(ch)!.add(fn) },
    removeListener: (ch: string, fn: (...a: unknown[]) => void) => { m.rendererListeners.get(ch)?.delete(fn) }
  }
  const app = {
    isPackaged: false,
    requestSingleInstanceLock: () => m.lock,
    quit: () => { m.quit++ },
    on: (ev: string, fn: (...a: unknown[]) => void) => { m.appEvents.set(ev, [...(m.appEvents.get(ev) ?? []), fn]) },
    whenReady: () => Promise.resolve(),
    getPath: () => mkdtempSync(join(tmpdir(), 'userdata-')),
    getVersion: () => '1.2.3',
    getAppPath: () => process.cwd()
  }
  const api = {
    app,
    BrowserWindow,
    ipcRenderer,
    ipcMain: { handle: (ch: string, fn: (...a: unknown[]) => unknown) => { m.ipcHandlers.set(ch, fn) } },
    contextBridge: { exposeInMainWorld: (k: string, v: unknown) => { m.exposed[k] = v } },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: (fn: typeof m.headersHook) => { m.headersHook = fn } },
        setPermissionRequestHandler: (fn: typeof m.permissionHandler) => { m.permissionHandler = fn },
        setPermissionCheckHandler: () => undefined
      }
    },
    shell: { openExternal: (u: string) => { m.opened.push(u); return Promise.resolve() }, openPath: () => Promise.resolve('') },
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: (t: unknown) => { m.menu = t } },
    dialog: {
      showMessageBox: (...a: unknown[]) => { m.messageBoxes.push(a.at(-1) as Record<string, unknown>); return Promise.resolve({ response: 0 }) },
      showSaveDialog: () => Promise.resolve({ canceled: true })
    }
  }
  return { ...api, default: api }
})

vi.mock('../../src-engine/worker?modulePath', () => ({ default: '/nonexistent/worker.js' }))
vi.mock('../../src-main/project-reader?modulePath', () => ({ default: '/nonexistent/project-reader.js' }))

beforeEach(() => {
  m.reloads = 0
  m.windows.length = 0
  m.opened.length = 0
})

describe('preload', () => {
  it('exposes only request, onEvent and onMenu, forwarding to one IPC channel', async () => {
    await import('../../src-main/preload')
    const lab = m.exposed.lab as Record<string, Handler>
    expect(Object.keys(lab).sort()).toEqual(['onEvent', 'onMenu', 'request'])
    await expect(lab.request('app:info', undefined)).resolves.toEqual({ ok: true, value: 'pong' })
    expect(m.invoked.at(-1)).toEqual(['lab:request', 'app:info', undefined])
  })

  it('answers a payload IPC cannot send with a Result instead of a rejection', async () => {
    await import('../../src-main/preload')
    const lab = m.exposed.lab as Record<string, Handler>
    const saved = m.invoked.length
    const original = (await import('electron')).ipcRenderer.invoke
    ;(await import('electron')).ipcRenderer.invoke = () => Promise.reject(new Error('An object could not be cloned.'))
    await expect(lab.request('app:info', () => 1)).resolves.toMatchObject({ ok: false, error: { code: 'transport-failed' } })
    ;(await import('electron')).ipcRenderer.invoke = original
    expect(m.invoked.length).toBe(saved)
  })

  it('hands listeners the value only, and unsubscribes', async () => {
    await import('../../src-main/preload')
    const lab = m.exposed.lab as Record<string, Handler>
    const got: unknown[] = []
    const off = lab.onEvent((e: unknown) => got.push(e)) as () => void
    const offMenu = lab.onMenu((c: unknown) => got.push(c)) as () => void
    const fire = (ch: string, v: unknown): void => { for (const fn of m.rendererListeners.get(ch) ?? []) fn({ sender: 'secret' }, v) }
    fire('lab:event', { type: 'error', runId: null, code: 'x', message: 'y' })
    fire('lab:menu', 'project:open')
    expect(got).toEqual([{ type: 'error', runId: null, code: 'x', message: 'y' }, 'project:open'])
    off()
    offMenu()
    fire('lab:event', { type: 'error' })
    fire('lab:menu', 'project:save')
    expect(got).toHaveLength(2)
    expect(m.rendererListeners.get('lab:event')?.size).toBe(0)
  })
})

describe('the window', () => {
  const page = { indexFile: '/app/out/renderer/index.html' }

  it('is sandboxed, context-isolated, without Node, and keeps web security', async () => {
    const { createMainWindow } = await import('../../src-main/window')
    createMainWindow({ page, preloadPath: '/app/out/preload/index.js', statePath: join(tmpdir(), 'none', 'state.json'), title: 'T' })
    const prefs = m.windows[0].options.webPreferences as Record<string, unknown>
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, webSecurity: true, allowRunningInsecureContent: false, webviewTag: false, preload: '/app/out/preload/index.js' })
    expect(m.windows[0].loaded).toBe(page.indexFile)
  })

  it('blocks navigation away and new windows, and hands no URL to the OS', async () => {
    const { createMainWindow } = await import('../../src-main/window')
    createMainWindow({ page, preloadPath: '/p.js', statePath: join(tmpdir(), 'none', 's.json'), title: 'T' })
    const w = m.windows[0]
    const nav = w.wcOn.get('will-navigate')![0]
    const tryNav = (url: string): boolean => { let blocked = false; nav({ preventDefault: () => { blocked = true } }, url); return blocked }
    expect(tryNav('https://evil.example/')).toBe(true)
    expect(tryNav('file:///etc/passwd')).toBe(true)
    expect(tryNav(pathToFileURL(page.indexFile).href)).toBe(false)
    expect(w.openHandler!({ url: 'https://creativecommons.org/licenses/by-sa/3.0/' })).toEqual({ action: 'deny' })
    expect(w.openHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' })
    expect(w.openHandler!({ url: 'file:///bin/sh' })).toEqual({ action: 'deny' })
    expect(m.opened).toEqual([])
    // A crashed page is reloaded; a clean exit is left alone.
    const gone = w.wcOn.get('render-process-gone')![0]
    gone({}, { reason: 'crashed' })
    gone({}, { reason: 'clean-exit' })
    gone({}, { reason: 'killed' })
    expect(m.reloads).toBe(2)
    let webviewBlocked = false
    w.wcOn.get('will-attach-webview')![0]({ preventDefault: () => { webviewBlocked = true } })
    expect(webviewBlocked).toBe(true)
  })

  it('adds the CSP header to every response and refuses every permission', async () => {
    const { hardenSession } = await import('../../src-main/window')
    hardenSession()
    let out: { responseHeaders: Record<string, string[]> } | null = null
    m.headersHook!({ responseHeaders: { 'Content-Type': ['text/html'] } }, (r) => { out = r as typeof out })
    const csp = out!.responseHeaders['Content-Security-Policy'][0]
    expect(csp).toMatch(/default-src 'self'/)
    expect(csp).toMatch(/script-src 'self';/)
    expect(csp).toMatch(/object-src 'none'/)
    expect(out!.responseHeaders['Content-Type']).toEqual(['text/html'])
    let granted: boolean | null = null
    m.permissionHandler!({}, 'camera', (ok: boolean) => { granted = ok })
    expect(granted).toBe(false)
  })

  it('remembers its bounds and ignores saved bounds that are broken or off every screen', async () => {
    const { loadWindowState, saveWindowState, createMainWindow } = await import('../../src-main/window')
    const dir = mkdtempSync(join(tmpdir(), 'state-'))
    const file = join(dir, 'window-state.json')
    const screens = [{ x: 0, y: 0, width: 1920, height: 1080 }]
    expect(loadWindowState(file, screens)).toEqual({ width: 1280, height: 820, maximized: false })
    writeFileSync(file, '{broken')
    expect(loadWindowState(file, screens).width).toBe(1280)
    writeFileSync(file, JSON.stringify({ x: 5000, y: 5000, width: 1000, height: 700, maximized: true }))
    expect(loadWindowState(file, screens)).toEqual({ width: 1000, height: 700, maximized: true })
    writeFileSync(file, JSON.stringify({ x: 100, y: 50, width: 'wide', height: 700 }))
    expect(loadWindowState(file, screens).width).toBe(1280)
    saveWindowState(file, { x: 100, y: 50, width: 1100, height: 750, maximized: false })
    expect(loadWindowState(file, screens)).toEqual({ x: 100, y: 50, width: 1100, height: 750, maximized: false })
    createMainWindow({ page, preloadPath: '/p.js', statePath: file, title: 'T' })
    expect(m.windows[0].options).toMatchObject({ x: 100, y: 50, width: 1100, height: 750 })
    m.windows[0].on.get('close')![0]()
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ x: 10, y: 20, width: 1000, height: 700, maximized: false })
  })
})

describe('sender check', () => {
  it('trusts only our index.html in a build and only the dev server origin in development', async () => {
    const { isAppUrl } = await import('../../src-main/sender')
    const page = { indexFile: '/app/out/renderer/index.html' }
    expect(isAppUrl('file:///app/out/renderer/index.html', page)).toBe(true)
    expect(isAppUrl('file:///app/out/renderer/index.html#/train', page)).toBe(true)
    expect(isAppUrl('file:///app/out/renderer/other.html', page)).toBe(false)
    expect(isAppUrl('file:///tmp/evil.html', page)).toBe(false)
    expect(isAppUrl('https://evil.example/', page)).toBe(false)
    expect(isAppUrl('', page)).toBe(false)
    expect(isAppUrl(undefined, page)).toBe(false)
    expect(isAppUrl('not a url', page)).toBe(false)
    const dev = { ...page, devUrl: 'http://localhost:5173' }
    expect(isAppUrl('http://localhost:5173/', dev)).toBe(true)
    expect(isAppUrl('http://localhost:5174/', dev)).toBe(false)
    expect(isAppUrl('file:///app/out/renderer/index.html', dev)).toBe(false)
  })
})

describe('menu', () => {
  it('has File, Edit, View and Help, and its page commands reach the renderer', async () => {
    const { menuTemplate, aboutText } = await import('../../src-main/menu')
    const { MENU_COMMANDS } = await import('../../src-main/ipc/contract')
    const sent: string[] = []
    let about = 0
    const t = menuTemplate({ send: (c) => sent.push(c), about: () => { about++ } }, 'linux')
    expect(t.map((i) => i.label)).toEqual(['&File', '&Edit', '&View', '&Help'])
    const items = t.flatMap((i) => (i.submenu as { click?: () => void; role?: string }[]))
    for (const i of items) i.click?.()
    expect([...sent].sort()).toEqual([...MENU_COMMANDS].sort())
    expect(about).toBe(1)
    const roles = items.map((i) => i.role).filter(Boolean)
    expect(roles).toEqual(expect.arrayContaining(['zoomIn', 'zoomOut', 'resetZoom', 'undo', 'copy', 'paste']))
    expect(menuTemplate({ send: () => 0, about: () => 0 }, 'darwin')[0]).toEqual({ role: 'appMenu' })
    expect(aboutText('1.0.0')).toMatch(/MNIST.*LeCun.*CC BY-SA 3\.0/s)
    expect(aboutText('1.0.0')).toMatch(/MIT/)
  })
})

describe('app entry', () => {
  it('registers one IPC entry that checks the sender frame, and relays events to the window', async () => {
    vi.resetModules()
    await import('../../src-main/index')
    await new Promise((r) => setTimeout(r, 10))
    const handler = m.ipcHandlers.get('lab:request')!
    expect(handler).toBeTypeOf('function')
    const ours = { senderFrame: { url: pathToFileURL(join(process.cwd(), 'src-main', '../renderer/index.html')).href } }
    const theirs = { senderFrame: { url: 'https://evil.example/' } }
    const missing = { senderFrame: null }
    expect(await handler(theirs, 'app:info', undefined)).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } })
    expect(await handler(missing, 'app:info', undefined)).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } })
    expect(await handler(theirs, 'nope', undefined)).toMatchObject({ ok: false, error: { code: 'unknown-channel' } })
    // __dirname of the source module stands in for out/main when the test imports the TS file.
    const dirOfIndex = join(process.cwd(), 'src-main')
    const good = { senderFrame: { url: pathToFileURL(join(dirOfIndex, '../renderer/index.html')).href } }
    expect(await handler(good, 'app:info', undefined)).toMatchObject({ ok: true, value: { version: '1.2.3', transport: 'electron' } })
    expect(ours.senderFrame.url).toBe(good.senderFrame.url)
    expect(m.menu).toBeTruthy()
    expect(m.windows).toHaveLength(1)
    expect(m.windows[0].options.webPreferences).toMatchObject({ preload: join(dirOfIndex, '../preload/index.js') })
    // A run on the (missing) worker fails; the failure reaches the window as lab:event messages.
    const spec = { input: [1, 28, 28], layers: [{ type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }
    const settings = { data: { kind: 'mnist' }, optimizer: 'SGD', lr: 0.1, batchSize: 10, epochs: 1, weightDecay: 0, seed: 1, threads: 1 }
    expect(await handler(good, 'train:start', { spec, settings })).toMatchObject({ ok: true })
    for (let i = 0; i < 200 && !m.windows[0].sent.some((a) => a[0] === 'lab:event'); i++) await new Promise((r) => setTimeout(r, 10))
    expect(m.windows[0].sent.find((a) => a[0] === 'lab:event')?.[1]).toMatchObject({ type: 'error', code: 'worker-crashed' })
  })

  it('handles File ▸ Export in the main process: with no model it explains, and the page is not asked', async () => {
    vi.resetModules()
    await import('../../src-main/index')
    await new Promise((r) => setTimeout(r, 10))
    const template = m.menu as { label: string; submenu: { label?: string; click?: () => void }[] }[]
    const file = template.find((i) => i.label === '&File')!
    const before = m.windows[0].sent.filter((a) => a[0] === 'lab:menu').length
    m.messageBoxes.length = 0
    file.submenu.find((i) => i.label?.startsWith('Export Model (ONNX)'))!.click!()
    for (let i = 0; i < 100 && m.messageBoxes.length === 0; i++) await new Promise((r) => setTimeout(r, 10))
    expect(m.messageBoxes[0]).toMatchObject({ type: 'warning', title: 'Nothing to export yet' })
    expect(m.windows[0].sent.filter((a) => a[0] === 'lab:menu').length).toBe(before)
    // Page commands still go to the page.
    file.submenu.find((i) => i.label === 'Save Project')!.click!()
    expect(m.windows[0].sent.filter((a) => a[0] === 'lab:menu').at(-1)).toEqual(['lab:menu', 'project:save'])
  })

  it('quits at once when another instance holds the lock', async () => {
    vi.resetModules()
    m.lock = false
    const before = m.quit
    await import('../../src-main/index')
    expect(m.quit).toBe(before + 1)
    m.lock = true
  })
})
