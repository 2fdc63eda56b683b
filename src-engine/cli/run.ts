/**
 * The command line's dispatcher: `runCli(argv, io)` returns the exit code. Expected failures
 * (bad flags, invalid specs, unreadable files, weights of another network, divergence) print a
 * message saying what is wrong and what to do — never a stack trace.
 */
import { UsageError } from './args'
import { InputError } from './spec-source'
import { Output, type CliIO } from './output'
import { errorMessage } from '../train/errors'
import { HELP, COMMAND_HELP } from './help'

type Command = (argv: readonly string[], out: Output) => number | Promise<number>

async function load(name: string): Promise<Command | null> {
  switch (name) {
    case 'presets': return (await import('./inspect')).presetsCommand
    case 'validate': return (await import('./inspect')).validateCommand
    case 'train': return (await import('./train')).trainCommand
    case 'predict': return (await import('./predict')).predictCommand
    case 'generate': return (await import('./generate')).generateCommand
    case 'bench': return (await import('./bench')).benchCommand
    case 'export': return (await import('./export')).exportCommand
    case 'evaluate': return (await import('./evaluate')).evaluateCommand
    default: return null
  }
}

/** Runs one command line; resolves to the process exit code (0 ok, 1 failure, 2 usage error). */
export async function runCli(argv: readonly string[], io: CliIO, opts: { replicaEntry?: string } = {}): Promise<number> {
  const json = argv.includes('--json')
  const out = new Output(io, json, opts.replicaEntry ?? null)
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(HELP)
    return name === undefined ? 2 : 0
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    const text = COMMAND_HELP[name]
    if (text) {
      io.out(text)
      return 0
    }
  }
  try {
    const command = await load(name)
    if (!command) throw new UsageError(`unknown command "${name}"; the commands are presets, validate, train, predict, evaluate, generate, export and bench (npm run lab -- --help)`)
    return await command(rest, out)
  } catch (e) {
    if (e instanceof UsageError) {
      out.error('usage', e.message)
      return 2
    }
    if (e instanceof InputError) {
      out.error(e.code, e.message, e.hint)
      return 1
    }
    out.error('failed', errorMessage(e))
    return 1
  }
}
