/**
 * Which of a trained model's weights a changed architecture could keep. A run that starts from the host's model copies
 * each weight whose name (`layer.param`) and size still fit and leaves the rest at their fresh initialisation
 * (src-engine/train/session.ts continueFrom); this counts the same thing from the two specs' reports, so the editor's
 * keep-or-fresh question can say when nothing would be kept (an MLP replaced by an LSTM, say).
 */
import type { SpecReport } from '../../src-engine/spec-types'

export interface WeightsFit {
  /** Weight tensors of the new network that a run from the trained model would take over. */
  kept: number
  /** Weight tensors of the new network. */
  total: number
}

/** Each parameter's `layer.param` name and element count, as the engine keys the model's weights. */
function sizes(report: SpecReport): Map<string, number> {
  const out = new Map<string, number>()
  for (const l of report.layers) {
    for (const [p, shape] of Object.entries(l.paramShapes)) out.set(`${l.name}.${p}`, shape.reduce((a, b) => a * b, 1))
  }
  return out
}

/**
 * How many of `to`'s weights fit the trained model of `from`. Null when it cannot be told: the new network is not
 * valid (its later layers have no sizes yet, and the learner may be halfway through an edit).
 */
export function weightsFit(from: SpecReport, to: SpecReport): WeightsFit | null {
  if (!to.ok) return null
  const old = sizes(from)
  const now = sizes(to)
  let kept = 0
  for (const [k, n] of now) if (old.get(k) === n) kept++
  return { kept, total: now.size }
}
