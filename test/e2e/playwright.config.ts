/**
 * End-to-end tests: the built app (out/) in Debian's Chromium through the web shell, and the desktop
 * app through Playwright's Electron support where an Electron binary exists. `npm run test:e2e`
 * expects `npm run build` to have run (npm test does both). Fixtures: ./fixtures.ts.
 */
import { defineConfig } from '@playwright/test'
import { resolve } from 'node:path'

const out = resolve(__dirname, '../../out/e2e')
// Playwright empties its output folder when a run starts. Outside CI several people may run specs in
// one tree at once, so each run gets its own folder (the id is set once here and inherited by workers).
process.env.BACKPROP_LAB_E2E_RUN ??= process.env.CI ? 'ci' : `${Date.now()}-${process.pid}`
// `npm run test:e2e` (scripts/test-e2e.mjs) runs the tests in two phases, each a Playwright run of its own: the
// @pages tests two at a time, then the others one at a time. Each phase keeps its own results and report, so the
// second does not empty the first's (a failure's trace and screenshot stay).
const phase = process.env.BACKPROP_LAB_E2E_PHASE
const runDir = phase ? `${process.env.BACKPROP_LAB_E2E_RUN}-${phase}` : process.env.BACKPROP_LAB_E2E_RUN

export default defineConfig({
  testDir: __dirname,
  testMatch: '**/*.spec.ts',
  outputDir: resolve(out, 'test-results', runDir),
  // Two cores are shared by the engine's threads, the web shell and Chromium: one test at a time. A test that trains
  // needs both cores for itself (its threads run at idle priority: a test beside it would starve them, and it times
  // frames and stalls); those tagged @pages train nothing and time nothing, and `npm run test:e2e` runs them two
  // at a time in a phase of their own (scripts/test-e2e.mjs).
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { outputFolder: resolve(out, 'report', phase ?? ''), open: 'never' }]],
  use: { trace: 'retain-on-failure', screenshot: 'only-on-failure', actionTimeout: 15_000 }
})
