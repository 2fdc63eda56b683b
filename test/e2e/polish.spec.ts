/**
 * What a learner sees on a small window, in both languages: every page at the desktop app's smallest
 * window (900 × 600) without sideways scrolling, every form control with a name a screen reader can
 * read, and what stays on screen after a language switch (a toast, the charts' titles and axes).
 * Screenshots: out/e2e/screenshots/narrow-<page>-<lang>.png, polish-*.png.
 */
import type { Page } from '@playwright/test'
import { test, expect, screenshot, trainOneEpoch, pickPreset, sideways } from './fixtures'

const PAGES = ['editor', 'train', 'draw', 'lessons'] as const

/** Controls without an accessible name (a label, aria-label(ledby), title, or text for buttons). */
function unnamedControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = []
    for (const el of document.querySelectorAll<HTMLElement>('main input, main select, main textarea, main button, header button')) {
      if (el.hidden || (el as HTMLInputElement).type === 'hidden' || (el as HTMLInputElement).type === 'file') continue
      const r = el.getBoundingClientRect()
      if (r.width === 0 && r.height === 0) continue
      const labelled = 'labels' in el && (el as HTMLInputElement).labels?.length
      const named = labelled || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || el.title ||
        (el.tagName === 'BUTTON' && el.textContent?.trim())
      if (!named) out.push(el.outerHTML.slice(0, 140))
    }
    return out
  })
}

/** aria-describedby / aria-labelledby / aria-controls / label[for] that point at no element. */
function danglingRefs(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = []
    for (const attr of ['aria-describedby', 'aria-labelledby', 'aria-controls']) {
      for (const el of document.querySelectorAll(`[${attr}]`)) {
        for (const id of (el.getAttribute(attr) ?? '').split(/\s+/).filter(Boolean)) {
          if (!document.getElementById(id)) out.push(`${attr}="${id}" on ${el.outerHTML.slice(0, 100)}`)
        }
      }
    }
    for (const l of document.querySelectorAll('label[for]')) {
      const id = l.getAttribute('for')!
      if (!document.getElementById(id)) out.push(`label for="${id}"`)
    }
    return out
  })
}

/** Header controls that wrapped onto a second line (taller than a line and its padding), or a header wider than the window. */
function headerWraps(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = []
    const bar = document.querySelector<HTMLElement>('.topbar')!
    if (bar.scrollWidth > bar.clientWidth) out.push(`the header is ${bar.scrollWidth - bar.clientWidth}px too wide`)
    for (const el of document.querySelectorAll<HTMLElement>('.topbar .seg button, .topbar [data-testid="model-menu"], .topbar .brand')) {
      const h = el.getBoundingClientRect().height
      if (h > 36) out.push(`"${el.textContent?.trim()}" wraps (${Math.round(h)}px tall)`)
    }
    return out
  })
}

/** Buttons on the page whose label broke onto a second line ("Undo / stroke", "지우 / 기"). */
function wrappedButtons(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('main .btn')]
      .filter((b) => b.getBoundingClientRect().height > 44)
      .map((b) => `"${b.textContent?.trim()}" (${Math.round(b.getBoundingClientRect().height)}px tall)`)
  )
}

/**
 * The training page's network card: beside the title (not dropped below it), its whole name shown (it wraps, and was
 * cut with "…" at 1024 px for an edited network), and no taller than the title and subtitle beside it.
 */
function networkCardProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = []
    // the title and the subtitle under it
    const title = document.querySelector<HTMLElement>('[data-testid="page-train"] h1')!.parentElement!.getBoundingClientRect()
    const card = document.querySelector<HTMLElement>('[data-testid="page-train"] .head .net')!.getBoundingClientRect()
    const name = document.querySelector<HTMLElement>('[data-testid="train-network"]')!
    if (card.top >= title.bottom) out.push(`the network card sits below the title (${Math.round(card.top)} ≥ ${Math.round(title.bottom)})`)
    if (card.left < title.right) out.push('the network card overlaps the title')
    if (name.scrollHeight > name.clientHeight + 1 || name.scrollWidth > name.clientWidth + 1) out.push(`the network's name is cut: "${name.textContent}"`)
    if (card.height > title.height + 1) out.push(`the network card (${Math.round(card.height)}px) is taller than the title beside it (${Math.round(title.height)}px)`)
    if (name.title !== name.textContent) out.push('the name has no tooltip with its full text')
    return out
  })
}

/**
 * The training page's tiles: every label whole (it wraps; "Training accuracy" read "Training accura…" at 1024 px), the
 * values side by side on one line whatever labels wrap.
 */
function tileProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = []
    for (const k of document.querySelectorAll<HTMLElement>('[data-testid="page-train"] .tiles .k')) {
      if (k.scrollWidth > k.clientWidth + 1 || k.scrollHeight > k.clientHeight + 1) out.push(`the tile label is cut: "${k.textContent}"`)
    }
    // the values of the tiles in a row (five in a row, three below 900 px) on one line
    const rows = new Map<number, Set<number>>()
    for (const tile of document.querySelectorAll<HTMLElement>('[data-testid="page-train"] .tiles .tile')) {
      const top = Math.round(tile.getBoundingClientRect().top)
      const v = tile.querySelector<HTMLElement>('.v')!
      rows.set(top, (rows.get(top) ?? new Set()).add(Math.round(v.getBoundingClientRect().top)))
    }
    for (const [top, tops] of rows) if (tops.size > 1) out.push(`the values of the row at ${top}px are not on one line (${[...tops].join(', ')})`)
    return out
  })
}

for (const lang of ['en', 'ko'] as const) {
  test.describe(`a 900 × 600 window in ${lang}`, () => {
    test.use({ lang })

    test('every page fits without sideways scrolling and names every control', { tag: '@pages' }, async ({ page }) => {
      await page.setViewportSize({ width: 900, height: 600 })
      for (const id of PAGES) {
        await page.getByTestId(`nav-${id}`).click()
        await expect(page.getByTestId(`page-${id}`)).toBeVisible()
        // the training page fills its form once the presets have arrived
        if (id === 'train') await expect(page.getByTestId('train-start')).toBeEnabled({ timeout: 15_000 })
        await screenshot(page, `narrow-${id}-${lang}`)
        expect(await sideways(page), `${id} scrolls sideways`).toBeLessThanOrEqual(0)
        expect(await unnamedControls(page), `${id}: controls without a name`).toEqual([])
        expect(await danglingRefs(page), `${id}: references to missing elements`).toEqual([])
        expect(await headerWraps(page), 'header').toEqual([])
        expect(await wrappedButtons(page), `${id}: buttons on two lines`).toEqual([])
      }
    })

    test('the training page keeps its network card beside the title, the whole name shown, and its tiles\' labels whole, at 900, 960, 1024 and 1280 px', { tag: '@pages' }, async ({ page }) => {
      await page.getByTestId('nav-editor').click()
      // the longest name a preset gets: edited, with what it is now ("Two-layer network, edited (3 × 224 × 224 → 10) · …")
      await page.getByTestId('preset-select').selectOption('mlp')
      await page.getByTestId('input-shape').fill('3, 224, 224')
      await page.getByTestId('input-shape').press('Enter')
      await page.getByTestId('nav-train').click()
      // named by what it is now once the presets have arrived; the digits cannot feed its input, so Start waits (Q1's F10)
      await expect(page.getByTestId('train-network')).toContainText(/224\s→\s10/, { timeout: 15_000 })
      await expect(page.getByTestId('train-data-problem')).toBeVisible()
      await expect(page.getByTestId('train-start')).toBeDisabled()
      // 960: five tiles too narrow for "Training accuracy" on one line, as at 1024 px beside the page's scrollbar, which
      // headless Chromium does not draw (the label was cut to "Training accura…" there)
      for (const [w, h] of [[900, 600], [960, 640], [1024, 680], [1280, 800]]) {
        await page.setViewportSize({ width: w, height: h })
        await expect.poll(() => networkCardProblems(page), `${w} px`).toEqual([])
        expect(await tileProblems(page), `${w} px`).toEqual([])
        await screenshot(page, `polish-train-head-${w}-${lang}`)
      }
    })
  })
}

test('the lessons\' controls all have names a screen reader can read, their references resolve, and no lesson scrolls sideways at 1024 px', { tag: '@pages' }, async ({ page }) => {
  test.setTimeout(120_000)
  await page.setViewportSize({ width: 1024, height: 680 })
  await page.getByTestId('nav-lessons').click()
  const items = page.getByTestId('lesson-item')
  const n = await items.count()
  expect(n).toBeGreaterThan(10)
  const missing: string[] = []
  for (let i = 0; i < n; i++) {
    await items.nth(i).click()
    for (const html of await unnamedControls(page)) missing.push(`lesson ${i + 1}: ${html}`)
    for (const ref of await danglingRefs(page)) missing.push(`lesson ${i + 1}: ${ref}`)
    // a key term's hidden definition near the right edge once made the page 36 px wider than the window
    const wider = await sideways(page)
    if (wider > 0) missing.push(`lesson ${i + 1}: scrolls ${wider}px sideways`)
  }
  await page.getByTestId('glossary-item').click()
  for (const html of await unnamedControls(page)) missing.push(`glossary: ${html}`)
  expect(missing).toEqual([])
})

