/**
 * The engine's memory: one shared WebAssembly.Memory that the WASM kernels address directly and that
 * every kernel-pool thread can map. Tensors allocated here cost no copy when they enter a WASM kernel.
 *
 * Allocation is by power-of-two size classes with free lists; a block returns to its list when the
 * Float32Array viewing it is garbage-collected (FinalizationRegistry), so layers can allocate as usual.
 * Growing a shared memory never detaches old views, so views stay valid; every buffer object the memory
 * has handed out is remembered to recognise them.
 */

const PAGE = 65536
const MAX_PAGES = 65536 // 4 GiB reserved; pages are committed by the OS only when touched
/** Bytes at the start reserved for the kernels' own scratch (edge tiles) and control words. */
const RESERVED = 64 * 1024
const MIN_CLASS = 6 // 64 bytes

export class EngineMemory {
  readonly memory: WebAssembly.Memory
  private readonly known = new WeakSet<ArrayBufferLike>()
  private top = RESERVED
  private readonly free: number[][] = []
  private readonly registry = new FinalizationRegistry<{ ptr: number; cls: number }>((b) => this.release(b.ptr, b.cls))

  constructor(memory?: WebAssembly.Memory) {
    this.memory = memory ?? new WebAssembly.Memory({ initial: 64, maximum: MAX_PAGES, shared: true })
    this.known.add(this.memory.buffer)
  }

  /** True when `a` views this memory; its byte offset is then its address for the kernels. */
  owns(a: Float32Array): boolean {
    return this.known.has(a.buffer)
  }

  /** A zeroed Float32Array of n elements in this memory, freed automatically when unreachable. */
  allocF32(n: number): Float32Array {
    const bytes = Math.max(4, n * 4)
    const cls = Math.max(MIN_CLASS, Math.ceil(Math.log2(bytes)))
    const list = this.free[cls]
    let ptr = list && list.length > 0 ? list.pop()! : -1
    if (ptr < 0) {
      ptr = this.top
      this.top += 2 ** cls
      this.ensure(this.top)
    }
    const view = new Float32Array(this.memory.buffer, ptr, n)
    view.fill(0)
    this.registry.register(view, { ptr, cls })
    return view
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

  private release(ptr: number, cls: number): void {
    ;(this.free[cls] ??= []).push(ptr)
  }
}
