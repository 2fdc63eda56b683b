/**
 * What a saved project gives back in a fresh lab (a new web shell that never trained), and the stateful
 * option of language-model runs:
 * - a continued run reopens as the same run continuing #1, in #1's colour, its epochs numbered on;
 * - a reopened 2-D autoencoder shows its code plane of 1,000 held-out digits without training again, also
 *   when the project was saved with its weights but no runs;
 * - the training form offers "stateful" for the character LSTM, and a run started with it trains.
 * Screenshots in both languages.
 */
import type { BrowserContext, Locator, Page } from '@playwright/test'
import { mkdirSync, readFileSync } from 'node:fs'
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate'
import { join } from 'node:path'
import { test, expect, screenshot, startShell, openLab, pickPreset, SCREENSHOTS } from './fixtures'

async function shot(el: Locator, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  await el.screenshot({ path: join(SCREENSHOTS, `${name}.png`) })
}

const swatchColor = (li: Locator): Promise<string> => li.locator('.swatch').evaluate((el) => getComputedStyle(el).getPropertyValue('--c').trim())

type ProjectFile = { name: string; mimeType: string; buffer: Buffer }

/** The project as downloaded: its name and bytes, to upload into another lab under the same name. */
async function download(page: Page): Promise<ProjectFile> {
  await page.getByTestId('model-menu').click()
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('files-save').click()])
  return { name: file.suggestedFilename(), mimeType: 'application/octet-stream', buffer: readFileSync(await file.path()) }
}

/** Opens `project` in a fresh lab (a new web shell that never trained), shows its training page and runs `check` there. */
async function inFreshLab(context: BrowserContext, project: ProjectFile, check: (page: Page) => Promise<void>): Promise<void> {
  const fresh = await startShell()
  try {
    const p2 = await openLab(context, fresh.url)
    await p2.getByTestId('files-project-input').setInputFiles(project)
    await p2.getByTestId('nav-train').click()
    await check(p2)
  } finally {
    await fresh.stop()
  }
}

/** The same project without its training history: a project saved with weights but no runs. */
function withoutRuns(project: ProjectFile): ProjectFile {
  const files = unzipSync(new Uint8Array(project.buffer))
  const json = JSON.parse(strFromU8(files['project.json'])) as Record<string, unknown>
  delete json.history
  files['project.json'] = strToU8(JSON.stringify(json))
  return { ...project, name: project.name.replace(/\.bplab$/, '-weights-only.bplab'), buffer: Buffer.from(zipSync(files)) }
}

test('a continued run reopens in a fresh lab as the same run continuing #1', async ({ page, context }) => {
  test.setTimeout(300_000)
  await pickPreset(page, 'mlp')
  await page.getByTestId('train-epochs').fill('1')
  await page.getByTestId('train-start').click()
  await expect(page.getByTestId('progress')).toContainText('Finished', { timeout: 120_000 })
  await page.getByTestId('train-continue').click()
  await expect(page.getByTestId('progress')).toContainText('Epoch 2 / 2', { timeout: 120_000 })
  await expect(page.getByTestId('progress')).toContainText('Finished', { timeout: 120_000 })
  const project = await download(page)

  await inFreshLab(context, project, async (p2) => {
    const items = p2.getByTestId('run-legend').locator('li')
    await expect(items).toHaveCount(2, { timeout: 20_000 })
    await expect(items.nth(1)).toContainText('continues #1')
    expect(await swatchColor(items.nth(1))).toBe(await swatchColor(items.nth(0)))
    await expect(p2.getByTestId('progress')).toContainText('Epoch 2 / 2')
    // the reopened model carries on: Continue is offered for the continuation
    await expect(p2.getByTestId('train-continue')).toBeEnabled()
    await p2.evaluate(() => document.querySelector('main')?.scrollTo(0, 0))
    await screenshot(p2, 'reopen-continued-en')
    await p2.getByTestId('lang-ko').click()
    await expect(items.nth(1)).toContainText('#1에서 이어서')
    await screenshot(p2, 'reopen-continued-ko')
  })
})

