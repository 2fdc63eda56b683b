/**
 * The Electron main process: one instance, one hardened window, the menu, and the LabHost behind a
 * single IPC entry (REQUEST_CHANNEL) that checks the sender frame and the payload before acting.
 * Everything with logic lives in Electron-free modules (lab-host, ipc/handlers, sender).
 */
import { app, BrowserWindow, dialog, ipcMain, shell, type IpcMainInvokeEvent } from 'electron'
import { join, sep } from 'node:path'
import workerPath from '../src-engine/worker?modulePath'
import projectReader from './project-reader?modulePath'
import { LabHost } from './lab-host'
import { createDispatcher } from './ipc/handlers'
import { EVENT_CHANNEL, MENU_CHANNEL, REQUEST_CHANNEL, type MenuCommand } from './ipc/contract'
import { isAppUrl, type AppPage } from './sender'
import { createMainWindow, hardenSession } from './window'
import { aboutText, installMenu } from './menu'
import { electronFiles } from './files'

/** A worker (the training thread, the project reader) cannot start from inside app.asar: packaged builds unpack out/main (see electron-builder.yml). */
function unpackedPath(p: string): string {
  return app.isPackaged ? p.replace(`${sep}app.asar${sep}`, `${sep}app.asar.unpacked${sep}`) : p
}

const page: AppPage = {
  devUrl: !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined,
  indexFile: join(__dirname, '../renderer/index.html')
}

let win: BrowserWindow | null = null
let host: LabHost | null = null

function openWindow(): void {
  win = createMainWindow({
    page,
    preloadPath: join(__dirname, '../preload/index.js'),
    statePath: join(app.getPath('userData'), 'window-state.json'),
    title: 'Backprop Lab'
  })
  win.on('closed', () => { win = null })
}

function send(channel: string, value: LabEventOrMenu): void {
  if (win && !win.isDestroyed()) win.webContents.send(channel, value)
}
type LabEventOrMenu = Parameters<Parameters<LabHost['onEvent']>[0]>[0] | MenuCommand

async function showAbout(): Promise<void> {
  const options = { type: 'info' as const, title: 'About Backprop Lab', message: 'Backprop Lab', detail: aboutText(app.getVersion()), buttons: ['OK', 'Data credits'] }
  const { response } = win ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options)
  if (response === 1) {
    const credits = app.isPackaged ? join(process.resourcesPath, 'DATA-CREDITS.md') : join(app.getAppPath(), 'resources', 'DATA-CREDITS.md')
    void shell.openPath(credits)
  }
}

/**
 * File ▸ Export (safetensors, ONNX) is done here, where files belong: the project service asks
 * where to save, writes and verifies; only a failure is shown, in a message box.
 */
function exportFromMenu(format: 'safetensors' | 'onnx'): void {
  if (!host) return
  void host.projects.saveExport(format).then(async (r) => {
    if (r.ok || r.error.code === 'canceled') return
    const title = r.error.code === 'no-model' ? 'Nothing to export yet' : 'The export could not be saved'
    const options = { type: 'warning' as const, title, message: title, detail: r.error.message }
    if (win) await dialog.showMessageBox(win, options)
    else await dialog.showMessageBox(options)
  })
}

function start(): void {
  hardenSession(page.devUrl)
  // Projects: dialogs and recent documents from files.ts; the autosave and the recent list in userData.
  let recent: readonly string[] = []
  const menuActions = {
    send: (command: MenuCommand) => {
      if (command === 'export:weights') exportFromMenu('safetensors')
      else if (command === 'export:onnx') exportFromMenu('onnx')
      else send(MENU_CHANNEL, command)
    },
    about: () => void showAbout(),
    get recent() { return recent },
    openRecent: (path: string) => { if (host?.projects.touchRecent(path)) send(MENU_CHANNEL, 'project:open-recent') }
  }
  const files = electronFiles(() => win, (paths) => { recent = paths; installMenu(menuActions) })
  host = new LabHost({ workerPath: unpackedPath(workerPath), projectReader: unpackedPath(projectReader), transport: 'electron', version: app.getVersion(), dataDir: app.getPath('userData'), files })
  const listed = host.projects.recent()
  recent = listed.ok ? listed.value.map((r) => r.path) : []
  const dispatch = createDispatcher(host)
  ipcMain.handle(REQUEST_CHANNEL, (event: IpcMainInvokeEvent, channel: unknown, payload: unknown) =>
    dispatch(channel, payload, isAppUrl(event.senderFrame?.url, page)))
  host.onEvent((event) => send(EVENT_CHANNEL, event))
  installMenu(menuActions)
  openWindow()
}

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', () => {
    if (!win) return
    if (win.isMinimized()) win.restore()
    win.focus()
  })
  // Nothing but our window, ever: refuse webviews and new web contents created any other way.
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault())
  })
  void app.whenReady().then(() => {
    start()
    app.on('activate', () => { if (BrowserWindow.getAllWindows().length === 0) openWindow() })
  })
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('will-quit', () => { void host?.dispose() })
}