/**
 * Key terms whose definition, while shown (pointer over it, or keyboard focus), runs off the window or makes the page
 * scroll sideways. Each term is read in one call into the page once it is opened (its name, whether the definition
 * shows, where it lies, how far the page runs wider), not in five: the pass was mostly those round trips to the browser
 * (27 November, load 16-20, two runs each: en 46 / 21.5 s → 26 / 16.4 s, ko 39 / 23.5 s → 16 / 8.5 s).
 */
async function termTipProblems(page: Page, where: string, how: 'hover' | 'focus'): Promise<string[]> {
  const out: string[] = []
  const width = page.viewportSize()!.width
  const terms = page.getByTestId('term')
  const n = await terms.count()
  // the click that opened the lesson left the pointer over the list, not over a term
  if (how === 'focus') await page.mouse.move(0, 0)
  for (let j = 0; j < n; j++) {
    const term = terms.nth(j)
    if (how === 'hover') await term.hover()
    const seen = await term.evaluate((el, focus) => {
      if (focus) el.focus()
      const tip = el.querySelector<HTMLElement>('[role="tooltip"]')!
      const r = tip.getBoundingClientRect()
      const main = document.querySelector('main')!
      const read = { id: el.getAttribute('data-term'), shown: tip.checkVisibility() && r.width > 0, x: r.x, right: r.right, wider: main.scrollWidth - main.clientWidth }
      el.blur()
      return read
    }, how === 'focus')
    if (!seen.shown) out.push(`${where}, ${seen.id} (${how}): the definition does not show`)
    if (seen.wider > 0) out.push(`${where}, ${seen.id} (${how}): the page scrolls ${seen.wider}px sideways`)
    if (seen.x < 0 || seen.right > width) out.push(`${where}, ${seen.id} (${how}): the definition runs off the window (${Math.round(seen.x)}..${Math.round(seen.right)} of ${width})`)
  }
  return out
}

for (const lang of ['en', 'ko'] as const) {
  test.describe(`key terms in ${lang}`, () => {
    test.use({ lang })

    test('every key term\'s definition stays inside a 900 px window, and the page never scrolls sideways while it shows', { tag: '@pages' }, async ({ page }) => {
      test.setTimeout(120_000)
      await page.setViewportSize({ width: 900, height: 600 })
      await page.getByTestId('nav-lessons').click()
      const items = page.getByTestId('lesson-item')
      const problems: string[] = []
      for (let i = 0; i < await items.count(); i++) {
        await items.nth(i).click()
        // opened by the pointer in English and from the keyboard in Korean: one placement code serves both, and
        // each language's pass over every term takes ~12 s
        problems.push(...await termTipProblems(page, `lesson ${i + 1}`, lang === 'en' ? 'hover' : 'focus'))
      }
      expect(problems).toEqual([])
      await page.locator('[data-testid="lesson-item"][data-lesson="affine"]').click()
      await page.locator('[data-testid="term"][data-term="parameter"]').hover()
      await screenshot(page, `polish-term-tip-${lang}`)
    })
  })
}

/** Heatmap labels that run into each other (two column labels side by side less than 4 px apart) or out of their picture. */
function heatmapLabelProblems(page: Page): Promise<string[]> {
  return page.locator('[data-testid="lesson"] svg').evaluateAll((svgs) => {
    const out: string[] = []
    svgs.forEach((svg, k) => {
      const box = svg.getBoundingClientRect()
      const cols = [...svg.querySelectorAll<SVGTextElement>('[data-testid="heatmap-col"]')]
      const labels = [...svg.querySelectorAll<SVGTextElement>('text.lab')]
      for (const l of labels) {
        const r = l.getBoundingClientRect()
        if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5) out.push(`heatmap ${k}: "${l.textContent}" is cut off`)
      }
      for (let j = 1; j < cols.length; j++) {
        const [a, b] = [cols[j - 1], cols[j]]
        if (a.hasAttribute('transform') || b.hasAttribute('transform')) continue // slanted: side by side along the slant
        if (a.getBoundingClientRect().right + 4 > b.getBoundingClientRect().left) out.push(`heatmap ${k}: "${a.textContent}" and "${b.textContent}" touch (less than 4 px apart)`)
      }
    })
    return out
  })
}

