/**
 * Korean and English messages. Each area of the app owns one file per language
 * (i18n/en/<area>.ts, i18n/ko/<area>.ts) with identical keys; keys are used as `area.key`.
 * t('train.start') looks the key up in the current language; {name} placeholders are filled from `values`.
 */
const enFiles = import.meta.glob<{ default: Record<string, string> }>('./en/*.ts', { eager: true })
const koFiles = import.meta.glob<{ default: Record<string, string> }>('./ko/*.ts', { eager: true })

export type Lang = 'en' | 'ko'

function flatten(files: Record<string, { default: Record<string, string> }>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [path, mod] of Object.entries(files)) {
    const area = path.replace(/^.*\/([^/]+)\.ts$/, '$1')
    for (const [k, v] of Object.entries(mod.default)) out[`${area}.${k}`] = v
  }
  return out
}

export const catalogues: Record<Lang, Record<string, string>> = { en: flatten(enFiles), ko: flatten(koFiles) }

const STORAGE_KEY = 'backprop-lab.lang'

function initialLang(): Lang {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY)
    if (saved === 'en' || saved === 'ko') return saved
  } catch {
    // storage may be unavailable (tests, privacy settings): fall back to the system language
  }
  const nav = globalThis.navigator?.language ?? 'en'
  return nav.toLowerCase().startsWith('ko') ? 'ko' : 'en'
}

class I18n {
  lang = $state<Lang>(initialLang())

  constructor() {
    this.apply()
  }

  set(lang: Lang): void {
    this.lang = lang
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, lang)
    } catch {
      // not remembered; still switched
    }
    this.apply()
  }

  /** <html lang> picks the right fonts and line breaking for Korean, and tells screen readers. */
  private apply(): void {
    if (globalThis.document) document.documentElement.lang = this.lang
  }
}

export const i18n = new I18n()

/** A Hangul syllable: a particle or word that follows a value in a Korean message. */
const SYLLABLE = /^[\uAC00-\uD7A3]/

/**
 * Translate `area.key`, filling {placeholders}. A missing key shows itself, so it is noticed.
 * A value ending in ')' that a Korean syllable follows ('{name}의' with “간단한 합성곱 신경망 (책)”) gets the word joiner
 * (U+2060) the Korean catalogues put after their own ')' before a particle: Chromium breaks a line after ')', and the
 * particle began the next line (korean-breaks.test.ts).
 */
export function t(key: string, values?: Record<string, string | number>): string {
  const text = catalogues[i18n.lang][key] ?? catalogues.en[key] ?? key
  if (!values) return text
  return text.replace(/\{(\w+)\}/g, (m, name: string, at: number) => {
    if (!(name in values)) return m
    const v = String(values[name])
    return v.endsWith(')') && SYLLABLE.test(text.slice(at + m.length)) ? `${v}\u2060` : v
  })
}

/**
 * A message to translate when it is shown rather than when it is made, so text kept for later (a toast,
 * an error under a form) follows a language switch. Values that are themselves messages are translated too.
 */
export interface Msg {
  key: string
  /** A function value is text worded elsewhere (an editor issue inside a refusal), called when drawn. */
  values?: Record<string, string | number | Msg | (() => string)>
}

export function msg(key: string, values?: Msg['values']): Msg {
  return values ? { key, values } : { key }
}

/** The text of a message in the current language; a plain string (the host's own words) is shown as is. */
export function tr(m: Msg | string): string {
  if (typeof m === 'string') return m
  if (!m.values) return t(m.key)
  const values: Record<string, string | number> = {}
  for (const [k, v] of Object.entries(m.values)) values[k] = typeof v === 'function' ? v() : typeof v === 'object' ? tr(v) : v
  return t(m.key, values)
}

/** Two messages are the same when they would read the same in every language. */
export function sameMsg(a: Msg | string, b: Msg | string): boolean {
  return typeof a === 'string' || typeof b === 'string' ? a === b : JSON.stringify(a) === JSON.stringify(b)
}

// One formatter per language: toLocaleString builds a new one on every call, which showed up as
// several milliseconds per edit in the editor's profile (dozens of numbers re-rendered at once).
const intFormats: Partial<Record<Lang, Intl.NumberFormat>> = {}

/** Numbers with the locale's grouping, e.g. 433,890. */
export function fmtInt(n: number): string {
  const lang = i18n.lang
  const f = (intFormats[lang] ??= new Intl.NumberFormat(lang === 'ko' ? 'ko-KR' : 'en-US'))
  return f.format(n)
}
