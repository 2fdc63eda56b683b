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

export default defineConfig({
  testDir: __dirname,
  testMatch: '**/*.spec.ts',
  outputDir: resolve(out, 'test-results', process.env.BACKPROP_LAB_E2E_RUN),
  // Two cores are shared by the engine's threads, the web shell and Chromium: one test at a time.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { outputFolder: resolve(out, 'report'), open: 'never' }]],
  use: { trace: 'retain-on-failure', screenshot: 'only-on-failure', actionTimeout: 15_000 }
})
