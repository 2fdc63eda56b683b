/**
 * `lab evaluate`: scores trained models on a held-out set — the built-in digits' held-out 2,000, an IDX folder's
 * t10k files, or a text's last tenth — with the trainer's own evaluation (train/evaluate.ts), so the numbers are the
 * ones the app shows after an epoch: loss and accuracy, a classifier's confusion matrix and per-class accuracy, a
 * language model's perplexity, an autoencoder's reconstruction loss. Several files at once (a teacher's folder of
 * hand-ins: safetensors files or .bplab projects) print one line each and a table; a file that cannot be scored is
 * reported on its line, the others are still scored, and the exit code is then 1.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DataSource } from '../protocol'
import type { NetSpec } from '../spec-types'
import { IMAGE_TEST_FRACTION } from '../data/dataset'
import { builtinCorpusOf } from '../data/files'
import { loadTrainData, specForData, type TrainData } from '../train/data'
import { evaluate, type Evaluation } from '../train/evaluate'
import { asExamples } from '../train/examples'
import { errorMessage } from '../train/errors'
import { parseArgs, positive, str, UsageError, type FlagKind } from './args'
import { InputError } from './spec-source'
import { Output, pct } from './output'
import { loadModel, readWeights, specFor, type WeightsFile } from './model-file'
import { dataLoadMessage, parseData, refuseIdxShape } from './train'

export const EVALUATE_FLAGS: Record<string, FlagKind> = {
  weights: 'string', data: 'string', spec: 'string', 'test-fraction': 'string', json: 'switch', help: 'switch'
}

/**
 * Examples per evaluation chunk: the file's batch size, at most the default batch (the results do not depend on it). A
 * project trained with batches of 4,096 evaluated 4,096 examples at once, every layer's activations for all of them
 * in engine memory (a large network's hundreds of MB), where 100 at a time score the same in a fortieth of it.
 */
export const EVAL_CHUNK_MAX = 100

/** One model's scores on its held-out set. */
export interface Score {
  file: string
  network: string
  task: 'classify' | 'language-model' | 'reconstruct'
  data: string
  examples: number
  loss: number
  acc: number | null
  perplexity?: number
  reconstructionLoss?: number
  reconstructionMse?: number
  confusion?: { classes: number; counts: number[] }
  /** Per true class: the share of its examples classified right (null for a class with none held out). */
  perClass?: (number | null)[]
}

export async function evaluateCommand(argv: readonly string[], out: Output): Promise<number> {
  const p = parseArgs(argv, EVALUATE_FLAGS, 'evaluate')
  const first = str(p, 'weights')
  // `--weights a.bplab b.safetensors …` (or a shell glob): the files after the first are positionals
  if (first === undefined) throw new UsageError('evaluate needs --weights FILE (a .safetensors file or a .bplab project; several may follow, e.g. --weights handins/*.bplab)')
  const files = [first, ...p.positionals]
  const testFraction = positive(p, 'test-fraction')
  if (testFraction !== undefined && testFraction >= 1) throw new UsageError(`--test-fraction must be between 0 and 1, got ${testFraction}`)
  const dataFlag = str(p, 'data')
  // a --data the command cannot read is the command's usage error, said once, not once per file
  if (dataFlag !== undefined) parseData(dataFlag, { input: [1], layers: [] })

  if (files.length === 1) {
    // one file: its failure is the command's (error event, exit 1), its success the full report
    const score = scoreFile(files[0], p, dataFlag, testFraction)
    printScore(out, score, true)
    out.event('done', { count: 1, failed: 0 }, undefined)
    return 0
  }
  const scores: (Score | { file: string; code: string; message: string })[] = []
  for (const file of files) {
    try {
      const s = scoreFile(file, p, dataFlag, testFraction)
      scores.push(s)
      printScore(out, s, false)
    } catch (e) {
      // anything about one file (unreadable, damaged, no spec inside it, another network's) is its line's
      const code = e instanceof InputError || e instanceof UsageError ? e.code : 'failed'
      const failure = { file, code, message: errorMessage(e) }
      scores.push(failure)
      out.event('failed', failure, `${file}: not scored: ${failure.message}`)
    }
  }
  const failed = scores.filter((s) => !('loss' in s)).length
  out.say('')
  out.say(table(scores))
  out.event('done', { count: files.length, failed }, failed === 0 ? `${files.length} files scored` : `${files.length - failed} of ${files.length} files scored; ${failed} could not be (see above)`)
  return failed === 0 ? 0 : 1
}

