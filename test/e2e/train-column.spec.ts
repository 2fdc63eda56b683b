/**
 * The training page at 1024 × 680: the settings column is no taller than the page's scrolling area (it sticks
 * to its top and scrolls on its own), so its last controls (stateful, priority, "Reset to defaults") are
 * reached by scrolling the column, not the page to its end; en and ko, and at 1280 × 800.
 */
import { test, expect, screenshot } from './fixtures'
import type { Page } from '@playwright/test'

/** The settings column at this size: whole inside the page's scrolling area (scrolled part way), and its last control reached by scrolling the column. */
async function checkSide(page: Page, name: string): Promise<void> {
  await page.getByTestId('nav-train').click()
  await expect(page.getByTestId('train-start')).toBeEnabled({ timeout: 15_000 })
  const main = page.locator('main')
  const side = page.getByTestId('train-side')
  await screenshot(page, `${name}-top`)
  // scroll the page just far enough for the column to stick (past the title), far from its end
  const pageEnd = await main.evaluate((el) => el.scrollHeight - el.clientHeight)
  const offset = await side.evaluate((el) => el.getBoundingClientRect().top - el.closest('main')!.getBoundingClientRect().top)
  await main.evaluate((el, y) => { el.scrollTop = y }, Math.ceil(offset))
  const m = (await main.boundingBox())!
  const s = (await side.boundingBox())!
  expect(s.y).toBeGreaterThanOrEqual(m.y - 1)
  expect(s.y + s.height).toBeLessThanOrEqual(m.y + m.height + 1)
  // the last control: the column scrolls to it, the page stays where it was
  const reset = page.getByRole('button', { name: /Reset to defaults|기본값/ })
  await side.evaluate((el) => { el.scrollTop = el.scrollHeight })
  const r = (await reset.boundingBox())!
  expect(r.y + r.height).toBeLessThanOrEqual(m.y + m.height + 1)
  expect(r.y).toBeGreaterThanOrEqual(m.y)
  expect(await main.evaluate((el) => el.scrollTop)).toBeLessThan(pageEnd - 100)
  await screenshot(page, `${name}-column-end`)
  // at the page's end the column's top is still in view: it sticks within the layout, which ends the page's padding
  // above the scroll's end, and a column as tall as the scrolling area was pushed up by that much (its card cut off)
  await main.evaluate((el) => { el.scrollTop = el.scrollHeight })
  expect((await side.boundingBox())!.y).toBeGreaterThanOrEqual(m.y - 1)
}

for (const lang of ['en', 'ko'] as const) {
  test.describe(`training page settings column (${lang})`, () => {
    test.use({ lang })
    test('at 1024 × 680 the last controls are reached without scrolling the page to its end', { tag: '@pages' }, async ({ page }) => {
      await page.setViewportSize({ width: 1024, height: 680 })
      await checkSide(page, `train-side-${lang}-1024`)
    })
    test('at 1280 × 800 too', { tag: '@pages' }, async ({ page }) => {
      await page.setViewportSize({ width: 1280, height: 800 })
      await checkSide(page, `train-side-${lang}-1280`)
    })
  })
}
