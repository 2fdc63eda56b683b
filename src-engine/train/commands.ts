/**
 * Checks a message arriving at the worker before anything acts on it: the type must be a known
 * WorkerCommand and its fields the right kinds. Deep spec checking is left to the model builder.
 */
import type { EngineErrorCode, WorkerCommand } from '../protocol'
import { vocabFromChars } from '../data/text'

export type Checked = { ok: true; command: WorkerCommand } | { ok: false; code: EngineErrorCode; message: string }

const OPTIMIZERS = ['SGD', 'Momentum', 'Nesterov', 'AdaGrad', 'RMSProp', 'Adam']
/** The most training threads a run may ask for (the host's train:start allows 1 to 64, ipc/validate.ts). */
const MAX_THREADS = 64

type Rec = Record<string, unknown>
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v)
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)
const isInt = (v: unknown): v is number => Number.isInteger(v)

function fail(message: string, code: EngineErrorCode = 'bad-command'): Checked {
  return { ok: false, code, message }
}

function checkWeights(w: unknown): string | null {
  if (!isRec(w)) return 'weights must be an object of name → Float32Array'
  for (const [k, v] of Object.entries(w)) if (!(v instanceof Float32Array)) return `weight ${k} must be a Float32Array`
  return null
}

function checkData(d: unknown, at = 'data'): string | null {
  if (!isRec(d) || !['mnist', 'idx', 'text'].includes(d.kind as string)) return `${at} must be { kind: "mnist" | "idx" | "text" }`
  if (d.kind === 'idx' && typeof d.dir !== 'string') return `${at}.dir must be a folder path`
  if (d.kind === 'text' && typeof d.file !== 'string') return `${at}.file must be a file path`
  return null
}

function checkSettings(s: unknown): string | null {
  if (!isRec(s)) return 'settings must be an object'
  const data = checkData(s.data, 'settings.data')
  if (data) return data
  if (!OPTIMIZERS.includes(s.optimizer as string)) return `settings.optimizer must be one of ${OPTIMIZERS.join(', ')}`
  if (!isNum(s.lr) || s.lr <= 0) return 'settings.lr must be a positive number'
  if (!isInt(s.batchSize) || (s.batchSize as number) < 1) return 'settings.batchSize must be a positive whole number'
  if (!isInt(s.epochs) || (s.epochs as number) < 1) return 'settings.epochs must be a positive whole number'
  if (!isNum(s.weightDecay) || s.weightDecay < 0) return 'settings.weightDecay must be 0 or more'
  if (!isInt(s.seed)) return 'settings.seed must be a whole number'
  // each thread past the first is a replica thread started for the run: a count the host would never send is refused, not started
  if (!isInt(s.threads) || (s.threads as number) < 1 || (s.threads as number) > MAX_THREADS) return `settings.threads must be a whole number from 1 to ${MAX_THREADS}`
  if (s.clip !== undefined && (!isNum(s.clip) || s.clip < 0)) return 'settings.clip must be 0 or more'
  if (s.stateful !== undefined && typeof s.stateful !== 'boolean') return 'settings.stateful must be true or false'
  if (s.priority !== undefined && s.priority !== 'low' && s.priority !== 'normal') return 'settings.priority must be "low" or "normal"'
  if (s.testFraction !== undefined && (!isNum(s.testFraction) || s.testFraction <= 0 || s.testFraction >= 1)) return 'settings.testFraction must be between 0 and 1'
  if (s.trainSize !== undefined && (!isInt(s.trainSize) || (s.trainSize as number) < 1)) return 'settings.trainSize must be a whole number, 1 or more'
  return null
}

/** A vocabulary as vocabFromChars takes it, checked before a load-model replaces the model it would be refused after. */
function checkVocab(v: unknown): string | null {
  if (!Array.isArray(v)) return '"load-model" vocab must be a list of characters'
  try {
    vocabFromChars(v as string[])
    return null
  } catch (e) {
    return `"load-model" ${(e as Error).message}`
  }
}

function checkSpec(spec: unknown): string | null {
  if (!isRec(spec) || !Array.isArray(spec.input) || !Array.isArray(spec.layers)) return 'spec must be { input: number[], layers: [...] }'
  return null
}

