/**
 * `lab bench`: training throughput (images/s) of a preset on the built-in digits — a few warm-up
 * batches, then the mean over timed batches (forward, backward and optimizer update).
 */
import { Trainer } from '../train/trainer'
import { loadTrainData, specForData } from '../train/data'
import { validateSpec } from '../spec'
import { int, parseArgs, positive, str, UsageError, type FlagKind } from './args'
import { specFromFlags } from './spec-source'
import { parseOptimizer } from './train'
import { attachThreads, checkThreads } from './threads'
import { Output, thousands } from './output'

export const BENCH_FLAGS: Record<string, FlagKind> = {
  preset: 'string', spec: 'string', batch: 'string', optimizer: 'string', lr: 'string', batches: 'string',
  warmup: 'string', threads: 'string', seed: 'string', json: 'switch', help: 'switch'
}

export async function benchCommand(argv: readonly string[], out: Output): Promise<number> {
  const p = parseArgs(argv, BENCH_FLAGS, 'bench')
  if (p.positionals.length > 0) throw new UsageError(`"bench" takes no positional arguments (got ${p.positionals.join(' ')})`)
  const preset = str(p, 'preset') ?? (str(p, 'spec') === undefined ? 'simple-convnet' : undefined)
  const src = specFromFlags(preset, str(p, 'spec'))
  const batchSize = int(p, 'batch', 1) ?? 100
  const timed = int(p, 'batches', 1) ?? 30
  const warmup = int(p, 'warmup', 0) ?? 3
  const optimizer = parseOptimizer(str(p, 'optimizer')) ?? 'Adam'
  const threads = int(p, 'threads', 1) ?? 1
  // as train does: a measurement on more threads than cores measures their waiting; a language model once its text is read
  const sizedNow = src.spec.task !== 'language-model'
  if (sizedNow) checkThreads(src.report, threads, out)
  const data = loadTrainData(src.spec.task === 'language-model' ? { kind: 'text', file: 'builtin' } : { kind: 'mnist' }, undefined, src.spec)
  const epochs = Math.ceil(((warmup + timed) * batchSize) / data.train.n) + 1
  const spec = specForData(src.spec, data)
  if (!sizedNow) checkThreads(validateSpec(spec), threads, out)
  const trainer = new Trainer({
    spec, data, snapshotEveryMs: 0,
    settings: { optimizer, lr: positive(p, 'lr') ?? 0.001, batchSize, epochs, seed: int(p, 'seed', 0) ?? 1 }
  })
  const pool = await attachThreads(trainer, threads, out)
  try {
    return measure(trainer, src.label, pool.used, warmup, timed, out)
  } finally {
    await pool.close()
  }
}

function measure(trainer: Trainer, label: string, threads: number, warmup: number, timed: number, out: Output): number {
  const { batchSize, optimizer } = trainer.settings
  const work = trainer.work()
  const nextBatch = (): void => {
    for (;;) {
      const u = work.next()
      if (u.done) throw new Error('the benchmark ran out of batches')
      if (u.value === 'batch') return
    }
  }
  for (let i = 0; i < warmup; i++) nextBatch()
  let elapsed = 0
  // CPU time of this process (all its threads) beside wall time: on a busy machine wall time
  // mostly measures the other programs; images per CPU-second shows the engine's own cost.
  const cpu0 = process.cpuUsage()
  for (let i = 0; i < timed; i++) {
    // An epoch end inside the timed batches would add its evaluation; with the defaults none falls there.
    const t0 = performance.now()
    nextBatch()
    elapsed += performance.now() - t0
  }
  const cpu = process.cpuUsage(cpu0)
  const cpuSeconds = (cpu.user + cpu.system) / 1e6
  const images = timed * batchSize
  const imagesPerSec = images / (elapsed / 1000)
  const imagesPerCpuSec = images / cpuSeconds
  out.event('done', { network: label, batch: batchSize, optimizer, threads, batches: timed, seconds: elapsed / 1000, imagesPerSec, cpuSeconds, imagesPerCpuSec },
    `${label}: ${thousands(imagesPerSec)} images/s training (batch ${batchSize}, ${optimizer}, ${threads} thread${threads === 1 ? '' : 's'}, ${timed} timed batches); ` +
      `${thousands(imagesPerCpuSec)} images per CPU-second`)
  return 0
}
