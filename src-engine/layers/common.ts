/** Small helpers shared by the layers: buffer reuse, shape checks and the usual errors. */
import { sameShape, shapeText, sizeOf, tensor, type Tensor } from '../tensor'
import { kernelArray, refitKernelArray, releaseKernelArray } from '../kernels/gemm'

/**
 * `t` itself when it already has `shape`, otherwise a zero tensor of `shape` (layers allocate once per batch
 * shape). Its buffer lives in engine memory when the WebAssembly GEMM is in use, so it reads and writes it
 * without copying: `t`'s own block when that holds the new shape (reblock).
 */
export function ensure(t: Tensor | null, shape: readonly number[]): Tensor {
  if (t !== null && sameShape(t.shape, shape)) return t
  return tensor(shape, reblock(t?.data ?? null, sizeOf(shape)))
}

/**
 * `n` zeros for a buffer that replaces `old` (which belongs to the caller alone: callers copy what they keep): in
 * `old`'s engine-memory block when its size class holds them, so a shorter batch (the last of an epoch, a probe, an
 * evaluation chunk) writes into the blocks a full batch cut rather than cutting blocks of its own beside them, which
 * the free lists would keep; the values are those of a new block, zeros. Otherwise `old` goes back now, rather than
 * when the garbage collector notices (alternating batch shapes then reuse blocks), and a new block is taken.
 */
export function reblock(old: Float32Array | null, n: number): Float32Array {
  if (old === null) return kernelArray(n)
  const same = refitKernelArray(old, n)
  if (same !== null) return same
  releaseKernelArray(old)
  return kernelArray(n)
}

/** A zero tensor of `shape` for gradients and other kernel operands (in engine memory when the WASM GEMM is in use). */
export function kernelTensor(shape: readonly number[]): Tensor {
  return tensor(shape, kernelArray(sizeOf(shape)))
}

/** `Type "name"`, the prefix of every layer error. */
export function where(type: string, name: string): string {
  return `${type} "${name}"`
}

export function notForwarded(type: string, name: string): Error {
  return new Error(`${where(type, name)}: backward() called before forward()`)
}

/** Throws unless dout has the shape of the layer's last output. */
export function checkDout(type: string, name: string, dout: Tensor, expected: readonly number[]): void {
  if (!sameShape(dout.shape, expected)) {
    throw new Error(`${where(type, name)}: dout has shape ${shapeText(dout.shape)} but the output was ${shapeText(expected)}`)
  }
}

/** Throws unless x has `rank` axes (including the batch axis). */
export function checkRank(type: string, name: string, x: Tensor, rank: number, layout: string): void {
  if (x.shape.length !== rank) {
    throw new Error(`${where(type, name)}: expects input ${layout} but got ${shapeText(x.shape)}`)
  }
}

/** Product of the shape after the batch axis. */
export function featureSize(shape: readonly number[]): number {
  let d = 1
  for (let i = 1; i < shape.length; i++) d *= shape[i]
  return d
}
