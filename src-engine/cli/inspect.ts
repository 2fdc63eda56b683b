/** `lab presets` and `lab validate SPEC.json`: what the engine knows, without training anything. */
import { validateSpec, withVocab } from '../spec'
import { PRESETS } from '../models/presets'
import { BUILTIN_TEXT_VOCAB, textCounts } from '../data/text'
import { BUILTIN_CORPORA, builtinCorpusOf, loadTextSource } from '../data/files'
import { errorMessage } from '../train/errors'
import type { DataSource } from '../protocol'
import type { NetSpec, SpecIssue } from '../spec-types'
import { idxLabelsUsed } from '../data/idx-labels'
import { idxFolderMessage, idxFolderProblemAsync, idxShapeProblem } from '../data/idx-folder'
import { parseArgs, str, UsageError, type FlagKind } from './args'
import { InputError, issueLines, readJsonFile } from './spec-source'
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
      out.push({ ...i, message: `${i.layerName}: gives ${outputs} class scores to ${loss} but ${theirs}, so training on the folder would not start (labels ${outputs} and above have no score); ${fix(want)}`, values: { ...i.values, classes, data: 'folder-labels' } })
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

/**
 * What a run would refuse about the IDX folder --data names, by the check the lab makes before Start (data/idx-folder.ts
 * idxFolderProblem: no such folder, a file, none or not all of the four IDX files, one empty or not IDX), as a warning:
 * the network itself may be valid. Its facts in `values`, as the page's refusal carries them.
 */
export async function idxFolderIssue(data: DataSource, spec?: unknown): Promise<SpecIssue | null> {
  if (data.kind !== 'idx') return null
  // then images whose height × width the network's input does not take (idxShapeProblem, as the lab's Start refuses)
  const s = spec as Partial<NetSpec> | null | undefined
  const input = s && Array.isArray(s.input) && s.input.every((v) => typeof v === 'number') ? s.input : null
  // a gzipped file inflated to its end, as a stream on Node's thread pool (0.7 s for Fashion-MNIST's four .gz files,
  // where inflating them whole at once took 2.2 s)
  const problem = (await idxFolderProblemAsync(data.dir)) ?? (input ? idxShapeProblem(data.dir, input, s?.task) : null)
  if (!problem) return null
  return {
    severity: 'warning', layer: -1, layerName: '', code: 'data-idx-folder',
    message: `--data idx:${data.dir}: training would not start: ${idxFolderMessage(problem)}`, values: { ...problem }
  }
}

/** The vocabulary a language model would train with: its size and the text it comes from, as a line says it. */
export interface TextVocab { vocab: number; text: string }

/**
 * The vocabulary a run on `data` gives a language model (train/data.ts specForData sets the spec's from the text it
 * loads): the built-in text's known size (BUILTIN_TEXT_VOCAB, as the editor sizes it before any text is loaded), else
 * the distinct characters of the text --data names, counted as a run counts them (textCounts). Null for image data.
 */
export function textVocabFor(data: DataSource): TextVocab | null {
  if (data.kind !== 'text') return null
  try {
    const builtin = builtinCorpusOf(data.file)
    const text = builtin ? `the built-in text, ${BUILTIN_CORPORA[builtin].title}` : data.file
    if (data.file === 'builtin') return { vocab: BUILTIN_TEXT_VOCAB, text }
    return { vocab: textCounts(loadTextSource(data.file)).vocab, text }
  } catch (e) {
    throw new InputError('data', `--data text:${data.file}: ${errorMessage(e)}`)
  }
}

/**
 * A spec as it would train on `vocab`'s text: a language model's vocabulary layers sized by it (withVocab, the editor's
 * own step), anything else as it is. A spec that fixes its own vocab is still resized: a run sets it from the text.
 */
export function sizedFor(spec: unknown, vocab: TextVocab | null): unknown {
  const s = spec as Partial<NetSpec> | null
  if (vocab === null || typeof s !== 'object' || s === null || s.task !== 'language-model') return spec
  return withVocab(s as NetSpec, vocab.vocab)
}

/** What a language model's count includes: "with the vocabulary layers sized for the 74 distinct characters of …". */
function vocabNote(vocab: TextVocab): string {
  return `with the vocabulary layers sized for the ${thousands(vocab.vocab)} distinct characters of ${vocab.text}`
}

