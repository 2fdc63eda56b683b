/** `lab presets` and `lab validate SPEC.json`: what the engine knows, without training anything. */
import { validateSpec } from '../spec'
import { PRESETS } from '../models/presets'
import type { DataSource } from '../protocol'
import type { NetSpec, SpecIssue } from '../spec-types'
import { idxLabelsUsed } from '../data/idx-labels'
import { parseArgs, str, UsageError, type FlagKind } from './args'
import { issueLines, readJsonFile } from './spec-source'
import { parseData } from './train'
import { Output, thousands } from './output'

export const PRESETS_FLAGS: Record<string, FlagKind> = { json: 'switch', help: 'switch' }
export const VALIDATE_FLAGS: Record<string, FlagKind> = { data: 'string', json: 'switch', help: 'switch' }

const CLASS_CODES: ReadonlySet<string> = new Set(['outputs-more-than-classes', 'outputs-fewer-than-classes'])

/**
 * The validator's class-count warnings for the data a run would train on (--data, as `train` takes it; absent: the
 * digits, as `train` defaults), as the editor words them for the data its training page names. The validator compares
 * a 28×28 classifier with the digits' 10 classes, which is right for the digits. A text trains no image classifier:
 * none. An IDX folder's labels are 0 to 9, but it may use fewer: a run takes from its largest label + 1 (`used`, read
 * from its training labels file; null when there is none to read, and the run says why) up to 10 scores. So more
 * than 10 scores are wrong for any folder, fewer only below `used`; the warnings kept name the folder's classes.
 */
export function classIssuesFor(issues: SpecIssue[], data: DataSource, used: number | null): SpecIssue[] {
  if (data.kind === 'mnist') return issues
  const out: SpecIssue[] = []
  for (const i of issues) {
    if (!CLASS_CODES.has(i.code)) { out.push(i); continue }
    if (data.kind !== 'idx') continue
    const outputs = Number(i.values?.outputs)
    const loss = String(i.values?.loss ?? 'the loss')
    const affine = Number(i.values?.affine) === 1
    const classes = used !== null && used <= 10 ? used : null
    const fix = (n: string): string => (affine ? `set its units to ${n}` : `end with an Affine of ${n} units before ${loss}`)
    const theirs = classes !== null ? `the folder's training labels use ${classes} classes (0 to ${classes - 1})` : `an IDX folder's labels are 0 to 9`
    const want = classes !== null ? String(classes) : 'the number of classes its labels use'
    if (i.code === 'outputs-more-than-classes') {
      const extra = outputs - (classes ?? 10)
      out.push({ ...i, message: `${i.layerName}: gives ${outputs} class scores to ${loss} but ${theirs}, so ${extra} of them are for classes that never occur; ${fix(want)}`, values: { ...i.values, classes: classes ?? 10, data: 'folder' } })
    } else if (classes !== null && outputs < classes) {
      out.push({ ...i, message: `${i.layerName}: gives ${outputs} class scores to ${loss} but ${theirs}, so training on the folder stops at the first label ${outputs} or above; ${fix(want)}`, values: { ...i.values, classes, data: 'folder-labels' } })
    }
  }
  return out
}

/**
 * The data --data names, when the network cannot train on it at all (the run would refuse it as it loads, train/data.ts
 * loadTrainData): a text trains only a language model, images (the digits, an IDX folder) anything but one. A warning:
 * the network itself is valid.
 */
export function dataKindIssue(spec: unknown, data: DataSource): SpecIssue | null {
  const s = (typeof spec === 'object' && spec !== null ? spec : {}) as Partial<NetSpec>
  const languageModel = s.task === 'language-model'
  if (data.kind === 'text' && !languageModel) {
    const input = Array.isArray(s.input) ? ` ${s.input.length === 3 ? 'images' : 'inputs'} of (${s.input.join(', ')})` : ''
    return {
      severity: 'warning', layer: -1, layerName: '', code: 'data-not-text',
      message: `--data text:${data.file}: a text trains only language models (task "language-model", input (T) tokens, such as the char-lstm preset), and this network takes${input || ' no tokens'}; train it on the digits (--data mnist) or an IDX folder (--data idx:DIR)`
    }
  }
  if (data.kind !== 'text' && languageModel) {
    return {
      severity: 'warning', layer: -1, layerName: '', code: 'data-not-images',
      message: `--data ${data.kind === 'idx' ? `idx:${data.dir}` : 'mnist'}: this is a language model, which trains on a text, not on images; give it one with --data text:FILE (text:builtin for the shipped one)`
    }
  }
  return null
}

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
  const raw = readJsonFile(path, 'spec')
  const data = parseData(str(p, 'data'), (typeof raw === 'object' && raw !== null ? raw : {}) as NetSpec)
  const checked = validateSpec(raw)
  const mismatch = dataKindIssue(raw, data)
  const report = { ...checked, issues: [...classIssuesFor(checked.issues, data, data.kind === 'idx' ? idxLabelsUsed(data.dir) : null), ...(mismatch ? [mismatch] : [])] }
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
