/** Small text formats the editor shares. */

/** A shape as the course writes it: (C, H, W); "?" when it cannot be worked out. */
export function fmtShape(shape: readonly number[] | null): string {
  return shape ? `(${shape.join(', ')})` : '?'
}

/** Parse "1, 28, 28" or "1×28×28" into positive integers; null if any part is not one. */
export function parseDims(text: string): number[] | null {
  const parts = text.split(/[\s,×x()]+/).filter((p) => p !== '')
  const nums = parts.map(Number)
  return nums.length > 0 && nums.every((n) => Number.isInteger(n) && n > 0) ? nums : null
}
