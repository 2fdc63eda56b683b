import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import { svelte } from '@sveltejs/vite-plugin-svelte'

const r = (p: string): string => resolve(__dirname, p)

// Main bundles three Electron-free entries beside the app's own: the engine's command line, the
// web shell, and (through `?modulePath` imports) the engine workers. They run under plain Node 20 too.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      target: 'node20',
      rolldownOptions: {
        input: {
          index: r('src-main/index.ts'),
          'engine-cli': r('src-engine/cli.ts'),
          'web-shell': r('src-main/web-main.ts')
        }
      }
    }
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rolldownOptions: { input: { index: r('src-main/preload.ts') } }
    }
  },
  renderer: {
    root: r('src-renderer'),
    build: {
      outDir: r('out/renderer'),
      rolldownOptions: { input: { index: r('src-renderer/index.html') } }
    },
    plugins: [svelte()]
  }
})
