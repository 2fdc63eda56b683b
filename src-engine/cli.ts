/**
 * The engine's command line (bundled as out/main/engine-cli.js; `npm run lab -- …` runs it).
 * Everything happens in cli/run.ts; this entry wires it to the process.
 */
import { runCli } from './cli/run'

runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`)
}).then(
  (code) => {
    process.exitCode = code
  },
  (e: unknown) => {
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`)
    process.exitCode = 1
  }
)
