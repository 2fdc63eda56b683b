/**
 * The engine's memory: one shared WebAssembly.Memory that the WASM kernels address directly and that
 * every kernel-pool thread can map. Tensors allocated here cost no copy when they enter a WASM kernel.
 *
 * Allocation is by size classes with free lists: powers of two up to 64 KiB, and above that quarter steps between
 * powers of two (sizeClass), so that a large block takes at most a quarter more than it asks for rather than nearly
 * twice (a 2.1 MB weight took a 4 MB block: across the presets, the blocks cut were 21–65 % over what was asked).
 * A block returns to its list when its owner
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
const MIN_CLASS = 6 // 64 bytes, which is also every block's alignment
/** Up to 2^SPLIT_FROM bytes (64 KiB) a class is a power of two: small blocks are many and the waste is small. */
const SPLIT_FROM = 16
/** Classes between two powers of two above that: a block wastes under 1/STEPS of the power below it. */
const STEPS = 4

/**
 * The size class of a block of `bytes`: its id (the free list it returns to) and the bytes it takes. Every class's
 * size is a multiple of 64 (of 2^(SPLIT_FROM − 2) above 64 KiB), so blocks cut one after another stay aligned.
 */
export function sizeClass(bytes: number): { id: number; size: number } {
  const k = Math.max(MIN_CLASS, Math.ceil(Math.log2(Math.max(1, bytes))))
  if (k <= SPLIT_FROM) return { id: k * STEPS, size: 2 ** k }
  // between 2^(k−1) and 2^k, in steps of 2^(k−1) / STEPS: the smallest step that holds `bytes`
  const step = 2 ** (k - 1) / STEPS
  const j = Math.ceil((bytes - 2 ** (k - 1)) / step)
  return { id: (k - 1) * STEPS + j, size: 2 ** (k - 1) + j * step }
}
/** Beyond this much engine memory, new allocations are ordinary (garbage-collected) arrays. */
export const SOFT_LIMIT = 1024 * 1024 * 1024
/**
 * Where the arenas of other threads sharing a memory begin (shareArenas), and where they end: above this
 * thread's soft limit with room for its workspaces, and below 2 GiB, so that every address stays a positive
 * int32 (the JavaScript side shifts addresses with >>).
 */
const ARENAS_FROM = SOFT_LIMIT + 64 * 1024 * 1024
const ARENAS_TO = 2 * 1024 * 1024 * 1024

/**
 * The engine memory cannot take a block or workspace: `needs`, the bytes it would then hold in all (up to the new
 * region's end), is past `limit`, the bytes it may hold (this thread's part, or the whole memory). A run fails with it
 * (train/session.ts words it for the page with both sizes, saying what to make smaller).
 */
export class EngineMemoryError extends Error {
  constructor(readonly needs: number, readonly limit: number, message?: string) {
    super(message ?? `engine memory: out of memory (needs ${needs} bytes, limit ${limit})`)
    this.name = 'EngineMemoryError'
  }

  /**
   * The error again from a text holding its message (a replica thread's failure reaches the training thread as
   * text: data-parallel.ts), keeping that text; null when the text is not one.
   */
  static fromMessage(text: string): EngineMemoryError | null {
    const m = /engine memory: out of memory \(needs (\d+) bytes, limit (\d+)[);]/.exec(text)
    return m ? new EngineMemoryError(Number(m[1]), Number(m[2]), text) : null
  }
}

/** A region [base, end) of a shared memory whose blocks one EngineMemory hands out. */
export interface Arena { readonly base: number; readonly end: number }

export class EngineMemory {
  readonly memory: WebAssembly.Memory
  private readonly known = new WeakSet<ArrayBufferLike>()
  private top: number
  /** Where this allocator's region begins (0 for a whole memory, an arena's base). */
  private readonly base: number
  /** Where this allocator's blocks end (reserve() throws beyond) and where allocF32 turns to ordinary arrays. */
  private end: number
  /** Where they end while no arenas are lent (shareArenas lowers `end` below the arenas until they come back). */
  private readonly ownEnd: number
  /** The arenas lent out (shareArenas) and not yet given back (returnArenas), or null. */
  private lent: Arena[] | null = null
  private readonly soft: number
  private readonly free: number[][] = []
  private readonly registry = new FinalizationRegistry<{ ptr: number; cls: number }>((b) => this.toFreeList(b.ptr, b.cls))
  /** Blocks handed out by allocF32 and not yet released, by their view (cls: sizeClass's id, size: its bytes). */
  private readonly live = new WeakMap<Float32Array, { ptr: number; cls: number; size: number }>()
  /** Bytes of the blocks cut so far (their classes' sizes), and the bytes those blocks were first asked for. */
  private cut = 0
  private asked = 0
  /** The parts of lent arenas their threads have used ([start, end), merged, in order): noteArenaUse. */
  private usedInArenas: Array<[number, number]> = []

