/**
 * Probes: copies of what a learner watches while a network trains — the first convolution's
 * filters and every layer's activations for one probe example — as plain ImageStacks.
 */
import type { Tensor } from '../tensor'
import { GATE_UNITS, type ImageStack, type LayerMaps, type Snapshot } from '../protocol'
import type { Sequential } from '../models/sequential'
import type { Layer } from '../layers/layer'
import { aside } from '../models/recurrent-state'

/** Layers that can show their gate activations for one example of the last forward (TimeLSTM). */
interface GateProbe { probe(n: number): NonNullable<Snapshot['gates']> }

/** W (FN, C, FH, FW) → FN images of FH×FW, averaged over C so any number of input channels shows. */
export function filterImages(W: Tensor): ImageStack {
  const [FN, C, FH, FW] = W.shape
  const hw = FH * FW
  const data = new Float32Array(FN * hw)
  for (let f = 0; f < FN; f++) {
    for (let c = 0; c < C; c++) {
      const src = (f * C + c) * hw
      for (let k = 0; k < hw; k++) data[f * hw + k] += W.data[src + k] / C
    }
  }
  return { count: FN, h: FH, w: FW, data }
}

/** One example's activation (shape without N) as images: (C,H,W) → C maps; (T,D) → one T×D map; (D) → 1×D. */
export function mapsOf(shape: readonly number[], data: Float32Array): ImageStack {
  if (shape.length === 3) return { count: shape[0], h: shape[1], w: shape[2], data }
  if (shape.length === 2) return { count: 1, h: shape[0], w: shape[1], data }
  return { count: 1, h: 1, w: data.length, data }
}

/** Filters of the first conv layer and every layer's maps for `probe` (one example, spec.input shaped). */
export function takeSnapshot(model: Sequential, probe: Float32Array | null): Snapshot {
  const snapshot: Snapshot = {}
  const W = model.firstConvWeights()
  if (W) snapshot.filters = filterImages(W)
  // aside: the probe starts from zero state, and a stateful run's carried state is still there for its next batch
  if (probe) aside(model, () => {
    const acts = model.activations(model.inputTensor(probe, 1))
    const featureMaps: LayerMaps[] = acts.map((a) => {
      const shape = a.shape.slice(1)
      return { layer: a.name, shape, maps: mapsOf(shape, a.data) }
    })
    snapshot.featureMaps = featureMaps
    // The first LSTM's gates (f, g, i, o, c, h over time) from that same forward pass.
    const lstm = model.layers.find((l) => l.type === 'TimeLSTM') as (Layer & Partial<GateProbe>) | undefined
    if (lstm && typeof lstm.probe === 'function') snapshot.gates = lstm.probe(0).map((g) => firstUnits(g, GATE_UNITS))
  })
  return snapshot
}

/** A gate's (T, H) over time cut to its first `units` hidden units, (T, units), saying how many it had (`total`). */
export function firstUnits(g: NonNullable<Snapshot['gates']>[number], units: number): NonNullable<Snapshot['gates']>[number] {
  if (g.h <= units) return g
  const data = new Float32Array(g.t * units)
  for (let t = 0; t < g.t; t++) data.set(g.data.subarray(t * g.h, t * g.h + units), t * units)
  return { name: g.name, t: g.t, h: units, total: g.total ?? g.h, data }
}
