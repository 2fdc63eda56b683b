/**
 * `lab train`: trains a preset or a spec on the built-in digits or an IDX folder, printing one
 * line (or JSON event) per epoch, and optionally saves the weights as safetensors with the spec.
 */
import { writeFileSync } from 'node:fs'
import type { DataSource, EpochReport, OptimizerName } from '../protocol'
import type { NetSpec } from '../spec-types'
import { validateSpec } from '../spec'
import { Trainer } from '../train/trainer'
import { loadTrainData, specForData } from '../train/data'
import { withTrainSize } from '../data/train-size'
import { idxFolderMessage, idxFolderProblem, idxShapeProblem } from '../data/idx-folder'
import { errorMessage } from '../train/errors'
import { encodeWeightsFile } from './weights-file'
import { has, int, nonNegative, parseArgs, positive, str, UsageError, type FlagKind } from './args'
import { specFromFlags, InputError } from './spec-source'
import { attachThreads, checkThreads } from './threads'
import { Output, pct, thousands } from './output'

export const TRAIN_FLAGS: Record<string, FlagKind> = {
  preset: 'string', spec: 'string', data: 'string', epochs: 'string', batch: 'string', optimizer: 'string',
  lr: 'string', seed: 'string', threads: 'string', out: 'string', 'weight-decay': 'string', clip: 'string',
  'test-fraction': 'string', 'train-size': 'string', stateful: 'switch', json: 'switch', help: 'switch'
}

const OPTIMIZERS: OptimizerName[] = ['SGD', 'Momentum', 'Nesterov', 'AdaGrad', 'RMSProp', 'Adam']

/** "mnist" | "idx:DIR" | "text:FILE" | "text:builtin" → DataSource; absent: digits, or the built-in text for a language model. */
export function parseData(v: string | undefined, spec: NetSpec): DataSource {
  if (v === undefined) return spec.task === 'language-model' ? { kind: 'text', file: 'builtin' } : { kind: 'mnist' }
  if (v === 'mnist') return { kind: 'mnist' }
  if (v.startsWith('idx:') && v.length > 4) return { kind: 'idx', dir: v.slice(4) }
  if (v.startsWith('text:') && v.length > 5) return { kind: 'text', file: v.slice(5) }
  throw new UsageError(`--data must be "mnist" (the built-in digits), "idx:DIR" (a folder of MNIST-format IDX files) or "text:FILE" (a UTF-8 text; text:builtin for the shipped one), got "${v}"`)
}

/**
 * Images whose height × width the network does not take, refused before the data loads as the lab's Start refuses
 * them, where a run fed 56 × 14 images to a (1, 28, 28) network as if they were 28 × 28 (data/idx-folder.ts
 * idxShapeProblem; train, and evaluate, which scored them so). `flag`: how the message names the data ("--data ").
 */
export function refuseIdxShape(source: DataSource, spec: NetSpec, flag: string): void {
  if (source.kind !== 'idx') return
  const shape = idxShapeProblem(source.dir, spec.input, spec.task)
  if (shape) throw new InputError('data', `${flag}idx:${source.dir}: ${idxFolderMessage(shape)}`)
}

/**
 * Why data did not load: an IDX folder's problem as the lab's Start names it (data/idx-folder.ts idxFolderProblem: a
 * .gz cut short, a file of float32 values, a count the labels do not match…), else the reader's own words. The folder
 * is judged only after its reader failed, so data that loads is not read twice.
 */
export function dataLoadMessage(source: DataSource, e: unknown, flag: string): string {
  const problem = source.kind === 'idx' ? idxFolderProblem(source.dir) : null
  return problem && source.kind === 'idx' ? `${flag}idx:${source.dir}: ${idxFolderMessage(problem)}` : errorMessage(e)
}

/** Case-insensitive optimizer name → its canonical spelling. */
export function parseOptimizer(v: string | undefined): OptimizerName | undefined {
  if (v === undefined) return undefined
  const hit = OPTIMIZERS.find((o) => o.toLowerCase() === v.toLowerCase())
  if (!hit) throw new UsageError(`--optimizer must be one of ${OPTIMIZERS.join(', ')}, got "${v}"`)
  return hit
}

