/**
 * End-to-end fixtures: the real web shell (`node out/main/web-shell.js --port 0`: real LabHost, real
 * engine workers) driven in Debian's Chromium. Use them in any spec:
 *
 *   import { test, expect, screenshot } from './fixtures'
 *
 *   test('trains the default preset', async ({ page, shell }) => {
 *     // `page` has already opened shell.url (token included) and waited for the footer to say "connected".
 *     await page.getByTestId('nav-train').click()
 *     await screenshot(page, 'train-running-en')     // → out/e2e/screenshots/train-running-en.png
 *   })
 *
 * Fixtures
 * - `shell`   (one per test) { url, origin, token, port, output() }: a web shell started for this test
 *             alone, so nothing one test trains, autosaves or leaves running reaches the next: a fresh
 *             LabHost and its own temporary BACKPROP_LAB_DATA_DIR, removed when it stops (a start costs
 *             about 0.2 s). `output()` returns everything it printed so far (handy in failure messages).
 * - `context` a fresh browser context (its own cookies, localStorage and cache, like a new profile) in the
 *             worker's one Chromium, viewport 1280×800, English UI (localStorage lang=en) unless the test
 *             sets `lang: 'ko'` with test.use. Chromium starts once per worker, not per test: a start cost
 *             about 0.85 s more than a new context, 50 s over the suite's 60 tests on the 2-core machine.
 * - `page`    the first page of that context, already on the lab and connected. Uncaught page errors
 *             fail the test (set `allowPageErrors: true` with test.use to opt out); console errors are
 *             attached to the report.
 * - `lang`    option: 'en' (default) or 'ko', the language the page starts in.
 * Helpers
 * - `screenshot(page, name)` writes out/e2e/screenshots/<name>.png.
 * - `startShell()` starts an extra web shell (for tests that stop it); call `stop()` when done. Given a data
 *             folder, it uses that one and leaves it: a lab started again on it, as after a crash.
 * - `openLab(context, url)` opens a page on a URL and waits until it is connected.
 * - `pickPreset(page, id)` picks a preset in the editor and opens the training page, ready to start.
 * - `trainOneEpoch(page)` trains the current network for one epoch and returns the held-out accuracy.
 * - `sideways(page)` how many pixels the page's scrolling area runs wider than the window (0: none).
 *
 * Chromium: `BACKPROP_LAB_CHROMIUM`, else /usr/bin/chromium (Debian), chromium-browser, google-chrome.
 * Without one, tests are skipped with a plain message — unless `CI` is set, where that is a failure.
 * Playwright's own browser downloads are never used. Output stays under out/e2e/.
 */
import { test as base, expect, chromium, type Browser, type BrowserContext, type Page } from '@playwright/test'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

export const ROOT = resolve(__dirname, '../..')
export const OUT = join(ROOT, 'out/e2e')
export const SCREENSHOTS = join(OUT, 'screenshots')
/** The web shell's entry; BACKPROP_LAB_WEB_SHELL may name another build of it (same command line). */
export const WEB_SHELL = process.env.BACKPROP_LAB_WEB_SHELL ?? join(ROOT, 'out/main/web-shell.js')

/** Flags that keep Debian's Chromium quiet, offline and working as root in a container. */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'
]

/** The Chromium to drive, or null. */
export function findChromium(): string | null {
  const fromEnv = process.env.BACKPROP_LAB_CHROMIUM
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) if (existsSync(p)) return p
  return null
}

export const NO_CHROMIUM =
  'No Chromium found for the end-to-end tests: install Debian\'s "chromium" package or set BACKPROP_LAB_CHROMIUM to a Chromium executable.'

export interface Shell {
  /** The address to open, `http://127.0.0.1:P/?token=T`. */
  url: string
  origin: string
  token: string
  port: number
  /** Everything the shell printed so far (stdout and stderr). */
  output(): string
  stop(): Promise<void>
}

/**
 * Starts `node out/main/web-shell.js --port 0` and resolves once it has printed its address. `dataDir`: the data
 * folder to use, kept when the shell stops (a lab started again on it finds what the last one left, its autosave);
 * by default a folder of its own, removed when it stops.
 */
export async function startShell(timeoutMs = 30_000, keptDir?: string): Promise<Shell> {
  if (!existsSync(WEB_SHELL)) throw new Error(`${WEB_SHELL} is missing: run "npm run build" first.`)
  // Each shell autosaves into its own folder, so one test's unsaved training is not offered to the next.
  const dataDir = keptDir ?? mkdtempSync(join(tmpdir(), 'backprop-lab-data-'))
  const child: ChildProcess = spawn(process.execPath, [WEB_SHELL, '--port', '0'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production', BACKPROP_LAB_DATA_DIR: dataDir }
  })
  let log = ''
  child.stdout!.setEncoding('utf8')
  child.stderr!.setEncoding('utf8')
  child.stderr!.on('data', (d: string) => (log += d))
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`The web shell printed no address within ${timeoutMs} ms. Output:\n${log}`)), timeoutMs)
    child.stdout!.on('data', (d: string) => {
      log += d
      const m = log.match(/^(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)\s*$/m)
      if (m) {
        clearTimeout(timer)
        resolveUrl(m[1])
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`The web shell exited (code ${code}) before printing its address. Output:\n${log}`))
    })
  })
  const parsed = new URL(url)
  let exited = false
  child.once('exit', () => {
    exited = true
    if (keptDir === undefined) rmSync(dataDir, { recursive: true, force: true })
  })
  return {
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token') ?? '',
    port: Number(parsed.port),
    output: () => log,
    stop: () =>
      new Promise<void>((done) => {
        if (exited) return done()
        const force = setTimeout(() => child.kill('SIGKILL'), 5000)
        child.once('exit', () => {
          clearTimeout(force)
          done()
        })
        child.kill('SIGTERM')
      })
  }
}

