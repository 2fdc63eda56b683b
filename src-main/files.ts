/**
 * The desktop's file dialogs and recent documents for ProjectService (Electron only; the logic that
 * reads, validates and writes lives in projects.ts, which runs without Electron).
 */
import { app, dialog, type BrowserWindow, type FileFilter } from 'electron'
import { join } from 'node:path'
import type { FileAccess, FileKind } from './projects'

const FILTERS: Record<FileKind, FileFilter> = {
  project: { name: 'Backprop Lab project', extensions: ['bplab'] },
  safetensors: { name: 'safetensors weights', extensions: ['safetensors'] },
  onnx: { name: 'ONNX model', extensions: ['onnx'] },
  npz: { name: 'NumPy arrays', extensions: ['npz'] }
}

const SAVE_TITLES: Record<FileKind, string> = {
  project: 'Save project',
  safetensors: 'Export weights (safetensors)',
  onnx: 'Export model (ONNX)',
  npz: 'Export weights (NumPy .npz)'
}

/**
 * FileAccess over Electron's dialogs, parented to the current window. `onRecent` hears the updated
 * recent list (to rebuild File › Open Recent); the system's own list gets app.addRecentDocument.
 */
export function electronFiles(getWindow: () => BrowserWindow | null, onRecent: (paths: string[]) => void): FileAccess {
  return {
    async askSavePath(suggestedName, kind) {
      const options = { title: SAVE_TITLES[kind], defaultPath: join(app.getPath('documents'), suggestedName), filters: [FILTERS[kind]] }
      const win = getWindow()
      const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options)
      return r.canceled || !r.filePath ? null : r.filePath
    },
    async askOpenPath(kind) {
      const options = {
        title: kind === 'project' ? 'Open project' : 'Import weights (safetensors)',
        filters: [FILTERS[kind], { name: 'All files', extensions: ['*'] }],
        properties: ['openFile' as const]
      }
      const win = getWindow()
      const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options)
      return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0]
    },
    noteRecent(path, all) {
      app.addRecentDocument(path)
      onRecent(all)
    }
  }
}
