import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { svelteTesting } from '@testing-library/svelte/vite'

// Vitest runs cores − 1 files at once by default: one at a time on the 2-core CI machine, the second core idle for
// the whole run. The engine's and the page's tests measure no stalls of this process (their few time bounds are
// tens to thousands of times what the work takes), so they run a file per core (engine 131 → 70 s, ui 137 → 81 s on the
// 2-core machine). The main process's tests measure its event loop's stalls
// (event-loop, real-worker, *-stall, priority): they run after the others, in their own group at the default
// count (one here), with no other test file beside them. BACKPROP_LAB_TEST_WORKERS sets how many engine and ui files
// run at once (1: one at a time, as before).
const cores = Math.max(1, Number(process.env.BACKPROP_LAB_TEST_WORKERS) || availableParallelism())

export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.mjs'],
    projects: [
      {
        test: {
          name: 'engine',
          environment: 'node',
          globalSetup: ['test/global-setup.mjs'],
          include: ['test/engine/**/*.test.ts'],
          testTimeout: 120_000,
          maxWorkers: cores,
          sequence: { groupOrder: 0 }
        }
      },
      {
        test: {
          name: 'main',
          environment: 'node',
          include: ['test/main/**/*.test.ts'],
          testTimeout: 120_000,
          sequence: { groupOrder: 1 }
        }
      },
      {
        plugins: [svelte(), svelteTesting()],
        test: {
          name: 'ui',
          environment: 'happy-dom',
          include: ['test/ui/**/*.test.ts'],
          maxWorkers: cores,
          sequence: { groupOrder: 0 }
        }
      }
    ]
  }
})
