/** npm start's Electron detection, and the bundled web shell as a process (when out/ has been built). */
import { describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
// @ts-ignore -- a plain ESM script without type declarations
import { findElectron } from '../../scripts/start.mjs'

const root = resolve(__dirname, '../..')
type Found = { exe?: string; why?: string }

describe('npm start: finding Electron without downloading it', () => {
  const fakeDist = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'electron-dist-'))
    writeFileSync(join(dir, 'electron'), '#!/bin/sh\n')
    chmodSync(join(dir, 'electron'), 0o755)
    return dir
  }

  it('uses ELECTRON_OVERRIDE_DIST_PATH or ELECTRON_EXEC_PATH when they point at a binary', () => {
    const dir = fakeDist()
    const withDisplay = { DISPLAY: ':0' }
    const found = findElectron({ ...withDisplay, ELECTRON_OVERRIDE_DIST_PATH: dir }, 'linux') as Found
    expect(found.exe).toBe(join(dir, 'electron'))
    expect((findElectron({ ...withDisplay, ELECTRON_EXEC_PATH: join(dir, 'electron') }, 'linux') as Found).exe).toBe(join(dir, 'electron'))
  })

  it('explains in one sentence why it falls back to the browser', () => {
    const dir = fakeDist()
    const missing = findElectron({ DISPLAY: ':0', ELECTRON_OVERRIDE_DIST_PATH: join(dir, 'nope') }, 'linux') as Found
    expect(missing.exe).toBeUndefined()
    expect(missing.why).toMatch(/does not exist/)
    const headless = findElectron({ ELECTRON_OVERRIDE_DIST_PATH: dir }, 'linux') as Found
    expect(headless.why).toMatch(/no graphical display/)
    if (!existsSync(join(root, 'node_modules/electron/path.txt'))) {
      const none = findElectron({ DISPLAY: ':0' }, 'linux') as Found
      expect(none.why).toMatch(/no Electron binary is installed/)
      expect(none.why).not.toMatch(/\n/)
    }
  })
})

const bundle = join(root, 'out/main/web-shell.js')

describe.skipIf(!existsSync(bundle))('the bundled web shell (out/main/web-shell.js)', () => {
  it('prints its URL alone on a line, serves the page, and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [bundle, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (d) => { out += d })
    const url = await new Promise<string>((ok, bad) => {
      const t = setTimeout(() => bad(new Error(`no URL printed; got: ${out}`)), 20_000)
      child.stdout.on('data', () => {
        const line = out.split('\n').find((l) => l.startsWith('http://127.0.0.1:'))
        if (line) { clearTimeout(t); ok(line) }
      })
    })
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/)
    const res = await fetch(url)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'/)
    expect(await res.text()).toMatch(/<div id="app">/)
    const t0 = Date.now()
    const code = await new Promise<number | null>((ok) => { child.on('exit', (c) => ok(c)); child.kill('SIGTERM') })
    expect(code).toBe(0)
    expect(Date.now() - t0).toBeLessThan(3000)
  }, 30_000)

  it('refuses a bad --port with a usage message and exit code 2', async () => {
    const child = spawn(process.execPath, [bundle, '--port', 'eighty'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let err = ''
    child.stderr.on('data', (d) => { err += d })
    const code = await new Promise<number | null>((ok) => child.on('exit', (c) => ok(c)))
    expect(code).toBe(2)
    expect(err).toMatch(/--port needs a whole number/)
  })
})
