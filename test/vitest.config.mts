import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { svelteTesting } from '@testing-library/svelte/vite'

// Vitest runs cores − 1 files at once by default: one at a time on the 2-core CI machine, the second core idle for
// the whole run. The engine's and the page's tests measure no stalls of this process (their few time bounds are
// tens to thousands of times what the work takes), so they run a file per core (engine 131 → 70 s, ui 137 → 81 s on the
// 2-core machine). So do the main process's tests that train nothing for real and measure nothing ('main'). The rest
// ('main-alone') run after all of those, one file at a time with no other test file beside them: those that measure
// the event loop's stalls (event-loop, real-worker, *-stall), the threads' priority and CPU time (*priority*, cpu-watch),
// and those that train in the real engine worker, whose threads run at idle priority (SCHED_IDLE) and get no core while
// another file's test keeps both busy. Before, all of test/main ran one file at a time after the others: 39 files, 339 s
// at load 16 on 27 November, a third of it starting files; now main-alone's 14 take 179 s (load 15-20), and test/main by
// itself (`--project 'main*'`, both) 141 s against 165 s at load 9-10. BACKPROP_LAB_TEST_WORKERS sets how many engine,
// ui and main files run at once (1: one at a time, as before).
const cores = Math.max(1, Number(process.env.BACKPROP_LAB_TEST_WORKERS) || availableParallelism())
/** The main process's tests that run alone (see above). */
const MAIN_ALONE = [
  'test/main/event-loop.test.ts', 'test/main/real-worker.test.ts', 'test/main/*-stall.test.ts', 'test/main/stall-share.test.ts',
  'test/main/*priority*.test.ts', 'test/main/cpu-watch.test.ts',
  'test/main/autoencoder-host.test.ts', 'test/main/gradcheck-host.test.ts', 'test/main/import-vocab.test.ts',
  'test/main/predict-inference.test.ts', 'test/main/projects.test.ts'
]

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
          exclude: MAIN_ALONE,
          testTimeout: 120_000,
          maxWorkers: cores,
          sequence: { groupOrder: 0 }
        }
      },
      {
        test: {
          name: 'main-alone',
          environment: 'node',
          include: MAIN_ALONE,
          testTimeout: 120_000,
          // one at a time on any machine (the default, cores − 1, is one only on 2 cores)
          maxWorkers: 1,
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
