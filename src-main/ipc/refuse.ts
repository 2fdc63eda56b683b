/**
 * The one way the main process builds a failed Result: a listed code (contract.ts LAB_ERRORS), its English
 * message (logs, the CLI, and the page's fallback) and the params the page words it from in the learner's
 * language. A code or case missing from the list is a type error.
 */
import type { ErrorParams, LabError, LabErrorCode, LAB_ERRORS } from './contract'

export type ParamsOf<C extends LabErrorCode> = ErrorParams & { case?: (typeof LAB_ERRORS)[C][number] }

/** A 'bad-prompt' refusal's character, from the engine's message (`character "z" (U+007A) at position 3 is not in
 * the vocabulary…`), so the page can name it; none when the message says otherwise. */
export function promptCharParams(message: string): ParamsOf<'bad-prompt'> | undefined {
  const m = /character ("(?:[^"\\]|\\.)*")/.exec(message)
  if (!m) return undefined
  try {
    const char: unknown = JSON.parse(m[1])
    return typeof char === 'string' ? { case: 'char', char } : undefined
  } catch {
    return undefined
  }
}

/** The words of anything thrown, for a refusal's message and its `detail` param. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}

export function refuse<C extends LabErrorCode>(code: C, message: string, params?: ParamsOf<C>, path?: string): { ok: false; error: LabError } {
  const error: LabError = { code, message }
  if (path !== undefined) error.path = path
  if (params !== undefined) error.params = params
  return { ok: false, error }
}
