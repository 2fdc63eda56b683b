/**
 * The engine's memory: one shared WebAssembly.Memory that the WASM kernels address directly and that
 * every kernel-pool thread can map. Tensors allocated here cost no copy when they enter a WASM kernel.
 *
 * Allocation is by power-of-two size classes with free lists. A block returns to its list when its owner
 * releases it (release(), as layers do when a buffer is replaced or a temporary is done), or else when the
 * Float32Array viewing it is garbage-collected (FinalizationRegistry). Because the JavaScript heap does not
 * see this memory, garbage collection alone may come too late: past SOFT_LIMIT bytes, allocations that no
 * free block can serve fall back to ordinary arrays (the GEMM then copies them), so memory never runs out.
 * Growing a shared memory never detaches old views, so views stay valid; every buffer object the memory
 * has handed out is remembered to recognise them.
 */

const PAGE = 65536
const MAX_PAGES = 65536 // 4 GiB reserved; pages are committed by the OS only when touched
/** Bytes at the start reserved for the kernels' own scratch (edge tiles) and control words. */
const RESERVED = 64 * 1024
const MIN_CLASS = 6 // 64 bytes
/** Beyond this much engine memory, new allocations are ordinary (garbage-collected) arrays. */
export const SOFT_LIMIT = 1024 * 1024 * 1024

export class EngineMemory {
  readonly memory: WebAssembly.Memory
  private readonly known = new WeakSet<ArrayBufferLike>()
  private top = RESERVED
  private readonly free: number[][] = []
  private readonly registry = new FinalizationRegistry<{ ptr: number; cls: number }>((b) => this.toFreeList(b.ptr, b.cls))
  /** Blocks handed out by allocF32 and not yet released, by their view. */
  private readonly live = new WeakMap<Float32Array, { ptr: number; cls: number }>()

  constructor(memory?: WebAssembly.Memory) {
    this.memory = memory ?? new WebAssembly.Memory({ initial: 64, maximum: MAX_PAGES, shared: true })
    this.known.add(this.memory.buffer)
  }

  /** True when `a` (any typed array) views this memory; its byte offset is then its address for the kernels. */
  owns(a: ArrayBufferView): boolean {
    return this.known.has(a.buffer)
  }

  /** A zeroed Float32Array of n elements in this memory, freed automatically when unreachable. */
  allocF32(n: number): Float32Array {
    const bytes = Math.max(4, n * 4)
    const cls = Math.max(MIN_CLASS, Math.ceil(Math.log2(bytes)))
    const list = this.free[cls]
    let ptr = list && list.length > 0 ? list.pop()! : -1
    if (ptr < 0) {
      if (this.top + 2 ** cls > SOFT_LIMIT) return new Float32Array(n)
      ptr = this.top
      this.top += 2 ** cls
      this.ensure(this.top)
    }
    const view = new Float32Array(this.memory.buffer, ptr, n)
    view.fill(0)
    const block = { ptr, cls }
    this.registry.register(view, block, view)
    this.live.set(view, block)
    return view
  }

  /**
   * Gives a block from allocF32 back at once. The caller promises nothing reads or writes `view` any more.
   * Anything else (an ordinary array, a subarray, a view already released) is ignored.
   */
  release(view: Float32Array): void {
    const block = this.live.get(view)
    if (!block) return
    this.live.delete(view)
    this.registry.unregister(view)
    this.toFreeList(block.ptr, block.cls)
  }

  /** Bytes of engine memory handed out so far (released blocks included; they are reused). */
  get reservedBytes(): number {
    return this.top
  }

  /** A raw region of `bytes` (kernel workspaces) that lives until the memory does. */
  reserve(bytes: number): number {
    const ptr = (this.top + 63) & ~63
    this.top = ptr + bytes
    this.ensure(this.top)
    return ptr
  }

  /** Current buffer (refreshed after growth) for making views. */
  get buffer(): ArrayBufferLike {
    return this.memory.buffer
  }

  private ensure(end: number): void {
    const have = this.memory.buffer.byteLength
    if (end <= have) return
    const pages = Math.ceil((end - have) / PAGE)
    // Grow in large steps so that growth is rare.
    const current = have / PAGE
    const step = Math.min(MAX_PAGES - current, Math.max(pages, Math.ceil(current / 2)))
    if (step < pages) throw new Error(`engine memory: out of memory (needs ${end} bytes, limit ${MAX_PAGES * PAGE})`)
    this.memory.grow(step)
    this.known.add(this.memory.buffer)
  }

  private toFreeList(ptr: number, cls: number): void {
    ;(this.free[cls] ??= []).push(ptr)
  }
}