/** Reads one file, loads its held-out data and evaluates it. Throws InputError (what is wrong, what to do). */
export function scoreFile(path: string, p: ReturnType<typeof parseArgs>, dataFlag: string | undefined, testFraction: number | undefined): Score {
  const file = readWeights(path)
  const V = file.vocab?.chars.length
  const { spec: raw, fit } = specFor(p, path, file, (r: unknown) => {
    const s = r as { task?: unknown; vocab?: unknown }
    return s && typeof s === 'object' && s.task === 'language-model' && s.vocab === undefined && V !== undefined ? { ...s, vocab: V } : r
  })
  const { source, carried } = dataSource(dataFlag, file, raw)
  const fraction = testFraction ?? file.project?.settings.testFraction ?? IMAGE_TEST_FRACTION
  // an IDX folder named by --data or by the project: as train and the lab's Start judge it, its images' size first
  const flag = dataFlag === undefined ? 'the data it trained on, ' : '--data '
  let data: TrainData
  try {
    refuseIdxShape(source, raw, flag)
    data = loadTrainData(source, fraction, raw)
  } catch (e) {
    const hint = dataFlag === undefined && file.project ? 'Give the data it was trained on with --data (mnist, idx:DIR or text:FILE).' : undefined
    throw e instanceof InputError ? e : new InputError('data', dataLoadMessage(source, e, flag), hint)
  } finally {
    if (carried) rmSync(carried.dir, { recursive: true, force: true })
  }
  // a carried text is named as the student uploaded it, not by the folder it was read from
  if (carried && source.kind === 'text') data = { ...data, description: data.description.replace(source.file, `${carried.name} (carried in the project)`) }
  if (raw.task === 'language-model') sameVocabulary(path, file, data)
  const spec = specForData(raw, data)
  const model = loadModel(spec, file, path, fit)
  const chunk = evalChunk(file.project?.settings.batchSize, data.train.n)
  let ev: Evaluation
  try {
    ev = run(evaluate(model, asExamples(data.test), chunk))
  } catch (e) {
    throw new InputError('evaluate', `${path} could not be evaluated: ${errorMessage(e)}`)
  } finally {
    // its engine memory back before the next file: a batch runs without a turn of the event loop, so the garbage
    // collector's return of the blocks (kernels/wasm/memory.ts) never came, and each hand-in cut blocks of its own
    model.release()
  }
  return scoreOf(path, spec, data, ev)
}

/** The evaluation chunk for a file trained with batches of `batchSize` (unknown: the default) on `trainExamples`. */
export function evalChunk(batchSize: number | undefined, trainExamples: number): number {
  return Math.max(1, Math.min(batchSize ?? EVAL_CHUNK_MAX, EVAL_CHUNK_MAX, trainExamples))
}

/**
 * --data, else what a project says it trained on (its carried text first), else the built-in digits or text. A carried
 * text is read from a file of its own in a temporary folder (`carried.dir`, removed once it is read), as any text is.
 */
function dataSource(flag: string | undefined, file: WeightsFile, spec: NetSpec): { source: DataSource; carried?: { dir: string; name: string } } {
  if (flag !== undefined) return { source: parseData(flag, spec) }
  const project = file.project
  if (project?.text && spec.task === 'language-model') {
    // the uploaded text the project carries (text.txt): the teacher need not have it
    const dir = mkdtempSync(join(tmpdir(), 'lab-evaluate-'))
    const textPath = join(dir, 'text.txt')
    writeFileSync(textPath, project.text.bytes)
    return { source: { kind: 'text', file: textPath }, carried: { dir, name: project.text.fileName } }
  }
  const named = project?.settings.data
  // a hand-in names a path of the student's computer: here it may be a device or a pipe (/dev/zero, /dev/stdin), which
  // reading as a text would fill the memory or wait for ever, ending the whole batch; the host refuses it at Start too
  if (named?.kind === 'text' && builtinCorpusOf(named.file) === null && !regularOrMissing(named.file)) {
    throw new InputError('data', `the project trained on the text ${named.file}, which on this computer is not a text file`, 'Give the text it was trained on with --data text:FILE.')
  }
  return { source: named ?? parseData(undefined, spec) }
}

/** Whether `path` is a regular file, or nothing (which the text's reader says in its words). */
function regularOrMissing(path: string): boolean {
  try {
    return statSync(path).isFile()
  } catch {
    return true
  }
}

