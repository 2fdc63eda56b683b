/**
 * The smoke flow shared by the browser (shell.spec.ts) and the desktop app (electron.spec.ts):
 * switch Korean ↔ English, visit every page through the navigation, screenshot each one.
 */
import { expect, type Page } from '@playwright/test'
import { screenshot } from './fixtures'

export const PAGES = ['editor', 'train', 'draw', 'lessons'] as const

const NAV_TEXT = {
  en: { editor: 'Architecture', train: 'Training', draw: 'Draw', lessons: 'Lessons' },
  ko: { editor: '아키텍처', train: '학습', draw: '그리기', lessons: '강의' }
} as const

/** Asserts the navigation speaks `lang`. */
export async function expectLanguage(page: Page, lang: 'en' | 'ko'): Promise<void> {
  await expect(page.locator('html')).toHaveAttribute('lang', lang)
  for (const id of PAGES) await expect(page.getByTestId(`nav-${id}`)).toHaveText(NAV_TEXT[lang][id])
}

/** Switches to `lang` with the header's buttons. */
export async function switchLanguage(page: Page, lang: 'en' | 'ko'): Promise<void> {
  await page.getByTestId(`lang-${lang}`).click()
  await expectLanguage(page, lang)
}

/** Visits every page in `lang`, checks it is shown and selected, and saves `<prefix>-<page>-<lang>.png`. */
export async function visitEveryPage(page: Page, prefix: string, lang: 'en' | 'ko'): Promise<string[]> {
  await switchLanguage(page, lang)
  const shots: string[] = []
  for (const id of PAGES) {
    await page.getByTestId(`nav-${id}`).click()
    await expect(page.getByTestId(`page-${id}`)).toBeVisible()
    await expect(page.getByTestId(`nav-${id}`)).toHaveAttribute('aria-selected', 'true')
    // Let pages that fetch presets or samples on arrival settle before the picture.
    await page.waitForLoadState('networkidle').catch(() => {})
    await page.waitForTimeout(300)
    shots.push(await screenshot(page, `${prefix}-${id}-${lang}`))
  }
  return shots
}
