/**
 * This computer's training speed, as the last run measured it: the run's examples a second times its network's
 * forward multiply-adds per example (the editor's count) is a rate the cost note (components/editor/cost.ts) can
 * apply to any design instead of the lab's benchmark figure. Remembered across sessions like the theme
 * (localStorage); without storage, for the session.
 */
const KEY = 'backprop-lab.speed'

/** A run must have trained this many mini-batches for its speed to count: the first ones include warming up. */
export const MIN_BATCHES = 10

export interface MeasuredSpeed {
  /** Forward multiply-adds a second, training (backward and optimizer folded in, as in the benchmark figure). */
  macsPerSecond: number
  /** The run's examples a second (smoothed) and its network's multiply-adds per example. */
  examplesPerSec: number
  macsPerExample: number
  /** Threads the run trained on (a stateful run uses one). */
  threads: number
  /** The run's network, to say which run the rate came from. */
  specName: string
}

/** The speed a run measured, or null when it says nothing (no speed yet, a network without multiply-adds). */
export function measuredSpeed(examplesPerSec: number, macsPerExample: number, threads: number, specName: string): MeasuredSpeed | null {
  const macsPerSecond = examplesPerSec * macsPerExample
  if (!(Number.isFinite(macsPerSecond) && macsPerSecond > 0) || !(threads >= 1)) return null
  return { macsPerSecond, examplesPerSec, macsPerExample, threads: Math.round(threads), specName }
}

/** A stored speed, checked field by field (storage is the learner's, and older or damaged values are ignored). */
export function parseSpeed(raw: string | null | undefined): MeasuredSpeed | null {
  if (!raw) return null
  try {
    const v = JSON.parse(raw) as Partial<MeasuredSpeed> | null
    if (!v || typeof v !== 'object') return null
    const { examplesPerSec, macsPerExample, threads, specName } = v
    if (typeof examplesPerSec !== 'number' || typeof macsPerExample !== 'number' || typeof threads !== 'number') return null
    return measuredSpeed(examplesPerSec, macsPerExample, threads, typeof specName === 'string' ? specName : '')
  } catch {
    return null
  }
}

function load(): MeasuredSpeed | null {
  try {
    return parseSpeed(globalThis.localStorage?.getItem(KEY))
  } catch {
    return null
  }
}

class LabSpeed {
  /** The last run's speed on this computer, or null (none measured yet: the note uses the benchmark figure). */
  measured = $state.raw<MeasuredSpeed | null>(load())

  record(s: MeasuredSpeed): void {
    this.measured = s
    try {
      globalThis.localStorage?.setItem(KEY, JSON.stringify(s))
    } catch {
      // storage full or unavailable: the speed still counts for this session
    }
  }

  /** Forget the measured speed (tests, and a storage the learner cleared). */
  forget(): void {
    this.measured = null
    try {
      globalThis.localStorage?.removeItem(KEY)
    } catch {
      // nothing stored
    }
  }
}

export const labSpeed = new LabSpeed()
