/**
 * A run that other programs leave no core says so, and carries on by itself when they stop. The training
 * threads run under SCHED_IDLE (Linux, where `chrt` exists): busy programs in the lab's own session stop
 * them completely, and the host's StarvationWatch (src-main/cpu-watch.ts) tells the page. Here one busy
 * loop per core, started beside the web shell, stands in for those programs. Screenshot cpu-starved-ko.png.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { availableParallelism } from 'node:os'
import { test, expect, screenshot, pickPreset } from './fixtures'

const idlePolicy = process.platform === 'linux' && spawnSync('chrt', ['--max'], { stdio: 'ignore' }).status === 0

test.describe('ko', () => {
  test.use({ lang: 'ko' })

  test('a starved run says that other programs are using every core, and the notice goes when it trains again', async ({ page }) => {
    test.skip(!idlePolicy, 'Training threads run under SCHED_IDLE only on Linux with chrt (util-linux); nothing can starve them here.')
    test.setTimeout(180_000)
    await pickPreset(page, 'simple-convnet')
    await page.getByTestId('train-epochs').fill('30')
    await page.getByTestId('train-start').click()
    await expect(page.getByTestId('test-accuracy')).toHaveAttribute('data-value', /0\.\d+/, { timeout: 120_000 })
    const notice = page.getByTestId('train-cpu-starved')
    await expect(notice).toBeHidden()
    const loops: ChildProcess[] = []
    try {
      for (let i = 0; i < availableParallelism(); i++) loops.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }))
      await expect(notice).toBeVisible({ timeout: 30_000 })
      await expect(notice).toContainText('다른 프로그램')
      await screenshot(page, 'cpu-starved-ko')
    } finally {
      for (const l of loops) l.kill('SIGKILL')
    }
    await expect(notice).toBeHidden({ timeout: 30_000 })
    await page.getByTestId('train-stop').click()
  })
})
