/**
 * A language model's own text in the web shell: a Korean .txt uploaded from this computer (the page cannot
 * name a file on the host) trains the character LSTM, and the page says the text's vocabulary size; an
 * empty file is refused in the page's language, a too short one said with its numbers (Start waits); the project
 * saved after it opens in a fresh lab with the text in use.
 */
import { readFileSync } from 'node:fs'
import { test, expect, openLab, pickPreset, screenshot, startShell } from './fixtures'

const SENTENCES = [
  '오늘 아침에 도서관에서 책을 빌렸다.', '동생은 바다에 가고 싶다고 말했다.', '비가 와서 우리는 집에서 국수를 먹었다.',
  '선생님께서 새로운 노래를 가르쳐 주셨다.', '밤하늘에 별이 많이 떠 있었다.'
]
const KOREAN = Array.from({ length: 40 }, (_, i) => SENTENCES[i % SENTENCES.length]).join('\n') + '\n'
const VOCAB = new Set(KOREAN.normalize('NFC')).size
const CHARS = [...KOREAN.normalize('NFC')].length

test.describe('a text of ones own (ko)', () => {
  test.use({ lang: 'ko' })

  test('uploads a Korean text, shows its vocabulary size and trains the character LSTM on it', async ({ page, context }) => {
    await page.setViewportSize({ width: 1024, height: 680 })
    await pickPreset(page, 'char-lstm')
    await expect(page.getByTestId('train-data')).toHaveValue('text')
    // an empty file: refused, in Korean, naming it
    await page.getByTestId('train-text-upload-input').setInputFiles({ name: '빈파일.txt', mimeType: 'text/plain', buffer: Buffer.alloc(0) })
    await expect(page.getByTestId('train-text-error')).toHaveText('빈파일.txt 파일이 비어 있습니다. 언어 모델은 배울 텍스트가 있어야 합니다. 글이 들어 있는 텍스트 파일을 고르세요.')
    // a text too short for the input length (64): kept, but said beside it with the numbers, and Start waits (Q1 F13)
    await page.getByTestId('train-text-upload-input').setInputFiles({ name: 'ab.txt', mimeType: 'text/plain', buffer: Buffer.from('ab') })
    await expect(page.getByTestId('train-text-error')).toContainText('이 텍스트는 2자뿐이라 이 신경망의 입력 길이 64에 비해 너무 짧습니다. 적어도 646자가 있어야 합니다.')
    await expect(page.getByTestId('train-start')).toBeDisabled()

    await page.getByTestId('train-text-upload-input').setInputFiles({ name: '일기.txt', mimeType: 'text/plain', buffer: Buffer.from(KOREAN, 'utf8') })
    const chosen = page.getByTestId('train-text-chosen')
    await expect(chosen).toHaveText(`일기.txt: ${CHARS.toLocaleString('ko')}자, 서로 다른 글자 ${VOCAB}개 (어휘 크기)`)
    await expect(page.getByTestId('train-text-error')).toHaveCount(0)
    // the form trains on the host's copy of it, but shows the name the learner knows; it is offered again later
    await expect(page.getByTestId('train-text-file')).toHaveValue('일기.txt')
    await expect(page.getByTestId('train-text-kept').locator('li', { hasText: '일기.txt' })).toContainText('사용 중')

    await page.getByTestId('train-epochs').fill('1')
    await page.getByTestId('train-start').click()
    // it trains: a mini-batch done, then the epoch's perplexity
    await expect(page.getByTestId('progress')).toContainText(/미니배치 [1-9]\d* \/ \d+/, { timeout: 120_000 })
    await expect(page.getByTestId('train-stop')).toBeDisabled({ timeout: 180_000 })
    await expect(page.getByTestId('test-accuracy')).not.toContainText('—')
    await expect(page.getByTestId('train-error')).toHaveCount(0)
    // and writes with the text's characters
    await page.getByTestId('generate-prompt').fill('오늘')
    await page.getByTestId('generate-run').click()
    const out = page.getByTestId('generate-output')
    await expect(out).toBeVisible({ timeout: 30_000 })
    const text = (await out.textContent()) ?? ''
    expect([...text].every((c) => KOREAN.includes(c))).toBe(true)
    await page.getByTestId('train-side').evaluate((el) => { el.scrollTop = 0 })
    await page.locator('main').evaluate((el) => { el.scrollTop = 0 })
    await screenshot(page, 'text-upload-ko-1024')

    // the saved project carries the text: opened in a fresh lab (its own data folder, as on another computer),
    // the text is kept there again and in use, so the next run can start at once
    await page.getByTestId('model-menu').click()
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('files-save').click()])
    const fresh = await startShell()
    try {
      const p2 = await openLab(context, fresh.url)
      await p2.getByTestId('files-project-input').setInputFiles({ name: download.suggestedFilename(), mimeType: 'application/octet-stream', buffer: readFileSync(await download.path()) })
      await p2.getByTestId('nav-train').click()
      await expect(p2.getByTestId('train-text-chosen')).toHaveText(`일기.txt: ${CHARS.toLocaleString('ko')}자, 서로 다른 글자 ${VOCAB}개 (어휘 크기)`)
      await expect(p2.getByTestId('train-text-file')).toHaveValue('일기.txt')
      await expect(p2.getByTestId('train-text-missing')).toHaveCount(0)
    } finally {
      await fresh.stop()
    }
  })
})
