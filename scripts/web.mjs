#!/usr/bin/env node
/**
 * `npm run web [-- --port N]`: the lab in a browser. Builds what is stale, then runs the web shell
 * (out/main/web-shell.js), which prints the address to open, token included. Ctrl+C stops it.
 */
import { spawn } from 'node:child_process'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ensureBuilt, root } from './app-build.mjs'

export function runWebShell(args = process.argv.slice(2)) {
  ensureBuilt()
  const child = spawn(process.execPath, [join(root, 'out', 'main', 'web-shell.js'), ...args], { cwd: root, stdio: 'inherit' })
  // Ctrl+C reaches the whole process group: the shell stops itself, and this wrapper waits for it.
  process.on('SIGINT', () => undefined)
  process.on('SIGTERM', () => child.kill('SIGTERM'))
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)))
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) runWebShell()
