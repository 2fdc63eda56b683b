/**
 * The learner's own labelled drawings ("add to the dataset"). They are kept in the browser's storage,
 * shown on the draw page, and appended to the training set of the next run on the built-in digits.
 */
const KEY = 'backprop-lab.drawings'
/** The most drawings kept (about 2 MB of the browser's storage, whose quota is about 5 MB). */
export const MAX_DRAWINGS = 500

export interface Drawing { image: number[]; label: number }

function load(): Drawing[] {
  try {
    const raw = globalThis.localStorage?.getItem(KEY)
    if (!raw) return []
    const list = JSON.parse(raw) as unknown
    if (!Array.isArray(list)) return []
    return list.filter((d): d is Drawing =>
      typeof d === 'object' && d !== null && Array.isArray((d as Drawing).image) && (d as Drawing).image.length === 784 &&
      Number.isInteger((d as Drawing).label) && (d as Drawing).label >= 0 && (d as Drawing).label <= 9)
  } catch {
    return []
  }
}

/** A drawing's pixels as they are kept (3 decimals, short enough for the browser's storage). */
const kept = (image: ArrayLike<number>): number[] => Array.from(image, (v) => Math.round(v * 1000) / 1000)

class Drawings {
  list = $state.raw<Drawing[]>(load())
  /**
   * What the removals since the last drawing added took away, for Undo: the list before the first of them and how
   * many went. A removal is one click (a thumbnail, or "Remove all" for an evening's work: Q3's F16), so it is undone
   * rather than asked about first: a question every time is answered without reading, and the click stays one.
   * Kept for this page's life (not in storage, which has no room for a second copy).
   */
  removed = $state.raw<{ before: Drawing[]; count: number } | null>(null)
  /** Each kept drawing's index by its pixels, so the page can tell at once whether the drawing on the pad is in the list. */
  private byImage = $derived(new Map(this.list.map((d, i) => [d.image.join(','), i])))

  /** The kept drawing with the same pixels as `image` (its place in the list and label), or null. */
  find(image: ArrayLike<number>): { index: number; label: number } | null {
    const i = this.byImage.get(kept(image).join(','))
    return i === undefined ? null : { index: i, label: this.list[i].label }
  }

  /**
   * Keeps a labelled drawing; one already kept is not added again (false): the same pixels twice would count twice
   * in the training set, or with another label contradict themselves. The page says so (components/draw/AddDrawing.svelte).
   */
  add(image: Float32Array, label: number): boolean {
    if (this.find(image) || this.full) return false
    const d: Drawing = { image: kept(image), label }
    this.list = [...this.list, d]
    // undone now, the removal would take this drawing away too
    this.removed = null
    this.save()
    return true
  }

  /**
   * At MAX_DRAWINGS no more are added (the page says so and how to make room), rather than the oldest being dropped
   * without a word. A list kept before the limit (or past it) loses nothing.
   */
  get full(): boolean {
    return this.list.length >= this.limit
  }

  /** MAX_DRAWINGS (a test of the page's line sets a few: 500 thumbnails take seconds to draw in jsdom). */
  limit = MAX_DRAWINGS

  remove(index: number): void {
    if (index < 0 || index >= this.list.length) return
    this.taking(1)
    this.list = this.list.filter((_, i) => i !== index)
    this.save()
  }

  /** Removes every drawing; `undo()` brings them back. */
  clear(): void {
    if (this.list.length === 0) return
    this.taking(this.list.length)
    this.list = []
    this.save()
  }

  /** Puts back what the removals since the last drawing added took (in their places). */
  undo(): void {
    if (!this.removed) return
    this.list = this.removed.before
    this.removed = null
    this.save()
  }

  /** Forgets what Undo would put back (a fresh page; tests). */
  forgetRemoved(): void {
    this.removed = null
  }

  private taking(count: number): void {
    this.removed = { before: this.removed?.before ?? this.list, count: (this.removed?.count ?? 0) + count }
  }

  /** Per-class counts, for the summary line. */
  counts(): number[] {
    const c = new Array<number>(10).fill(0)
    for (const d of this.list) c[d.label]++
    return c
  }

  private save(): void {
    try {
      globalThis.localStorage?.setItem(KEY, JSON.stringify(this.list))
    } catch {
      // storage full or unavailable: the drawings stay for this session
    }
  }
}

export const drawings = new Drawings()
