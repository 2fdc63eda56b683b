#!/usr/bin/env node
/**
 * `npm start`: the desktop app when an Electron binary is available (electron-vite preview, which
 * builds first), otherwise the same lab as a web app (see web.mjs), with one sentence saying why.
 *
 * Finding Electron never triggers its download (requiring the `electron` package would):
 * ELECTRON_EXEC_PATH (an executable), ELECTRON_OVERRIDE_DIST_PATH (its folder), or the binary that
 * `node_modules/electron` installed (path.txt + dist/).
 */
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ensureBuilt, electronViteBin, root } from './app-build.mjs'
import { runWebShell } from './web.mjs'

const defaultExe = { darwin: 'Electron.app/Contents/MacOS/Electron', win32: 'electron.exe' }[process.platform] ?? 'electron'

/** Returns { exe } when Electron can run here, or { why } when it cannot. */
export function findElectron(env = process.env, platform = process.platform) {
  const pkgDir = join(root, 'node_modules', 'electron')
  const pathTxt = join(pkgDir, 'path.txt')
  const exeName = existsSync(pathTxt) ? readFileSync(pathTxt, 'utf8').trim() : defaultExe
  let exe = null
  if (env.ELECTRON_EXEC_PATH) exe = env.ELECTRON_EXEC_PATH
  else if (env.ELECTRON_OVERRIDE_DIST_PATH) exe = join(env.ELECTRON_OVERRIDE_DIST_PATH, exeName)
  else if (existsSync(pathTxt)) exe = join(pkgDir, 'dist', exeName)
  if (!exe) return { why: 'no Electron binary is installed (set ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron folder to get the desktop window)' }
  if (!existsSync(exe)) return { why: `the Electron binary ${exe} does not exist` }
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return { why: 'there is no graphical display (DISPLAY and WAYLAND_DISPLAY are unset)' }
  return { exe }
}

function main() {
  const found = findElectron()
  if (found.exe) {
    ensureBuilt()
    const child = spawn(process.execPath, [electronViteBin(), 'preview', '--skipBuild'], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, ELECTRON_EXEC_PATH: found.exe }
    })
    process.on('SIGINT', () => undefined)
    process.on('SIGTERM', () => child.kill('SIGTERM'))
    child.on('exit', (code) => process.exit(code ?? 0))
  } else {
    process.stdout.write(`Starting Backprop Lab in your browser instead of its own window, because ${found.why}.\n`)
    runWebShell(process.argv.slice(2))
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main()
