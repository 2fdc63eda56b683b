/**
 * Bundles a TypeScript entry into one file in a temporary folder (rolldown, which vite already depends
 * on), so tests can start real worker threads and child processes running the sources as they stand,
 * never an older build from out/.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { build } from 'rolldown'

const ROOT = resolve(__dirname, '../..')

/** Bundles `entry` (a path from the repository root) as CommonJS or an ES module; returns the file. */
export async function bundleEntry(entry: string, format: 'cjs' | 'esm'): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'backprop-lab-bundle-'))
  const file = join(dir, format === 'esm' ? 'entry.mjs' : 'entry.cjs')
  await build({
    input: resolve(ROOT, entry),
    platform: 'node',
    external: [/^node:/],
    output: { file, format },
    logLevel: 'silent'
  })
  return file
}

/** A worker entry as CommonJS. */
export function bundleWorker(entry: string): Promise<string> {
  return bundleEntry(entry, 'cjs')
}

/** The training worker (`src-engine/worker.ts`) as an ES module, for a `LabHost` or a bare `Worker`. */
export function bundleEngineWorker(): Promise<string> {
  return bundleEntry('src-engine/worker.ts', 'esm')
}