test('a reopened 2-D autoencoder shows its code plane without training again', async ({ page, context }) => {
  test.setTimeout(300_000)
  await pickPreset(page, 'ae-2d')
  await page.getByTestId('train-epochs').fill('1')
  await page.getByTestId('train-lr').fill('0.003')
  await page.getByTestId('train-start').click()
  await expect(page.getByTestId('reconstruction-mse')).toContainText('after epoch 1', { timeout: 180_000 })
  await expect(page.getByTestId('train-start')).toBeEnabled({ timeout: 30_000 })
  const project = await download(page)

  await inFreshLab(context, project, async (p2) => {
    const plane = p2.getByTestId('code-plane')
    await expect(plane).toHaveAttribute('data-count', '1000', { timeout: 30_000 })
    await expect(p2.getByTestId('reconstruction-row')).toHaveAttribute('data-count', '10')
    // no run was started in this lab
    await expect(p2.getByTestId('run-legend').locator('li')).toHaveCount(1)
    // clicking the plane decodes with the reopened weights
    await plane.scrollIntoViewIfNeeded()
    const box = (await plane.boundingBox())!
    await p2.mouse.click(box.x + box.width * 0.4, box.y + box.height * 0.5)
    await expect(p2.getByTestId('code-decoded')).toHaveAttribute('data-ready', 'true')
    const panel = p2.getByTestId('autoencoder-panel')
    await panel.scrollIntoViewIfNeeded()
    await screenshot(p2, 'reopen-autoencoder-en')
    await p2.getByTestId('lang-ko').click()
    await expect(panel).toContainText('2차원 코드 평면')
    await screenshot(p2, 'reopen-autoencoder-ko')
  })

  // saved with its weights but no runs: no run to show them on, and still the plane and the row
  await inFreshLab(context, withoutRuns(project), async (p2) => {
    const plane = p2.getByTestId('code-plane')
    await expect(plane).toHaveAttribute('data-count', '1000', { timeout: 30_000 })
    await expect(p2.getByTestId('reconstruction-row')).toHaveAttribute('data-count', '10')
    await expect(p2.getByTestId('run-legend').locator('li')).toHaveCount(0)
    await plane.scrollIntoViewIfNeeded()
    const box = (await plane.boundingBox())!
    await p2.mouse.click(box.x + box.width * 0.6, box.y + box.height * 0.4)
    await expect(p2.getByTestId('code-decoded')).toHaveAttribute('data-ready', 'true')
    await p2.getByTestId('autoencoder-panel').scrollIntoViewIfNeeded()
    await screenshot(p2, 'reopen-weights-only-autoencoder-en')
    await p2.getByTestId('lang-ko').click()
    await expect(p2.getByTestId('autoencoder-panel')).toContainText('2차원 코드 평면')
    await screenshot(p2, 'reopen-weights-only-autoencoder-ko')
    // the draw page rings a drawing on the same plane
    await p2.getByTestId('nav-draw').click()
    const pb = (await p2.getByTestId('draw-pad').boundingBox())!
    await p2.mouse.move(pb.x + pb.width * 0.52, pb.y + pb.height * 0.15)
    await p2.mouse.down()
    for (let i = 1; i <= 12; i++) {
      await p2.mouse.move(pb.x + pb.width * (0.52 - i * 0.003), pb.y + pb.height * (0.15 + i * 0.06))
      await p2.waitForTimeout(8)
    }
    await p2.mouse.up()
    await expect(p2.getByTestId('draw-autoencoder')).toHaveAttribute('data-ready', 'true', { timeout: 15_000 })
    await expect(p2.getByTestId('draw-code-plane')).toBeVisible()
    await p2.getByTestId('draw-code-plane').scrollIntoViewIfNeeded()
    await screenshot(p2, 'reopen-weights-only-draw-ko')
  })
})

test('the character LSTM trains stateful when the form says so', async ({ page }) => {
  test.setTimeout(240_000)
  await pickPreset(page, 'char-lstm')
  const box = page.getByTestId('train-stateful')
  await expect(box).not.toBeChecked()
  await expect(page.locator('#train-stateful-help')).toContainText('truncated BPTT')
  await box.check()
  await page.getByTestId('train-epochs').fill('1')
  const form = page.locator('.card.controls')
  await form.scrollIntoViewIfNeeded()
  await shot(form, 'train-stateful-en')
  await page.getByTestId('lang-ko').click()
  await expect(page.locator('#train-stateful-help')).toContainText('다음 미니배치로 넘깁니다')
  await shot(form, 'train-stateful-ko')
  await page.getByTestId('lang-en').click()
  await page.getByTestId('train-start').click()
  // batch losses arrive from a stateful run (a failed start would say so in the legend)
  await expect(page.getByTestId('loss-chart')).not.toHaveAttribute('data-points', '0', { timeout: 60_000 })
  await expect(page.getByTestId('run-legend')).not.toContainText('Failed')
  await page.getByTestId('train-stop').click()
  await expect(page.getByTestId('train-start')).toBeEnabled({ timeout: 30_000 })
  await expect(page.getByTestId('run-legend')).toContainText('Stopped')
})
