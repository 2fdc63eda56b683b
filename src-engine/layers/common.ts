/** Small helpers shared by the layers: buffer reuse, shape checks and the usual errors. */
import { sameShape, shapeText, sizeOf, tensor, type Tensor } from '../tensor'
import { kernelArray, releaseKernelArray } from '../kernels/gemm'

/**
 * `t` itself when it already has `shape`, otherwise a fresh zero tensor (layers allocate once per batch
 * shape). Fresh buffers live in engine memory when the WebAssembly GEMM is in use, so it reads and
 * writes them without copying.
 */
export function ensure(t: Tensor | null, shape: readonly number[]): Tensor {
  if (t !== null && sameShape(t.shape, shape)) return t
  // The old buffer belongs to this layer alone (callers copy what they keep): give it back now rather
  // than when the garbage collector notices, so alternating batch shapes (training, probes) reuse blocks.
  if (t !== null) releaseKernelArray(t.data)
  return tensor(shape, kernelArray(sizeOf(shape)))
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