export async function trainCommand(argv: readonly string[], out: Output): Promise<number> {
  const p = parseArgs(argv, TRAIN_FLAGS, 'train')
  if (p.positionals.length > 0) throw new UsageError(`"train" takes no positional arguments (got ${p.positionals.join(' ')}); use --spec FILE or --preset NAME`)
  const src = specFromFlags(str(p, 'preset'), str(p, 'spec'))
  const d = src.defaults
  const settings = {
    optimizer: parseOptimizer(str(p, 'optimizer')) ?? d?.optimizer ?? 'Adam',
    lr: positive(p, 'lr') ?? d?.lr ?? 0.001,
    batchSize: int(p, 'batch', 1) ?? d?.batchSize ?? 100,
    epochs: int(p, 'epochs', 1) ?? d?.epochs ?? 5,
    weightDecay: nonNegative(p, 'weight-decay') ?? 0,
    clip: nonNegative(p, 'clip') ?? d?.clip ?? 0,
    seed: int(p, 'seed', 0) ?? 1,
    ...(has(p, 'stateful') ? { stateful: true } : {}),
    // the page's "Training examples" (data/train-size.ts): the same examples for the same number
    ...(has(p, 'train-size') ? { trainSize: int(p, 'train-size', 1) } : {})
  }
  const threads = int(p, 'threads', 1) ?? 1
  const testFraction = positive(p, 'test-fraction')
  if (testFraction !== undefined && testFraction >= 1) throw new UsageError(`--test-fraction must be between 0 and 1, got ${testFraction}`)
  const source = parseData(str(p, 'data'), src.spec)
  if (settings.trainSize !== undefined && source.kind === 'text') throw new UsageError(`--train-size is for image data (the digits or an IDX folder): a text trains on all of its windows; leave --train-size out`)
  const outPath = str(p, 'out')
  // a stateful run trains on 1 thread whatever --threads says (attachThreads notes it): no count to advise. The count is
  // judged as the command starts, before the data loads, unless a language model's size waits for its text's vocabulary
  const threadsUsed = settings.stateful === true ? 1 : threads
  const sizedNow = src.spec.task !== 'language-model'
  if (sizedNow) checkThreads(src.report, threadsUsed, out)

  refuseIdxShape(source, src.spec, '--data ')
  let data
  try {
    data = loadTrainData(source, testFraction, src.spec)
  } catch (e) {
    throw new InputError('data', dataLoadMessage(source, e, '--data '))
  }
  try {
    data = withTrainSize(data, settings.trainSize, settings.batchSize)
  } catch (e) {
    throw new UsageError(`--train-size ${settings.trainSize}: ${errorMessage(e)}`)
  }
  const spec = specForData(src.spec, data)
  // before the trainer and its threads exist: a count whose copies of the weights do not fit is refused, as at Start
  if (!sizedNow) checkThreads(validateSpec(spec), threadsUsed, out)
  let lastProgress = performance.now()
  const trainer = new Trainer({ spec, settings, data, snapshotEveryMs: 0 }, (e) => {
    if (e.type === 'epoch') printEpoch(out, e.report, settings.epochs)
    else if (e.type === 'batch' && performance.now() - lastProgress > 1000) {
      lastProgress = performance.now()
      const b = e.point
      out.progress(`epoch ${b.epoch}/${settings.epochs}  batch ${b.batch}/${b.batches}  loss ${b.loss.toFixed(4)}  ${Math.round(b.examplesPerSec)} images/s`)
    }
  })
  const pool = await attachThreads(trainer, threads, out)
  try {
    return await train(trainer, src.label, data.description, pool.used, outPath, out, data.chars)
  } finally {
    await pool.close()
  }
}

