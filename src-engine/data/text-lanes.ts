/**
 * Whether a stateful run can cut its text into lanes, told before Start by the page (lib/train-data.ts statefulProblem)
 * and by the host (lab-host.ts refuseData) with the same numbers. A stateful run reads the part of the text it trains on
 * in order, cut into as many lanes as the batch size (train/examples.ts textExamples' lanes), each lane at least one
 * window of T: a text with fewer windows than that failed only after Start, with the engine's English sentence.
 */
import { TEXT_TEST_FRACTION, textMinChars, textTrainLength, windowCount } from './text'

/** Why a stateful run cannot cut the text into its batch size's lanes: the windows the text has and what would fit. */
export interface LanesShort {
  /** Windows of T characters (stride T) in the part trained on: the most lanes there can be, the largest batch size that fits. */
  windows: number
  /** The batch size asked for: one lane a row of the mini-batch. */
  B: number
  T: number
  /** The fewest characters a text needs for B lanes (and for its held-out tenth, textMinChars). */
  needs: number
}

/**
 * The facts when a text of `chars` characters (as textCounts counts them) is too short for a stateful run of batch size
 * `B` with input length `T`; null when it fits, or when a window does not fit at all (textMinChars says that first).
 */
export function statefulLanesShort(chars: number, T: number, B: number): LanesShort | null {
  if (!(Number.isInteger(T) && T > 0 && Number.isInteger(B) && B > 0 && Number.isFinite(chars))) return null
  if (chars < textMinChars(T)) return null
  const windows = windowCount(textTrainLength(chars), T)
  if (windows >= B) return null
  // B windows of stride T sharing one id need B·T + 1 characters in the part trained on
  const wanted = B * T + 1
  let needs = Math.max(textMinChars(T), Math.ceil(wanted / (1 - TEXT_TEST_FRACTION)) - 2)
  while (textTrainLength(needs) < wanted) needs++
  return { windows, B, T, needs }
}
