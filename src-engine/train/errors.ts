import { EngineMemoryError } from '../kernels/wasm/memory'
import type { MemoryFacts } from '../protocol'

/** The message of anything thrown, for events and the command line (never a stack trace). */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message
  return typeof e === 'string' ? e : JSON.stringify(e)
}

const MIB = 1024 * 1024

/** A run out of engine memory, as facts the page words (protocol.ts MemoryFacts); null for any other failure. */
export function memoryFacts(e: unknown): MemoryFacts | null {
  if (!(e instanceof EngineMemoryError)) return null
  return { case: 'memory', needs: Math.ceil(e.needs / MIB), limit: Math.floor(e.limit / MIB) }
}
