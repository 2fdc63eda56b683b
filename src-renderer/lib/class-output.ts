/**
 * What a classifier's outputs are, for the pages that show them (the draw page's bars and answer, the training page's
 * "most confidently wrong"): by its loss layer, as the engine's models/class-output.ts tells them (softmax
 * probabilities, sigmoid probabilities each on its own, or an MSE classifier's raw scores).
 */
import type { NetSpec } from '../../src-engine/spec-types'
import { classOutputOf, scoreDigits, type ClassOutput } from '../../src-engine/models/class-output'

export type { ClassOutput }

export function classOutput(spec: NetSpec | null | undefined): ClassOutput {
  return classOutputOf(spec?.layers.at(-1)?.type)
}

/** A raw score with two decimals and a true minus sign ("0.93", "−0.12", "1.07"). */
export function scoreText(v: number): string {
  return scoreDigits(v).replace('-', '\u2212')
}

/** A bar's length for a value: its fraction of the track, kept within the track (an MSE score of −0.2 or 1.3). */
export function barFraction(v: number): number {
  return Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0
}
