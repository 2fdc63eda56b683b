/**
 * Convolution geometry. THE one place the output-size formula lives:
 *   OH = (H + 2P − FH) / S + 1
 * Everything else (layers, shape inference, the editor's formula text) calls these functions.
 */

/** Output size of a convolution or pooling along one axis. */
export interface ConvSize {
  /** floor((in + 2·pad − filter) / stride) + 1; ≤ 0 when the filter does not fit. */
  size: number
  /** True when the filter fits and stride divides (in + 2·pad − filter) exactly. */
  exact: boolean
  /** The formula with the numbers filled in, e.g. "(7 + 2·0 − 3) / 3 + 1 = 2.33". */
  formula: string
}

/** Output size along one axis for input `inSize`, window `filter`, `stride` and `pad`. */
export function convOutSize(inSize: number, filter: number, stride: number, pad: number): ConvSize {
  const span = inSize + 2 * pad - filter
  const exactValue = span / stride + 1
  const size = Math.floor(span / stride) + 1
  const exact = span >= 0 && span % stride === 0
  const shown = Number.isInteger(exactValue) ? String(exactValue) : exactValue.toFixed(2)
  return { size, exact, formula: `(${inSize} + 2·${pad} − ${filter}) / ${stride} + 1 = ${shown}` }
}

/** Output size of a transposed convolution: (H − 1)·S − 2P + FH (the inverse of convOutSize). */
export function deconvOutSize(inSize: number, filter: number, stride: number, pad: number): ConvSize {
  const size = (inSize - 1) * stride - 2 * pad + filter
  return { size, exact: size > 0, formula: `(${inSize} − 1)·${stride} − 2·${pad} + ${filter} = ${size}` }
}

/**
 * convOutSize for a layer that must have an exact, positive size; throws an error naming the
 * layer, the axis and what the numbers are.
 */
export function convOutSizeStrict(
  where: string, axis: string, inSize: number, filter: number, stride: number, pad: number
): number {
  const r = convOutSize(inSize, filter, stride, pad)
  if (r.size <= 0 || inSize + 2 * pad < filter) {
    throw new Error(`${where}: window ${filter} does not fit the ${axis} ${inSize} with pad ${pad}`)
  }
  if (!r.exact) {
    throw new Error(
      `${where}: output ${axis} ${r.formula} is not an integer; change the stride, pad or window size`
    )
  }
  return r.size
}
