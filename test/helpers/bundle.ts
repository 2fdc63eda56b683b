/**
 * Bundles a TypeScript worker entry into one CommonJS file (rolldown, which vite already depends on),
 * so tests can start real worker threads running the engine's sources.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { build } from 'rolldown'

export async function bundleWorker(entry: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'backprop-lab-worker-'))
  const file = join(dir, 'worker.cjs')
  await build({
    input: resolve(entry),
    platform: 'node',
    external: [/^node:/],
    output: { file, format: 'cjs' },
    logLevel: 'silent'
  })
  return file
}
