/**
 * Class labels for a loss that compares values (MSE, SigmoidWithLoss). A classifier's data gives one class index
 * per example (N) while these losses want a target per output value (N, C): the index stands for its one-hot row,
 * as in the course's chapter 4 (mean_squared_error(y, t) with t one-hot). Targets already shaped like the output
 * (an autoencoder's input, explicit one-hot rows) and a single output per example with 0/1 targets pass unchanged.
 */
import { shapeText, type Tensor } from '../tensor'
import { ensure } from './common'

/**
 * The targets to compare with x: t itself when it has one value per output value, else the one-hot rows of its
 * class indices written into `hot` (reused from batch to batch; a fresh block when the shape changes).
 * `who` is the layer's `Type "name"` for the messages.
 */
export function targetsFor(x: Tensor, t: Tensor, hot: Tensor | null, who: string): Tensor {
  if (t.data.length === x.data.length) return t
  const N = x.shape[0]
  const C = N > 0 ? x.data.length / N : 0
  if (t.data.length !== N || !Number.isInteger(C)) {
    throw new Error(`${who}: targets ${shapeText(t.shape)} fit neither (${N}) class indices nor the output ${shapeText(x.shape)}`)
  }
  const out = ensure(hot, x.shape)
  out.data.fill(0)
  for (let n = 0; n < N; n++) {
    const k = t.data[n]
    if (!(Number.isInteger(k) && k >= 0 && k < C)) {
      throw new Error(`${who}: target ${n} is ${k}, not a class index in 0…${C - 1} (the output has ${C} values an example)`)
    }
    out.data[n * C + k] = 1
  }
  return out
}
