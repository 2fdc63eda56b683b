/**
 * The desktop app itself, launched with Playwright's Electron support, running the same smoke flow
 * as the browser. Needs an Electron binary: ELECTRON_OVERRIDE_DIST_PATH (the folder holding the
 * executable) or node_modules/electron/dist. Where neither exists (Electron's download is blocked on
 * the build machines) the test is skipped with a message saying so.
 */
import { _electron as electron, test, expect } from '@playwright/test'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT, screenshot } from './fixtures'
import { visitEveryPage } from './smoke'

/** The Electron executable, or null when none is installed. */
function findElectron(): string | null {
  const name = process.platform === 'win32' ? 'electron.exe' : process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : 'electron'
  const dirs = [process.env.ELECTRON_OVERRIDE_DIST_PATH, join(ROOT, 'node_modules/electron/dist')].filter((d): d is string => !!d)
  for (const dir of dirs) if (existsSync(join(dir, name))) return join(dir, name)
  return null
}

const executablePath = findElectron()
const NO_ELECTRON =
  'No Electron binary (set ELECTRON_OVERRIDE_DIST_PATH or install node_modules/electron/dist): the desktop app was not launched; the web shell specs cover the same renderer.'

test.describe('desktop app', () => {
  test('starts, connects over Electron IPC and shows every page in both languages', async () => {
    if (executablePath === null) {
      // Said in the terminal too, not only in the report.
      console.log(`Skipped: ${NO_ELECTRON}`)
      test.skip(true, NO_ELECTRON)
      return
    }
    expect(existsSync(join(ROOT, 'out/main/index.js')), 'run "npm run build" first').toBe(true)
    const userData = mkdtempSync(join(tmpdir(), 'backprop-lab-electron-'))
    const args = [ROOT, `--user-data-dir=${userData}`]
    // Chromium's sandbox cannot start as root (containers, CI); the app's own renderer sandbox stays on.
    if (process.platform === 'linux' && process.getuid?.() === 0) args.unshift('--no-sandbox')
    const app = await electron.launch({ executablePath: executablePath!, args, cwd: ROOT, env: { ...process.env, ELECTRON_ENABLE_LOGGING: '1' } })
    try {
      const page = await app.firstWindow()
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(e.message))
      await expect(page.getByTestId('status-connection')).toHaveAttribute('data-status', 'open', { timeout: 20_000 })
      await expect(page.getByTestId('status-transport')).toHaveAttribute('data-transport', 'electron')
      await expect(page.getByTestId('status-threads')).toHaveText(/\d/)
      await visitEveryPage(page, 'electron', 'en')
      await visitEveryPage(page, 'electron', 'ko')
      await screenshot(page, 'electron-last')
      expect(errors).toEqual([])
    } finally {
      await app.close()
      rmSync(userData, { recursive: true, force: true })
    }
  })
})