export function presetsCommand(argv: readonly string[], out: Output): number {
  const p = parseArgs(argv, PRESETS_FLAGS, 'presets')
  if (p.positionals.length > 0) throw new UsageError('"presets" takes no arguments')
  // A language model's count is the one a run on its default text trains (the built-in one), as the editor shows it:
  // without a text its embedding and output layers were left out (char-lstm 328,704 of 352,458).
  const builtin = textVocabFor({ kind: 'text', file: 'builtin' })!
  let sized = false
  for (const preset of PRESETS) {
    const lm = preset.spec.task === 'language-model' && preset.spec.vocab === undefined
    sized ||= lm
    const report = validateSpec(lm ? sizedFor(preset.spec, builtin) : preset.spec)
    out.event('preset', { id: preset.id, title: preset.title, kind: preset.kind, params: report.totalParams, ...(lm ? { vocab: builtin.vocab, vocabFrom: 'text:builtin' } : {}), defaults: preset.defaults, spec: preset.spec },
      `${preset.id.padEnd(18)} ${thousands(report.totalParams).padStart(11)} params${lm ? '*' : ' '} ${preset.title.en}`)
  }
  out.event('done', { count: PRESETS.length },
    (sized ? `\n* ${vocabNote(builtin)}, the text they train on by default; another text (--data text:FILE) changes the count` : '') +
    `\n${PRESETS.length} presets; train one with: npm run lab -- train --preset ID`)
  return 0
}

export async function validateCommand(argv: readonly string[], out: Output): Promise<number> {
  const p = parseArgs(argv, VALIDATE_FLAGS, 'validate')
  if (p.positionals.length !== 1) throw new UsageError('validate needs exactly one file: npm run lab -- validate SPEC.json')
  const path = p.positionals[0]
  const raw = readJsonFile(path, 'spec')
  const data = parseData(str(p, 'data'), (typeof raw === 'object' && raw !== null ? raw : {}) as NetSpec)
  // a language model is checked with the vocabulary of the text it would train on (--data, the built-in one by default)
  const vocab = (raw as Partial<NetSpec> | null)?.task === 'language-model' ? textVocabFor(data) : null
  const checked = validateSpec(sizedFor(raw, vocab))
  const aboutData = [dataKindIssue(raw, data), await idxFolderIssue(data, raw)].filter((i) => i !== null)
  const report = { ...checked, issues: [...classIssuesFor(checked.issues, data, data.kind === 'idx' ? idxLabelsUsed(data.dir) : null), ...aboutData] }
  if (out.json) {
    const sizedBy = vocab && data.kind === 'text' ? { vocab: vocab.vocab, vocabFrom: `text:${data.file}` } : {}
    out.event(report.ok ? 'done' : 'error', report.ok ? { report, ...sizedBy } : { code: 'invalid-spec', message: `${path} is not a valid network`, report, ...sizedBy })
  } else {
    for (const l of report.layers) {
      const shape = l.outShape ? `(${l.outShape.join(', ')})` : '?'
      // a count that follows a shape not known (an error at or before the layer) is '?', as the editor's "—" (Q7's F1)
      out.say(`${l.name.padEnd(12)} ${l.type.padEnd(20)} → ${shape.padEnd(16)} ${(l.paramsUnknown ? '?' : thousands(l.params)).padStart(11)} params`)
    }
    // a total that would leave some out is not said as a number
    const params = report.paramsUnknown ? `? parameters (${thousands(report.totalParams)} known)` : `${thousands(report.totalParams)} parameters`
    const macs = report.macsUnknown ? `? multiply-adds per example (${thousands(report.totalMacs)} known)` : `${thousands(report.totalMacs)} multiply-adds per example`
    out.say(`total ${params}, ${macs}` + (vocab ? `, ${vocabNote(vocab)}` : ''))
    for (const line of issueLines(report)) {
      if (line.startsWith('error')) out.io.err(line)
      else out.io.out(line)
    }
    out.say(report.ok ? `${path} is a valid network` : `${path} is not a valid network: fix the errors above`)
  }
  return report.ok ? 0 : 1
}
