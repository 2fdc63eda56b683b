/**
 * The engine's command line (bundled as out/main/engine-cli.js; `npm run lab -- …` runs it).
 * Everything happens in cli/run.ts; this entry wires it to the process. Started with
 * workerData.role 'replica', the same file is a data-parallel thread of `train --threads N`.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { fileURLToPath } from 'node:url'
import { runCli } from './cli/run'
import { runReplica } from './train/replica'

/** The exit status when stdout's reader has gone: a shell's for a process ended by SIGPIPE (128 + 13). */
const EPIPE_STATUS = 141

const self = typeof __filename !== 'undefined' ? __filename : fileURLToPath(import.meta.url)

if ((workerData as { role?: string } | null)?.role === 'replica') {
  runReplica(workerData, () => parentPort?.postMessage({ type: 'replica-ready' }))
} else {
  // Output piped into a reader that stops early (`| head -1`) makes the next write fail with EPIPE, which Node raises
  // as an 'error' event on the stream: unhandled, it ended the command with a stack trace (Q2's G4). The reader has
  // what it wanted, so the command ends at once and quietly, with the status a Unix tool stopped by SIGPIPE gives its
  // shell (128 + 13 = 141; Node ignores the signal itself). Nobody reads a closed stderr either: its EPIPE is dropped.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e
    process.exit(EPIPE_STATUS)
  })
  process.stderr.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e
  })
  runCli(process.argv.slice(2), {
    out: (line) => {
      if (process.stderr.isTTY) process.stderr.write('\r\x1b[K') // clear a progress line first
      process.stdout.write(`${line}\n`)
    },
    err: (line) => {
      if (process.stderr.isTTY) process.stderr.write('\r\x1b[K')
      process.stderr.write(`${line}\n`)
    },
    // Overwritten in place on a terminal; not printed at all when stderr is a file or a pipe.
    progress: process.stderr.isTTY ? (line) => process.stderr.write(`\r\x1b[K${line}`) : undefined
  }, { replicaEntry: self }).then(
    (code) => {
      process.exitCode = code
    },
    (e: unknown) => {
      process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`)
      process.exitCode = 1
    }
  )
}
