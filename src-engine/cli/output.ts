/**
 * What the command line prints: human-readable lines by default, or with --json one JSON object
 * per line, each with an "event" field; the last one is "done" or "error".
 */

export interface CliIO {
  out(line: string): void
  err(line: string): void
  /** A transient status line (a terminal overwrites it); absent when nobody watches. */
  progress?(line: string): void
}

export class Output {
  /** replicaEntry: a file that runs data-parallel replica threads (the CLI bundle itself), if known. */
  constructor(readonly io: CliIO, readonly json: boolean, readonly replicaEntry: string | null = null) {}

  /** A JSON-lines event (ignored in human mode unless `text` is given, which is printed instead). */
  event(event: string, fields: Record<string, unknown>, text?: string): void {
    if (this.json) this.io.out(JSON.stringify({ event, ...fields }, replacer))
    else if (text !== undefined) this.io.out(text)
  }

  /** A progress line for a watching terminal (human mode only). */
  progress(text: string): void {
    if (!this.json) this.io.progress?.(text)
  }

  /** Human-mode text only. */
  say(text: string): void {
    if (!this.json) this.io.out(text)
  }

  /** A failure: an "error" event in JSON mode, "error: …" on stderr otherwise. */
  error(code: string, message: string, hint?: string): void {
    if (this.json) this.io.out(JSON.stringify({ event: 'error', code, message, ...(hint ? { hint } : {}) }))
    else this.io.err(`error: ${message}${hint ? `\n${hint}` : ''}`)
  }
}

/** Typed arrays print as plain arrays. */
function replacer(_key: string, value: unknown): unknown {
  if (value instanceof Float32Array || value instanceof Float64Array || value instanceof Uint8Array) return Array.from(value)
  return value
}

/** 0.9712 → "97.12%". */
export function pct(v: number | null): string {
  return v === null ? '–' : `${(v * 100).toFixed(2)}%`
}

/** 433890 → "433,890". */
export function thousands(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}
