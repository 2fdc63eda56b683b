/**
 * Data layer of the RNN-vs-LSTM explainer: the engine's TimeRNN and TimeLSTM layers read the same
 * random sequence; the loss looks only at the last step, and backward() leaves ‖dL/dh_t‖ per time
 * step in each layer's gradNorms — how much of the final error reaches step t.
 * In this file H is the hidden size.
 */
import { Rng } from '../../../src-engine/rng'
import { tensor, type Tensor } from '../../../src-engine/tensor'
import { TimeRNN } from '../../../src-engine/layers/time-rnn'
import { TimeLSTM } from '../../../src-engine/layers/time-lstm'
import { LSTM_GATES, gateOffset } from '../../../src-engine/layers/lstm-gates'

export interface RecurrentSetup {
  T: number
  /** Input size D and hidden size H. */
  D: number
  H: number
  /** Recurrent weights are drawn N(0, (scale/√H)²). */
  scale: number
  /** Initial bias of the LSTM's forget gate (1 is a common choice: remember by default). */
  forgetBias: number
  seed: number
}

export const RECURRENT_DEFAULT: RecurrentSetup = { T: 30, D: 3, H: 8, scale: 1, forgetBias: 2, seed: 8 }

export interface GateMap { name: string; T: number; H: number; data: Float32Array }

export interface RecurrentResult {
  /** ‖dL/dh_t‖ for t = 0 … T−1. */
  rnn: Float64Array
  lstm: Float64Array
  /** LSTM activations over time (T, H) for f, g, i, o, then c and h. */
  gates: GateMap[]
}

function normal(rng: Rng, shape: number[], std: number): Tensor {
  const t = tensor(shape)
  for (let i = 0; i < t.data.length; i++) t.data[i] = rng.normal() * std
  return t
}

export function compareRecurrent(s: RecurrentSetup = RECURRENT_DEFAULT): RecurrentResult {
  const { T, D, H } = s
  const rng = new Rng(s.seed)
  const xs = normal(rng, [1, T, D], 1)
  // one upstream gradient at the last step only, the same for both networks
  const dLast = normal(rng, [H], 1)
  const dhs = tensor([1, T, H])
  dhs.data.set(dLast.data, (T - 1) * H)

  const inStd = 1 / Math.sqrt(D)
  const recStd = s.scale / Math.sqrt(H)
  const rnn = new TimeRNN(normal(rng, [D, H], inStd), normal(rng, [H, H], recStd), tensor([H]), 'rnn')
  const b = tensor([4 * H])
  b.data.fill(s.forgetBias, gateOffset('f', H), gateOffset('f', H) + H)
  const lstm = new TimeLSTM(normal(rng, [D, 4 * H], inStd), normal(rng, [H, 4 * H], recStd), b, 'lstm')

  rnn.forward(xs, true)
  rnn.backward(dhs)
  lstm.forward(xs, true)
  lstm.backward(dhs)
  const gates = lstm.probe(0).map((p) => ({ name: p.name, T: p.t, H: p.h, data: p.data }))
  return { rnn: Float64Array.from(rnn.gradNorms), lstm: Float64Array.from(lstm.gradNorms), gates }
}

/** The gate names in the engine's order (f, g, i, o), for the heatmap labels. */
export const GATE_ORDER = LSTM_GATES

/** Ratio ‖dL/dh_0‖ / ‖dL/dh_{T−1}‖: how much of the gradient survives the whole sequence. */
export function survival(norms: ArrayLike<number>): number {
  const last = norms[norms.length - 1]
  return last === 0 ? 0 : norms[0] / last
}

