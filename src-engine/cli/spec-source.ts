/**
 * The network a command works on: a preset by id or a spec file, validated before anything is
 * built, with errors that name the layer and say what to change.
 */
import { readFileSync } from 'node:fs'
import type { NetSpec, SpecReport } from '../spec-types'
import { validateSpec } from '../spec'
import { PRESETS, type PresetDefaults } from '../models/presets'
import { UsageError } from './args'

/** A failure the user can fix (bad file, invalid spec); printed without a stack trace. */
export class InputError extends Error {
  constructor(readonly code: string, message: string, readonly hint?: string) {
    super(message)
    this.name = 'InputError'
  }
}

export type Defaults = PresetDefaults

export interface SpecSource { spec: NetSpec; label: string; defaults: Defaults | null; report: SpecReport }

/** Reads and parses a JSON file, with messages that say which file and what is wrong. */
export function readJsonFile(path: string, what: string): unknown {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    throw new InputError('file', code === 'ENOENT' ? `the ${what} file ${path} does not exist` : `cannot read the ${what} file ${path}: ${(e as Error).message}`)
  }
  try {
    return JSON.parse(text)
  } catch (e) {
    throw new InputError('bad-json', `the ${what} file ${path} is not valid JSON: ${(e as Error).message}`, 'Check it with a JSON validator; architectures are exported by the editor or listed by `npm run lab -- presets --json`.')
  }
}

/** Lines describing a report's errors (and warnings), one per issue. */
export function issueLines(report: SpecReport): string[] {
  return report.issues.map((i) => `${i.severity === 'error' ? 'error' : 'warning'}: ${i.message}`)
}

/** Validates a spec; throws an InputError listing every error when it is not trainable. */
export function checkedSpec(spec: unknown, label: string): { spec: NetSpec; report: SpecReport } {
  const report = validateSpec(spec)
  if (!report.ok) {
    const errors = report.issues.filter((i) => i.severity === 'error').map((i) => i.message)
    throw new InputError('invalid-spec', `${label} is not a valid network:\n  ${errors.join('\n  ')}`, 'Fix the layers named above (see `npm run lab -- validate SPEC.json`).')
  }
  return { spec: spec as NetSpec, report }
}

/** Resolves --preset NAME or --spec FILE (exactly one). */
export function specFromFlags(preset: string | undefined, specPath: string | undefined): SpecSource {
  if (preset !== undefined && specPath !== undefined) throw new UsageError('give either --preset NAME or --spec SPEC.json, not both')
  if (preset !== undefined) {
    const p = PRESETS.find((x) => x.id === preset)
    if (!p) throw new UsageError(`there is no preset "${preset}"; choose one of ${PRESETS.map((x) => x.id).join(', ')}`)
    const { spec, report } = checkedSpec(p.spec, `preset ${p.id}`)
    return { spec, label: p.id, defaults: p.defaults, report }
  }
  if (specPath !== undefined) {
    const { spec, report } = checkedSpec(readJsonFile(specPath, 'spec'), specPath)
    return { spec, label: spec.name ?? specPath, defaults: null, report }
  }
  throw new UsageError('say which network: --preset NAME (see `npm run lab -- presets`) or --spec SPEC.json')
}
