/**
 * The curriculum in Korean, as a learner walks it: every one of the 15 lessons opens with its text,
 * key terms and explainers (a photograph of each, out/e2e/screenshots/curriculum-ko-NN-<id>.png), and
 * the lesson's "try it" reaches the lab where the course says: the Keras CNN opens in the editor with
 * the course's parameter count, and its Dropout moved after the output layer is warned about, by name.
 * Training, drawing and generation are driven in train/draw/autoencoder/polish specs.
 */
import { test, expect, screenshot, sideways } from './fixtures'

const LESSON_IDS = [
  'shape', 'affine', 'conv', 'padstride', 'im2col', 'pooling', 'cnn', 'backprop',
  'optimizers', 'overfitting', 'autoencoder', 'rnn', 'lstm', 'lm', 'attention'
]

test.describe('curriculum (ko)', () => {
  test.use({ lang: 'ko' })

  test('opens all 15 lessons in Korean, each with its terms and explainers', { tag: '@pages' }, async ({ page }) => {
    test.setTimeout(120_000)
    await page.getByTestId('nav-lessons').click()
    await expect(page.getByTestId('lesson-item')).toHaveCount(LESSON_IDS.length)
    for (const [i, id] of LESSON_IDS.entries()) {
      await page.locator(`[data-testid="lesson-item"][data-lesson="${id}"]`).click()
      const lesson = page.getByTestId('lesson')
      await expect(lesson).toHaveAttribute('data-lesson', id)
      await expect(lesson.locator('.kicker')).toHaveText(`주제 ${i + 1} / 15`)
      // Korean text and at least two key terms with their Korean names
      await expect(lesson.locator('.para').first()).toContainText(/[가-힣]{2,}/)
      expect(await lesson.getByTestId('term').count()).toBeGreaterThanOrEqual(2)
      // every lesson has something to touch: an explainer, or a preset to open in the lab
      const touch = (await lesson.locator('[data-testid^="explainer-"]').count()) + (await lesson.getByTestId('try-button').count())
      expect(touch, id).toBeGreaterThan(0)
      await page.locator('main').evaluate((m) => m.scrollTo(0, 0))
      await screenshot(page, `curriculum-ko-${String(i + 1).padStart(2, '0')}-${id}`)
    }
    // in a 900-pixel window no lesson's explainer pushes the page sideways
    await page.setViewportSize({ width: 900, height: 600 })
    for (const id of LESSON_IDS) {
      await page.locator(`[data-testid="lesson-item"][data-lesson="${id}"]`).click()
      await expect(page.getByTestId('lesson')).toHaveAttribute('data-lesson', id)
      expect(await sideways(page), `${id} scrolls sideways`).toBeLessThanOrEqual(0)
    }
  })

  test('opens the course’s Keras CNN from the overfitting lesson: its parameters, and a warning once Dropout follows the output', { tag: '@pages' }, async ({ page }) => {
    await page.getByTestId('nav-lessons').click()
    await page.locator('[data-testid="lesson-item"][data-lesson="overfitting"]').click()
    await page.locator('[data-testid="try-button"][data-preset="keras-cnn"]').click()
    await expect(page.getByTestId('page-editor')).toBeVisible()
    // the course's total: 3,241,354 parameters
    await expect(page.getByTestId('param-total')).toHaveAttribute('data-value', '3241354')
    // the preset keeps Dropout before the last Affine; moved where the course has it, after the output, it is warned about
    const warn = page.locator('[data-testid="layer-warning"][data-code="dropout-after-output"]')
    await expect(warn).toHaveCount(0)
    const cards = page.getByTestId('layer-card')
    await expect(cards.nth(9)).toHaveAttribute('data-type', 'Dropout')
    await cards.nth(9).focus()
    await page.keyboard.press('Alt+ArrowDown')
    await page.keyboard.press('Alt+ArrowDown')
    await expect(cards.nth(11)).toHaveAttribute('data-type', 'Dropout')
    await expect(warn).toHaveCount(1)
    await expect(warn).toContainText('dropout1')
    await expect(warn).toContainText('affine2')
    await expect(page.getByTestId('param-total')).toHaveAttribute('data-value', '3241354')
    // a warning, not an error: the network can still be trained
    await expect(page.getByTestId('layer-error')).toHaveCount(0)
    await warn.scrollIntoViewIfNeeded()
    await screenshot(page, 'curriculum-ko-keras-dropout-warning')
  })
})
