#!/usr/bin/env node
/**
 * Maintainer tool, run once by hand (its outputs are committed; the app and tests never run it):
 * extracts the built-in text corpora into resources/corpus/ from two Debian packages.
 *
 *   pride-and-prejudice.txt  Chapters 1.. of Jane Austen's novel (public domain), as many whole
 *                            chapters as fit in 280 KB, from `r-cran-janeaustenr`. That package stores
 *                            the text as an R character vector in lazy-load data (Rdata.rdb), so we
 *                            ask R itself (`Rscript`, installed with the package) to write the lines.
 *   korean-words.txt         About 4,000 Hangul words, one per line: the readings column of
 *                            libhangul's hanja.txt (`libhangul-data`, BSD-3-Clause), keeping words of
 *                            2 to 4 Hangul syllables, deduplicated, in code-point order, every k-th one.
 *
 * Usage: apt-get install -y r-cran-janeaustenr libhangul-data && node scripts/build-corpus.mjs
 * Credits and licences: resources/DATA-CREDITS.md.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const outDir = join(root, 'resources', 'corpus')
const AUSTEN_BUDGET = 280_000
const KOREAN_WORDS = 4000
const HANJA_TXT = '/usr/share/libhangul/hanja/hanja.txt'

mkdirSync(outDir, { recursive: true })

// --- Pride and Prejudice -------------------------------------------------------------------------
const lines = execFileSync(
  'Rscript',
  ['-e', 'suppressMessages(library(janeaustenr)); writeLines(prideprejudice, stdout(), useBytes = TRUE)'],
  { encoding: 'utf8', maxBuffer: 64 << 20 }
).split('\n')
const chapterStarts = []
lines.forEach((line, i) => {
  if (/^Chapter \d+$/.test(line.trim())) chapterStarts.push(i)
})
if (chapterStarts.length < 10) throw new Error(`build-corpus: found only ${chapterStarts.length} chapter headings`)
let text = ''
for (let c = 0; c < chapterStarts.length; c++) {
  const from = c === 0 ? 0 : chapterStarts[c]
  const to = c + 1 < chapterStarts.length ? chapterStarts[c + 1] : lines.length
  const chunk = lines.slice(from, to).join('\n') + '\n'
  if (Buffer.byteLength(text + chunk, 'utf8') > AUSTEN_BUDGET) break
  text += chunk
}
text = text.replace(/\n{3,}/g, '\n\n').trimEnd() + '\n'
writeFileSync(join(outDir, 'pride-and-prejudice.txt'), text)
console.log(`build-corpus: pride-and-prejudice.txt ${Buffer.byteLength(text)} bytes, ${text.split('Chapter ').length - 1} chapters`)

// --- Korean words --------------------------------------------------------------------------------
const hangulWord = /^[\uAC00-\uD7A3]{2,4}$/u
const words = new Set()
for (const line of readFileSync(HANJA_TXT, 'utf8').split('\n')) {
  if (line.startsWith('#')) continue
  const reading = line.split(':')[0]
  if (hangulWord.test(reading)) words.add(reading)
}
const sorted = [...words].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
const step = Math.max(1, Math.floor(sorted.length / KOREAN_WORDS))
const picked = sorted.filter((_, i) => i % step === 0).slice(0, KOREAN_WORDS)
const korean = picked.join('\n') + '\n'
writeFileSync(join(outDir, 'korean-words.txt'), korean)
console.log(`build-corpus: korean-words.txt ${picked.length} of ${sorted.length} words, ${Buffer.byteLength(korean)} bytes`)
