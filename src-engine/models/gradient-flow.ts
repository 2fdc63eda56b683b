/**
 * Gradient flow through time, for the vanishing-gradient lesson: feed one sequence to a TimeRNN or a
 * TimeLSTM, send a gradient into the last hidden state only, backpropagate, and read how large the
 * gradient still is when it reaches each earlier step (‖∂L/∂h_t‖, from the layers' own gradNorms).
 * A plain RNN multiplies by Wh and tanh' at every step, so the norm shrinks geometrically; the LSTM's
 * cell path multiplies only by the forget gate, so it shrinks far more slowly.
 */
import { Rng } from '../rng'
import { tensor } from '../tensor'
import { initBias, initWeights } from '../init'
import { TimeRNN } from '../layers/time-rnn'
import { TimeLSTM } from '../layers/time-lstm'
import { gateOffset } from '../layers/lstm-gates'

/** forgetBias: the LSTM forget gate's initial bias (1, as the engine initialises it). */
export interface FlowOptions { T: number; D: number; H: number; seed: number; forgetBias?: number }

/** Norm of the gradient reaching each time step (index t), relative to the last step's. */
export function gradientFlow(kind: 'rnn' | 'lstm', o: FlowOptions): Float64Array {
  const rng = new Rng(o.seed)
  const xs = tensor([1, o.T, o.D])
  for (let i = 0; i < xs.data.length; i++) xs.data[i] = rng.normal()
  const dRng = new Rng(o.seed + 1)
  const layer = kind === 'rnn'
    ? new TimeRNN(initWeights([o.D, o.H], 'xavier', o.D, rng), initWeights([o.H, o.H], 'xavier', o.H, rng), initBias(o.H), 'rnn')
    : new TimeLSTM(initWeights([o.D, 4 * o.H], 'xavier', o.D, rng), initWeights([o.H, 4 * o.H], 'xavier', o.H, rng), lstmBias(o.H, o.forgetBias ?? 1), 'lstm')
  const hs = layer.forward(xs, false)
  const dhs = tensor(hs.shape)
  for (let j = 0; j < o.H; j++) dhs.data[(o.T - 1) * o.H + j] = dRng.normal()
  layer.backward(dhs)
  const norms = layer.gradNorms
  const last = norms[o.T - 1] || 1
  return norms.map((n) => n / last)
}

function lstmBias(H: number, forget: number) {
  const b = initBias(4 * H)
  b.data.fill(forget, gateOffset('f', H), gateOffset('f', H) + H)
  return b
}
