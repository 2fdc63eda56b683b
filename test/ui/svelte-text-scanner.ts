/**
 * Finds user-facing text written as literals in a Svelte component: text nodes outside `{…}` and
 * literal values of attributes people read (title, aria-label, placeholder, alt…). Scripts, styles
 * and comments are ignored. An allow-list keeps brand names, language names and symbols.
 */
export interface Finding {
  line: number
  text: string
  /** 'text' for a text node, otherwise the attribute's name. */
  where: string
}

/** Attributes whose values are read or heard by the learner. */
const USER_ATTRS = new Set([
  'title', 'alt', 'placeholder', 'label', 'aria-label', 'aria-description', 'aria-placeholder',
  'aria-roledescription', 'aria-valuetext'
])

/** Names that stay the same in every language (product, datasets, formats, language endonyms). */
const ALLOWED = new Set([
  'Backprop Lab', '한국어', 'English', 'MNIST', 'Fashion-MNIST', 'ONNX', 'safetensors', 'Chart.js'
])

/** True for text that needs no translation: allow-listed names, symbols, numbers, short math letters. */
export function isAllowed(text: string): boolean {
  if (ALLOWED.has(text)) return true
  const words = text.match(/\p{L}+/gu)
  if (!words) return true
  // Variable names in formulas (N, C, H, W, FN, σ, x…) are not words a learner would translate.
  return words.every((w) => w.length <= 2 && /^[A-Za-z\u0370-\u03ff]+$/.test(w))
}

/** Replaces [from, to) with spaces, keeping newlines so line numbers survive. */
function blank(s: string, from: number, to: number): string {
  return s.slice(0, from) + s.slice(from, to).replace(/[^\n]/g, ' ') + s.slice(to)
}

/** Blanks every `{…}` expression, nested braces and quoted strings included. */
function blankExpressions(s: string): string {
  const chars = [...s]
  let depth = 0
  let quote: string | null = null
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]
    if (depth === 0) {
      if (c === '{') {
        depth = 1
        chars[i] = ' '
      }
      continue
    }
    if (quote) {
      if (c === '\\') {
        if (chars[i + 1] !== '\n') chars[i + 1] = ' '
        chars[i] = ' '
        i++
        continue
      }
      if (c === quote) quote = null
    } else if (c === '"' || c === "'" || c === '`') {
      quote = c
    } else if (c === '{') {
      depth++
    } else if (c === '}') {
      depth--
    }
    if (c !== '\n') chars[i] = ' '
  }
  return chars.join('')
}

function lineAt(s: string, index: number): number {
  let line = 1
  for (let i = 0; i < index; i++) if (s.charCodeAt(i) === 10) line++
  return line
}

export function scanSvelte(source: string): Finding[] {
  let s = source
  for (const re of [/<script\b[\s\S]*?<\/script>/g, /<style\b[\s\S]*?<\/style>/g, /<!--[\s\S]*?-->/g]) {
    for (const m of [...s.matchAll(re)]) s = blank(s, m.index!, m.index! + m[0].length)
  }
  s = blankExpressions(s)

  const findings: Finding[] = []
  const tags = [...s.matchAll(/<\/?[A-Za-z][^>]*>/g)]
  for (const tag of tags) {
    for (const a of tag[0].matchAll(/([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      const name = a[1].toLowerCase()
      const value = (a[2] ?? a[3] ?? '').replace(/\s+/g, ' ').trim()
      if (USER_ATTRS.has(name) && value && !isAllowed(value)) {
        findings.push({ line: lineAt(s, tag.index! + a.index!), text: value, where: name })
      }
    }
  }
  // What lies between two tags is a text node (expressions already blanked).
  const cuts = [0, ...tags.flatMap((t) => [t.index!, t.index! + t[0].length]), s.length]
  for (let i = 0; i < cuts.length - 1; i += 2) {
    const from = cuts[i]
    const to = cuts[i + 1]
    const raw = s.slice(from, to)
    const text = raw.replace(/\s+/g, ' ').trim()
    if (!text || isAllowed(text)) continue
    const first = from + raw.search(/\S/)
    findings.push({ line: lineAt(s, first), text, where: 'text' })
  }
  return findings.sort((a, b) => a.line - b.line)
}
