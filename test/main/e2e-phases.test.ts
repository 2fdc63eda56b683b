/**
 * `npm run test:e2e` (scripts/test-e2e.mjs) runs the end-to-end tests tagged @pages two at a time, then the others one
 * at a time. A test that trains must not be among the first: its training threads run at idle priority and a test
 * beside it would starve them (and the tests that time frames or stalls would measure the other test). This reads the
 * specs and holds every @pages test to that.
 */
import { describe, expect, it } from 'vitest'
import { readFileSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
// @ts-ignore -- a plain ESM script without type declarations
import { PAGES_TAG, phases } from '../../scripts/test-e2e.mjs'

const root = resolve(__dirname, '../..')
const e2e = join(root, 'test/e2e')

/**
 * What puts the engine's training thread to work, or watches the machine while it does, in a test's own body: a click
 * that starts a run, a helper that trains, the gradient check's explainer (model:gradcheck runs on the training thread).
 */
const TRAINS = [
  /'train-start'\)\.click/, /trainOneEpoch\(/, /'opt-race'\)\.click/, /'overfit-run'\)\.click/, /'train-continue'\)\.click/,
  /'train-step'\)\.click/, /'generate-run'\)\.click/, /startFrameWatch\(/, /busyLoops\(/, /'gc-(?:row|net|bug|verdict)'/
]

/** The bodies of the tests in `source` that carry `tag`, each with its title's start. */
function taggedBodies(source: string, tag: string): { title: string; body: string }[] {
  const out: { title: string; body: string }[] = []
  const marker = `{ tag: '${tag}' }`
  for (let at = source.indexOf(marker); at >= 0; at = source.indexOf(marker, at + 1)) {
    const open = source.indexOf('{', source.indexOf('=>', at))
    let depth = 0
    let end = open
    for (; end < source.length; end++) {
      if (source[end] === '{') depth++
      else if (source[end] === '}' && --depth === 0) break
    }
    const head = source.lastIndexOf('test(', at)
    out.push({ title: source.slice(head + 5, head + 85), body: source.slice(open, end + 1) })
  }
  return out
}

/** The training markers a test's body has. */
const trainingIn = (body: string): string[] => TRAINS.filter((r) => r.test(body)).map(String)

describe('npm run test:e2e: the @pages phase, then the rest', () => {
  it('is what npm runs, every test in exactly one phase, the pages two at a time on two cores and the rest one at a time', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    expect(pkg.scripts['test:e2e']).toBe('node scripts/test-e2e.mjs')
    const [pages, training] = phases({}) as [string, string[]][]
    expect(pages[0]).toBe('pages')
    expect(pages[1].slice(0, 2)).toEqual(['--grep', PAGES_TAG])
    expect(training[1].slice(0, 2)).toEqual(['--grep-invert', PAGES_TAG])
    expect(training[1].slice(2)).toEqual(['--workers', '1'])
    expect(Number(pages[1][pages[1].indexOf('--workers') + 1])).toBeGreaterThanOrEqual(1)
    expect((phases({ BACKPROP_LAB_E2E_PAGE_WORKERS: '1' }) as [string, string[]][])[0][1]).toContain('1')
    // a title filter of the caller's (Playwright keeps the last --grep, so it would replace each phase's): one run, one at a time
    for (const extra of [['-g', 'README'], ['--grep=walk'], ['--grep-invert', 'slow']]) {
      expect(phases({}, extra)).toEqual([['selected', ['--workers', '1']]])
    }
    expect((phases({}, ['shell.spec.ts', '--global-timeout=1']) as unknown[]).length).toBe(2)
  })

  it('holds no test that trains among the @pages tests', () => {
    // the check itself finds a test that trains, once tagged
    const train = readFileSync(join(e2e, 'train.spec.ts'), 'utf8').replace("stop', async ({ page }) =>", `stop', { tag: '${PAGES_TAG}' }, async ({ page }) =>`)
    const planted = taggedBodies(train, PAGES_TAG)
    expect(planted).toHaveLength(1)
    expect(trainingIn(planted[0].body)).not.toEqual([])

    const found: string[] = []
    let tagged = 0
    for (const file of readdirSync(e2e).filter((f) => f.endsWith('.spec.ts'))) {
      for (const t of taggedBodies(readFileSync(join(e2e, file), 'utf8'), PAGES_TAG)) {
        tagged++
        const why = trainingIn(t.body)
        if (why.length) found.push(`${file}: ${t.title}…: ${why.join(', ')}`)
      }
    }
    expect(found).toEqual([])
    // the shell, the lessons, the walk and the layout checks: 24 declarations on 27 November (32 tests, some in a
    // loop over the languages), about half the suite
    expect(tagged).toBeGreaterThanOrEqual(20)
  })
})