/** A language model scores only on a text of its own vocabulary: another's ids would be other characters. */
function sameVocabulary(path: string, file: WeightsFile, data: TrainData): void {
  const mine = file.vocab?.chars
  const theirs = data.chars ?? []
  if (mine === undefined) return
  if (mine.length !== theirs.length || mine.some((c, i) => c !== theirs[i])) {
    const other = mine.length === theirs.length ? `the same number in another order` : `this one has ${theirs.length}`
    throw new InputError('other-text', `${path} was trained on a text of ${mine.length} distinct characters, ${other}: its ids would be read as other characters`,
      'Give the text it was trained on with --data text:FILE.')
  }
}

/** Runs a generator to its end (the trainer yields between chunks to its event loop; here nothing waits). */
function run<T>(g: Generator<unknown, T, void>): T {
  for (;;) {
    const r = g.next()
    if (r.done) return r.value
  }
}

function scoreOf(file: string, spec: NetSpec, data: TrainData, ev: Evaluation): Score {
  const task = spec.task ?? 'classify'
  const s: Score = { file, network: spec.name ?? 'network', task, data: data.description, examples: data.test.n, loss: ev.loss, acc: ev.acc }
  if (task === 'language-model') s.perplexity = Math.exp(ev.loss)
  if (task === 'reconstruct') {
    s.reconstructionLoss = ev.loss
    if (ev.mse !== undefined) s.reconstructionMse = ev.mse
  }
  if (ev.confusion) {
    s.confusion = ev.confusion
    s.perClass = perClass(ev.confusion)
  }
  return s
}

/** Row i of the confusion matrix (true class i): the share on its diagonal; null for a class with no examples. */
export function perClass(c: { classes: number; counts: number[] }): (number | null)[] {
  const K = c.classes
  return Array.from({ length: K }, (_, i) => {
    let row = 0
    for (let j = 0; j < K; j++) row += c.counts[i * K + j]
    return row === 0 ? null : c.counts[i * K + i] / row
  })
}

/** The headline of a score, as the training page says it for that kind of model. */
function headline(s: Score): string {
  if (s.task === 'reconstruct') return `reconstruction loss ${s.loss.toFixed(4)}` + (s.reconstructionMse === undefined ? '' : `, MSE ${s.reconstructionMse.toFixed(4)}`)
  const acc = `loss ${s.loss.toFixed(4)}, accuracy ${pct(s.acc)}`
  return s.perplexity === undefined ? acc : `${acc} (per character), perplexity ${s.perplexity.toFixed(2)}`
}

function printScore(out: Output, s: Score, full: boolean): void {
  const text = [`${s.file} (${s.network}): held-out ${headline(s)}  (${s.data})`]
  if (full && s.confusion && s.perClass) text.push('', confusionText(s.confusion, s.perClass))
  out.event('score', { ...s }, text.join('\n'))
}

/** The confusion matrix (rows: true class, columns: predicted) with each row's accuracy at its end. */
export function confusionText(c: { classes: number; counts: number[] }, per: (number | null)[]): string {
  const K = c.classes
  const w = Math.max(4, ...c.counts.map((n) => String(n).length + 1))
  const cell = (v: string): string => v.padStart(w)
  const lines = ['confusion matrix (rows: true class, columns: predicted)', cell('') + Array.from({ length: K }, (_, j) => cell(String(j))).join('') + '   accuracy']
  for (let i = 0; i < K; i++) {
    const row = Array.from({ length: K }, (_, j) => cell(String(c.counts[i * K + j]))).join('')
    lines.push(cell(String(i)) + row + '   ' + (per[i] === null ? '–' : pct(per[i])))
  }
  return lines.join('\n')
}

/** The batch's table: one row per file, its main figure, or that it was not scored. */
function table(rows: (Score | { file: string; code: string; message: string })[]): string {
  const w = Math.max(4, ...rows.map((r) => r.file.length))
  const lines = [`${'file'.padEnd(w)}  ${'network'.padEnd(16)}  ${'loss'.padStart(8)}  ${'accuracy'.padStart(8)}  other`]
  for (const r of rows) {
    if (!('loss' in r)) {
      lines.push(`${r.file.padEnd(w)}  not scored (${r.code})`)
      continue
    }
    const other = r.perplexity !== undefined ? `perplexity ${r.perplexity.toFixed(2)}` : r.reconstructionMse !== undefined ? `MSE ${r.reconstructionMse.toFixed(4)}` : ''
    lines.push(`${r.file.padEnd(w)}  ${r.network.slice(0, 16).padEnd(16)}  ${r.loss.toFixed(4).padStart(8)}  ${(r.acc === null ? '–' : pct(r.acc)).padStart(8)}  ${other}`.trimEnd())
  }
  return lines.join('\n')
}