test.describe('self-attention in Korean', () => {
  test.use({ lang: 'ko' })

  test('the heatmaps\' word labels neither run into each other nor get cut off, at 1024 × 680 and 1280 × 800, with long words too', { tag: '@pages' }, async ({ page }) => {
    await page.getByTestId('nav-lessons').click()
    await page.locator('[data-testid="lesson-item"][data-lesson="attention"]').click()
    const input = page.getByTestId('att-input')
    for (const [w, h] of [[1024, 680], [1280, 800]]) {
      await page.setViewportSize({ width: w, height: h })
      for (const sentence of ['나는 오늘 도서관에서 책을 읽었다', '국립중앙도서관에서 대한민국헌법전문을 천천히 읽었다']) {
        await input.fill(sentence)
        await expect(page.getByTestId('att-heatmap')).toBeVisible()
        expect(await heatmapLabelProblems(page), `${w} px: ${sentence}`).toEqual([])
        expect(await sideways(page), `${w} px: ${sentence}: sideways`).toBeLessThanOrEqual(0)
      }
      await input.fill('나는 오늘 도서관에서 책을 읽었다')
      await page.getByTestId('att-heatmap').scrollIntoViewIfNeeded()
      await screenshot(page, `polish-attention-${w}-ko`)
    }
  })
})

/** A field's invalid marking and a control's accent, as drawn: border colour, ring, accent colour. */
function looks(page: Page, testId: string): Promise<{ border: string; ring: string; accent: string; error: string; theme: string }> {
  return page.getByTestId(testId).first().evaluate((el) => {
    const probe = document.createElement('span')
    probe.style.color = 'var(--error)'
    probe.style.backgroundColor = 'var(--accent)'
    document.body.append(probe)
    const p = getComputedStyle(probe)
    const error = p.color
    const theme = p.backgroundColor
    probe.remove()
    const s = getComputedStyle(el)
    return { border: s.borderTopColor, ring: s.boxShadow, accent: s.accentColor, error, theme }
  })
}

test('an invalid field is marked the same way on the training form, in the lessons and in the editor; sliders and checkboxes take the accent colour', { tag: '@pages' }, async ({ page }) => {
  const marked: Record<string, { border: string; ring: string }> = {}
  const keep = async (id: string): Promise<void> => {
    await expect(page.getByTestId(id).first()).toHaveAttribute('aria-invalid', 'true')
    const l = await looks(page, id)
    expect(l.border, `${id}: border in the error colour`).toBe(l.error)
    marked[id] = { border: l.border, ring: l.ring }
  }
  await page.getByTestId('nav-train').click()
  await expect(page.getByTestId('train-start')).toBeEnabled({ timeout: 15_000 })
  await page.getByTestId('train-lr').fill('0')
  await keep('train-lr')
  for (const id of ['loss-smoothing', 'loss-log']) {
    const l = await looks(page, id)
    expect(l.accent, `${id}: accent colour`).toBe(l.theme)
  }
  await page.getByTestId('nav-lessons').click()
  await page.locator('[data-testid="lesson-item"][data-lesson="affine"]').click()
  await page.getByTestId('pc-in').first().fill('0')
  await keep('pc-in')
  await page.locator('[data-testid="lesson-item"][data-lesson="padstride"]').click()
  await page.getByTestId('size-stride').fill('0')
  await keep('size-stride')
  const range = await looks(page, 'rf-depth')
  expect(range.accent, 'rf-depth: accent colour').toBe(range.theme)
  await screenshot(page, 'polish-invalid-lesson-en')
  await page.getByTestId('nav-editor').click()
  await page.getByTestId('preset-select').selectOption('mlp')
  const units = page.locator('input[data-field="units"]').first()
  await units.fill('0')
  await units.press('Tab')
  await expect(units).toHaveAttribute('aria-invalid', 'true')
  const l = await units.evaluate((el) => ({ border: getComputedStyle(el).borderTopColor, ring: getComputedStyle(el).boxShadow }))
  marked.editor = l
  const first = marked['train-lr']
  expect(first.ring).not.toBe('none')
  for (const [id, m] of Object.entries(marked)) expect(m, id).toEqual(first)
  await screenshot(page, 'polish-invalid-editor-en')
})

