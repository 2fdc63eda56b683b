/**
 * The training dashboard against the real web shell and engine: one click trains the default preset
 * (the book's simple ConvNet on the built-in digits); charts and progress move within seconds; pause,
 * a live learning-rate change and resume; filters and feature maps change; a second run with another
 * optimizer overlays the first. Measures the longest gap between animation frames and the longest task
 * while training and while leaving and reopening the page, and writes screenshots in both languages to
 * out/e2e/screenshots/.
 */
import type { Page } from '@playwright/test'
import { test, expect, screenshot } from './fixtures'

/** Starts recording the gaps between animation frames and the page's long tasks. */
async function startFrameWatch(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __frames: { gaps: number[]; longTasks: number[]; last: number; on: boolean; po: PerformanceObserver } }
    const po = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__frames.longTasks.push(e.duration)
    })
    w.__frames = { gaps: [], longTasks: [], last: performance.now(), on: true, po }
    po.observe({ type: 'longtask' })
    const tick = (now: number): void => {
      const f = w.__frames
      if (!f.on) return
      f.gaps.push(now - f.last)
      f.last = now
      requestAnimationFrame(tick)
    }
    requestAnimationFrame(tick)
  })
}

interface FrameStats { max: number; p95: number; p99: number; frames: number; over100: number; longestTask: number }

async function stopFrameWatch(page: Page): Promise<FrameStats> {
  return page.evaluate(() => {
    const f = (window as unknown as { __frames: { gaps: number[]; longTasks: number[]; on: boolean; po: PerformanceObserver } }).__frames
    f.on = false
    f.po.disconnect()
    const g = [...f.gaps].sort((a, b) => a - b)
    return {
      max: g[g.length - 1] ?? 0,
      p95: g[Math.floor(g.length * 0.95)] ?? 0,
      p99: g[Math.floor(g.length * 0.99)] ?? 0,
      frames: g.length,
      over100: g.filter((x) => x >= 100).length,
      longestTask: Math.max(0, ...f.longTasks)
    }
  })
}

/** Waits until the loss chart stops growing (a batch in flight when pausing still lands) and returns its count. */
async function settledPoints(page: Page): Promise<number> {
  let last = -1
  await expect
    .poll(async () => {
      const now = await points(page, 'loss-chart')
      const same = now === last
      last = now
      return same
    }, { timeout: 30_000, intervals: [1500] })
    .toBe(true)
  return last
}

const points = async (page: Page, id: string): Promise<number> => Number(await page.getByTestId(id).getAttribute('data-points'))
const snapshots = async (page: Page, id: string): Promise<number> => Number(await page.getByTestId(id).getAttribute('data-snapshots'))

/** Screenshot with the page scrolled to its top, or to `testid` (the page scrolls inside <main>). */
async function shotAt(page: Page, name: string, testid?: string): Promise<void> {
  if (testid) await page.getByTestId(testid).evaluate((el) => el.scrollIntoView({ block: 'start' }))
  else await page.evaluate(() => document.querySelector('main')?.scrollTo(0, 0))
  await screenshot(page, name)
}

async function openTrain(page: Page): Promise<void> {
  await page.getByTestId('nav-train').click()
  await expect(page.getByTestId('page-train')).toBeVisible()
  await expect(page.getByTestId('train-start')).toBeEnabled({ timeout: 15_000 })
}

