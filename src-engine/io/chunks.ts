/** Total length of byte chunks (a file written as consecutive pieces). */
export const chunksLength = (chunks: readonly Uint8Array[]): number => chunks.reduce((n, c) => n + c.length, 0)

/** Byte chunks copied into one array, in order. */
export function joinChunks(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunksLength(chunks))
  let at = 0
  for (const c of chunks) {
    out.set(c, at)
    at += c.length
  }
  return out
}