async function train(trainer: Trainer, label: string, description: string, threads: number, outPath: string | undefined, out: Output, chars?: readonly string[]): Promise<number> {
  const settings = trainer.settings
  const { train: tr, test } = trainer.data
  out.event('start', { network: label, params: trainer.model.paramCount, data: description, train: tr.n, test: test.n, ...settings, threads },
    `Training ${label} (${thousands(trainer.model.paramCount)} parameters) on ${description}\n` +
    `${settings.optimizer}, learning rate ${settings.lr}, batch ${settings.batchSize}, ${settings.epochs} epoch${settings.epochs === 1 ? '' : 's'}, ` +
    `seed ${settings.seed}, ${threads} thread${threads === 1 ? '' : 's'}`)

  const started = performance.now()
  const outcome = await trainer.run()
  const seconds = (performance.now() - started) / 1000
  if (outcome.state === 'failed') {
    out.error('diverged', outcome.message ?? 'training diverged', 'Lower the learning rate with --lr and train again.')
    return 1
  }
  if (outPath !== undefined) {
    try {
      writeFileSync(outPath, encodeWeightsFile(trainer.model, chars ? { chars } : undefined))
    } catch (e) {
      throw new InputError('write', `cannot write the weights to ${outPath}: ${errorMessage(e)}`)
    }
  }
  const last = outcome.reports[outcome.reports.length - 1]
  const rec = last.reconstructionLoss === undefined ? {} : { reconstructionLoss: last.reconstructionLoss, reconstructionMse: last.reconstructionMse }
  const result = last.reconstructionLoss === undefined
    ? `held-out accuracy ${pct(last.testAcc)}`
    : `held-out reconstruction loss ${last.reconstructionLoss.toFixed(4)}` + (last.reconstructionMse === undefined ? '' : `, MSE ${last.reconstructionMse.toFixed(4)}`)
  out.event('done', { epochs: outcome.reports.length, testLoss: last.testLoss, testAcc: last.testAcc, ...rec, seconds, ...(outPath ? { out: outPath } : {}) },
    `Done in ${seconds.toFixed(1)} s: ${result}` + (outPath ? `\nSaved the weights (with the spec) to ${outPath}` : ''))
  return 0
}

/**
 * The training accuracy to compare with the held-out one: measured after the epoch in inference mode on a sample of the
 * training examples (train/train-sample.ts), as the page shows it; the running mean over the epoch's batches (dropout on,
 * weights changing) beside it, named.
 */
function trainAccText(r: EpochReport): string {
  return r.trainEvalAcc == null ? pct(r.trainAcc) : `${pct(r.trainEvalAcc)} (during the epoch ${pct(r.trainAcc)})`
}

function printEpoch(out: Output, r: EpochReport, epochs: number): void {
  const w = String(epochs).length
  const ppl = r.perplexity === undefined ? {} : { perplexity: r.perplexity }
  const rec = r.reconstructionLoss === undefined ? {} : { reconstructionLoss: r.reconstructionLoss, reconstructionMse: r.reconstructionMse }
  // An autoencoder has no accuracy: its line says how well it redraws the held-out digits instead.
  const scores = r.reconstructionLoss === undefined
    ? `train loss ${r.trainLoss.toFixed(4)} acc ${trainAccText(r)}  held-out loss ${r.testLoss.toFixed(4)} acc ${pct(r.testAcc)}`
    : `train loss ${r.trainLoss.toFixed(4)}  held-out reconstruction loss ${r.reconstructionLoss.toFixed(4)}` +
      (r.reconstructionMse === undefined ? '' : ` MSE ${r.reconstructionMse.toFixed(4)}`)
  out.event('epoch', { epoch: r.epoch, trainLoss: r.trainLoss, trainAcc: r.trainAcc, trainEvalAcc: r.trainEvalAcc ?? null, testLoss: r.testLoss, testAcc: r.testAcc, ...ppl, ...rec, seconds: r.seconds },
    `epoch ${String(r.epoch).padStart(w)}/${epochs}  ${scores}` + (r.perplexity === undefined ? '' : ` perplexity ${r.perplexity.toFixed(2)}`) +
      `  ${r.seconds.toFixed(1)} s`)
}
