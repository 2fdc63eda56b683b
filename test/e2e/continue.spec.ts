/**
 * "Continue training" against the real web shell and engine: train the default preset for one epoch (and check
 * that epoch's report: held-out accuracy, the accuracy chart, a confusion matrix), continue for one more, and see
 * the same run go on: epoch 2 on the progress and the accuracy chart, the legend saying which run it continues.
 * Screenshots of the dashboard after continuing, in both languages. Then a reload: the finished runs come back with
 * Continue.
 */
import type { Page } from '@playwright/test'
import { test, expect, screenshot } from './fixtures'

const points = async (page: Page, id: string): Promise<number> => Number(await page.getByTestId(id).getAttribute('data-points'))

/** Screenshot with the page scrolled to its top, or to `testid` (the page scrolls inside <main>). */
async function shotAt(page: Page, name: string, testid?: string): Promise<void> {
  if (testid) await page.getByTestId(testid).evaluate((el) => el.scrollIntoView({ block: 'start' }))
  else await page.evaluate(() => document.querySelector('main')?.scrollTo(0, 0))
  await screenshot(page, name)
}

test('continues a finished run: epoch 2 follows epoch 1 on the charts and the progress', async ({ page }) => {
  // two epochs of 8,000 digits: seconds on an idle machine, minutes on a busy one
  test.setTimeout(600_000)
  await page.getByTestId('nav-train').click()
  await expect(page.getByTestId('train-start')).toBeEnabled({ timeout: 15_000 })
  // nothing trained yet: nothing to continue
  await expect(page.getByTestId('train-continue')).toHaveCount(0)
  await page.getByTestId('train-epochs').fill('1')
  await page.getByTestId('train-start').click()
  await expect(page.getByTestId('progress')).toContainText('Finished', { timeout: 280_000 })
  expect(await points(page, 'accuracy-chart')).toBe(1)
  // the first epoch's report: a held-out accuracy, one point on the accuracy chart (above), a confusion matrix. It was
  // train.spec's test of its own until 27 November, training this same epoch once more (9 s at CI).
  await expect
    .poll(async () => Number((await page.getByTestId('test-accuracy').getAttribute('data-value')) || 0), { timeout: 10_000 })
    .toBeGreaterThan(0.5)
  await expect(page.getByTestId('confusion').locator('table td')).toHaveCount(100)
  await shotAt(page, 'train-epoch-en')
  await shotAt(page, 'train-confusion-en', 'confusion')

  const cont = page.getByTestId('train-continue')
  await expect(cont).toBeEnabled()
  await cont.click()
  const legend = page.getByTestId('run-legend')
  await expect(legend.locator('li')).toHaveCount(2)
  await expect(legend).toContainText('continues #1')
  await expect(page.getByTestId('progress')).toContainText(/Epoch [12] \/ 2/)
  // no Continue while the continuation trains
  await expect(cont).toHaveCount(0)
  await expect(page.getByTestId('progress')).toContainText('Finished', { timeout: 280_000 })
  await expect(page.getByTestId('progress')).toContainText('Epoch 2 / 2')
  // one point per run on the accuracy chart: run 1 at epoch 1, its continuation at epoch 2
  expect(await points(page, 'accuracy-chart')).toBe(2)
  await expect(cont).toBeEnabled()
  await page.evaluate(() => document.querySelector('main')?.scrollTo(0, 0))
  await screenshot(page, 'train-continued-en')
  await page.getByTestId('lang-ko').click()
  await expect(legend).toContainText('#1에서 이어서')
  await expect(page.getByTestId('train-continue')).toContainText('이어서 학습')
  await screenshot(page, 'train-continued-ko')

  // F5 after the runs ended (Q3's F6): the host still holds the model, and the page takes the runs back from it, with
  // the last one's settings and Continue (before: "Ready · epoch 0 / 5", no runs, no Continue)
  await page.reload()
  await expect(page.getByTestId('status-connection')).toHaveAttribute('data-status', 'open', { timeout: 15_000 })
  await page.getByTestId('nav-train').click()
  await expect(legend.locator('li')).toHaveCount(2)
  await expect(page.getByTestId('progress')).toContainText('2 / 2')
  await expect(page.getByTestId('train-continue')).toBeEnabled()
  await expect(page.getByTestId('train-epochs')).toHaveValue('1')
  await screenshot(page, 'train-reloaded-ko')
})
