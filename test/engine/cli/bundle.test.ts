/**
 * The built command line (out/main/engine-cli.js from `electron-vite build`) under plain Node:
 * exit codes, JSON lines, and `--threads 2`, where the bundle starts copies of itself as
 * data-parallel threads. Skipped when the bundle is missing or older than the engine sources
 * (`npm run build` or any `npm run lab` rebuilds it); BACKPROP_LAB_TEST_BUNDLE=1 runs them anyway.
 * They run a copy of out/main taken once (test/helpers/built-copy.ts): a rebuild meanwhile cannot pull it away.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { copyBuilt, removeCopy } from '../../helpers/built-copy'

const root = resolve(__dirname, '../../..')
const built = copyBuilt('out/main')
const bundle = join(built ?? join(root, 'out/main'), 'engine-cli.js')
afterAll(() => removeCopy(built))

function newest(dir: string): number {
  let t = 0
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs)
  }
  return t
}

const fresh = built !== null && existsSync(bundle) && (process.env.BACKPROP_LAB_TEST_BUNDLE === '1' || statSync(bundle).mtimeMs >= newest(join(root, 'src-engine')))
if (!fresh) console.warn('skipping the bundled CLI tests: out/main/engine-cli.js is missing or older than src-engine (run npm run build)')

function cli(...args: string[]): { code: number | null; lines: Record<string, unknown>[]; stderr: string } {
  const r = spawnSync(process.execPath, [bundle, ...args], { cwd: root, encoding: 'utf8', timeout: 300_000 })
  const lines = r.stdout.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, unknown>)
  return { code: r.status, lines, stderr: r.stderr }
}

describe.skipIf(!fresh)('bundled command line (out/main/engine-cli.js)', () => {
  it('lists presets as JSON lines and exits 0', () => {
    const r = cli('presets', '--json')
    expect(r.code).toBe(0)
    expect(r.lines.find((l) => l.id === 'simple-convnet')).toMatchObject({ params: 433890 })
    expect(r.lines.at(-1)?.event).toBe('done')
  })

  it('exits 2 with a message (no stack trace) on an unknown flag', () => {
    const r = cli('train', '--preset', 'mlp', '--fast')
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('unknown flag --fast')
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })

  it('ends quietly when its reader goes away (`| head`): no EPIPE stack trace, the status of a SIGPIPE (141)', async () => {
    // the pipe's reading end closed before the command writes: its first line meets EPIPE, as `presets --json | head -c 300` did
    const child = spawn(process.execPath, [bundle, 'presets', '--json'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
    child.stdout.destroy()
    let stderr = ''
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString() })
    const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)))
    expect(stderr).toBe('')
    expect(code).toBe(141)
  })

  it('trains with two threads: same numbers on a second run, and the loss falls', () => {
    // 1,000 training examples (test fraction 0.9) keep it quick.
    const args = ['train', '--preset', 'mlp', '--epochs', '2', '--threads', '2', '--seed', '3', '--test-fraction', '0.9', '--json']
    const a = cli(...args)
    expect(a.code, a.stderr).toBe(0)
    // (a 1-core machine adds a threads-over-cores warning event before it)
    expect(a.lines.find((l) => l.event === 'start')).toMatchObject({ threads: 2 })
    const epochs = a.lines.filter((l) => l.event === 'epoch') as { trainLoss: number; testAcc: number; seconds?: number }[]
    expect(epochs[1].trainLoss).toBeLessThan(epochs[0].trainLoss)
    expect(epochs[1].testAcc).toBeGreaterThan(0.75)
    const b = cli(...args)
    const strip = (ls: Record<string, unknown>[]): unknown[] => ls.filter((l) => l.event === 'epoch').map(({ seconds: _s, ...rest }) => rest)
    expect(strip(b.lines)).toEqual(strip(a.lines))
  }, 300_000)
})
