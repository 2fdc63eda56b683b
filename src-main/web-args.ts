/** Command-line arguments of the web shell (kept apart from web-main.ts so tests can import them). */

export const USAGE = 'usage: node out/main/web-shell.js [--port N]   (N from 0 to 65535; 0 = any free port)'

export function parsePort(argv: readonly string[]): number {
  let port = 0
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    const eq = a.startsWith('--port=') ? a.slice(7) : null
    if (a === '--port' || eq !== null) {
      const raw = eq ?? argv[++i]
      const n = Number(raw)
      if (raw === undefined || raw === '' || !Number.isInteger(n) || n < 0 || n > 65535) {
        throw new Error(`--port needs a whole number from 0 to 65535, got ${raw === undefined ? 'nothing' : `"${raw}"`}.\n${USAGE}`)
      }
      port = n
    } else if (a === '--help' || a === '-h') {
      throw new Error(USAGE)
    } else {
      throw new Error(`Unknown argument "${a}".\n${USAGE}`)
    }
  }
  return port
}
