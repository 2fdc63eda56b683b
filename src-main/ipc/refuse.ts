/**
 * The one way the main process builds a failed Result: a listed code (contract.ts LAB_ERRORS), its English
 * message (logs, the CLI, and the page's fallback) and the params the page words it from in the learner's
 * language. A code or case missing from the list is a type error.
 */
import { LAB_ERRORS, type ErrorParams, type LabError, type LabErrorCode } from './contract'
import type { EngineErrorCode, EngineErrorParams } from '../../src-engine/protocol'

export type ParamsOf<C extends LabErrorCode> = ErrorParams & { case?: (typeof LAB_ERRORS)[C][number] }

/** Whether `code` is one the page has words for (contract.ts LAB_ERRORS). */
export function isLabErrorCode(code: unknown): code is LabErrorCode {
  return typeof code === 'string' && Object.hasOwn(LAB_ERRORS, code)
}

/**
 * An engine thread's failed reply as the host's refusal: its code, English message (also the `detail`) and
 * the facts it carries as params (a bad prompt's character). The engine's codes are LAB_ERRORS codes by type
 * (protocol.ts EngineErrorCode); one that is not, all the same (a thread of another build, a bug), becomes
 * 'engine-error' with the code it had in params.
 */
export function engineRefusal(reply: { code: EngineErrorCode; message: string; params?: EngineErrorParams }): { ok: false; error: LabError } {
  const code: LabErrorCode = reply.code // a compile error here: protocol.ts gives a code contract.ts does not list
  if (!isLabErrorCode(code)) return refuse('engine-error', `The engine failed with an unknown code "${String(code)}": ${reply.message}`, { detail: reply.message, code: String(code) })
  return refuse(code, reply.message, { detail: reply.message, ...reply.params })
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