test('after a language switch the charts, the notices and the saved-project toast speak Korean', async ({ page }) => {
  test.setTimeout(240_000)
  await trainOneEpoch(page)
  // one epoch: the accuracy chart counts whole epochs and writes accuracy as a percentage
  const charts = page.locator('.charts')
  await charts.scrollIntoViewIfNeeded()
  await expect(page.getByTestId('accuracy-chart')).toHaveAttribute('data-metric', 'accuracy')
  await expect(page.getByTestId('accuracy-chart-empty')).toHaveCount(0)
  await page.getByTestId('model-menu').click()
  await Promise.all([page.waitForEvent('download'), page.getByTestId('files-save').click()])
  const toast = page.getByTestId('toast')
  await expect(toast).toContainText('Saved')
  await screenshot(page, 'polish-charts-toast-en')
  await page.getByTestId('lang-ko').click()
  await expect(toast).toContainText('저장했습니다')
  await expect(page.getByTestId('accuracy-chart')).toContainText('에폭별 정확도')
  await screenshot(page, 'polish-charts-toast-ko')
})

test('an autoencoder\'s epoch chart shows its reconstruction error, not an empty accuracy chart', async ({ page }) => {
  test.setTimeout(240_000)
  await pickPreset(page, 'ae-2d')
  await expect(page.getByTestId('accuracy-chart')).toHaveAttribute('data-metric', 'reconstruction')
  await expect(page.getByTestId('accuracy-chart-empty')).toBeVisible()
  // five epochs, so that the run is still training when the editor switches networks below: on a fast machine one
  // epoch ended first, and a finished run of another network is no longer the page's (run-label.ts pageRun, eaef803)
  await page.getByTestId('train-epochs').fill('5')
  await page.getByTestId('train-start').click()
  // before its first epoch ends the run's tiles already name the reconstruction error, also while the
  // editor shows another network
  await expect(page.getByTestId('progress')).toContainText('mini-batch', { timeout: 30_000 })
  await expect(page.getByTestId('test-accuracy')).toContainText('Held-out MSE')
  await page.getByTestId('nav-editor').click()
  await page.getByTestId('preset-select').selectOption('mlp')
  // the running autoencoder's weights do not carry over to the new network
  await page.getByTestId('weights-fresh').click()
  await page.getByTestId('nav-train').click()
  await expect(page.getByTestId('train-network')).toContainText('784 → 100 → 10')
  await expect(page.getByTestId('test-accuracy')).toContainText('Held-out MSE')
  await expect(page.getByTestId('accuracy-chart')).toHaveAttribute('data-metric', 'reconstruction')
  await screenshot(page, 'polish-autoencoder-first-epoch-en')
  await page.getByTestId('lang-ko').click()
  await expect(page.getByTestId('test-accuracy')).toContainText('테스트 MSE')
  await screenshot(page, 'polish-autoencoder-first-epoch-ko')
  await page.getByTestId('lang-en').click()
  await expect(page.getByTestId('accuracy-chart')).toHaveAttribute('data-points', '1', { timeout: 200_000 })
  await expect(page.getByTestId('accuracy-chart-empty')).toHaveCount(0)
  await expect(page.getByTestId('accuracy-chart')).toContainText('Reconstruction error per epoch')
  await screenshot(page, 'polish-autoencoder-charts-en')
  await page.getByTestId('lang-ko').click()
  await expect(page.getByTestId('accuracy-chart')).toContainText('에폭별 재구성 오차')
  await screenshot(page, 'polish-autoencoder-charts-ko')
})

test.describe('in Korean', () => {
  test.use({ lang: 'ko' })

  test('a language model\'s training page before its first run, and a diverged run, read in Korean', async ({ page }) => {
    test.setTimeout(180_000)
    await pickPreset(page, 'char-lstm')
    await expect(page.getByTestId('accuracy-chart')).toHaveAttribute('data-metric', 'perplexity')
    await expect(page.getByTestId('accuracy-chart')).toContainText('에폭별 퍼플렉서티')
    await expect(page.getByTestId('loss-chart-empty')).toContainText('시작을 누르면')
    await page.getByTestId('train-stateful').check()
    await expect(page.getByTestId('train-threads')).toBeDisabled()
    await expect(page.getByTestId('train-threads')).toHaveValue('1')
    await screenshot(page, 'polish-lm-ko')
    await page.getByTestId('generate-panel').scrollIntoViewIfNeeded()
    await screenshot(page, 'polish-lm-generate-ko')

    // a diverging classifier: the explanation in Korean, the host's detail after it
    await pickPreset(page, 'simple-convnet')
    await page.getByTestId('train-lr').fill('10')
    await page.getByTestId('train-start').click()
    const banner = page.getByTestId('train-diverged')
    await expect(banner).toBeVisible({ timeout: 60_000 })
    await screenshot(page, 'polish-diverged-ko')
  })
})
