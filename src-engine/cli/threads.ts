/**
 * --threads N for the command line: N − 1 data-parallel replica threads started from the CLI's
 * own bundle (which routes workerData.role 'replica'), or 1 thread with a note when no such
 * entry is known (the command line run from sources, as in some tests).
 *
 * Before any thread starts, the count is held to the page's two rules: more threads than the
 * network's memory estimate allows are refused with the count that fits (spec-lint.ts threadsOver,
 * the host's rule at Start), and more threads than the computer has cores are allowed with a
 * warning, as the training page notes it: each extra thread waits for a core the others hold
 * (Q2's G1: 99 threads on 2 cores made a 0.8 s epoch take 221 s, without a word).
 */
import { availableParallelism } from 'node:os'
import type { Trainer } from '../train/trainer'
import { startThreads } from '../train/threads'
import type { DataParallel } from '../train/data-parallel'
import { threadsOver, type ThreadsOver } from '../spec-lint'
import type { SpecReport } from '../spec-types'
import { UsageError } from './args'
import { thousands, type Output } from './output'

export interface Threads { used: number; close(): Promise<void> }

/**
 * The warning for `requested` threads on a computer of `cores` cores, or null when they fit. Said on stderr (with
 * --json too, so stdout stays JSON lines) and, with --json, also as a "warning" event a program reading stdout sees.
 */
export function coresWarning(requested: number, cores: number): string | null {
  if (!(cores >= 1) || requested <= cores) return null
  const has = `this computer has ${cores} core${cores === 1 ? '' : 's'}`
  return `warning: --threads ${requested}, but ${has}: more threads than cores make training slower, not faster ` +
    `(each waits for a core the others hold); use --threads ${cores}`
}

/**
 * Why `threads` threads are refused for the network's memory (the host's refuseThreads words the same facts for the
 * page), as one line with the count to use. When the computer has fewer cores than the count that fits, that count is
 * the cores', and the line says so: the refusal after the cores warning were two lines naming two counts ("use
 * --threads 2", then "use --threads 40 or fewer"), the second of them too many for this computer.
 */
export function threadsRefusal(over: ThreadsOver, cores: number): string {
  const { threads, needs, limit, fits } = over
  const coresFewer = cores >= 1 && cores < fits
  const use = coresFewer ? `${cores}` : fits === 1 ? '1' : `${fits} or fewer`
  return `on ${threads} threads this network needs about ${thousands(needs)} MB (every thread keeps its own copy of the weights ` +
    `and their gradients), more than the ${thousands(limit)} MB limit${coresFewer ? `, and this computer has ${cores} core${cores === 1 ? '' : 's'}` : ''}; use --threads ${use}`
}

/**
 * Holds --threads to the page's two rules, with one line for them: a count whose copies of the weights do not fit is
 * refused (threadsRefusal, exit 2), else one above the cores is warned about (warnOverCores). `report`: the spec as it
 * trains (a language model's vocabulary set from its text); `requested`: the threads the run would use (1 for a
 * stateful one, which says nothing about the cores).
 */
export function checkThreads(report: SpecReport, requested: number, out: Output, cores = availableParallelism()): void {
  const over = threadsOver(report.memoryBytes ?? 0, report.totalParams, requested)
  if (over) throw new UsageError(threadsRefusal(over, cores))
  warnOverCores(requested, out, cores)
}

/** Says coresWarning's warning, if any; `cores`: the computer's count. */
function warnOverCores(requested: number, out: Output, cores: number): void {
  const warning = coresWarning(requested, cores)
  if (warning === null) return
  out.io.err(warning)
  if (out.json) out.event('warning', { code: 'threads-over-cores', threads: requested, cores, message: warning.replace(/^warning: /, '') })
}

/** Splits the trainer's batches across `requested` threads when possible. */
export async function attachThreads(trainer: Trainer, requested: number, out: Output): Promise<Threads> {
  let dp: DataParallel | null = null
  if (requested > 1 && trainer.settings.stateful === true) {
    // stateful training carries the state on one thread (as the app's session.ts does): replicas would sit idle
    out.event('warning', { message: `--threads ${requested}: stateful training runs on 1 thread` },
      `note: --threads ${requested} asked for, but stateful training carries its state on 1 thread; training on 1 thread`)
  } else if (requested > 1 && out.replicaEntry === null) {
    out.event('warning', { message: `--threads ${requested}: no thread entry is available here; training on 1 thread` },
      `note: --threads ${requested} asked for, but no thread entry is available here; training on 1 thread`)
  } else if (requested > 1 && out.replicaEntry !== null) {
    dp = await startThreads(trainer, requested, out.replicaEntry)
  }
  return { used: dp ? requested : 1, close: async () => { await dp?.close() } }
}
