/**
 * Command-line flags: `--name value`, `--name=value` and switches like `--json`. Each command
 * declares its flags; anything else is a UsageError that says what is wrong and what to do.
 */

export class UsageError extends Error {
  readonly code = 'usage'
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

export type FlagKind = 'string' | 'int' | 'number' | 'switch'

export interface Parsed {
  positionals: string[]
  flags: Map<string, string | true>
}

/** Splits argv for `command`; `known` maps flag name (without --) to its kind. */
export function parseArgs(argv: readonly string[], known: Record<string, FlagKind>, command: string): Parsed {
  const positionals: string[] = []
  const flags = new Map<string, string | true>()
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (!a.startsWith('--') || a === '--') {
      if (a !== '--') positionals.push(a)
      continue
    }
    const eq = a.indexOf('=')
    const name = a.slice(2, eq < 0 ? undefined : eq)
    const kind = known[name]
    if (kind === undefined) {
      const names = Object.keys(known).map((k) => `--${k}`).join(', ')
      throw new UsageError(`unknown flag --${name} for "${command}"; it accepts ${names}. See: npm run lab -- ${command} --help`)
    }
    if (kind === 'switch') {
      if (eq >= 0) throw new UsageError(`--${name} is a switch and takes no value`)
      flags.set(name, true)
      continue
    }
    let value: string | undefined
    if (eq >= 0) value = a.slice(eq + 1)
    else {
      value = argv[i + 1]
      if (value === undefined || (value.startsWith('--') && value.length > 2)) throw new UsageError(`--${name} needs a value`)
      i++
    }
    if (flags.has(name)) throw new UsageError(`--${name} is given twice`)
    flags.set(name, value)
  }
  return { positionals, flags }
}

/** The string value of a flag, or undefined. */
export function str(p: Parsed, name: string): string | undefined {
  const v = p.flags.get(name)
  return typeof v === 'string' ? v : undefined
}

/** A whole number ≥ min from a flag, or undefined when absent. */
export function int(p: Parsed, name: string, min: number): number | undefined {
  const v = str(p, name)
  if (v === undefined) return undefined
  const n = Number(v)
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be a whole number of at least ${min}, got "${v}"`)
  return n
}

/** A positive number from a flag, or undefined when absent. */
export function positive(p: Parsed, name: string): number | undefined {
  const v = str(p, name)
  if (v === undefined) return undefined
  const n = Number(v)
  if (!(Number.isFinite(n) && n > 0)) throw new UsageError(`--${name} must be a positive number, got "${v}"`)
  return n
}

/** A number ≥ 0 from a flag, or undefined when absent. */
export function nonNegative(p: Parsed, name: string): number | undefined {
  const v = str(p, name)
  if (v === undefined) return undefined
  const n = Number(v)
  if (!(Number.isFinite(n) && n >= 0)) throw new UsageError(`--${name} must be 0 or a positive number, got "${v}"`)
  return n
}

export function has(p: Parsed, name: string): boolean {
  return p.flags.has(name)
}
