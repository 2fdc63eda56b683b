import type { Tensor } from '../tensor'

/**
 * A layer as in the course: forward/backward with its own caches, uniform params/grads lists
 * (the optimizer interface), grads overwritten by backward().
 */
export interface Layer {
  readonly type: string
  readonly name: string
  /** Learnable parameters, in a fixed order, with their names (W, b, gamma, beta, Wx, Wh...). */
  readonly params: Tensor[]
  readonly grads: Tensor[]
  readonly paramNames: string[]
  /** Non-learnable state that must be saved with the weights (BatchNormalization running stats). */
  readonly buffers?: { name: string; tensor: Tensor }[]
  forward(x: Tensor, train: boolean): Tensor
  /** Never mutates dout. Throws if forward has not run. */
  backward(dout: Tensor): Tensor
  /**
   * Shape of one example's output for one example's input shape (no batch axis), e.g.
   * (1, 28, 28) → (30, 24, 24); throws naming the layer when the input does not fit.
   * Used by buildNetwork to infer sizes before any data flows.
   */
  outShape?(inShape: readonly number[]): number[]
}

/** A loss layer ends the network: forward returns the mean loss over the batch. */
export interface LossLayer {
  readonly type: string
  readonly name: string
  /** x: the scores; t: the targets (class indices as a (N) or (N, T) tensor, or a tensor shaped like x). */
  forward(x: Tensor, t: Tensor): number
  /**
   * Gradient of the mean loss with respect to x. `batch`: the number of examples to average over instead of
   * this batch's own, when it is one slice of a larger batch (data-parallel threads: each slice's gradient
   * is then already its share of the whole batch's, and the threads' gradients just add up).
   */
  backward(batch?: number): Tensor
  /** The network's output for prediction (softmax probabilities, sigmoid, or x itself). */
  predict(x: Tensor): Tensor
}
