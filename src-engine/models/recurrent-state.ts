/**
 * Forward passes outside training — snapshots (feature maps, the gates view), predictions and text generation
 * asked for while a run trains — go through the same recurrent layers as the training batches. A stateful run
 * carries h (and c) from one batch to the next in those layers: a forward of one probe sequence in between
 * would leave them sized for one sequence, and the next batch would start from zero state (Q2's G8). So such a
 * forward runs aside: it starts from zero state, as a fresh sequence should, and the carried state and each
 * layer's mode are put back afterwards, whatever the forward did.
 */
import type { Layer } from '../layers/layer'
import type { Sequential } from './sequential'

/** What a recurrent layer (TimeRNN, TimeLSTM) carries from one forward to the next, opaque to everyone else. */
export interface Carrying extends Layer {
  stateful: boolean
  resetState(): void
  carried(): unknown
  restoreCarried(state: unknown): void
}

export const isCarrying = (l: Layer): l is Carrying =>
  'stateful' in l && typeof (l as Partial<Carrying>).carried === 'function' && typeof (l as Partial<Carrying>).restoreCarried === 'function'

/** Runs `fn` with every recurrent layer of `model` starting from zero state, then puts their state and mode back. */
export function aside<T>(model: Sequential, fn: () => T): T {
  const layers = model.layers.filter(isCarrying)
  const saved = layers.map((l) => ({ stateful: l.stateful, state: l.carried() }))
  for (const l of layers) {
    l.stateful = false
    l.resetState()
  }
  try {
    return fn()
  } finally {
    layers.forEach((l, i) => {
      l.stateful = saved[i].stateful
      l.restoreCarried(saved[i].state)
    })
  }
}
