/**
 * Translations are complete and no page hides English (or Korean) text outside the catalogues.
 * Part 1 compares i18n/en/<area>.ts with i18n/ko/<area>.ts. Part 2 scans every .svelte file under
 * src-renderer for text nodes and user-facing attributes written as literals.
 */
import { describe, expect, it } from 'vitest'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { scanSvelte } from './svelte-text-scanner'

type Catalogue = Record<string, unknown>
const en = import.meta.glob<{ default: Catalogue }>('../../src-renderer/i18n/en/*.ts', { eager: true })
const ko = import.meta.glob<{ default: Catalogue }>('../../src-renderer/i18n/ko/*.ts', { eager: true })

const areaOf = (path: string): string => path.replace(/^.*\/([^/]+)\.ts$/, '$1')
const byArea = (files: Record<string, { default: Catalogue }>): Map<string, Catalogue> =>
  new Map(Object.entries(files).map(([p, m]) => [areaOf(p), m.default]))
const enAreas = byArea(en)
const koAreas = byArea(ko)
const placeholders = (s: string): string[] => [...new Set([...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort()

describe('message catalogues', () => {
  it('exist for the common area in both languages', () => {
    expect(enAreas.has('common')).toBe(true)
    expect(koAreas.has('common')).toBe(true)
  })

  it('have the same area files in English and Korean', () => {
    expect([...koAreas.keys()].sort()).toEqual([...enAreas.keys()].sort())
  })

  for (const area of new Set([...enAreas.keys(), ...koAreas.keys()])) {
    describe(`area "${area}"`, () => {
      const e = enAreas.get(area) ?? {}
      const k = koAreas.get(area) ?? {}

      it('has the same keys in both languages', () => {
        const missingInKo = Object.keys(e).filter((key) => !(key in k))
        const missingInEn = Object.keys(k).filter((key) => !(key in e))
        expect({ missingInKo, missingInEn }).toEqual({ missingInKo: [], missingInEn: [] })
      })

      it('has no empty or non-string messages', () => {
        const bad = [...Object.entries(e).map(([key, v]) => ['en', key, v] as const), ...Object.entries(k).map(([key, v]) => ['ko', key, v] as const)]
          .filter(([, , v]) => typeof v !== 'string' || v.trim() === '')
          .map(([lang, key]) => `${lang}/${area}.ts ${key}`)
        expect(bad).toEqual([])
      })

      it('uses the same {placeholders} in both languages', () => {
        const diff = Object.keys(e)
          .filter((key) => typeof e[key] === 'string' && typeof k[key] === 'string')
          .filter((key) => placeholders(e[key] as string).join() !== placeholders(k[key] as string).join())
          .map((key) => `${area}.${key}: en {${placeholders(e[key] as string)}} vs ko {${placeholders(k[key] as string)}}`)
        expect(diff).toEqual([])
      })
    })
  }

  it('keeps a size such as 28 × 28 on one line (no-break spaces around ×)', () => {
    // '(28 ×' at a line's end and '28)' on the next is hard to read; so is 1920 × 1080 × 3 split anywhere
    const broken: string[] = []
    for (const [lang, areas] of [['en', enAreas], ['ko', koAreas]] as const) {
      for (const [area, c] of areas) {
        for (const [key, v] of Object.entries(c)) if (typeof v === 'string' && /[\d}] × [\d{]|[\d}]\u00a0× [\d{]|[\d}] ×\u00a0[\d{]/.test(v)) broken.push(`${lang}/${area}.${key}`)
      }
    }
    expect(broken).toEqual([])
  })

  it('has Korean text in Korean messages that are not brand names or pure symbols', () => {
    // A forgotten translation usually shows up as the English text copied into ko/.
    const copied: string[] = []
    for (const [area, k] of koAreas) {
      const e = enAreas.get(area) ?? {}
      for (const [key, v] of Object.entries(k)) {
        if (typeof v !== 'string' || v !== e[key]) continue
        const words = v.replace(/\{\w+\}/g, '').match(/[A-Za-z]{4,}/g) ?? []
        // Identical strings are fine for names, units and commands (Backprop Lab, MNIST, Adam, ONNX…).
        if (words.length >= 3) copied.push(`${area}.${key}: "${v}"`)
      }
    }
    expect(copied).toEqual([])
  })

  it('call the mini-batch 미니배치 in Korean and "mini-batch" in English (not a bare 배치 / "batch")', () => {
    // The course's term; 배치 정규화 / "Batch norm" (the layer's name) is the one exception.
    // The lessons' and explainers' areas are checked by their own tests.
    const own = (area: string): boolean => !['lessons', 'explain', 'glossary'].includes(area)
    const bare: string[] = []
    for (const [area, k] of koAreas) {
      if (!own(area)) continue
      for (const [key, v] of Object.entries(k)) {
        if (typeof v === 'string' && /(?<!미니)배치(?! 정규화)/.test(v)) bare.push(`ko ${area}.${key}: "${v}"`)
      }
    }
    for (const [area, e] of enAreas) {
      if (!own(area)) continue
      for (const [key, v] of Object.entries(e)) {
        if (typeof v === 'string' && /(?<!mini-)\bbatch(es)?\b(?! norm)/i.test(v.replace(/\{\w+\}/g, ''))) bare.push(`en ${area}.${key}: "${v}"`)
      }
    }
    expect(bare).toEqual([])
  })
})

describe('svelte-text-scanner', () => {
  it('finds literal text nodes and literal user-facing attributes, and ignores expressions', () => {
    const src = `<script lang="ts">const a = '<b>Not text</b>'</script>
<style>.x::after { content: 'Nope'; }</style>
<!-- a comment with Words -->
<div title="Open file" aria-label={t('x.y')} class="card">{t('a.b')} Hello there
  {#if ok}<span>{count} × {size}</span>{:else}<em>Save</em>{/if}
  <button onclick={() => go('train')}>→</button>
  <input placeholder="Type here" />
</div>`
    const found = scanSvelte(src).map((f) => f.text)
    expect(found).toEqual(['Open file', 'Hello there', 'Save', 'Type here'])
  })

  it('allows brand names, language names and short symbols', () => {
    const src = `<span>Backprop Lab</span><b>한국어</b><i>English</i><sub>W</sub><span>σ</span><span>3 × 3</span>`
    expect(scanSvelte(src)).toEqual([])
  })

  it('reports the line of a finding', () => {
    const f = scanSvelte('<div>\n\n  <p>Loss went up</p></div>')
    expect(f).toEqual([{ line: 3, text: 'Loss went up', where: 'text' }])
  })
})

function svelteFiles(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) out.push(...svelteFiles(p))
    else if (name.endsWith('.svelte')) out.push(p)
  }
  return out
}

describe('svelte files', () => {
  const root = resolve(process.cwd(), 'src-renderer')
  const files = svelteFiles(root)

  it('are found', () => {
    expect(files.length).toBeGreaterThanOrEqual(5)
  })

  it('contain no hard-coded user-facing text (use t(…) from i18n)', () => {
    const findings = files.flatMap((f) =>
      scanSvelte(readFileSync(f, 'utf8')).map((x) => `${relative(process.cwd(), f)}:${x.line} ${x.where} "${x.text}"`)
    )
    expect(findings).toEqual([])
  })
})
