/**
 * The learner's own labelled drawings ("add to the dataset"). They are kept in the browser's storage,
 * shown on the draw page, and appended to the training set of the next run on the built-in digits.
 */
const KEY = 'backprop-lab.drawings'
const MAX = 500

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
    if (this.find(image)) return false
    const d: Drawing = { image: kept(image), label }
    this.list = [...this.list, d].slice(-MAX)
    this.save()
    return true
  }

  remove(index: number): void {
    this.list = this.list.filter((_, i) => i !== index)
    this.save()
  }

  clear(): void {
    this.list = []
    this.save()
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
