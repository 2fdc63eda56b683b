/**
 * Projects in the web shell: train one epoch, download the project, open it in a fresh shell (a new
 * host that has never trained) by uploading it, and predict with it; the training history comes back.
 */
import { readFileSync } from 'node:fs'
import { test, expect, screenshot, startShell, openLab, trainOneEpoch } from './fixtures'
import { decodeProject } from '../../src-engine/io/project'

test('a downloaded project uploads into a fresh lab, with its history, and predicts', async ({ page, context }) => {
  test.setTimeout(240_000)
  const acc = await trainOneEpoch(page)

  await page.getByTestId('model-menu').click()
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('files-save').click()])
  expect(download.suggestedFilename()).toMatch(/\.bplab$/)
  const path = await download.path()
  const saved = decodeProject(readFileSync(path))
  expect(saved.weights).toBeDefined()
  expect(saved.optimizer?.name).toBeDefined()

  // A fresh lab: nothing trained there.
  const fresh = await startShell()
  try {
    const p2 = await openLab(context, fresh.url)
    await p2.getByTestId('nav-draw').click()
    await expect(p2.getByTestId('page-draw')).toContainText('No trained model yet')
    // under its own name, as a learner would pick it (Playwright keeps the download under a random one)
    const upload = { name: download.suggestedFilename(), mimeType: 'application/octet-stream', buffer: readFileSync(path) }
    await p2.getByTestId('files-project-input').setInputFiles(upload)
    await expect(p2.getByTestId('page-draw')).not.toContainText('No trained model yet', { timeout: 20_000 })

    // Predict: a vertical stroke on the pad gets an answer from the uploaded model.
    const box = (await p2.getByTestId('draw-pad').boundingBox())!
    await p2.mouse.move(box.x + box.width * 0.52, box.y + box.height * 0.15)
    await p2.mouse.down()
    for (let i = 1; i <= 6; i++) await p2.mouse.move(box.x + box.width * 0.5, box.y + box.height * (0.15 + i * 0.12), { steps: 3 })
    await p2.mouse.up()
    await expect(p2.getByTestId('prediction')).not.toHaveAttribute('data-probs', '', { timeout: 15_000 })
    const probs = JSON.parse((await p2.getByTestId('prediction').getAttribute('data-probs'))!) as number[]
    expect(probs).toHaveLength(10)
    await screenshot(p2, 'files-uploaded-predict-en')

    // The training history came with it.
    await p2.getByTestId('nav-train').click()
    await expect(p2.getByTestId('test-accuracy')).toHaveAttribute('data-value', acc)
  } finally {
    await fresh.stop()
  }
})

test('training left unsaved is offered back after a reload, and recovering it restores the model and history', async ({ page }) => {
  test.setTimeout(240_000)
  // Every test has a lab of its own: nothing an earlier test trained is offered here.
  await page.waitForTimeout(1000)
  await expect(page.getByTestId('recovery-banner')).toHaveCount(0)
  const acc = await trainOneEpoch(page)

  // The page goes away without saving (a closed tab, a crash): the autosave is offered on return.
  await page.reload()
  await expect(page.getByTestId('status-connection')).toHaveAttribute('data-status', 'open', { timeout: 15_000 })
  const banner = page.getByTestId('recovery-banner')
  await expect(banner).toBeVisible({ timeout: 10_000 })
  await expect(banner).toContainText('after epoch 1')
  await screenshot(page, 'files-recovery-banner-en')
  await page.getByTestId('model-menu').click()
  // the host still holds the trained model: the reloaded page learns it on connecting (model:held)
  await expect(page.getByTestId('files-export-onnx')).toBeEnabled()
  await screenshot(page, 'files-menu-en')
  await page.keyboard.press('Escape')
  await page.getByTestId('lang-ko').click()
  await expect(banner).toContainText('에폭 1 이후')
  await page.getByTestId('model-menu').click()
  await screenshot(page, 'files-menu-ko')
  await page.keyboard.press('Escape')
  await page.getByTestId('lang-en').click()

  await page.getByTestId('recovery-recover').click()
  await expect(banner).toBeHidden()
  await page.getByTestId('nav-train').click()
  await expect(page.getByTestId('test-accuracy')).toHaveAttribute('data-value', acc)
  await page.getByTestId('nav-draw').click()
  await expect(page.getByTestId('page-draw')).not.toContainText('No trained model yet')

  // Saving (here: downloading) the project clears the autosave: a reload offers nothing.
  await page.getByTestId('model-menu').click()
  await Promise.all([page.waitForEvent('download'), page.getByTestId('files-save').click()])
  await page.reload()
  await expect(page.getByTestId('status-connection')).toHaveAttribute('data-status', 'open', { timeout: 15_000 })
  await page.waitForTimeout(1000)
  await expect(page.getByTestId('recovery-banner')).toHaveCount(0)
})
