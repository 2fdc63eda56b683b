/** Runs the command line in-process and captures what it prints. */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli } from '../../../src-engine/cli/run'

export interface CliResult { code: number; out: string[]; err: string[]; events: Record<string, unknown>[] }

export async function lab(...argv: string[]): Promise<CliResult> {
  const out: string[] = []
  const err: string[] = []
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) })
  const events = argv.includes('--json') ? out.map((l) => JSON.parse(l) as Record<string, unknown>) : []
  return { code, out, err, events }
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'lab-cli-'))
}

export function writeJson(dir: string, name: string, value: unknown): string {
  const p = join(dir, name)
  writeFileSync(p, JSON.stringify(value))
  return p
}
