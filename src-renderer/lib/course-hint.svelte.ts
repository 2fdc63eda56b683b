/**
 * The first launch's pointer to the course: the lab opens on the architecture editor with the book's ConvNet,
 * and nothing said that the course starts under Lessons, the last tab (K4's walk). A line says so on a first
 * launch, until the learner closes it or opens the lessons; then never again (remembered like the theme and
 * the language, in localStorage; without storage, for the session).
 */
const KEY = 'backprop-lab.courseHint'

/** What earlier visits leave behind: a run's measured speed (speed.svelte.ts), kept drawings (drawings.svelte.ts). */
const EARLIER_USE = ['backprop-lab.speed', 'backprop-lab.drawings'] as const

type Store = Pick<Storage, 'getItem'> | undefined

/**
 * The hint was closed, or the lab was used before this hint existed. The language and theme choices are not
 * signs of use: a newcomer picks Korean before anything else.
 */
export function hintDone(store: Store): boolean {
  try {
    return store?.getItem(KEY) === 'done' || EARLIER_USE.some((k) => store?.getItem(k) != null)
  } catch {
    return false
  }
}

/** What the page shows now: the hint belongs to a fresh lab on the editor (nothing opened, saved or trained). */
export interface HintScene {
  page: 'editor' | 'train' | 'draw' | 'lessons'
  /** the open project's file name (files.svelte.ts), null before one is opened or saved */
  fileName: string | null
  /** recent projects the host remembers */
  recent: number
  runs: number
  trained: boolean
}

export function showHint(done: boolean, s: HintScene): boolean {
  return !done && s.page === 'editor' && s.fileName === null && s.recent === 0 && s.runs === 0 && !s.trained
}

class CourseHint {
  done = $state(hintDone(globalThis.localStorage))

  /** Closed, or the lessons opened: not shown again, on this launch or any later one. */
  finish(): void {
    if (this.done) return
    this.done = true
    try {
      globalThis.localStorage?.setItem(KEY, 'done')
    } catch {
      // not remembered; hidden for this session
    }
  }
}

export const courseHint = new CourseHint()
