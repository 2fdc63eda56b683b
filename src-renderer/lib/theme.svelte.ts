/** Light and dark themes: follows the system until the learner chooses, then remembers the choice. */
const KEY = 'backprop-lab.theme'

function savedChoice(): boolean | null {
  try {
    const saved = globalThis.localStorage?.getItem(KEY)
    if (saved === 'dark') return true
    if (saved === 'light') return false
  } catch {
    // storage unavailable: behave as if nothing was chosen
  }
  return null
}

function systemQuery(): MediaQueryList | null {
  return globalThis.matchMedia?.('(prefers-color-scheme: dark)') ?? null
}

class Theme {
  dark = $state(savedChoice() ?? systemQuery()?.matches ?? false)

  constructor() {
    this.apply()
    // Until the learner picks a theme, a change of the system's theme is followed live.
    systemQuery()?.addEventListener?.('change', (e) => {
      if (savedChoice() === null) {
        this.dark = e.matches
        this.apply()
      }
    })
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