/** Opens `url` in the context's first page and waits until the footer says the lab is connected. */
export async function openLab(context: BrowserContext, url: string): Promise<Page> {
  const page = context.pages()[0] ?? (await context.newPage())
  await page.goto(url)
  await expect(page.getByTestId('status-connection')).toHaveAttribute('data-status', 'open', { timeout: 15_000 })
  return page
}

/** Picks preset `id` in the editor, then opens the training page and waits until a run can start. */
export async function pickPreset(page: Page, id: string): Promise<void> {
  await page.getByTestId('nav-editor').click()
  await page.getByTestId('preset-select').selectOption(id)
  await page.getByTestId('nav-train').click()
  await expect(page.getByTestId('train-start')).toBeEnabled({ timeout: 15_000 })
}

/** Trains the network on the training page for one epoch; returns the held-out accuracy it shows ("0.91…"). */
export async function trainOneEpoch(page: Page): Promise<string> {
  await page.getByTestId('nav-train').click()
  await expect(page.getByTestId('train-start')).toBeEnabled({ timeout: 15_000 })
  await page.getByTestId('train-epochs').fill('1')
  await page.getByTestId('train-start').click()
  await expect(page.getByTestId('test-accuracy')).toHaveAttribute('data-value', /0\.\d+/, { timeout: 200_000 })
  return (await page.getByTestId('test-accuracy').getAttribute('data-value'))!
}

/** How far the page's scrolling area runs wider than the window (0: nothing to scroll sideways). */
export function sideways(page: Page): Promise<number> {
  return page.locator('main').evaluate((m) => m.scrollWidth - m.clientWidth)
}

/** Saves a full-window screenshot as out/e2e/screenshots/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  const path = join(SCREENSHOTS, `${name}.png`)
  await page.screenshot({ path })
  return path
}

interface TestFixtures {
  shell: Shell
  lang: 'en' | 'ko'
  allowPageErrors: boolean
  context: BrowserContext
  page: Page
}

interface WorkerFixtures {
  chromiumPath: string | null
  /** The worker's Chromium, or null where there is none (the context fixture then skips or fails). */
  labBrowser: Browser | null
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  chromiumPath: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const path = findChromium()
      if (!path) console.log(process.env.CI ? `FAIL: ${NO_CHROMIUM}` : `Skipping the browser tests. ${NO_CHROMIUM}`)
      await use(path)
    },
    { scope: 'worker' }
  ],

  labBrowser: [
    async ({ chromiumPath }, use) => {
      if (!chromiumPath) return use(null)
      const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS })
      try {
        await use(browser)
      } finally {
        await browser.close()
      }
    },
    { scope: 'worker' }
  ],

  // eslint-disable-next-line no-empty-pattern
  shell: async ({}, use) => {
    const shell = await startShell()
    try {
      await use(shell)
    } finally {
      await shell.stop()
    }
  },

  lang: ['en', { option: true }],
  allowPageErrors: [false, { option: true }],

  context: async ({ labBrowser, lang }, use, testInfo) => {
    if (!labBrowser) {
      if (process.env.CI) throw new Error(NO_CHROMIUM)
      testInfo.skip(true, NO_CHROMIUM)
      return
    }
    const context = await labBrowser.newContext({
      viewport: { width: 1280, height: 800 },
      deviceScaleFactor: 1,
      locale: lang === 'ko' ? 'ko-KR' : 'en-US'
    })
    // Its first page opens before the init script is added, as a persistent context's does: the script
    // would throw on about:blank, whose localStorage is denied, and fail the test as a page error.
    await context.newPage()
    await context.addInitScript((l) => {
      // Only the first visit: a test that switches language and reloads must see its choice kept.
      if (!localStorage.getItem('backprop-lab.lang')) localStorage.setItem('backprop-lab.lang', l)
    }, lang)
    try {
      await use(context)
    } finally {
      await context.close()
    }
  },

  page: async ({ context, shell, allowPageErrors }, use, testInfo) => {
    const pageErrors: string[] = []
    const consoleErrors: string[] = []
    context.on('page', (p) => watch(p))
    function watch(p: Page): void {
      p.on('pageerror', (e) => pageErrors.push(`${e.name}: ${e.message}`))
      p.on('console', (m) => {
        if (m.type() === 'error') consoleErrors.push(m.text())
      })
    }
    for (const p of context.pages()) watch(p)
    const page = await openLab(context, shell.url)
    await use(page)
    if (consoleErrors.length) await testInfo.attach('console-errors', { body: consoleErrors.join('\n'), contentType: 'text/plain' })
    if (testInfo.status !== testInfo.expectedStatus) {
      await testInfo.attach('web-shell-output', { body: shell.output(), contentType: 'text/plain' })
    }
    if (!allowPageErrors) expect(pageErrors, 'uncaught errors in the page').toEqual([])
  }
})

export { expect }
