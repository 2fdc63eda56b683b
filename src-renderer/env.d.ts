/// <reference types="svelte" />
/// <reference types="vite/client" />
import type { DesktopLabApi } from '../src-main/ipc/contract'

declare global {
  interface Window {
    /** Exposed by the Electron preload (contextBridge). Absent in a browser: lab.ts then uses the WebSocket. */
    lab?: DesktopLabApi
  }
}

export {}
