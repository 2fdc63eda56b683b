/** Checks made before a run starts: its settings, and whether the data fits the network. */
import type { NetSpec } from '../spec-types'
import type { Examples } from './examples'
import type { TrainerSettings } from './trainer'

/** Settings a run cannot start with, as messages that say what to change. */
export function checkSettings(s: TrainerSettings): void {
  const bad = (what: string): never => {
    throw new Error(what)
  }
  if (!(Number.isInteger(s.batchSize) && s.batchSize > 0)) bad(`the batch size must be a positive whole number, got ${s.batchSize}`)
  if (!(Number.isInteger(s.epochs) && s.epochs > 0)) bad(`the number of epochs must be a positive whole number, got ${s.epochs}`)
  if (!(s.lr > 0 && Number.isFinite(s.lr))) bad(`the learning rate must be a positive number, got ${s.lr}`)
  if (!Number.isInteger(s.seed)) bad(`the seed must be a whole number, got ${s.seed}`)
  if (s.weightDecay !== undefined && !(s.weightDecay >= 0)) bad(`weight decay must be 0 or more, got ${s.weightDecay}`)
}

/** The data's examples must have as many values as the network's input. */
export function checkData(spec: NetSpec, ex: Examples, which: string): void {
  const per = spec.input.reduce((a, b) => a * b, 1)
  const has = ex.xShape.reduce((a, b) => a * b, 1)
  if (per !== has) {
    throw new Error(`the network expects inputs of (${spec.input.join(', ')}) but the ${which} data has examples of (${ex.xShape.join(', ')}); change the input shape or use other data`)
  }
}
