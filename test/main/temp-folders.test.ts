/**
 * Tests' temporary folders do not pile up in the system's: every test run makes one folder (test/global-setup.mjs),
 * os.tmpdir() is that folder in the test workers and the processes they start, and the run removes it when it ends;
 * a run killed before that leaves its folder to the next run, which removes it.
 */
import { describe, expect, it } from 'vitest'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { execFileSync } from 'node:child_process'
// @ts-expect-error: plain JavaScript, no declarations
import { RUN_DIR, runTempDir } from '../global-setup.mjs'

describe('temporary folders of a test run', () => {
  it('are made under the run\'s own folder, here and in the processes a test starts', () => {
    expect(basename(tmpdir())).toMatch(/^backprop-lab-tests-\d+-/)
    const child = execFileSync(process.execPath, ['-e', 'process.stdout.write(require("node:os").tmpdir())'], { encoding: 'utf8' })
    expect(child).toBe(tmpdir())
  })

  it('a run removes its folder at the end, and the folders of runs that are gone, but not a running one\'s', () => {
    const base = mkdtempSync(join(tmpdir(), 'runs-'))
    try {
      // a process id that is not running: the largest one Linux gives out, plus one
      const gone = join(base, `${RUN_DIR}4194305-abc123`)
      const running = join(base, `${RUN_DIR}${process.ppid}-def456`)
      const other = join(base, 'not-a-run-4194305')
      for (const d of [gone, running, other]) mkdirSync(d)
      const run = runTempDir(base, 12345) as { dir: string; remove: () => void }
      expect(basename(run.dir)).toMatch(/^backprop-lab-tests-12345-/)
      expect([existsSync(gone), existsSync(running), existsSync(other), existsSync(run.dir)]).toEqual([false, true, true, true])
      run.remove()
      expect(existsSync(run.dir)).toBe(false)
    } finally {
      rmSync(base, { recursive: true, force: true })
    }
  })
})