  /**
   * `arena`: allocate only inside this region of `memory`, which another thread's EngineMemory owns and
   * gave out (shareArenas): the two threads' kernels then work on each other's buffers in place.
   */
  constructor(memory?: WebAssembly.Memory, arena?: Arena) {
    this.memory = memory ?? new WebAssembly.Memory({ initial: 64, maximum: MAX_PAGES, shared: true })
    this.known.add(this.memory.buffer)
    this.top = arena?.base ?? RESERVED
    this.base = arena?.base ?? 0
    this.end = arena?.end ?? MAX_PAGES * PAGE
    this.ownEnd = this.end
    // an arena keeps its last quarter for workspaces (reserve), as the whole memory keeps what is past SOFT_LIMIT
    this.soft = arena ? arena.end - Math.floor((arena.end - arena.base) / 4) : SOFT_LIMIT
  }

  /**
   * Lends `count` arenas for other threads, cut out of this memory above this allocator's own blocks, and
   * keeps this allocator below them until they are given back (returnArenas). Null when this allocator has
   * already passed where they begin, or while arenas lent before are still out: every call would cut the same
   * address ranges, and two threads allocating in one region would overwrite each other's buffers, so a second
   * pool of threads gets none (its replicas then keep their own memory and copy) until the first gives them back.
   */
  shareArenas(count: number): Arena[] | null {
    if (this.lent !== null || this.top > ARENAS_FROM || count < 1) return null
    this.end = Math.min(this.ownEnd, ARENAS_FROM)
    const span = Math.floor((ARENAS_TO - ARENAS_FROM) / count / PAGE) * PAGE
    this.lent = Array.from({ length: count }, (_, i) => ({ base: ARENAS_FROM + i * span, end: ARENAS_FROM + (i + 1) * span }))
    return this.lent
  }

  /**
   * Takes back the arenas `shareArenas` returned, once no thread allocates in them any more (their threads
   * have exited): they can be lent again, and this allocator may grow past where they begin. Anything else
   * (arenas already given back, another call's) is ignored.
   */
  returnArenas(arenas: readonly Arena[]): void {
    if (arenas !== this.lent) return
    this.lent = null
    this.end = this.ownEnd
  }

  /**
   * Records that a thread allocating in `arena` (one of shareArenas') has used it up to address `top` (its allocator's
   * reservedBytes): those pages are the memory's now, whichever thread used them, and stay so (touchedBytes).
   */
  noteArenaUse(arena: Arena, top: number): void {
    const end = Math.min(arena.end, top)
    if (end <= arena.base) return
    const spans = [...this.usedInArenas, [arena.base, end] as [number, number]].sort((a, b) => a[0] - b[0])
    const merged: Array<[number, number]> = []
    for (const [a, b] of spans) {
      const last = merged[merged.length - 1]
      if (last && a <= last[1]) last[1] = Math.max(last[1], b)
      else merged.push([a, b])
    }
    this.usedInArenas = merged
  }

  /**
   * Bytes of this memory that some allocator has used so far: this one's blocks and workspaces (up to its top) and
   * the parts of the arenas other threads used (noteArenaUse), each counted once. The system has given the memory
   * pages for them, and a WebAssembly memory never gives pages back, released blocks or not: this is about what the
   * memory keeps of the process's resident size for as long as it lives (the whole memory's length counts the
   * untouched gap below the arenas too). Once the arenas are back this allocator may grow past where they begin, over
   * pages a replica touched: those count once (only the parts of the arenas above its top are added).
   */
  get touchedBytes(): number {
    return this.top - this.base + this.usedInArenas.reduce((s, [a, b]) => s + Math.max(0, b - Math.max(a, this.top)), 0)
  }

  /** Whether arenas are lent out now (shareArenas, not yet returnArenas). */
  get arenasLent(): boolean {
    return this.lent !== null
  }

