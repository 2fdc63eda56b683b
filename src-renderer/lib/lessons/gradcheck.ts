/**
 * Data layer of the gradient-check explainer: the engine's check (train/gradcheck-run.ts explainGradients,
 * on checkSpecGradients) of a small example network or of the network in the editor, asked of the host
 * (model:gradcheck), which runs it on the training thread so the page stays responsive.
 * Every array (the input x, then each layer's parameters) gets a row: the relative error between
 * backpropagation and central differences, and the worst element's two values.
 * There is no in-page fallback: without a host the request fails with the connection's worded error.
 * A check under way can be cancelled (cancelCheck): a full-size network holds the training thread for seconds.
 */
import type { NetSpec } from '../../../src-engine/spec-types'
import type { CheckResult as EngineCheckResult } from '../../../src-engine/train/gradcheck-run'
import type { LabError } from '../../../src-main/ipc/contract'
import { getLab } from '../lab'

export { GOOD, FAIR, verdict, EXPLAIN_MAX_MACS as MAX_MACS, type Verdict, type CheckRow } from '../../../src-engine/train/gradcheck-run'

export type CheckExample = 'mlp' | 'cnn' | 'lstm'

/** Small networks, one per kind of layer the course teaches, each checked element by element. */
export const CHECK_EXAMPLES: Record<CheckExample, NetSpec> = {
  mlp: { input: [4], layers: [{ type: 'Affine', units: 5 }, { type: 'Relu' }, { type: 'Affine', units: 3 }, { type: 'SoftmaxWithLoss' }] },
  cnn: {
    input: [1, 6, 6],
    layers: [
      { type: 'Convolution', filters: 2, kernel: 3, pad: 1 }, { type: 'Relu' }, { type: 'Pooling', mode: 'max', size: 2, stride: 2 },
      { type: 'Affine', units: 3 }, { type: 'SoftmaxWithLoss' }
    ]
  },
  lstm: { input: [5, 3], layers: [{ type: 'TimeLSTM', hidden: 4 }, { type: 'LastTimeStep' }, { type: 'Affine', units: 3 }, { type: 'SoftmaxWithLoss' }] }
}

/** The engine's answer, or the host's refusal (busy training, disconnected…), worded by the page. */
export type CheckResult = EngineCheckResult | { ok: false; reason: 'refused'; error: LabError }

/**
 * Asks the host to check `spec` with a fixed seed: every element of every array when `samples` is
 * omitted (the small examples), otherwise that many per array (a full-size network has too many weights).
 * With `bug`, ReLU's backward is broken for the duration of the check.
 */
export async function checkGradients(spec: NetSpec, samples?: number, bug = false): Promise<CheckResult> {
  const r = await getLab().request('model:gradcheck', { spec, seed: 1, ...(samples !== undefined ? { samples } : {}), bug })
  if (!r.ok) return { ok: false, reason: 'refused', error: r.error }
  const { ms: _ms, ...result } = r.value
  return result
}

/**
 * Stops the host's gradient checks under way (model:gradcheck-cancel): the training thread leaves the check at its
 * next forward pass and answers reason 'cancelled'. True when one was under way.
 */
export async function cancelCheck(): Promise<boolean> {
  const r = await getLab().request('model:gradcheck-cancel', undefined)
  return r.ok && r.value.cancelled
}