test('trains the default preset live: charts, progress, pause, lr change, resume, filters and maps, stop', async ({ page }) => {
  test.setTimeout(150_000)
  await openTrain(page)
  await expect(page.getByTestId('train-network')).toContainText(/conv ?net/i)

  const t0 = Date.now()
  await page.getByTestId('train-start').click()
  // loss points and progress within seconds
  await expect.poll(() => points(page, 'loss-chart'), { timeout: 20_000 }).toBeGreaterThan(0)
  console.log(`first loss point on the chart after ${Date.now() - t0} ms`)
  await expect(page.getByTestId('progress')).toContainText(/Epoch 1 \/ \d+/)
  const firstProgress = await page.getByTestId('progress').innerText()
  await expect.poll(() => page.getByTestId('progress').innerText(), { timeout: 10_000 }).not.toBe(firstProgress)
  await expect(page.getByTestId('progress')).toContainText('examples/s')

  // filters appear (initial and now) and change as the network learns (grids off screen wait to repaint)
  await expect(page.getByTestId('filters-now')).toBeVisible({ timeout: 15_000 })
  await page.getByTestId('filters-now').scrollIntoViewIfNeeded()
  const filtersBefore = await page.getByTestId('filters-now').evaluate((c) => (c as HTMLCanvasElement).toDataURL())
  const snapsBefore = await snapshots(page, 'filters')
  await expect.poll(() => snapshots(page, 'filters'), { timeout: 20_000 }).toBeGreaterThan(snapsBefore)
  await expect
    .poll(() => page.getByTestId('filters-now').evaluate((c) => (c as HTMLCanvasElement).toDataURL()), { timeout: 20_000 })
    .not.toBe(filtersBefore)

  // pick a probe digit: its feature maps appear and change
  await page.getByTestId('probe-3').click()
  const maps = page.getByTestId('feature-maps')
  await expect(maps.locator('canvas.clickable').first()).toBeVisible({ timeout: 20_000 })
  await maps.locator('canvas.clickable').first().scrollIntoViewIfNeeded()
  const mapsBefore = await maps.locator('canvas.clickable').first().evaluate((c) => (c as HTMLCanvasElement).toDataURL())
  await expect
    .poll(() => maps.locator('canvas.clickable').first().evaluate((c) => (c as HTMLCanvasElement).toDataURL()), { timeout: 20_000 })
    .not.toBe(mapsBefore)

  await shotAt(page, 'train-running-en')
  await shotAt(page, 'train-maps-en', 'feature-maps')

  // pause really pauses
  await page.getByTestId('train-pause').click()
  await expect(page.getByTestId('progress')).toContainText('Paused')
  const pausedAt = await settledPoints(page)
  await page.waitForTimeout(2000)
  expect(await points(page, 'loss-chart')).toBe(pausedAt)

  // one step while paused trains exactly one more batch
  await page.getByTestId('train-step').click()
  await expect.poll(() => points(page, 'loss-chart'), { timeout: 10_000 }).toBe(pausedAt + 1)

  // change the learning rate live, then resume
  await page.getByTestId('train-lr').fill('0.0005')
  await page.getByTestId('train-apply-lr').click()
  await expect(page.getByTestId('run-legend')).toContainText('lr 0.002 → 0.0005')
  await page.getByTestId('train-resume').click()
  await expect(page.getByTestId('progress')).toContainText('Training')
  await expect.poll(() => points(page, 'loss-chart'), { timeout: 10_000 }).toBeGreaterThan(pausedAt + 1)

  // what a learner sees while it trains: frames keep coming while charts, filters and maps update
  await page.evaluate(() => document.querySelector('main')?.scrollTo(0, 0))
  const before = await points(page, 'loss-chart')
  await startFrameWatch(page)
  await page.waitForTimeout(10_000)
  const frames = await stopFrameWatch(page)
  const during = (await points(page, 'loss-chart')) - before
  console.log(
    `longest requestAnimationFrame gap while training: ${frames.max.toFixed(1)} ms (target < 100 ms); ` +
    `95th / 99th percentile ${frames.p95.toFixed(1)} / ${frames.p99.toFixed(1)} ms; ${frames.over100} of ${frames.frames} frames ≥ 100 ms; ` +
    `longest main-thread task ${frames.longestTask.toFixed(0)} ms; ${during} batches arrived in the 10 s`
  )
  test.info().annotations.push({ type: 'raf-max-gap-ms', description: frames.max.toFixed(1) })
  expect(during, 'batches during the frame measurement').toBeGreaterThan(0)
  // The single longest gap also counts moments the OS gives the browser no CPU at all (2 cores shared
  // with the engine threads and whatever else runs). A page that janked on every update (4 snapshots and
  // 10 batch events a second) would put far more than 5% of its frames over 100 ms.
  expect(frames.p95, '95th percentile frame gap while training (ms)').toBeLessThan(100)
  // The page's own work comes in short tasks (chart updates, grids repainted into their pixels, the
  // curve's history bounded); 200 ms leaves room for a busy machine, a page that redrew everything per
  // event or rebuilt its charts goes far past it.
  expect(frames.longestTask, 'longest main-thread task while training (ms)').toBeLessThan(200)

  // leaving the page and coming back while it trains: the dashboard is rebuilt over several tasks
  // (charts after the first frame, the panels under them a frame later), none long
  await startFrameWatch(page)
  for (const id of ['editor', 'train', 'draw', 'train'] as const) {
    await page.getByTestId(`nav-${id}`).click()
    await expect(page.getByTestId(`page-${id}`)).toBeVisible()
    await page.waitForTimeout(300)
  }
  const switching = await stopFrameWatch(page)
  console.log(`switching pages while training: longest main-thread task ${switching.longestTask.toFixed(0)} ms, longest frame gap ${switching.max.toFixed(0)} ms`)
  expect(switching.longestTask, 'longest main-thread task on leaving and reopening the training page while it trains (ms)').toBeLessThan(200)

  // enlarge a feature map and read a value under the pointer
  await maps.locator('canvas.clickable').first().click({ position: { x: 4, y: 4 } })
  const zoom = page.getByTestId('map-zoom')
  await expect(zoom).toBeVisible()
  await zoom.locator('canvas').hover({ position: { x: 30, y: 30 } })
  await expect(page.getByTestId('map-zoom-value')).toContainText('value at row ')
  await screenshot(page, 'train-map-zoom-en')
  await zoom.getByRole('button').click()
  await expect(zoom).toHaveCount(0)

  // the page loaded again mid-run (F5; in Electron a renderer reloaded) takes the run over (train:current, Q1's F1): the
  // training page opens on it with its curve so far, and Pause, Stop and then Start work (before: "Ready · epoch 0",
  // Pause and Stop off, Start refused while the run went on)
  const beforeReload = await points(page, 'loss-chart')
  await page.reload()
  await expect(page.getByTestId('page-train')).toBeVisible({ timeout: 15_000 })
  await expect(page.getByTestId('progress')).toContainText(/Training.*Epoch [1-9]\d* \/ \d+/, { timeout: 15_000 })
  await expect.poll(() => points(page, 'loss-chart'), { timeout: 10_000 }).toBeGreaterThan(beforeReload)
  await expect(page.getByTestId('recovery-banner')).toHaveCount(0)
  await shotAt(page, 'train-reloaded-en')
  await page.getByTestId('train-pause').click()
  await expect(page.getByTestId('progress')).toContainText('Paused')
  await page.getByTestId('train-stop').click()
  await expect(page.getByTestId('progress')).toContainText('Stopped')
  await expect(page.getByTestId('train-start')).toBeEnabled()
  await page.getByTestId('train-start').click()
  await expect(page.getByTestId('progress')).toContainText(/Training.*Epoch 1 \//, { timeout: 20_000 })
  await expect(page.getByTestId('train-error')).toHaveCount(0)
  await page.getByTestId('train-stop').click()
  await expect(page.getByTestId('progress')).toContainText('Stopped')
  await expect(page.getByTestId('train-start')).toBeEnabled()
})

// The first epoch's report (held-out accuracy, the accuracy chart, a confusion matrix) is checked in continue.spec, on the
// epoch it trains before continuing: a test of its own here trained that same epoch again.

test('overlays two runs with different optimizers on the same charts', async ({ page }) => {
  test.setTimeout(120_000)
  await openTrain(page)
  await page.getByTestId('train-epochs').fill('1')
  await page.getByTestId('train-start').click()
  await expect.poll(() => points(page, 'loss-chart'), { timeout: 20_000 }).toBeGreaterThan(5)
  await page.getByTestId('train-stop').click()
  await expect(page.getByTestId('train-start')).toBeEnabled()
  const first = await points(page, 'loss-chart')

  await page.getByTestId('train-optimizer').selectOption('SGD')
  await page.getByTestId('train-lr').fill('0.1')
  await page.getByTestId('train-start').click()
  const legend = page.getByTestId('run-legend')
  await expect(legend.locator('li')).toHaveCount(2)
  await expect(legend).toContainText('#1 Adam · lr 0.002 · mini-batch 100')
  await expect(legend).toContainText('#2 SGD · lr 0.1 · mini-batch 100')
  await expect.poll(() => points(page, 'loss-chart'), { timeout: 20_000 }).toBeGreaterThan(first + 5)
  await shotAt(page, 'train-overlay-en')
  await page.getByTestId('train-stop').click()
  await expect(page.getByTestId('train-start')).toBeEnabled()
})

test('stops a diverging run by itself, explains it, and restarts with the suggested learning rate', async ({ page }) => {
  test.setTimeout(120_000)
  await openTrain(page)
  // Adam at lr 10 blows the loss up within a few batches (SGD at lr 10 may instead just kill every ReLU)
  await page.getByTestId('train-lr').fill('10')
  await page.getByTestId('train-start').click()
  const banner = page.getByTestId('train-diverged')
  await expect(banner).toBeVisible({ timeout: 60_000 })
  await expect(banner).toContainText('diverged')
  // and which model the lab holds now: this first run's last good weights, or none (nothing was held before it)
  await expect(page.getByTestId('train-kept')).toContainText(/^(The lab kept this run's weights from epoch 1, mini-batch \d+|No trained model is held now)/)
  await expect(page.getByTestId('progress')).toContainText('Failed')
  await shotAt(page, 'train-diverged-en')
  // kept weights of its own can be carried on (a first run has no model before it to go back to); the restart is from scratch
  const keptRun = /^The lab kept/.test((await page.getByTestId('train-kept').textContent()) ?? '')
  await expect(page.getByTestId('train-continue-kept')).toHaveCount(keptRun ? 1 : 0)
  // the engine's suggestion for Adam (its usual rate), not just a tenth of 10
  await expect(page.getByTestId('train-restart-lower')).toContainText('Restart from scratch with lr = 0.001')
  await page.getByTestId('train-restart-lower').click()
  await expect(banner).toHaveCount(0)
  await expect(page.getByTestId('run-legend')).toContainText('#2 Adam · lr 0.001 · mini-batch 100')
  await expect.poll(() => points(page, 'loss-chart'), { timeout: 20_000 }).toBeGreaterThan(0)
  await page.getByTestId('train-stop').click()
  await expect(page.getByTestId('train-start')).toBeEnabled({ timeout: 20_000 })
})

test.describe('in Korean', () => {
  test.use({ lang: 'ko' })

  test('shows the dashboard mid-training in Korean', async ({ page }) => {
    test.setTimeout(120_000)
    await openTrain(page)
    await page.getByTestId('train-start').click()
    await page.getByTestId('probe-0').click()
    await expect(page.getByTestId('progress')).toContainText('에폭 1 /', { timeout: 20_000 })
    await expect(page.getByTestId('progress')).toContainText('초당', { timeout: 20_000 })
    await expect(page.getByTestId('filters-now')).toBeVisible({ timeout: 20_000 })
    await expect(page.getByTestId('feature-maps').locator('canvas.clickable').first()).toBeVisible({ timeout: 20_000 })
    await expect(page.getByTestId('filters')).toContainText('첫 번째 계층의 필터')
    // enough of a curve to show what training looks like
    await expect.poll(() => points(page, 'loss-chart'), { timeout: 60_000 }).toBeGreaterThan(20)
    await shotAt(page, 'train-running-ko')
    await shotAt(page, 'train-maps-ko', 'feature-maps')
    await page.getByTestId('train-stop').click()
    await expect(page.getByTestId('progress')).toContainText('중지됨')
  })
})