/** Validates an incoming message; unknown types are errors, never ignored. */
export function checkCommand(m: unknown): Checked {
  if (!isRec(m) || typeof m.type !== 'string') return fail('a worker command must be an object with a string "type"', 'unknown-command')
  const needReq = (): string | null => (isInt(m.reqId) ? null : `"${m.type}" needs a whole-number reqId`)
  let problem: string | null = null
  switch (m.type) {
    case 'start':
      problem = typeof m.runId !== 'string' ? '"start" needs a string runId' : checkSpec(m.spec) ?? checkSettings(m.settings) ?? (m.weights === undefined ? null : checkWeights(m.weights)) ??
        (m.checkpoints === undefined || typeof m.checkpoints === 'boolean' ? null : '"start" checkpoints must be true or false') ??
        (m.fromModel === undefined || typeof m.fromModel === 'boolean' ? null : '"start" fromModel must be true or false')
      break
    case 'pause': case 'resume': case 'stop': case 'step': case 'drop-model':
      break
    case 'set-lr':
      problem = isNum(m.lr) && m.lr > 0 ? null : '"set-lr" needs a positive lr'
      break
    case 'infer-port':
      problem = isRec(m.port) && typeof m.port.postMessage === 'function' ? null : '"infer-port" needs a MessagePort'
      break
    case 'set-probe':
      problem = m.input instanceof Float32Array ? null : '"set-probe" needs input as a Float32Array'
      break
    case 'predict':
      problem = needReq() ?? (m.input instanceof Float32Array ? null : '"predict" needs input as a Float32Array') ?? (isInt(m.count) && (m.count as number) >= 1 ? null : '"predict" needs a positive count')
      break
    case 'get-weights':
      problem = needReq()
      break
    case 'load-model':
      problem = needReq() ?? checkSpec(m.spec) ?? checkWeights(m.weights) ??
        (m.optimizer === undefined || (isRec(m.optimizer) && OPTIMIZERS.includes(m.optimizer.name as string) && checkWeights(m.optimizer.state) === null)
          ? null : '"load-model" optimizer must be { name, state: name → Float32Array }') ??
        (m.vocab === undefined ? null : checkVocab(m.vocab))
      break
    case 'gradcheck':
      problem = needReq() ?? checkSpec(m.spec) ?? (isInt(m.seed) ? null : '"gradcheck" needs a whole-number seed') ??
        (m.explain === undefined || (isRec(m.explain) && (m.explain.samples === undefined || (isInt(m.explain.samples) && (m.explain.samples as number) >= 1)) &&
          (m.explain.bug === undefined || typeof m.explain.bug === 'boolean') &&
          (m.explain.cancel === undefined || (m.explain.cancel instanceof Int32Array && m.explain.cancel.buffer instanceof SharedArrayBuffer && m.explain.cancel.length >= 1)))
          ? null : '"gradcheck" explain must be { samples?: a whole number ≥ 1, bug?: boolean, cancel?: a shared Int32Array }')
      break
    case 'decode':
      problem = needReq() ?? (m.code instanceof Float32Array && m.code.length > 0 ? null : '"decode" needs code as a non-empty Float32Array') ??
        (isInt(m.count) && (m.count as number) >= 1 && (m.count as number) <= 4096 ? null : '"decode" needs a count from 1 to 4096')
      break
    case 'ae-views':
      problem = needReq() ?? checkData(m.data) ??
        (m.testFraction === undefined || (isNum(m.testFraction) && m.testFraction > 0 && m.testFraction < 1) ? null : '"ae-views" testFraction must be between 0 and 1')
      break
    case 'generate':
      problem = needReq() ?? (typeof m.prompt === 'string' && m.prompt.length <= 10_000 ? null : '"generate" needs prompt as a string of at most 10,000 characters') ??
        (isInt(m.length) && (m.length as number) >= 0 && (m.length as number) <= 10_000 ? null : '"generate" needs a length from 0 to 10,000') ??
        (isNum(m.temperature) && m.temperature >= 0 && m.temperature <= 100 ? null : '"generate" needs a temperature from 0 to 100') ??
        (isInt(m.seed) ? null : '"generate" needs a whole-number seed')
      break
    case 'autosave':
      problem = needReq() ?? (typeof m.runId === 'string' ? null : '"autosave" needs a string runId') ?? (isInt(m.epoch) ? null : '"autosave" needs a whole-number epoch') ??
        (typeof m.path === 'string' && m.path.length > 0 ? null : '"autosave" needs a file path') ??
        (isRec(m.project) ? null : '"autosave" needs the project fields as an object')
      break
    default:
      return fail(`unknown worker command "${m.type}"`, 'unknown-command')
  }
  return problem === null ? { ok: true, command: m as unknown as WorkerCommand } : fail(problem)
}
