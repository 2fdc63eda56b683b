/** `lab presets` and `lab validate SPEC.json`: what the engine knows, without training anything. */
import { validateSpec } from '../spec'
import { PRESETS } from '../models/presets'
import { parseArgs, UsageError, type FlagKind } from './args'
import { issueLines, readJsonFile } from './spec-source'
import { Output, thousands } from './output'

export const PRESETS_FLAGS: Record<string, FlagKind> = { json: 'switch', help: 'switch' }
export const VALIDATE_FLAGS: Record<string, FlagKind> = { json: 'switch', help: 'switch' }

export function presetsCommand(argv: readonly string[], out: Output): number {
  const p = parseArgs(argv, PRESETS_FLAGS, 'presets')
  if (p.positionals.length > 0) throw new UsageError('"presets" takes no arguments')
  for (const preset of PRESETS) {
    const report = validateSpec(preset.spec)
    out.event('preset', { id: preset.id, title: preset.title, kind: preset.kind, params: report.totalParams, defaults: preset.defaults, spec: preset.spec },
      `${preset.id.padEnd(18)} ${thousands(report.totalParams).padStart(11)} params  ${preset.title.en}`)
  }
  out.event('done', { count: PRESETS.length }, `\n${PRESETS.length} presets; train one with: npm run lab -- train --preset ID`)
  return 0
}

export function validateCommand(argv: readonly string[], out: Output): number {
  const p = parseArgs(argv, VALIDATE_FLAGS, 'validate')
  if (p.positionals.length !== 1) throw new UsageError('validate needs exactly one file: npm run lab -- validate SPEC.json')
  const path = p.positionals[0]
  const report = validateSpec(readJsonFile(path, 'spec'))
  if (out.json) {
    out.event(report.ok ? 'done' : 'error', report.ok ? { report } : { code: 'invalid-spec', message: `${path} is not a valid network`, report })
  } else {
    for (const l of report.layers) {
      const shape = l.outShape ? `(${l.outShape.join(', ')})` : '?'
      out.say(`${l.name.padEnd(12)} ${l.type.padEnd(20)} → ${shape.padEnd(16)} ${thousands(l.params).padStart(11)} params`)
    }
    out.say(`total ${thousands(report.totalParams)} parameters, ${thousands(report.totalMacs)} multiply-adds per example`)
    for (const line of issueLines(report)) {
      if (line.startsWith('error')) out.io.err(line)
      else out.io.out(line)
    }
    out.say(report.ok ? `${path} is a valid network` : `${path} is not a valid network: fix the errors above`)
  }
  return report.ok ? 0 : 1
}
