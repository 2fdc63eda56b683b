// Generated sources the engine imports must exist before any test file loads (a fresh clone has none).
// Every temporary folder the tests make goes under one folder of this run, removed when the run ends.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'

/** Prefix of a test run's temporary folder; the run's process id follows it. */
export const RUN_DIR = 'backprop-lab-tests-'

/** Whether process `pid` is still running. */
function alive(pid) {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return e.code === 'EPERM'
  }
}

/**
 * A folder for this run's temporary files under `base` (`backprop-lab-tests-<pid>-XXXXXX`), after removing those of
 * runs whose process is gone (killed before their teardown); a running run's folder is left alone. Returns the folder
 * and its removal.
 */
export function runTempDir(base = tmpdir(), pid = process.pid) {
  for (const name of readdirSync(base)) {
    const m = name.startsWith(RUN_DIR) ? /^(\d+)-/.exec(name.slice(RUN_DIR.length)) : null
    if (m && Number(m[1]) !== pid && !alive(Number(m[1]))) rmSync(join(base, name), { recursive: true, force: true })
  }
  const dir = mkdtempSync(join(base, `${RUN_DIR}${pid}-`))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

export default function setup() {
  execFileSync(process.execPath, ['scripts/build-wasm.mjs'], { stdio: 'inherit' })
  // the engine project names this setup too: one folder per run
  if (basename(tmpdir()).startsWith(`${RUN_DIR}${process.pid}-`)) return
  const run = runTempDir()
  // Test workers and every process they start inherit it: os.tmpdir() is this folder for all of them, so the
  // folders tests make (bundles, data folders, CLI outputs) go when the run ends, whether or not a test removes its own.
  process.env.TMPDIR = run.dir
  return run.remove
}
