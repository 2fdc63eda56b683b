#!/usr/bin/env node
/**
 * `npm run lab -- <command> …` (and `npm run bench`): runs the engine's command line under plain
 * Node. First makes sure what it needs exists: the bundle out/main/engine-cli.js (rebuilt with
 * `electron-vite build` when missing or older than the engine's sources) and the built-in digits
 * (scripts/build-mnist.mjs, which does nothing when they are up to date). Build output goes to
 * stderr so that `--json` output on stdout stays clean.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const bundle = join(root, 'out', 'main', 'engine-cli.js')
const quiet = ['ignore', process.stderr, process.stderr]

/** Newest modification time (ms) of the files under `dir` (recursively). */
function newest(dir) {
  let t = 0
  if (!existsSync(dir)) return t
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs)
  }
  return t
}

function run(args, what) {
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: quiet })
  if (r.status !== 0) {
    process.stderr.write(`lab: ${what} failed (exit code ${r.status ?? r.signal}); fix the error above and try again.\n`)
    process.exit(1)
  }
}

// The WebAssembly kernels and optimizer rules the engine imports (generated, not committed; no-op when fresh).
run([join(root, 'scripts', 'build-wasm.mjs')], 'building the WebAssembly kernels')
const sourcesTime = Math.max(newest(join(root, 'src-engine')), statSync(join(root, 'electron.vite.config.ts')).mtimeMs)
if (!existsSync(bundle) || statSync(bundle).mtimeMs < sourcesTime || process.env.BACKPROP_LAB_REBUILD === '1') {
  process.stderr.write('lab: building the engine (electron-vite build)…\n')
  const require = createRequire(join(root, 'package.json'))
  const pkg = require.resolve('electron-vite/package.json')
  const bin = join(dirname(pkg), require(pkg).bin['electron-vite'])
  run([bin, 'build'], 'electron-vite build')
}
run([join(root, 'scripts', 'build-mnist.mjs')], 'preparing the built-in digits')

const child = spawnSync(process.execPath, [bundle, ...process.argv.slice(2)], { stdio: 'inherit' })
process.exit(child.status ?? 1)
