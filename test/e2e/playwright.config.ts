/**
 * End-to-end tests: the built app (out/) in Debian's Chromium through the web shell, and the desktop
 * app through Playwright's Electron support where an Electron binary exists. `npm run test:e2e`
 * expects `npm run build` to have run (npm test does both). Fixtures: ./fixtures.ts.
 */
import { defineConfig } from '@playwright/test'
import { resolve } from 'node:path'

const out = resolve(__dirname, '../../out/e2e')

export default defineConfig({
  testDir: __dirname,
  testMatch: '**/*.spec.ts',
  outputDir: resolve(out, 'test-results'),
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
