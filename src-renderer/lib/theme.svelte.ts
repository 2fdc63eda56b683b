/** Light and dark themes: follows the system until the learner chooses, then remembers. */
const KEY = 'backprop-lab.theme'

function initialDark(): boolean {
  try {
    const saved = globalThis.localStorage?.getItem(KEY)
    if (saved === 'dark') return true
    if (saved === 'light') return false
  } catch {
    // fall through to the system preference
  }
  return globalThis.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false
}

class Theme {
  dark = $state(initialDark())

  constructor() {
    this.apply()
  }

  toggle(): void {
    this.set(!this.dark)
  }

  set(dark: boolean): void {
    this.dark = dark
    try {
      globalThis.localStorage?.setItem(KEY, dark ? 'dark' : 'light')
    } catch {
      // not remembered; still applied
    }
    this.apply()
  }

  private apply(): void {
    if (globalThis.document) document.documentElement.dataset.theme = this.dark ? 'dark' : 'light'
  }
}

export const theme = new Theme()