  /** True when `a` (any typed array) views this memory; its byte offset is then its address for the kernels. */
  owns(a: ArrayBufferView): boolean {
    return this.known.has(a.buffer)
  }

  /** A zeroed Float32Array of n elements in this memory, freed automatically when unreachable. */
  allocF32(n: number): Float32Array {
    const bytes = Math.max(4, n * 4)
    const { id: cls, size } = sizeClass(bytes)
    const list = this.free[cls]
    let ptr = list && list.length > 0 ? list.pop()! : -1
    if (ptr < 0) {
      // a workspace (reserve) may have left the top unaligned (arithmetic, not & ~63: an arena may end at 2^31)
      ptr = Math.ceil(this.top / 64) * 64
      if (ptr + size > this.soft) return new Float32Array(n)
      this.ensure(ptr + size)
      this.top = ptr + size
      this.cut += size
      this.asked += bytes
    }
    const view = new Float32Array(this.buffer, ptr, n)
    view.fill(0)
    const block = { ptr, cls, size }
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

  /**
   * `view`'s block again as a zeroed Float32Array of `n` elements, as allocF32 would give it, when the block's size
   * class holds them: a layer's buffer cut for a batch of B serves a shorter last batch (its own rows, at the block's
   * start) and then B again, where releasing it and asking anew cut a block of the shorter batch's class beside it,
   * which its free list kept. Null, nothing changed, when the block is too small or `view` is not a live block here
   * (an ordinary array, a subarray, a released view). The block is the new view's from now on (release() takes that
   * one); the caller promises that nothing reads or writes `view` any more.
   */
  refit(view: Float32Array, n: number): Float32Array | null {
    const block = this.live.get(view)
    if (!block || Math.max(4, n * 4) > block.size) return null
    this.live.delete(view)
    this.registry.unregister(view)
    const fresh = new Float32Array(this.buffer, block.ptr, n)
    fresh.fill(0)
    this.registry.register(fresh, block, fresh)
    this.live.set(fresh, block)
    return fresh
  }

  /** Bytes of engine memory handed out so far (released blocks included; they are reused). */
  get reservedBytes(): number {
    return this.top
  }

  /**
   * The blocks allocF32 has cut so far: `bytes`, what they take (their size classes), and `asked`, what they were
   * first asked for (a block reused for a smaller request counts once); the difference is the rounding.
   */
  get blockBytes(): { bytes: number; asked: number } {
    return { bytes: this.cut, asked: this.asked }
  }

  /**
   * A raw region of `bytes` (kernel workspaces) that lives until the memory does. Aligned as allocF32's blocks are, with
   * arithmetic: (top + 63) & ~63 turned negative for a top within 63 bytes of 2^31 (an arena's end), a region at a
   * negative address that passed the limit check, where the memory's end refuses it now.
   */
  reserve(bytes: number): number {
    const ptr = Math.ceil(this.top / 64) * 64
    this.ensure(ptr + bytes)
    this.top = ptr + bytes
    return ptr
  }

  /**
   * Current buffer (refreshed after growth) for making views. A memory that another thread grew gives a new
   * buffer object here; it is remembered, so that owns() knows views made on it.
   */
  get buffer(): ArrayBufferLike {
    const b = this.memory.buffer
    this.known.add(b)
    return b
  }

  private ensure(end: number): void {
    if (end > this.end) throw new EngineMemoryError(end, this.end)
    const have = this.memory.buffer.byteLength
    if (end <= have) return
    const pages = Math.ceil((end - have) / PAGE)
    // Grow in large steps so that growth is rare.
    const current = have / PAGE
    const step = Math.min(MAX_PAGES - current, Math.max(pages, Math.ceil(current / 2)))
    if (step < pages) throw new EngineMemoryError(end, MAX_PAGES * PAGE)
    try {
      this.memory.grow(step)
    } catch (e) {
      // another thread sharing the memory may have grown it meanwhile (past what this step allowed); else the
      // system gave no more: as much as the memory holds now is the limit
      const have = this.memory.buffer.byteLength
      if (have < end) throw new EngineMemoryError(end, have, `engine memory: out of memory (needs ${end} bytes, limit ${have}; growing failed: ${e instanceof Error ? e.message : String(e)})`)
    }
    this.known.add(this.memory.buffer)
  }

  private toFreeList(ptr: number, cls: number): void {
    ;(this.free[cls] ??= []).push(ptr)
  }
}
