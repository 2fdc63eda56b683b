/**
 * Refusals whose facts come from the engine as data, read in Korean: weights that do not fit the open
 * architecture (the first tensor that does not fit, here one the file lacks, and how many do not) and a project whose architecture is invalid
 * (its first issue, worded as the editor words it), and a prompt with a character the model's text never had
 * (the character the engine named). Screenshots: out/e2e/screenshots/refusal-facts-*.png.
 */
import { test, expect, screenshot, pickPreset } from './fixtures'
import { encodeSafetensors } from '../../src-engine/io/safetensors'
import { encodeProject } from '../../src-engine/io/project'
import type { NetSpec } from '../../src-engine/spec-types'

test.describe('in Korean', () => {
  test.use({ lang: 'ko' })

  test('weights that do not fit name the tensor the file lacks, in Korean', { tag: '@pages' }, async ({ page }) => {
    const bytes = encodeSafetensors({ 'mystery.W': { shape: [3, 3], data: new Float32Array(9) } })
    await page.getByTestId('files-weights-input').setInputFiles({ name: 'other.safetensors', mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) })
    const toast = page.getByTestId('toast')
    // the first problem is a tensor the file lacks (3ef4b6b: 'import-missing', where it read "differs")
    await expect(toast).toContainText(/other\.safetensors 파일은 열린 구조에 맞지 않아 아무것도 바꾸지 않았습니다\. 이 구조에 필요한 "[^"]+" 텐서가 파일에 없습니다\(맞지 않는 텐서 \d+개\)/)
    await expect(toast).not.toContainText('missing tensor')
    await screenshot(page, 'refusal-facts-weights-ko')
  })

  test('a project whose architecture is invalid names its issue as the editor does, in Korean', { tag: '@pages' }, async ({ page }) => {
    const spec = { input: [1, 28, 28], layers: [{ type: 'Convolution', filters: 4, kernel: 40 }, { type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] } as NetSpec
    await page.getByTestId('files-project-input').setInputFiles({ name: 'broken.bplab', mimeType: 'application/octet-stream', buffer: Buffer.from(encodeProject({ spec })) })
    const toast = page.getByTestId('toast')
    await expect(toast).toContainText('broken.bplab 파일에 저장된 구조가 올바르지 않아 아무것도 바꾸지 않았습니다: ')
    await expect(toast).toContainText('40×40 필터가')
    await expect(toast).not.toContainText('not valid')
    await screenshot(page, 'refusal-facts-bad-spec-ko')
  })

  test('a prompt with a character the text never had names the character, in Korean', async ({ page }) => {
    test.setTimeout(180_000)
    await pickPreset(page, 'char-lstm')
    await page.getByTestId('train-epochs').fill('1')
    await page.getByTestId('train-start').click()
    await expect(page.getByTestId('loss-chart')).not.toHaveAttribute('data-points', '0', { timeout: 60_000 })
    await page.getByTestId('train-stop').click()
    await expect(page.getByTestId('train-start')).toBeEnabled({ timeout: 30_000 })
    await page.getByTestId('generate-prompt').fill('the snowman ☃')
    await page.getByTestId('generate-run').click()
    const panel = page.getByTestId('generate-panel')
    await expect(panel).toContainText('프롬프트에 모델이 배운 텍스트에 없던 문자가 있습니다("☃"). 그 텍스트에 있는 문자만 쓰세요.')
    await expect(panel).not.toContainText('not in the vocabulary')
    await panel.scrollIntoViewIfNeeded()
    await screenshot(page, 'refusal-facts-bad-prompt-ko')
  })
})
