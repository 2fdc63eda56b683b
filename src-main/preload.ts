/**
 * The preload: the renderer's only door to the main process. It exposes `window.lab` (LabApi plus
 * the menu stream) and nothing else — no ipcRenderer, no Node. One line per method; every
 * subscription returns its unsubscribe, and listeners never see Electron's event object.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { EVENT_CHANNEL, MENU_CHANNEL, REQUEST_CHANNEL, type DesktopLabApi, type LabEvent, type MenuCommand, type Result } from './ipc/contract'

function subscribe<T>(channel: string, listener: (value: T) => void): () => void {
  const wrapped = (_event: IpcRendererEvent, value: T): void => listener(value)
  ipcRenderer.on(channel, wrapped)
  return () => { ipcRenderer.removeListener(channel, wrapped) }
}

/** A payload IPC cannot clone (a function, a DOM node…) rejects inside invoke: answer it as data too. */
const unsent = (e: unknown): Result<never> => ({ ok: false, error: { code: 'transport-failed', message: `The request could not be sent: ${e instanceof Error ? e.message : String(e)}` } })

const lab: DesktopLabApi = {
  request: (channel, payload) => ipcRenderer.invoke(REQUEST_CHANNEL, channel, payload).catch(unsent),
  onEvent: (listener) => subscribe<LabEvent>(EVENT_CHANNEL, listener),
  onMenu: (listener) => subscribe<MenuCommand>(MENU_CHANNEL, listener)
}

contextBridge.exposeInMainWorld('lab', lab)
