/**
 * A run that other programs leave no core says so, and carries on by itself when they stop, or at once at
 * normal priority from the notice's button. The training threads run under SCHED_IDLE (Linux, where `chrt`
 * exists): busy programs in the lab's own session stop them completely, and the host's StarvationWatch
 * (src-main/cpu-watch.ts) tells the page. Here one busy loop per core, started beside the web shell, stands
 * in for those programs. Screenshots cpu-starved-ko.png and cpu-normal-ko.png.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { availableParallelism } from 'node:os'
import type { Page } from '@playwright/test'
import { test, expect, screenshot, pickPreset } from './fixtures'

const idlePolicy = process.platform === 'linux' && spawnSync('chrt', ['--max'], { stdio: 'ignore' }).status === 0

/** One busy loop per core, in the lab's own session. */
function busyLoops(): ChildProcess[] {
  return Array.from({ length: availableParallelism() }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }))
}

/** A SimpleConvNet run of 30 epochs that has finished its first (so it is well under way). */
async function trainingRun(page: Page): Promise<void> {
  await pickPreset(page, 'simple-convnet')
  await page.getByTestId('train-epochs').fill('30')
  await page.getByTestId('train-start').click()
  await expect(page.getByTestId('test-accuracy')).toHaveAttribute('data-value', /0\.\d+/, { timeout: 120_000 })
}

test.describe('ko', () => {
  test.use({ lang: 'ko' })
  // The notice failed to appear within 30 s twice on 26 November with other test runs loading the
  // machine to 6-7: then the starved threads still got slivers of a core, a batch got through every few seconds,
  // and the watch's first rule (no batch for a whole window) never judged the run; it now judges how little the
  // threads ran, batches or not (cpu-watch.ts), so no retry.

  // One run for both: the notice going by itself when the other programs stop, then the button while they stay. Each
  // was a test of its own until 27 November, each training a first epoch of its own at idle priority (about 10 s).
  test('a starved run says that other programs are using every core, the notice goes when it trains again, and "continue at normal priority" carries the run on from its weights while the other programs still use every core', async ({ page }) => {
    test.skip(!idlePolicy, 'Training threads run under SCHED_IDLE only on Linux with chrt (util-linux); nothing can starve them here.')
    test.setTimeout(300_000)
    await trainingRun(page)
    await expect(page.getByTestId('train-priority-low')).toBeChecked()
    const notice = page.getByTestId('train-cpu-starved')
    await expect(notice).toBeHidden()
    const loops: ChildProcess[] = []
    const stopLoops = (): void => { for (const l of loops.splice(0)) l.kill('SIGKILL') }
    try {
      // the other programs come and go: the run says so, and carries on by itself when they stop
      loops.push(...busyLoops())
      await expect(notice).toBeVisible({ timeout: 30_000 })
      await expect(notice).toContainText('다른 프로그램')
      await screenshot(page, 'cpu-starved-ko')
      stopLoops()
      await expect(notice).toBeHidden({ timeout: 30_000 })

      // they come back and stay: the notice's button continues the run at normal priority
      // the progress line's mini-batch moves with each batch trained (the bar's aria value moves once an epoch since 4f96eb0)
      const batch = async (): Promise<string> => (await page.getByTestId('progress').innerText()).match(/미니배치 \d+ \/ \d+/)?.[0] ?? ''
      loops.push(...busyLoops())
      await expect(notice).toBeVisible({ timeout: 30_000 })
      const button = notice.getByTestId('train-cpu-normal')
      await expect(button).toHaveText('보통 우선순위로 계속하기')
      await button.click()
      // the run stops after the batch in flight; the continuation (the same colour, its epochs numbered on) trains
      await expect(notice).toBeHidden({ timeout: 90_000 })
      await expect(page.getByTestId('train-priority-normal')).toBeChecked()
      await expect(page.getByTestId('train-continue')).toBeHidden()
      const at = await batch()
      await expect.poll(batch, { timeout: 60_000 }).not.toBe(at)
      await expect(notice).toBeHidden()
      await screenshot(page, 'cpu-normal-ko')
    } finally {
      stopLoops()
    }
    await page.getByTestId('train-stop').click()
  })
})
