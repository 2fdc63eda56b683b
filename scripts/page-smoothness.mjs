// How smooth the training page stays while a run trains, measured in the web shell in Chromium (not a test: it prints
// figures and asserts nothing). For each scenario it starts a web shell, a run of 30 epochs, and records for a while:
// long tasks (count, total, longest), the gaps between animation frames (median, 95th percentile, longest), the time
// from an input to the next frame, and, with --profile, the page's script time per function (CDP Profiler).
//
//   npm run build
//   flock -x /tmp/bench.lock node scripts/page-smoothness.mjs [--scenarios cnn-train,cnn-panels,cnn-draw,cnn-switch,lstm-panels]
//       [--seconds 20] [--throttle 4] [--profile]
//
// Scenarios: <net>-<where>. net: cnn (the book's simple ConvNet, the default preset), keras (the Keras-style CNN: the
// largest feature-map snapshots), lstm (the character LSTM: its gates). where: train (top of the training page: the
// charts; a key and a click into the form every 0.4 s), panels (scrolled to the filters, feature maps or gates; a
// click every 0.4 s), draw (the Draw page open: the live prediction), switch (Draw and Training in turn every second;
// the input time is the click to the next frame). --throttle N slows the page's CPU N times (a slow laptop).
// "input → next frame" is measured from here, so it includes the round trips of sending the input (about 16–20 ms at
// rest); "events over 16 ms, longest" is the browser's own Event Timing figure for one event, input to paint.
// Chromium: BACKPROP_LAB_CHROMIUM or /usr/bin/chromium, as the end-to-end tests.
import { chromium } from '@playwright/test'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const argv = process.argv.slice(2)
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`)
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : dflt
}
const scenarios = opt('scenarios', 'cnn-train,cnn-panels,cnn-draw,cnn-switch,lstm-panels').split(',')
const seconds = Number(opt('seconds', '20'))
const throttle = Number(opt('throttle', '1'))
const profile = argv.includes('--profile')
const PRESETS = { cnn: 'simple-convnet', keras: 'keras-cnn', lstm: 'char-lstm' }
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync']

function startShell() {
  const dataDir = mkdtempSync(join(tmpdir(), 'page-smoothness-'))
  const child = spawn(process.execPath, [join(ROOT, 'out/main/web-shell.js'), '--port', '0'], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: 'production', BACKPROP_LAB_DATA_DIR: dataDir }
  })
  let log = ''
  child.stderr.on('data', (d) => (log += d))
  const stop = () => new Promise((done) => {
    child.once('exit', () => (rmSync(dataDir, { recursive: true, force: true }), done()))
    child.kill('SIGTERM')
  })
  return new Promise((ok, fail) => {
    child.stdout.on('data', (d) => {
      log += d
      const m = log.match(/^(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)\s*$/m)
      if (m) ok({ url: m[1], stop })
    })
    child.once('exit', (code) => fail(new Error(`the web shell exited (${code}): ${log}`)))
  })
}

/** In the page from its first script: long tasks, frame gaps and slow input events, kept while `recording`. */
function watch() {
  localStorage.setItem('backprop-lab.lang', 'en')
  const P = (window.__smooth = { long: [], frames: [], events: [], recording: false })
  new PerformanceObserver((l) => { if (P.recording) for (const e of l.getEntries()) P.long.push(e.duration) }).observe({ type: 'longtask' })
  new PerformanceObserver((l) => { if (P.recording) for (const e of l.getEntries()) P.events.push(e.duration) }).observe({ type: 'event', durationThreshold: 16 })
  let last = 0
  const tick = (t) => { if (P.recording && last) P.frames.push(t - last); last = t; requestAnimationFrame(tick) }
  requestAnimationFrame(tick)
}

const quantile = (a, p) => (a.length ? [...a].sort((x, y) => x - y)[Math.min(a.length - 1, Math.floor(p * a.length))] : NaN)
const ms = (x) => (Number.isFinite(x) ? x.toFixed(1) : '-')
const nextFrame = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())))

async function startRun(page, preset) {
  await page.getByTestId('nav-editor').click()
  await page.getByTestId('preset-select').selectOption(preset)
  await page.getByTestId('nav-train').click()
  await page.waitForFunction(() => !document.querySelector('[data-testid="train-start"]')?.disabled, null, { timeout: 15_000 })
  await page.getByTestId('train-epochs').fill('30')
  await page.getByTestId('train-start').click()
  await page.waitForFunction(() => !document.querySelector('[data-testid="train-stop"]')?.disabled, null, { timeout: 15_000 })
}

/** Script time per function (self), the `n` largest. */
function topFunctions(prof, n = 15) {
  const byId = new Map(prof.nodes.map((nd) => [nd.id, nd]))
  const self = new Map()
  prof.samples.forEach((id, i) => {
    const cf = byId.get(id).callFrame
    const key = `${cf.functionName || '(anonymous)'} ${cf.url.split('/').pop()}:${cf.lineNumber + 1}`
    self.set(key, (self.get(key) ?? 0) + (prof.timeDeltas[i] ?? 0) / 1000)
  })
  return [...self].filter(([k]) => !k.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, n)
    .map(([k, v]) => `  ${v.toFixed(0).padStart(6)} ms  ${k}`).join('\n')
}

const browser = await chromium.launch({ executablePath: process.env.BACKPROP_LAB_CHROMIUM ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS })
try {
  for (const sc of scenarios) {
    const [net, where] = sc.split('-')
    if (!PRESETS[net] || !['train', 'panels', 'draw', 'switch'].includes(where)) throw new Error(`unknown scenario "${sc}"`)
    const shell = await startShell()
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 })
    try {
      await context.addInitScript(watch)
      const page = await context.newPage()
      page.on('pageerror', (e) => console.log(`page error: ${e.message}`))
      await page.goto(shell.url)
      await page.waitForSelector('[data-testid="status-connection"][data-status="open"]', { timeout: 15_000 })
      await startRun(page, PRESETS[net])
      await page.waitForTimeout(3000)
      if (where === 'panels') await page.locator('main').evaluate((m) => m.scrollTo(0, 700))
      if (where === 'draw') await page.getByTestId('nav-draw').click()
      await page.waitForTimeout(1000)
      const cdp = await context.newCDPSession(page)
      if (throttle > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle })
      if (profile) {
        await cdp.send('Profiler.enable')
        await cdp.send('Profiler.setSamplingInterval', { interval: 200 })
        await cdp.send('Profiler.start')
      }
      await page.evaluate(() => (window.__smooth.recording = true))
      const inputs = []
      let i = 0
      // the pointer straight at the links: a locator's click adds Playwright's own checks (tens of ms) to the time
      const nav = {}
      for (const id of ['train', 'draw']) {
        const b = await page.getByTestId(`nav-${id}`).boundingBox()
        nav[id] = [b.x + b.width / 2, b.y + b.height / 2]
      }
      for (const end = Date.now() + seconds * 1000; Date.now() < end;) {
        const t0 = Date.now()
        if (where === 'switch') await page.mouse.click(...nav[i++ % 2 ? 'train' : 'draw'])
        else if (where === 'train') await page.getByTestId('train-lr').press('Shift')
        else await page.mouse.click(5, 790)
        await nextFrame(page)
        inputs.push(Date.now() - t0)
        await page.waitForTimeout(where === 'switch' ? 1000 : 400)
      }
      const P = await page.evaluate(() => ((window.__smooth.recording = false), window.__smooth))
      const total = P.long.reduce((a, b) => a + b, 0)
      console.log(`${sc}${throttle > 1 ? ` (CPU ÷${throttle})` : ''}, ${seconds} s: ` +
        `${P.long.length} long tasks, ${ms(total)} ms in all, longest ${ms(Math.max(0, ...P.long))} ms; ` +
        `${P.frames.length} frames, gap median ${ms(quantile(P.frames, 0.5))} p95 ${ms(quantile(P.frames, 0.95))} longest ${ms(Math.max(0, ...P.frames))} ms; ` +
        `input → next frame median ${ms(quantile(inputs, 0.5))} longest ${ms(Math.max(0, ...inputs))} ms (${inputs.length}); ` +
        `events over 16 ms: ${P.events.length}, longest ${ms(Math.max(0, ...P.events))} ms`)
      if (profile) console.log(topFunctions((await cdp.send('Profiler.stop')).profile))
    } finally {
      await context.close()
      await shell.stop()
    }
  }
} finally {
  await browser.close()
}
