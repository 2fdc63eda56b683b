/**
 * Entry of out/main/web-shell.js: `node out/main/web-shell.js [--port N]` (0 or absent: any free port).
 * Starts a LabHost with the bundled training worker and the loopback web shell, prints the address
 * (token included) alone on a line, and stops cleanly on SIGINT / SIGTERM.
 */
import { resolve } from 'node:path'
import workerPath from '../src-engine/worker?modulePath'
import projectReader from './project-reader?modulePath'
import { LabHost } from './lab-host'
import { startWebShell, type WebShell } from './web-shell'
import { version } from '../package.json'
import { parsePort } from './web-args'
import { webDataDir } from './file-store'

async function main(): Promise<void> {
  let port: number
  try {
    port = parsePort(process.argv.slice(2))
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`)
    process.exit(2)
  }
  // The autosave lives in BACKPROP_LAB_DATA_DIR, else under the OS temp folder.
  const labHost = new LabHost({ workerPath, projectReader, transport: 'web', version, dataDir: webDataDir() })
  let shell: WebShell | null = null
  // Handlers first: whoever reads the URL may signal at once.
  let stopping = false
  const stop = (signal: string): void => {
    if (stopping) return
    stopping = true
    process.stdout.write(`Stopping the web shell (${signal}).\n`)
    const force = setTimeout(() => process.exit(0), 3000)
    force.unref()
    void Promise.all([shell?.close(), labHost.dispose()]).finally(() => process.exit(0))
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))

  try {
    shell = await startWebShell({ port, rendererDir: resolve(__dirname, '../renderer'), labHost })
  } catch (e) {
    await labHost.dispose()
    const err = e as NodeJS.ErrnoException
    const why = err.code === 'EADDRINUSE' ? `port ${port} is already in use; pick another with --port or use --port 0` : err.message
    process.stderr.write(`Backprop Lab web shell could not start: ${why}\n`)
    process.exit(1)
  }
  if (stopping) { await shell.close(); return }
  process.stdout.write(`Backprop Lab is running. Open this address in a browser (the token is part of it):\n${shell.url}\n`)
}

void main()
