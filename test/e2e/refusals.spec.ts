/**
 * Requests the host refuses read in the page's language, worded from the refusal's code and params (the
 * host's English message stays for logs): a file that is not a project, and opening a project while a
 * run trains. Screenshots in both languages (out/e2e/screenshots/refusal-*.png).
 */
import { test, expect, screenshot, pickPreset } from './fixtures'

const notAProject = { name: 'notes.bplab', mimeType: 'application/octet-stream', buffer: Buffer.from('these are my notes, not a project') }

test('a file that is not a project is refused in English and in Korean', { tag: '@pages' }, async ({ page }) => {
  await page.getByTestId('files-project-input').setInputFiles(notAProject)
  const toast = page.getByTestId('toast')
  await expect(toast).toContainText('notes.bplab is not a Backprop Lab project, or it is damaged, so nothing was changed: open a .bplab file saved by the lab.')
  await screenshot(page, 'refusal-not-a-project-en')
  await page.getByTestId('lang-ko').click()
  await expect(toast).toContainText('notes.bplab 파일은 Backprop Lab 프로젝트가 아니거나 손상되어서 아무것도 바꾸지 않았습니다.')
  await expect(toast).not.toContainText('is not')
  await screenshot(page, 'refusal-not-a-project-ko')
})

test.describe('in Korean', () => {
  test.use({ lang: 'ko' })

  test('opening a project while a run trains says to stop it first', async ({ page }) => {
    test.setTimeout(120_000)
    await pickPreset(page, 'mlp')
    await page.getByTestId('train-start').click()
    await expect(page.getByTestId('loss-chart')).not.toHaveAttribute('data-points', '0', { timeout: 60_000 })
    await page.getByTestId('files-project-input').setInputFiles(notAProject)
    const toast = page.getByTestId('toast')
    await expect(toast).toContainText('학습이 진행 중입니다. 프로젝트를 열기 전에 학습을 멈추세요.')
    await expect(page.getByTestId('run-legend')).toContainText('미니배치 100')
    await screenshot(page, 'refusal-busy-open-ko')
    await page.getByTestId('lang-en').click()
    await expect(toast).toContainText('A training run is in progress: stop it before opening a project.')
    await screenshot(page, 'refusal-busy-open-en')
    await page.getByTestId('train-stop').click()
    await expect(page.getByTestId('train-start')).toBeEnabled({ timeout: 30_000 })
  })
})
