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

class Drawings {
  list = $state.raw<Drawing[]>(load())

  add(image: Float32Array, label: number): void {
    const d: Drawing = { image: Array.from(image, (v) => Math.round(v * 1000) / 1000), label }
    this.list = [...this.list, d].slice(-MAX)
    this.save()
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
