/**
 * A copy of a folder of the build output (out/main) taken once, for tests that run what electron-vite built:
 * on a shared working tree someone may rebuild out/ while they run, emptying it and writing it again, and a CLI
 * spawned or a worker started from it half-way through would fail for no fault of the code. The copy is taken
 * when the folder's listing (names, sizes, times) holds still for QUIET_MS and through the copy, and every relative
 * require of its scripts is in it (against a writer emptying and rewriting a folder every 1.4 s: 19 whole copies in
 * 20, and once none, the folder being gone at that instant; never a partial one);
 * it sits beside a link to the repository's node_modules, so that its scripts' own requires (fflate) still resolve.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join, relative, resolve } from 'node:path'

const ROOT = resolve(__dirname, '../..')

/** Every file under `dir` as "path size mtime", sorted; null when the folder is missing or changes while read. */
function listing(dir: string): string | null {
  const out: string[] = []
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name)
      if (e.isDirectory()) walk(p)
      else {
        const s = statSync(p)
        out.push(`${relative(dir, p)} ${s.size} ${s.mtimeMs}`)
      }
    }
  }
  try {
    walk(dir)
  } catch {
    return null // a file went away between readdir and stat: a build is emptying the folder
  }
  return out.sort().join('\n')
}

/** The relative requires and imports of the scripts under `dir` that are not there (a build caught part-way). */
function missing(dir: string): string[] {
  const gone: string[] = []
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name)
      if (e.isDirectory()) walk(p)
      else if (/\.[cm]?js$/.test(e.name)) {
        // (not in comments: a bundled library's documentation shows require("./compiled.js"))
        const code = readFileSync(p, 'utf8').split('\n').filter((l) => !/^\s*(\*|\/\/)/.test(l)).join('\n')
        for (const m of code.matchAll(/(?:require\(|from\s*|import\()\s*["'](\.\.?\/[^"']+)["']/g)) {
          if (!existsSync(resolve(dirname(p), m[1]))) gone.push(`${relative(dir, p)} → ${m[1]}`)
        }
      }
    }
  }
  walk(dir)
  return gone
}

/** How long the folder must hold still before it is copied (electron-vite writes out/main within milliseconds). */
const QUIET_MS = 400

const sleep = (ms: number): void => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)

/**
 * Copies `folder` (from the repository root, e.g. 'out/main') into a new temporary folder once it holds still,
 * keeping file times (the tests compare them with the sources'); returns the copy's path (same layout), or null
 * when the folder is missing or a build kept changing it for `waitMs`. Remove the copy's parent when done
 * (removeCopy).
 */
export function copyBuilt(folder: string, waitMs = 20_000): string | null {
  const src = resolve(ROOT, folder)
  const until = Date.now() + waitMs
  for (;;) {
    const first = existsSync(src) ? listing(src) : null
    // a build writes a folder file by file after emptying it: one that holds still for QUIET_MS is not being written
    if (first !== null && first !== '') sleep(QUIET_MS)
    const before = first !== null && first !== '' ? listing(src) : null
    if (before !== null && before === first) {
      const home = mkdtempSync(join(tmpdir(), 'backprop-lab-built-'))
      symlinkSync(join(ROOT, 'node_modules'), join(home, 'node_modules'), 'dir')
      const dest = join(home, basename(src))
      let copied = true
      try {
        cpSync(src, dest, { recursive: true, preserveTimestamps: true })
      } catch {
        copied = false
      }
      if (copied && listing(src) === before && listing(dest)?.replace(/ [\d.]+$/gm, '') === before.replace(/ [\d.]+$/gm, '') && missing(dest).length === 0) return dest
      rmSync(home, { recursive: true, force: true })
    } else if (!existsSync(src)) {
      return null // nothing built
    }
    if (Date.now() > until) {
      console.warn(`${folder} kept changing for ${waitMs} ms (a build writing it?): not copied`)
      return null
    }
    sleep(250)
  }
}

/** Removes a copy copyBuilt made (its temporary parent, the node_modules link itself only). */
export function removeCopy(copy: string | null): void {
  if (copy) rmSync(dirname(copy), { recursive: true, force: true })
}
