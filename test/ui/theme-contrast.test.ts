/**
 * The theme's colours, read from app.css as the app uses them: every colour that is used for text reads at 4.5 : 1
 * or more (WCAG AA for body text) on each surface it is written on, in the light theme and in the dark one.
 * Light --ok on a panel was 4.3 ("✓ Ready to train"), light --warn on its own soft background 3.3 (the "paused"
 * pill), and the explainers' hard-coded orange 3.4–3.9 in both themes; the pairs below are where each is written.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CELL_TINT_MAX, cellTint } from '../../src-renderer/components/train/confusion-tint'

const CSS = readFileSync(resolve(__dirname, '../../src-renderer/app.css'), 'utf8')

/** The `--name: #rrggbb` declarations of the first rule whose selector is exactly `selector`. */
function variables(selector: string): Record<string, string> {
  const start = CSS.indexOf(`${selector} {`)
  if (start < 0) throw new Error(`app.css has no rule for ${selector}`)
  const body = CSS.slice(CSS.indexOf('{', start) + 1, CSS.indexOf('\n}', start))
  const out: Record<string, string> = {}
  for (const m of body.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6})\s*;/gi)) out[m[1]] = m[2].toLowerCase()
  return out
}

const light = variables(':root')
const THEMES = { light, dark: { ...light, ...variables(":root[data-theme='dark']") } }

function rgb(hex: string): number[] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16))
}

/** `color-mix(in srgb, a p, b)` as the browser computes it, back to #rrggbb. */
function mix(a: string, p: number, b: string): string {
  const x = rgb(a), y = rgb(b)
  return '#' + x.map((v, i) => Math.round(v * p + y[i] * (1 - p)).toString(16).padStart(2, '0')).join('')
}

