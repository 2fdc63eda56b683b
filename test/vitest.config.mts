import { defineConfig } from 'vitest/config'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { svelteTesting } from '@testing-library/svelte/vite'

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
          testTimeout: 120_000
        }
      },
      {
        test: {
          name: 'main',
          environment: 'node',
          include: ['test/main/**/*.test.ts'],
          testTimeout: 120_000
        }
      },
      {
        plugins: [svelte(), svelteTesting()],
        test: { name: 'ui', environment: 'happy-dom', include: ['test/ui/**/*.test.ts'] }
      }
    ]
  }
})
