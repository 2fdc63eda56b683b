/**
 * Shared by `npm start` and `npm run web`: makes sure out/ holds a build of the current sources.
 * Runs the build steps that exist (WebAssembly kernels, built-in digits — both skip themselves when
 * up to date) and `electron-vite build` when an output is missing or older than any source.
 * Build chatter goes to stderr so that stdout carries only what the app prints (its URL).
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')

const SOURCES = ['src-main', 'src-engine', 'src-renderer', 'electron.vite.config.ts', 'package.json']
const OUTPUTS = ['out/main/index.js', 'out/main/web-shell.js', 'out/preload/index.js', 'out/renderer/index.html']

/** Newest modification time (ms) under `p` (a file or a folder, recursively). */
function newest(p) {
  if (!existsSync(p)) return 0
  const st = statSync(p)
  if (!st.isDirectory()) return st.mtimeMs
  let t = 0
  for (const e of readdirSync(p, { withFileTypes: true })) t = Math.max(t, newest(join(p, e.name)))
  return t
}

/** True when some output is missing or older than the newest source. */
export function isStale() {
  const src = Math.max(...SOURCES.map((s) => newest(join(root, s))))
  return OUTPUTS.some((o) => {
    const f = join(root, o)
    return !existsSync(f) || statSync(f).mtimeMs < src
  })
}

function step(args, what) {
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', process.stderr, process.stderr] })
  if (r.status !== 0) {
    process.stderr.write(`Building failed at "${what}" (exit code ${r.status ?? r.signal}); the messages above say why.\n`)
    process.exit(1)
  }
}

export function electronViteBin() {
  const require = createRequire(join(root, 'package.json'))
  const pkg = require.resolve('electron-vite/package.json')
  return join(dirname(pkg), require(pkg).bin['electron-vite'])
}

/** Builds what is missing or stale; a no-op when out/ is current. */
export function ensureBuilt({ force = false } = {}) {
  for (const [script, what] of [['build-wasm.mjs', 'WebAssembly kernels'], ['build-mnist.mjs', 'built-in digits']]) {
    const file = join(root, 'scripts', script)
    if (existsSync(file)) step([file], what)
  }
  if (force || process.env.BACKPROP_LAB_REBUILD === '1' || isStale()) {
    process.stderr.write('Building Backprop Lab (electron-vite build)…\n')
    step([electronViteBin(), 'build'], 'electron-vite build')
  }
}
