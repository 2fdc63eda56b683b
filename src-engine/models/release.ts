/**
 * Giving a dropped network's engine-memory blocks back at once (Sequential.release, Trainer.release).
 *
 * EngineMemory frees a block when its Float32Array is garbage-collected, but the collector does not see
 * that memory: after a big run the old model's blocks stayed "live" until some later collection, so the
 * next model's weights landed past the soft limit as ordinary arrays and a two-thread run had to copy
 * (docs/architecture.md, "Engine memory and threads"). A layer keeps its buffers in plain fields (tensors,
 * Float32Arrays, arrays of them, prepacked GEMM operands as plain objects), so walking those fields finds
 * every block it holds without each of the many layer classes listing its own.
 */
import { releaseKernelArray } from '../kernels/gemm'

/** Nested plain objects and arrays this deep below the root are searched (a layer's PackedB is 2 deep). */
const DEPTH = 4

/**
 * Gives back every engine-memory block that `root`'s own fields hold: Float32Arrays found in its fields and,
 * within DEPTH, in plain objects and arrays under them. Other class instances are not entered: the kernels'
 * shared objects (a LayerKernels' staging block, the GEMM itself) belong to everyone and must stay. Arrays
 * that are not whole engine-memory blocks (ordinary arrays, subarrays, data sets) are left alone by
 * EngineMemory.release, and a block given back twice is given back once. The caller promises that nothing
 * uses `root`'s buffers afterwards.
 */
export function releaseBlocks(root: object, release: (a: Float32Array) => void = releaseKernelArray): void {
  const seen = new Set<object>()
  const walk = (v: unknown, depth: number): void => {
    if (v === null || typeof v !== 'object' || seen.has(v)) return
    seen.add(v)
    if (v instanceof Float32Array) {
      release(v)
      return
    }
    if (ArrayBuffer.isView(v) || depth > DEPTH) return
    if (depth > 0 && !Array.isArray(v) && !isPlain(v)) return
    for (const x of Array.isArray(v) ? v : Object.values(v)) walk(x, depth + 1)
  }
  walk(root, 0)
}

function isPlain(v: object): boolean {
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}
