/**
 * Tensor: a shape plus a flat row-major Float32Array. Images are (N, C, H, W).
 * The data may live on a SharedArrayBuffer (kernel pool) or an ordinary ArrayBuffer.
 */
export interface Tensor {
  readonly shape: readonly number[]
  readonly data: Float32Array
}

/** Number of elements of a shape: the product of its dimensions (1 for a scalar shape []). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1
  for (const d of shape) n *= d
  return n
}

/** A tensor of zeros, or one wrapping `data` (not copied) after checking its length. */
export function tensor(shape: readonly number[], data?: Float32Array): Tensor {
  const n = sizeOf(shape)
  if (data === undefined) return { shape: [...shape], data: new Float32Array(n) }
  if (data.length !== n) {
    throw new Error(`tensor: shape (${shape.join(', ')}) holds ${n} values but data has ${data.length}`)
  }
  return { shape: [...shape], data }
}

/** A tensor from nested arrays or a flat list with an explicit shape (tests, teaching widgets). */
export function fromArray(shape: readonly number[], values: ArrayLike<number>): Tensor {
  return tensor(shape, Float32Array.from(values))
}

/** The same data seen with another shape of the same size (no copy). */
export function reshape(t: Tensor, shape: readonly number[]): Tensor {
  return tensor(shape, t.data)
}

/** A deep copy. */
export function clone(t: Tensor): Tensor {
  return { shape: [...t.shape], data: t.data.slice() }
}

/** "(N, C, H, W)"-style text for messages. */
export function shapeText(shape: readonly number[]): string {
  return `(${shape.join(', ')})`
}

/** True when two shapes are equal dimension by dimension. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i])
}