function luminance(hex: string): number {
  const [r, g, b] = rgb(hex).map((v) => v / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((p, q) => q - p)
  return (hi + 0.05) / (lo + 0.05)
}

/** [text, background, where]: a background is a variable or a mix computed from the theme. */
type Pair = [string, string | ((v: Record<string, string>) => string), string]
const PAIRS: Pair[] = [
  ['text', 'bg', 'page text'],
  ['text', 'panel', 'card text'],
  ['text', 'panel-2', 'text in a tile or a field group'],
  ['text', 'accent-soft', 'a chosen lesson, a note'],
  ['text', 'warn-soft', 'a warning banner'],
  ['text', 'error-soft', 'an error banner'],
  ['muted', 'bg', 'a page intro'],
  ['muted', 'panel', 'help under a field'],
  ['muted', 'panel-2', 'a tile label'],
  ['accent', 'panel', 'a link-like button, an active tab'],
  ['accent', 'bg', 'the active tab'],
  ['accent', 'panel-2', 'a forward value in the backprop graph'],
  ['on-accent', 'accent', 'a primary button'],
  ['ok', 'panel', '"✓ Ready to train", a right quiz answer'],
  ['ok', 'bg', 'the editor summary'],
  ['ok', (v) => mix(v.ok, 0.15, v.panel), 'the "done" pill'],
  ['warn', 'panel', 'a layer warning badge'],
  ['warn', 'warn-soft', 'the "paused" pill'],
  ['error', 'panel', 'a field problem'],
  ['error', 'error-soft', 'an error banner'],
  ['hot', 'panel', 'im2col weights caption, grad-check "fair"'],
  ['hot', 'panel-2', 'a gradient in the backprop graph'],
  ['text', (v) => mix('#e0963f', 0.22, v.panel), 'a convolution window or filter cell, the im2col row (an orange tint of the panel)'],
  // the confusion matrix's counts on their cells at the strongest tint (ConfusionPanel, confusion-tint.ts)
  ['text', (v) => mix(v.ok, CELL_TINT_MAX, v['panel-2']), 'a confusion-matrix count on the diagonal'],
  ['text', (v) => mix(v.error, CELL_TINT_MAX, v['panel-2']), 'a confusion-matrix count off the diagonal']
]

describe('theme colours', () => {
  for (const [name, theme] of Object.entries(THEMES)) {
    it(`${name}: every text colour reads at 4.5 : 1 or more where it is used`, () => {
      const low: string[] = []
      for (const [fg, bg, where] of PAIRS) {
        const back = typeof bg === 'function' ? bg(theme) : theme[bg]
        expect(theme[fg], `--${fg} in the ${name} theme`).toMatch(/^#[0-9a-f]{6}$/)
        expect(back, `background for ${where}`).toMatch(/^#[0-9a-f]{6}$/)
        const r = contrast(theme[fg], back)
        if (r < 4.5) low.push(`--${fg} on ${typeof bg === 'string' ? `--${bg}` : back} (${where}): ${r.toFixed(2)}`)
      }
      expect(low).toEqual([])
    })
  }

  it('tints a confusion-matrix cell no more than CELL_TINT_MAX, more for a larger share', () => {
    for (const diag of [true, false]) {
      const tints = [0, 0.01, 0.05, 0.2, 0.5, 0.98, 1, 2, -1, NaN].map((share) => cellTint(diag, share))
      expect(tints.every((a) => a >= 0.1 && a <= CELL_TINT_MAX), tints.join(' ')).toBe(true)
    }
    expect(cellTint(true, 0.2)).toBeLessThan(cellTint(true, 0.98))
    expect(cellTint(false, 0.01)).toBeLessThan(cellTint(false, 0.1))
  })

  it('computes WCAG contrast as published (black on white 21, equal colours 1)', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5)
    expect(contrast('#777777', '#777777')).toBe(1)
    expect(contrast('#767676', '#ffffff')).toBeCloseTo(4.54, 2)
  })
})

/** Every `<style>` rule in the renderer's components and pages that sets a text colour as a literal (#rgb, #rrggbb). */
function literalTextColours(): { file: string; rule: string; color: string; background: string | null }[] {
  const root = resolve(__dirname, '../../src-renderer')
  const out: { file: string; rule: string; color: string; background: string | null }[] = []
  const long = (h: string): string => (h.length === 4 ? '#' + [...h.slice(1)].map((c) => c + c).join('') : h).toLowerCase()
  for (const file of readdirSync(root, { recursive: true }) as string[]) {
    if (!file.endsWith('.svelte')) continue
    const text = readFileSync(resolve(root, file), 'utf8')
    const style = /<style>([\s\S]*?)<\/style>/.exec(text)?.[1] ?? ''
    for (const m of style.replace(/\/\*[\s\S]*?\*\//g, '').matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
      const color = /(?<![-\w])color:\s*(#[0-9a-f]{3}(?:[0-9a-f]{3})?)\b/i.exec(m[2])?.[1]
      if (!color) continue
      const background = /(?<![-\w])background(?:-color)?:\s*(#[0-9a-f]{3}(?:[0-9a-f]{3})?)\b/i.exec(m[2])?.[1]
      out.push({ file, rule: m[1].trim(), color: long(color), background: background ? long(background) : null })
    }
  }
  return out
}

describe('text colours written into components', () => {
  it('a literal text colour comes with its own literal background and reads at 4.5 : 1 on it (else it must be a theme variable)', () => {
    const found = literalTextColours()
    // the explainers' picked cells (Grid .pick, the pooling's .o.hot: dark digits on orange) are here: the scan sees them
    expect(found.length).toBeGreaterThanOrEqual(2)
    const bad = found
      .filter((f) => f.background === null || contrast(f.color, f.background) < 4.5)
      .map((f) => `${f.file} ${f.rule}: ${f.color} on ${f.background ?? 'the theme\'s panel (no background of its own)'}`
        + (f.background ? ` ${contrast(f.color, f.background).toFixed(2)}` : ''))
    expect(bad).toEqual([])
  })
})
